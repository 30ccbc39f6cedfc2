"""Each role's home: what ISU staff and coordinators have to do now, read in a few queries, and the
count of pending work the header shows beside the role's link."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from meetings.models import Meeting, MinutesVersion, ReviewComment, SilenceProcedure
from meetings.roles import is_coordinator, is_isu_staff

Status = Meeting.Status


def _latest_version(field):
    return Subquery(MinutesVersion.objects.filter(meeting=OuterRef("pk")).order_by("-number").values(field)[:1])


def staff_workspace():
    """Minutes not yet published, by state, with what each is waiting for."""
    meetings = list(
        Meeting.objects.exclude(status=Status.PUBLISHED)
        .select_related("presidency__delegation")
        .annotate(
            version_number=_latest_version("number"),
            comment_deadline=_latest_version("comment_deadline"),
            comments_awaiting_reply=Count(
                "versions__comments", filter=Q(versions__comments__outcome=ReviewComment.Outcome.PENDING)
            ),
        )
        .order_by("-date")
    )
    running = {
        procedure.meeting_id: procedure
        for procedure in SilenceProcedure.objects.running().filter(meeting__status=Status.CIRCULATED)
    }
    for meeting in meetings:
        meeting.running_silence = running.get(meeting.pk)
    return {
        "announced": sorted((m for m in meetings if m.status == Status.ANNOUNCED), key=lambda m: m.date),
        "drafts": [m for m in meetings if m.status == Status.DRAFT],
        "circulated": [m for m in meetings if m.status == Status.CIRCULATED and m.running_silence is None],
        "in_silence": [m for m in meetings if m.status == Status.CIRCULATED and m.running_silence is not None],
        "adopted": [m for m in meetings if m.status == Status.ADOPTED],
    }


def coordinator_home(user):
    """Circulated minutes open for comments, silence procedures running, and the minutes the
    coordinator commented on (with how many of their comments have a reply)."""
    today = timezone.localdate()
    circulated = list(
        Meeting.objects.filter(status=Status.CIRCULATED)
        .annotate(
            version_number=_latest_version("number"),
            comment_deadline=_latest_version("comment_deadline"),
            my_comments=Count("versions__comments", filter=Q(versions__comments__author=user)),
        )
        .order_by("-date")
    )
    running = {p.meeting_id: p for p in SilenceProcedure.objects.running().filter(meeting__status=Status.CIRCULATED)}
    for meeting in circulated:
        meeting.running_silence = running.get(meeting.pk)
    commented = list(
        Meeting.objects.filter(versions__comments__author=user)
        .annotate(
            my_comments=Count("versions__comments", filter=Q(versions__comments__author=user)),
            my_replied=Count(
                "versions__comments",
                filter=Q(versions__comments__author=user)
                & ~Q(versions__comments__outcome=ReviewComment.Outcome.PENDING),
            ),
        )
        .order_by("-date")
    )
    return {
        "awaiting_comments": [
            m for m in circulated if m.running_silence is None and m.comment_deadline and m.comment_deadline >= today
        ],
        "in_silence": [m for m in circulated if m.running_silence is not None],
        "commented": commented,
        # The next meeting, with its remote link: coordinators (and staff) alone are given it.
        "next_meeting": Meeting.objects.upcoming(today).first(),
    }


def pending_count(user):
    """The number beside the role's link in the header: for ISU staff, comments awaiting a reply
    plus adopted minutes awaiting publication; for coordinators, minutes open for their comments
    plus silence procedures running. One query."""
    if is_isu_staff(user):
        return Meeting.objects.filter(
            Q(status=Status.ADOPTED)
            | Q(status=Status.CIRCULATED, versions__comments__outcome=ReviewComment.Outcome.PENDING)
        ).aggregate(
            n=Count("versions__comments", filter=Q(status=Status.CIRCULATED), distinct=True)
            + Count("pk", filter=Q(status=Status.ADOPTED), distinct=True)
        )["n"]
    if is_coordinator(user):
        today = timezone.localdate()
        return (
            Meeting.objects.filter(status=Status.CIRCULATED)
            .filter(
                Q(silence_procedures__status=SilenceProcedure.Status.RUNNING) | Q(versions__comment_deadline__gte=today)
            )
            .distinct()
            .count()
        )
    return 0


def _role_link(user):
    if is_isu_staff(user):
        label, url = _("ISU workspace"), reverse("meetings:drafting_workspace")
    elif is_coordinator(user):
        label, url = _("Your review"), reverse("meetings:coordinator_home")
    else:
        return None
    return {"label": label, "url": url, "count": pending_count(user)}


def role_nav(request):
    """Context processor: the header's link to the user's home, queried only when a template
    reads `role_link` (the header does so for logged-in users only)."""
    user = getattr(request, "user", None)
    return {"role_link": SimpleLazyObject(lambda: _role_link(user) if user is not None else None)}
