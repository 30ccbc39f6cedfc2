"""The portal's email: who is told what when minutes move, in text and HTML. Called by
meetings/workflow.py after its transaction commits, and by the reminder command."""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings import calendar
from meetings.roles import COORDINATORS_GROUP, ISU_STAFF_GROUP


def _recipients(group):
    users = get_user_model().objects.filter(groups__name=group, is_active=True).exclude(email="")
    return sorted({user.email for user in users})


def coordinators():
    return _recipients(COORDINATORS_GROUP)


def isu_staff():
    return _recipients(ISU_STAFF_GROUP)


def _url(name, meeting):
    return settings.SITE_URL + reverse(name, args=[meeting.date.isoformat()])


def send(template, subject, recipients, context, attachments=()):
    """One message per recipient (addresses are not shared), text with an HTML alternative, and
    `attachments` as (filename, content, mimetype)."""
    if not recipients:
        return 0
    context = {"site_url": settings.SITE_URL, **context}
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    messages = []
    for address in recipients:
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
        message.attach_alternative(html, "text/html")
        for attachment in attachments:
            message.attach(*attachment)
        messages.append(message)
    return get_connection().send_messages(messages)


def _meeting_name(meeting):
    return date_format(meeting.date, "j F Y")


def notify_circulated(version):
    meeting = version.meeting
    subject = _("Minutes of %(date)s circulated for comments (version %(number)s)") % {
        "date": _meeting_name(meeting),
        "number": version.number,
    }
    context = {"meeting": meeting, "version": version, "review_url": _url("meetings:meeting_review", meeting)}
    return send("minutes_circulated", subject, coordinators(), context)


def notify_deadline_approaching(version):
    meeting = version.meeting
    subject = _("Comments on the minutes of %(date)s are due by %(deadline)s") % {
        "date": _meeting_name(meeting),
        "deadline": date_format(version.comment_deadline, "j F Y"),
    }
    context = {"meeting": meeting, "version": version, "review_url": _url("meetings:meeting_review", meeting)}
    return send("comment_deadline", subject, coordinators(), context)


def notify_silence_started(procedure):
    meeting = procedure.meeting
    subject = _("Silence procedure on the minutes of %(date)s") % {"date": _meeting_name(meeting)}
    context = {"meeting": meeting, "procedure": procedure, "review_url": _url("meetings:meeting_review", meeting)}
    return send("silence_started", subject, coordinators(), context)


def notify_silence_broken(procedure):
    meeting = procedure.meeting
    subject = _("Silence broken on the minutes of %(date)s") % {"date": _meeting_name(meeting)}
    context = {"meeting": meeting, "procedure": procedure, "review_url": _url("meetings:meeting_review", meeting)}
    return send("silence_broken", subject, isu_staff(), context)


def notify_adopted(meeting):
    subject = _("Minutes of %(date)s adopted") % {"date": _meeting_name(meeting)}
    context = {"meeting": meeting, "meeting_url": _url("portal:meeting_detail", meeting)}
    return send("minutes_adopted", subject, sorted({*coordinators(), *isu_staff()}), context)


def notify_published(meeting):
    subject = _("Minutes of %(date)s published") % {"date": _meeting_name(meeting)}
    context = {"meeting": meeting, "meeting_url": _url("portal:meeting_detail", meeting)}
    return send("minutes_published", subject, sorted({*coordinators(), *isu_staff()}), context)


def _announcement(template, subject, meeting, **context):
    """To coordinators and ISU staff (who alone may see the remote link), with the meeting's
    calendar entry attached: the same UID and SEQUENCE as the public feed's, so a calendar that
    took the invitation updates the same event."""
    ics = calendar.calendar([meeting], private=True, method="PUBLISH")
    context = {"meeting": meeting, "meeting_url": _url("portal:meeting_detail", meeting), **context}
    recipients = sorted({*coordinators(), *isu_staff()})
    return send(template, subject, recipients, context, [("ccm-meeting.ics", ics, "text/calendar")])


def notify_announced(meeting):
    subject = _("Invitation: CCM Coordination Committee meeting of %(date)s") % {"date": _meeting_name(meeting)}
    return _announcement("meeting_announced", subject, meeting, agenda=meeting.agenda())


def notify_postponed(meeting, previous_date):
    subject = _("Postponed: CCM Coordination Committee meeting, now on %(date)s") % {"date": _meeting_name(meeting)}
    return _announcement("meeting_postponed", subject, meeting, previous_date=date.fromisoformat(previous_date))


def notify_cancelled(meeting):
    subject = _("Cancelled: CCM Coordination Committee meeting of %(date)s") % {"date": _meeting_name(meeting)}
    return _announcement("meeting_cancelled", subject, meeting)


def notify_new_comments(comments):
    """One digest to ISU staff: the new comments, grouped by minutes, each with where it is, who
    made it and a link to it on the review page."""
    groups = {}
    for comment in comments:
        meeting = comment.version.meeting
        group = groups.setdefault(
            meeting.pk, {"meeting": meeting, "review_url": _url("meetings:meeting_review", meeting), "comments": []}
        )
        group["comments"].append(comment)
    subject = ngettext(
        "%(count)s new comment on minutes under review", "%(count)s new comments on minutes under review", len(comments)
    ) % {"count": len(comments)}
    return send("comment_digest", subject, isu_staff(), {"groups": list(groups.values()), "count": len(comments)})
