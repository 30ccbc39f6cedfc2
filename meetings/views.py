"""Public views of the record: home, the archive of published minutes, a meeting, its PDF."""

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from meetings import pdf
from meetings.models import Meeting


def get_meeting_or_404(request, meeting_date):
    """The one way views load a meeting: whoever may not see it gets 404, so a draft's
    existence never leaks."""
    try:
        day = date.fromisoformat(meeting_date)
    except ValueError:
        raise Http404(_("No such meeting.")) from None
    meeting = (
        Meeting.objects.visible_to(request.user)
        .select_related("presidency__delegation", "adopted_at_meeting")
        .filter(date=day)
        .first()
    )
    if meeting is None:
        raise Http404(_("No such meeting."))
    return meeting


def home(request):
    latest = Meeting.objects.published().select_related("presidency__delegation")[:5]
    return render(request, "meetings/home.html", {"latest": latest})


def meeting_archive(request):
    meetings = Meeting.objects.published().select_related("presidency__delegation")
    return render(request, "meetings/meeting_archive.html", {"meetings": meetings})


def meeting_detail(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    context = {
        "meeting": meeting,
        "attendance": meeting.attendance_list(),
        "agenda": meeting.agenda(),
    }
    return render(request, "meetings/meeting_detail.html", context)


def meeting_pdf(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    try:
        content = pdf.render_minutes_pdf(meeting)
    except pdf.PdfUnavailable as exc:
        return render(request, "meetings/pdf_unavailable.html", {"reason": str(exc)}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(meeting)}"'
    return response
