"""ISU staff's import of existing minutes: upload, preview beside the source with warnings, correct and
read again, confirm."""

import io
from datetime import date

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.forms import HiddenInput
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegations.models import DelegationAlias
from meetings import importer, permissions, record_json, versions, workflow
from meetings.forms import MinutesConfirmForm, MinutesUploadForm, SupersedeForm
from meetings.importer.superseding import superseding_document
from meetings.models import Meeting
from meetings.permissions import get_meeting_or_404

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


def _preview(request, parsed, confirm_form, status=200, text="", upload_data=None, supersession=None):
    if not parsed.unknown_delegations:
        confirm_form.fields["create_delegations"].widget = HiddenInput()
    context = {
        "parsed": parsed,
        "summary": parsed.summary(),
        "form": confirm_form,
        # The source beside the record, line for line; warnings and items link to their lines.
        "source_lines": list(enumerate(text.split("\n"), start=1)) if text else [],
        "source_text": text,
        "warnings": parsed.warnings_with_lines(),
        "items": list(zip(parsed.items, parsed.item_lines + [None] * len(parsed.items), strict=False)),
        "upload_data": upload_data or {},
        "supersession": supersession,
    }
    return render(request, "meetings/import_preview.html", context, status=status)


def _title_block(record):
    written = record["meeting"]
    return "\n".join(part for part in (written["title"], written["venue"]) if part)


def _structured_counts(record):
    items = record_json.flat_items(record)
    return sum(len(item["decisions"]) for item in items), sum(len(item["action_points"]) for item in items)


def _supersession(request, parsed, payload, form=None):
    """What the preview says when these minutes are already published: why they cannot be
    corrected, or how the source differs from the published record, with the form that supersedes it."""
    meeting = (
        Meeting.objects.published()
        .select_related("adopted_version", "official_record")
        .filter(date=parsed.date)
        .first()
    )
    if meeting is None:
        return None
    context = {"meeting": meeting, "refusal": workflow.supersede_refusal(meeting)}
    if not permissions.can_run_workflow(request.user, meeting) or context["refusal"]:
        return context
    try:
        document = superseding_document(parsed, meeting)
    except importer.ImportProblem as problem:
        context["problem"] = str(problem)
        return context
    rows = versions.compare(meeting.adopted_record, document)
    counts = [_structured_counts(record) for record in (meeting.adopted_record, document)]
    if any(new < old for old, new in zip(*counts, strict=True)):
        # Decisions and action points entered while the import was a draft are not in the source text:
        # said outright, so that nobody supersedes them away without seeing it.
        context["dropped"] = _(
            "The published record has %(decisions)s decisions and %(points)s action points; the record from this "
            "source has %(new_decisions)s and %(new_points)s. What the source does not give is not in the new record."
        ) % {
            "decisions": counts[0][0],
            "points": counts[0][1],
            "new_decisions": counts[1][0],
            "new_points": counts[1][1],
        }
    before, after = (_title_block(record) for record in (meeting.adopted_record, document))
    context.update(
        title_diff=versions.diff_html(before, after) if before != after else None,
        rows=rows,
        changed=sum(1 for row in rows if row["state"] != "unchanged"),
        same=record_json.same_record(meeting.adopted_record, document),
        form=form
        or SupersedeForm(initial={"payload": payload, "against": record_json.fingerprint(meeting.adopted_record)}),
    )
    return context


def _parsed_from_payload(payload):
    """The minutes a signed payload carries: the PDF's record, or the text parsed again."""
    default_date = payload["date"] and date.fromisoformat(payload["date"])
    if payload.get("record"):
        return importer.from_record(payload["record"], importer.DelegationMatcher.from_db(), name=payload["name"])
    return importer.parse(payload["text"], default_date=default_date)


