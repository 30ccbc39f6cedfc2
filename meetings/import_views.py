"""ISU staff's import of existing minutes: upload, preview with warnings, confirm."""

from datetime import date

from django.contrib import messages
from django.core import signing
from django.forms import HiddenInput
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import importer, permissions
from meetings.forms import MinutesConfirmForm, MinutesUploadForm

IMPORT_SALT = "meetings.import"
# The preview must be confirmed within this many seconds.
IMPORT_MAX_AGE = 3600


def _require_importer(request):
    # Whoever may not import sees no trace of the page.
    if not permissions.can_import_minutes(request.user):
        raise Http404("No such page.")


def _adoption_options(data):
    return {
        "status": data["status"],
        "adopted_at": data.get("adopted_at"),
        "silence_procedure_ends": data.get("silence_procedure_ends"),
    }


def _preview(request, parsed, confirm_form, status=200):
    if not parsed.unknown_delegations:
        confirm_form.fields["create_delegations"].widget = HiddenInput()
    context = {"parsed": parsed, "summary": parsed.summary(), "form": confirm_form}
    return render(request, "meetings/import_preview.html", context, status=status)


def meeting_import(request):
    """Upload minutes (.txt or .pdf) and see what would be saved."""
    _require_importer(request)
    form = MinutesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = importer.read_source(upload, name=upload.name)
            parsed = importer.parse(text, default_date=form.cleaned_data["date"])
        except importer.ImportProblem as problem:
            form.add_error("file", str(problem))
        else:
            payload = signing.dumps(
                {
                    "text": text,
                    "name": upload.name,
                    "date": form.cleaned_data["date"] and str(form.cleaned_data["date"]),
                },
                salt=IMPORT_SALT,
                compress=True,
            )
            options = _adoption_options(form.cleaned_data)
            confirm = MinutesConfirmForm(initial={"payload": payload, **options})
            return _preview(request, parsed, confirm)
    return render(request, "meetings/import_upload.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def meeting_import_confirm(request):
    """Save the previewed minutes and go to their page."""
    _require_importer(request)
    form = MinutesConfirmForm(request.POST)
    if not form.is_valid() and "payload" in form.errors:
        messages.error(request, _("The preview could not be confirmed; please upload the file again."))
        return redirect("meetings:meeting_import")
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired or was altered; please upload the file again."))
        return redirect("meetings:meeting_import")
    default_date = payload["date"] and date.fromisoformat(payload["date"])
    try:
        parsed = importer.parse(payload["text"], default_date=default_date)
    except importer.ImportProblem as problem:
        problem.file = payload["name"]
        messages.error(request, str(problem))
        return redirect("meetings:meeting_import")
    if not form.is_valid():
        return _preview(request, parsed, form, status=400)
    try:
        meeting = importer.write(
            parsed,
            create_delegations=form.cleaned_data["create_delegations"],
            by=request.user,
            **_adoption_options(form.cleaned_data),
        )
    except importer.ImportProblem as problem:
        problem.file = payload["name"]
        form.add_error(None, str(problem))
        return _preview(request, parsed, form, status=400)
    messages.success(
        request,
        _("The minutes of %(date)s were imported as %(status)s.")
        % {"date": meeting.date.isoformat(), "status": meeting.get_status_display().lower()},
    )
    for warning in parsed.warnings:
        messages.warning(request, warning)
    return redirect(meeting)
