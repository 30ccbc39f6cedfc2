"""The public read side: home, the archive of published minutes, a meeting, its PDF, the page that
tells whether a PDF is an official record, and search."""

import logging

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.translation import gettext as _

from ccm_portal.limits import draft_pdf_slot
from meetings import pdf, permissions, record_json, workflow
from meetings.forms import CancelForm, PostponeForm
from meetings.models import Document, Meeting
from meetings.permissions import get_meeting_or_404
from portal import search as search_index
from portal import verification
from portal.caching import publication_stamp, published_page
from portal.forms import SearchForm

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 20
# Seconds a staff member told that draft PDFs are busy is asked to wait.
DRAFT_PDF_RETRY_AFTER = 5


@published_page
def home(request):
    latest = Meeting.objects.published().select_related("presidency__delegation")[:5]
    upcoming = Meeting.objects.upcoming(timezone.localdate()).select_related("presidency__delegation").first()
    return render(request, "portal/home.html", {"latest": latest, "next_meeting": upcoming})


@published_page
def meeting_archive(request):
    meetings = Meeting.objects.published().select_related("presidency__delegation")
    return render(request, "portal/meeting_archive.html", {"meetings": meetings})


@published_page
def meeting_detail(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date, announcements=True)
    if meeting_date != meeting.date.isoformat():
        # One canonical address per meeting, whatever spelling of the date reached it; the old date
        # of a postponed meeting leads to it for now only (another meeting may come to that day).
        postponed = meeting.postponed_from and meeting_date == meeting.postponed_from.isoformat()
        return redirect(meeting, permanent=not postponed)
    if meeting.is_announcement or not permissions.can_view_meeting(request.user, meeting):
        return _meeting_announcement(request, meeting)
    context = {
        "meeting": meeting,
        # Adopted minutes show their record as adopted; drafts the record as it stands (one template).
        "record": record_json.document_for(meeting),
        "official_record": pdf.stored_record(meeting),
        "can_edit": permissions.can_edit_meeting(request.user, meeting),
        "can_supersede": permissions.can_supersede(request.user, meeting),
    }
    # Asked only of a record that says it supersedes another: no query for every other page.
    if context["record"].get("supersedes"):
        context["supersessions"] = list(meeting.supersessions.order_by("-at", "-id"))
    return render(request, "portal/meeting_detail.html", context)


def _meeting_announcement(request, meeting):
    """A meeting without minutes to show this user: its announcement only (the provisional agenda
    while it is announced; "minutes in preparation" once they are drafted), never the record."""
    user = request.user
    context = {
        "meeting": meeting,
        "agenda": meeting.agenda() if meeting.status == Meeting.Status.ANNOUNCED else None,
        "in_preparation": not meeting.is_announcement,
        "show_remote_link": permissions.can_see_remote_link(user, meeting),
        "can_edit": permissions.can_edit_meeting(user, meeting),
        "can_postpone": permissions.can_postpone(user, meeting),
        "can_cancel": permissions.can_cancel(user, meeting),
        "can_start_drafting": permissions.can_start_drafting(user, meeting),
    }
    if context["can_postpone"]:
        context["postpone_form"] = PostponeForm(
            initial={"date": meeting.date, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at}
        )
    if context["can_cancel"]:
        context["cancel_form"] = CancelForm()
    if context["can_start_drafting"]:
        context["drafting_problems"] = workflow.problems(meeting, "start_drafting")
    return render(request, "portal/meeting_announcement.html", context)