def meeting_import(request):
    """Upload minutes (.txt, .pdf or .docx), or send back their corrected text, and see what would be saved."""
    _require_importer(request)
    form = MinutesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name if upload else _("corrected text")
        try:
            if upload:
                content = upload.read()
                parsed = importer.read_minutes(io.BytesIO(content), name=name, default_date=form.cleaned_data["date"])
                text = "" if parsed.record else importer.read_source(io.BytesIO(content), name=name)
            else:
                text = form.cleaned_data["text"].replace("\r\n", "\n")
                parsed = importer.parse(text, default_date=form.cleaned_data["date"])
        except importer.ImportProblem as problem:
            form.add_error("file", str(problem))
        else:
            payload = signing.dumps(
                {
                    "text": text,
                    # A PDF's own minutes.json travels as the record, so that the import stays exact.
                    "record": parsed.record,
                    "name": name,
                    "date": form.cleaned_data["date"] and str(form.cleaned_data["date"]),
                },
                salt=IMPORT_SALT,
                compress=True,
            )
            options = _adoption_options(form.cleaned_data)
            confirm = MinutesConfirmForm(initial={"payload": payload, **options}, unknown=parsed.unknown_delegations)
            upload_data = {key: form.data.get(key, "") for key in ("date", *options)}
            supersession = _supersession(request, parsed, payload)
            return _preview(request, parsed, confirm, text=text, upload_data=upload_data, supersession=supersession)
    return render(request, "meetings/import_upload.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def meeting_import_confirm(request):
    """Save the previewed minutes and go to their page; names mapped to existing delegations become
    their aliases, in the same transaction as the import."""
    _require_importer(request)
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired or was altered; please upload the file again."))
        return redirect("meetings:meeting_import")
    try:
        parsed = _parsed_from_payload(payload)
    except importer.ImportProblem as problem:
        problem.file = payload["name"]
        messages.error(request, str(problem))
        return redirect("meetings:meeting_import")
    form = MinutesConfirmForm(request.POST, unknown=parsed.unknown_delegations)
    if not form.is_valid():
        return _preview(request, parsed, form, status=400, text=payload["text"])
    try:
        with transaction.atomic():
            aliases = form.aliases()
            for name, delegation in aliases.items():
                DelegationAlias.objects.create(name=name, delegation=delegation)
            if aliases:
                parsed = _parsed_from_payload(payload)
            meeting = importer.write(
                parsed,
                create_delegations=form.cleaned_data["create_delegations"],
                by=request.user,
                **_adoption_options(form.cleaned_data),
            )
    except (importer.ImportProblem, IntegrityError) as problem:
        if isinstance(problem, importer.ImportProblem):
            problem.file = payload["name"]
        form.add_error(None, str(problem))
        return _preview(request, parsed, form, status=400, text=payload["text"])
    messages.success(
        request,
        _("The minutes of %(date)s were imported as %(status)s.")
        % {"date": meeting.date.isoformat(), "status": meeting.get_status_display().lower()},
    )
    for warning in parsed.warnings:
        messages.warning(request, warning)
    return redirect(meeting)


@require_POST
def meeting_supersede(request, meeting_date):
    """Supersede the published record of imported minutes by the corrected source previewed on the
    import page: with a reason, after a confirmation (workflow.supersede does it)."""
    from meetings.views import _unconfirmed  # the workflow steps' one confirmation page

    meeting = get_meeting_or_404(request, meeting_date)
    if not permissions.can_import_minutes(request.user) or not permissions.can_run_workflow(request.user, meeting):
        raise PermissionDenied
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        parsed = _parsed_from_payload(payload)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired or was altered; please upload the file again."))
        return redirect("meetings:meeting_import")
    except importer.ImportProblem as problem:
        problem.file = payload["name"]
        messages.error(request, str(problem))
        return redirect("meetings:meeting_import")
    form = SupersedeForm(request.POST)
    refusal = workflow.supersede_refusal(meeting)
    if refusal:
        messages.error(request, refusal)
        return redirect(meeting)
    if not form.is_valid() or parsed.date != meeting.date:
        if parsed.date != meeting.date:
            form.add_error(None, _("This source is of another meeting than the one it would correct."))
        supersession = _supersession(request, parsed, form.data.get("payload", ""), form=form)
        confirm = MinutesConfirmForm(
            initial={"payload": form.data.get("payload", "")}, unknown=parsed.unknown_delegations
        )
        return _preview(request, parsed, confirm, status=400, text=payload["text"], supersession=supersession)
    try:
        document = superseding_document(parsed, meeting)
    except importer.ImportProblem as problem:
        problem.file = payload["name"]
        messages.error(request, str(problem))
        return redirect("meetings:meeting_import")
    reason = form.cleaned_data["reason"]
    summary = [
        (_("Meeting"), date_format(meeting.date, "j F Y")),
        (_("Source"), payload["name"]),
        (_("Reason"), reason),
    ]
    if (page := _unconfirmed(request, meeting, "supersede", summary)) is not None:
        return page
    try:
        workflow.supersede(
            meeting,
            document,
            reason=reason,
            by=request.user,
            source_name=payload["name"],
            against=form.cleaned_data["against"],
        )
    except workflow.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The corrected record now supersedes the published one."))
    return redirect(meeting)
