"""Views of the record: home, the archive of published minutes, a meeting, its PDF, the page that
tells whether a PDF is an official record, search, and the ISU's import of existing minutes."""

import logging
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.forms import HiddenInput
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import importer, pdf, permissions, verification
from meetings import search as search_index
from meetings.caching import publication_stamp, published_page
from meetings.forms import MinutesConfirmForm, MinutesUploadForm, SearchForm
from meetings.models import Meeting

logger = logging.getLogger(__name__)

IMPORT_SALT = "meetings.import"
# The preview must be confirmed within this many seconds.
IMPORT_MAX_AGE = 3600

RESULTS_PER_PAGE = 20


def get_meeting_or_404(request, meeting_date):
    """The one way views load a meeting: whoever may not see it gets 404, so a draft's
    existence never leaks."""
    try:
        day = date.fromisoformat(meeting_date)
    except ValueError:
        raise Http404(_("No such meeting.")) from None
    meeting = (
        Meeting.objects.visible_to(request.user)
        .select_related("presidency__delegation", "adopted_at_meeting", "official_record")
        .filter(date=day)
        .first()
    )
    if meeting is None:
        raise Http404(_("No such meeting."))
    return meeting


@published_page
def home(request):
    latest = Meeting.objects.published().select_related("presidency__delegation")[:5]
    return render(request, "meetings/home.html", {"latest": latest})


@published_page
def meeting_archive(request):
    meetings = Meeting.objects.published().select_related("presidency__delegation")
    return render(request, "meetings/meeting_archive.html", {"meetings": meetings})


@published_page
def meeting_detail(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    if meeting_date != meeting.date.isoformat():
        # One canonical address per meeting, whatever spelling of the date reached it.
        return redirect(meeting, permanent=True)
    context = {
        "meeting": meeting,
        "attendance": meeting.attendance_list(),
        "agenda": meeting.agenda(),
        "official_record": pdf.stored_record(meeting),
    }
    return render(request, "meetings/meeting_detail.html", context)


# Not @published_page: the stored official record carries its own ETag (its SHA-256) and is
# cached as immutable; a draft is rendered for staff only.
def meeting_pdf(request, meeting_date):
    """Adopted minutes: the stored official record, the same bytes forever. Drafts: rendered now."""
    meeting = get_meeting_or_404(request, meeting_date)
    if meeting_date != meeting.date.isoformat():
        return redirect(meeting.get_pdf_url(), permanent=True)
    try:
        if meeting.is_adopted:
            return _official_record_response(request, meeting, pdf.stored_record(meeting) or pdf.official_pdf(meeting))
        content = pdf.render_minutes_pdf(meeting)
    except pdf.PdfUnavailable as exc:
        return render(request, "meetings/pdf_unavailable.html", {"reason": str(exc)}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(meeting)}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _official_record_response(request, meeting, record):
    etag = f'"{record.sha256}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")) or request.headers.get("If-None-Match") == "*":
        response = HttpResponseNotModified()
    else:
        try:
            with record.file.open("rb") as stored:
                content = stored.read()
        except OSError:
            # Never re-rendered in its place: an official record is the file stored at adoption.
            logger.exception("The official record of %s is missing from storage", meeting)
            reason = "the stored official record cannot be read; the staff have been alerted."
            return render(request, "meetings/pdf_unavailable.html", {"reason": reason}, status=503)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{pdf.filename(meeting)}"'
    response["ETag"] = etag
    # Adopted but unpublished minutes are for coordinators only: no shared cache may keep them.
    audience = {"public": True} if meeting.status == Meeting.Status.PUBLISHED else {"private": True}
    patch_cache_control(response, **audience, max_age=365 * 24 * 3600, immutable=True)
    return response


def record_verify(request):
    """Anyone may upload a PDF and learn whether it is an official record, and which; the file
    is read to hash it and never kept."""
    result = refused = None
    form = verification.VerifyForm()
    if request.method == "POST":
        if verification.too_large(request):
            refused = verification.too_large_message()
        else:
            form = verification.VerifyForm(request.POST, request.FILES)
            if form.is_valid():
                result = verification.check(form.cleaned_data["document"], request.user)
    context = {"form": form, "result": result, "refused": refused, "max_mb": settings.VERIFY_MAX_UPLOAD // 2**20}
    status = 400 if refused or form.errors else 200
    return render(request, "meetings/record_verify.html", context, status=status)


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


@published_page
def search(request):
    """Published minutes matching words and filters, best first, with highlighted snippets."""
    # The page cache has looked the stamp up already, unless the user is logged in.
    stamp = getattr(request, "publication_stamp", None) or publication_stamp()[0]
    form = SearchForm(request.GET or None, facets=search_index.facets(stamp))
    context = {"form": form, "page": None, "results": [], "notice": ""}
    if form.has_query:
        q = form.cleaned_data["q"]
        paginator = Paginator(search_index.search(q, **form.filters()), RESULTS_PER_PAGE)
        requested = request.GET.get("page") or 1
        try:
            page = paginator.page(requested)
        except PageNotAnInteger:
            context["notice"] = _("“%(page)s” is not a page number; showing the first page.") % {"page": requested}
            page = paginator.page(1)
        except EmptyPage:
            context["notice"] = _("There is no page %(page)s; showing the last page.") % {"page": requested}
            page = paginator.page(paginator.num_pages)
        context.update(page=page, results=search_index.add_snippets(page.object_list, q), query=q)
    return render(request, "meetings/search.html", context)