# Not @published_page: the stored official record carries its own ETag (its SHA-256) and is
# cached as immutable; a draft is rendered for staff only.
def meeting_pdf(request, meeting_date):
    """Adopted minutes: the stored official record, the same bytes forever. Drafts: rendered now."""
    meeting = get_meeting_or_404(request, meeting_date)
    if meeting_date != meeting.date.isoformat():
        return redirect(meeting.get_pdf_url(), permanent=True)
    try:
        if meeting.is_adopted:
            try:
                record = pdf.stored_record(meeting) or pdf.official_pdf(meeting)
            except OSError:
                logger.exception("The official record of %s cannot be stored", meeting)
                reason = _("the official record cannot be stored right now; the staff have been alerted.")
                return render(request, "portal/pdf_unavailable.html", {"reason": reason}, status=503)
            return _official_record_response(request, meeting, record)
        with draft_pdf_slot() as granted:
            if not granted:
                busy = render(request, "portal/pdf_busy.html", status=503)
                busy["Retry-After"] = str(DRAFT_PDF_RETRY_AFTER)
                return busy
            content = pdf.render_minutes_pdf(meeting)
    except pdf.PdfUnavailable as exc:
        return render(request, "portal/pdf_unavailable.html", {"reason": str(exc)}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(meeting)}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _official_record_response(request, meeting, record, name=None):
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
            return render(request, "portal/pdf_unavailable.html", {"reason": reason}, status=503)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name or pdf.filename(meeting)}"'
    response["ETag"] = etag
    # Adopted but unpublished minutes are for coordinators only: no shared cache may keep them.
    audience = {"public": True} if meeting.status == Meeting.Status.PUBLISHED else {"private": True}
    patch_cache_control(response, **audience, max_age=365 * 24 * 3600, immutable=True)
    return response


def meeting_record_file(request, meeting_date, sha256):
    """Any file that has been the official record of a meeting, at an address that names its
    SHA-256 and never changes: the current one, one superseded by a corrected record, or one kept
    when the record was signed anew."""
    meeting = get_meeting_or_404(request, meeting_date)
    if not meeting.is_adopted:
        raise Http404(_("No such record."))
    current = pdf.stored_record(meeting)
    if current is not None and current.sha256 == sha256:
        stored = current
    else:
        stored = (
            meeting.supersessions.filter(sha256=sha256).first()
            or meeting.retired_record_files.filter(sha256=sha256).first()
        )
    if stored is None:
        raise Http404(_("No such record."))
    name = f"ccm-cc-minutes-{meeting.date.isoformat()}-{sha256[:12]}.pdf"
    return _official_record_response(request, meeting, stored, name=name)


def document_download(request, meeting_date, document_id, file_name):
    """A document of the record, as private as its meeting (404 to whoever may not see it), only
    while the record shown lists it, and always as a download: never opened in the page, never
    sniffed into something else. Its SHA-256 (the one the record shows) is its ETag."""
    meeting = get_meeting_or_404(request, meeting_date)
    listed = {d["key"]: d for d in record_json.document_for(meeting).get("documents", [])}
    entry = listed.get(str(document_id))
    document = Document.objects.filter(meeting=meeting, pk=document_id).first() if entry else None
    if document is None or document.sha256 != entry["sha256"]:
        raise Http404(_("No such document in these minutes."))
    if meeting_date != meeting.date.isoformat() or file_name != document.file_name:
        return redirect(document.get_download_url(), permanent=True)
    etag = f'"{document.sha256}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")) or request.headers.get("If-None-Match") == "*":
        response = HttpResponseNotModified()
    else:
        try:
            stored = document.file.open("rb")
        except OSError:
            logger.exception("The document %s of %s is missing from storage", document.pk, meeting)
            raise Http404(_("This document cannot be read right now; the staff have been alerted.")) from None
        response = FileResponse(
            stored, as_attachment=True, filename=document.file_name, content_type=document.content_type
        )
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    if meeting.status == Meeting.Status.PUBLISHED:
        # Published minutes are frozen: their documents never change under this address.
        patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    else:
        patch_cache_control(response, private=True, no_cache=True)
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
    context["certificate"] = verification.published_certificate()
    status = 400 if refused or form.errors else 200
    return render(request, "portal/record_verify.html", context, status=status)


def record_certificate(request):
    """The certificate that signs official records, for anyone to check a signature against."""
    certificate = verification.published_certificate()
    if certificate is None:
        raise Http404(_("Official records are not signed on this site."))
    response = HttpResponse(certificate.pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="certificate.pem"'
    return response


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
        results = search_index.add_item_links(search_index.add_snippets(page.object_list, q), q)
        results = search_index.add_matching_decisions(results, q)
        context.update(page=page, results=results, query=q)
    return render(request, "portal/search.html", context)
