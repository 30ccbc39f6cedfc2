"""Public views of the record: home, the archive of published minutes, a meeting, its PDF, search."""

from datetime import date

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meetings import pdf
from meetings import search as search_index
from meetings.caching import publication_stamp, published_page
from meetings.forms import SearchForm
from meetings.models import Meeting

RESULTS_PER_PAGE = 20


def get_meeting_or_404(request, meeting_date):
    """The one way views load a meeting: whoever may not see it gets 404, so a draft's
    existence never leaks."""
    try:
        day = date.fromisoformat(meeting_date)
    except ValueError:
        raise Http404("No such meeting.") from None
    meeting = (
        Meeting.objects.visible_to(request.user)
        .select_related("presidency__delegation", "adopted_at_meeting")
        .filter(date=day)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
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
    }
    return render(request, "meetings/meeting_detail.html", context)


@published_page
def meeting_pdf(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    if meeting_date != meeting.date.isoformat():
        return redirect(meeting.get_pdf_url(), permanent=True)
    try:
        content = pdf.render_minutes_pdf(meeting)
    except pdf.PdfUnavailable as exc:
        return render(request, "meetings/pdf_unavailable.html", {"reason": str(exc)}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(meeting)}"'
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
        context.update(page=page, results=search_index.add_snippets(page.object_list, q), query=q)
    return render(request, "meetings/search.html", context)
