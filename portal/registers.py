"""Public registers drawn from the published record: delegations, presidencies, action points and decisions.

Every query here starts from `Meeting.objects.published()` (or filters on it): whoever is
logged in, these pages show the public record only.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delegations.models import CoordinatorRole, Delegation, Presidency
from meetings import record_json
from meetings.models import (
    ActionPoint,
    ActionPointFollowUp,
    Attendance,
    Document,
    ItemLead,
    Meeting,
    RecordSupersession,
)
from portal.caching import published_page
from portal.forms import ActionPointFilterForm, DecisionFilterForm

PUBLISHED = Meeting.Status.PUBLISHED
ACTION_POINTS_PER_PAGE = 50
DECISIONS_PER_PAGE = 50


# Attendance as the matrix and the delegation pages show it, in words, never by colour alone.
class Presence:
    PRESENT = "present"
    REMOTE = "remote"
    APOLOGIES = "apologies"
    ABSENT = "absent"

    LABELS = {
        PRESENT: gettext_lazy("present"),
        REMOTE: gettext_lazy("remote"),
        APOLOGIES: gettext_lazy("apologies"),
        ABSENT: gettext_lazy("absent"),
    }


def superseded(meeting="pk"):
    """Whether the published record of the meeting at `meeting` (an OuterRef path) was superseded by
    a corrected record (workflow.supersede): its live rows then keep the import the correction replaced."""
    return Exists(RecordSupersession.objects.filter(meeting=OuterRef(meeting)))


def superseded_meetings():
    """Published meetings whose record was superseded: the registers read what their record says."""
    return Meeting.objects.published().filter(superseded())


def published_attendance():
    """Attendance rows of published meetings, each knowing how many of its people were in the room.
    Rows of superseded records are left out: recorded_attendance() reads those from the record."""
    return (
        Attendance.objects.filter(meeting__status=PUBLISHED)
        .filter(~superseded("meeting"))
        .annotate(
            people=Count("attendees"),
            in_room=Count("attendees", filter=Q(attendees__remote=False)),
        )
    )


@dataclass
class RecordedAttendance:
    """A delegation's attendance as a superseding record gives it, shaped like a published_attendance()
    row for presence_of(); `slug` names the delegation as the record does."""

    meeting: Meeting
    slug: str
    status: str
    people: int
    in_room: int

    @property
    def meeting_id(self):
        return self.meeting.pk


def recorded_attendance(meetings):
    """The attendance the adopted records of `meetings` give, one RecordedAttendance per delegation."""
    for meeting in meetings:
        for entry in record_json.document_for(meeting).get("attendance", []):
            attendees = entry.get("attendees", [])
            yield RecordedAttendance(
                meeting=meeting,
                slug=entry["delegation"]["slug"],
                status=entry["status"],
                people=len(attendees),
                in_room=sum(not attendee.get("remote") for attendee in attendees),
            )


def presence_of(row):
    """present / remote / apologies for an annotated attendance row: a delegation whose every
    representative took part by conference call attended remotely."""
    if row is None:
        return Presence.ABSENT
    if row.status == Attendance.Status.APOLOGIES:
        return Presence.APOLOGIES
    if row.people and not row.in_room:
        return Presence.REMOTE
    return Presence.PRESENT


def public_action_points():
    """Action points raised in published minutes, each with `public_status`: the status recorded at
    the latest published meeting that followed it up, else the status the raising minutes gave it.
    A follow-up in minutes not yet published never shows. Points of superseded records are left
    out: recorded_action_points() reads those from the record."""
    return (
        ActionPoint.objects.filter(agenda_item__meeting__status=PUBLISHED)
        .filter(~superseded("agenda_item__meeting"))
        .with_tracking_status(ActionPointFollowUp.objects.filter(meeting__status=PUBLISHED))
        .annotate(public_status=F("tracking_status"))
        .select_related("agenda_item__meeting", "agenda_item__parent")
        .prefetch_related(
            Prefetch("owners", queryset=Delegation.objects.order_by("name")),
            Prefetch(
                "follow_ups",
                queryset=ActionPointFollowUp.objects.filter(meeting__status=PUBLISHED).select_related("meeting"),
                to_attr="published_follow_ups",
            ),
        )
        .order_by(
            # Newest meeting first, then in agenda order: an item, then its sub-items.
            "-agenda_item__meeting__date",
            Coalesce("agenda_item__parent__position", "agenda_item__position"),
            F("agenda_item__parent").asc(nulls_first=True),
            "agenda_item__position",
            "position",
        )
    )


class _Owners(list):
    """The owners of a RecordedActionPoint, read like a related manager (`point.owners.all`)."""

    def all(self):
        return self


@dataclass
class RecordedActionPoint:
    """An action point as a superseding record gives it, shaped like a public_action_points() row
    for the action-point templates. The follow-ups (and the status they recorded) are those of the
    point the superseded import held at the same place (same item, same rank in it), which later
    minutes followed up; none when the corrected record has no point there."""

    text: str
    owners: _Owners
    due_on: object
    due_at_next_meeting: bool
    status: str
    public_status: str
    agenda_item: SimpleNamespace
    published_follow_ups: list


def recorded_action_points(owner=None, status=None, area=None, meetings=None):
    """The action points of superseded records (`meetings`, superseded_meetings() if not given),
    newest meeting first and in reading order; filtered as action_point_index filters
    public_action_points(). One query when no record was superseded, four otherwise, whatever
    their number (one fewer when `meetings` is given)."""
    if meetings is None:
        meetings = superseded_meetings().select_related("presidency")
    meetings = sorted(meetings, key=lambda meeting: meeting.date, reverse=True)
    if not meetings:
        return []
    live = (
        ActionPoint.objects.filter(agenda_item__meeting__in=meetings)
        .with_tracking_status(ActionPointFollowUp.objects.filter(meeting__status=PUBLISHED))
        .prefetch_related(
            Prefetch(
                "follow_ups",
                queryset=ActionPointFollowUp.objects.filter(meeting__status=PUBLISHED).select_related("meeting"),
                to_attr="published_follow_ups",
            )
        )
        .order_by("agenda_item_id", "position", "id")
    )
    followed = {}
    for point in live:
        followed.setdefault(str(point.agenda_item_id), []).append(point)
    found = []
    names = set()
    for meeting in meetings:
        for item in record_json.flat_items(record_json.document_for(meeting)):
            if area and item["title"].strip().lower() != area.name.lower():
                continue
            agenda_item = SimpleNamespace(meeting=meeting, title=item["title"])
            earlier = followed.get(item["key"], [])
            for rank, point in enumerate(item.get("action_points", [])):
                match = earlier[rank] if rank < len(earlier) else None
                follow_ups = match.published_follow_ups if match else []
                public_status = match.tracking_status if follow_ups else point["status"]
                due_on = date.fromisoformat(point["due_on"]) if point.get("due_on") else None
                found.append(
                    RecordedActionPoint(
                        point["text"],
                        point["owners"],
                        due_on,
                        point.get("due_at_next_meeting", False),
                        point["status"],
                        public_status,
                        agenda_item,
                        follow_ups,
                    )
                )
                names.update(point["owners"])
    by_name = {delegation.name: delegation for delegation in Delegation.objects.filter(name__in=names)}
    for point in found:
        point.owners = _Owners(sorted((by_name[n] for n in point.owners if n in by_name), key=lambda d: d.name))
    if owner is not None:
        found = [point for point in found if owner in point.owners]
    if status:
        found = [point for point in found if point.public_status == status]
    return found


def with_recorded(points, recorded):
    """public_action_points() rows and recorded_action_points() in one list, newest meeting first;
    the queryset as it is when no record was superseded."""
    if not recorded:
        return points
    return sorted([*points, *recorded], key=lambda point: point.agenda_item.meeting.date, reverse=True)


def thematic_area_filter(area):
    """An action point belongs to the thematic area its agenda item is named after ("5.1 Universalization")."""
    return Q(agenda_item__title__iexact=area.name)


def action_point_index(request):
    form = ActionPointFilterForm(request.GET or None)
    points = public_action_points()
    if form.is_bound and form.is_valid():
        if form.cleaned_data["status"]:
            points = points.filter(public_status=form.cleaned_data["status"])
        if form.cleaned_data["owner"]:
            points = points.filter(owners=form.cleaned_data["owner"])
        if form.cleaned_data["area"]:
            points = points.filter(thematic_area_filter(form.cleaned_data["area"]))
        filters = {key: form.cleaned_data[key] or None for key in ("owner", "status", "area")}
        points = with_recorded(points, recorded_action_points(**filters))
    elif form.is_bound:
        points = points.none()
    else:
        points = with_recorded(points, recorded_action_points())
    page = Paginator(points, ACTION_POINTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/action_point_index.html",
        {"form": form, "page": page, "points": page.object_list, "query": query.urlencode()},
    )


@dataclass(frozen=True)
class PublishedDecision:
    """A decision as the adopted record words it, with the item it was taken under as recorded."""

    meeting: Meeting
    item_number: str
    item_title: str
    item_leads: list
    text: str
    # Its place among the decisions of its item, from 1.
    position: int

    @property
    def url(self):
        return f"{self.meeting.get_absolute_url()}#item-{self.item_number}"


def published_decisions(year=None, presidency=None, area=None, words="", led_by=None, latest=None, within=None):
    """Decisions of published minutes, newest meeting first and in reading order within a meeting.

    The text, the item and its leads are read from each meeting's record as adopted
    (record_json.document_for), never from live rows, so a later rename changes nothing here; one
    query reads them all, whatever their number (two with `led_by`). `area` keeps the decisions of
    items named after that thematic area, as the action-point register does; `words` those holding
    every word; `led_by` those of items the delegation led; `latest` reads only the minutes
    published last; `within` only the meetings of these ids."""
    meetings = Meeting.objects.published()
    if within is not None:
        meetings = meetings.filter(pk__in=within)
    if year:
        meetings = meetings.filter(date__year=year)
    if presidency:
        meetings = meetings.filter(presidency=presidency)
    led_keys = None
    if led_by is not None:
        # The record names leads as written then; the lead rows, frozen with the record, say who they
        # were. A superseded record's rows keep the import it replaced: its own leads are read instead.
        led = ItemLead.objects.filter(delegation=led_by, agenda_item__meeting__in=meetings.filter(~superseded()))
        led_keys = {str(pk) for pk in led.values_list("agenda_item_id", flat=True)}
        meetings = meetings.annotate(was_superseded=superseded()).filter(
            Q(pk__in=led.values("agenda_item__meeting_id")) | Q(was_superseded=True)
        )
    meetings = meetings.only("date", "published_at", "adopted_record")
    if latest:
        meetings = meetings.order_by("-published_at", "-date")[:latest]
    else:
        meetings = meetings.order_by("-date")
    terms = [term.strip("\"'").lower() for term in words.split() if term.strip("\"'")]
    found = []
    for meeting in meetings:
        for item in record_json.flat_items(record_json.document_for(meeting)):
            if area and item["title"].strip().lower() != area.name.lower():
                continue
            if led_keys is not None:
                if meeting.was_superseded and led_by.name not in item["leads"]:
                    continue
                if not meeting.was_superseded and item["key"] not in led_keys:
                    continue
            for position, text in enumerate(item["decisions"], start=1):
                if all(term in text.lower() for term in terms):
                    entry = PublishedDecision(meeting, item["number"], item["title"], item["leads"], text, position)
                    found.append(entry)
    return found


@published_page
def decision_index(request):
    form = DecisionFilterForm(request.GET or None)
    decisions = []
    if not form.is_bound:
        decisions = published_decisions()
    elif form.is_valid():
        decisions = published_decisions(**form.filters())
    page = Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "decisions": page.object_list, "query": query.urlencode()}
    return render(request, "portal/decision_index.html", context)


def delegation_index(request):
    # order_by again: Django leaves Meta.ordering out of aggregate queries, and the rows came back in
    # whatever order the database kept them (different after a restore).
    delegations = list(
        Delegation.objects.annotate(
            meetings_attended=Count(
                "attendance",
                filter=Q(attendance__meeting__status=PUBLISHED, attendance__status=Attendance.Status.PRESENT)
                & ~superseded("attendance__meeting"),
            )
        ).order_by("name")
    )
    # Superseded records say who attended themselves.
    present = Counter(
        row.slug
        for row in recorded_attendance(superseded_meetings().only("status", "adopted_record"))
        if row.status == Attendance.Status.PRESENT
    )
    for delegation in delegations:
        delegation.meetings_attended += present[delegation.slug]
    return render(request, "portal/delegation_index.html", {"delegations": delegations})


def delegation_detail(request, slug):
    delegation = get_object_or_404(Delegation, slug=slug)
    history = list(
        published_attendance()
        .filter(delegation=delegation)
        .select_related("meeting__presidency")
        .order_by("-meeting__date")
    )
    corrected = list(superseded_meetings().select_related("presidency"))
    history += [row for row in recorded_attendance(corrected) if row.slug == delegation.slug]
    history.sort(key=lambda row: row.meeting.date, reverse=True)
    for row in history:
        row.presence = presence_of(row)
        row.presence_label = Presence.LABELS[row.presence]
    published_count = Meeting.objects.published().count()
    context = {
        "delegation": delegation,
        "history": history,
        "attended": sum(row.presence != Presence.APOLOGIES for row in history),
        "apologies": sum(row.presence == Presence.APOLOGIES for row in history),
        "published_count": published_count,
        "presidencies": delegation.presidencies.all(),
        "coordinator_roles": delegation.coordinator_roles.select_related("presidency", "thematic_area").order_by(
            "-presidency__starts_on", "thematic_area__position"
        ),
        "action_points": with_recorded(
            list(public_action_points().filter(owners=delegation)),
            recorded_action_points(owner=delegation, meetings=corrected),
        ),
        "decisions": published_decisions(led_by=delegation),
        "documents": list(
            Document.objects.filter(meeting__in=Meeting.objects.published(), presented_by=delegation)
            .select_related("meeting")
            .order_by("-meeting__date", "position", "id")
        ),
    }
    return render(request, "portal/delegation_detail.html", context)


def presidency_index(request):
    presidencies = (
        Presidency.objects.select_related("delegation")
        .annotate(published_meetings=Count("meetings", filter=Q(meetings__status=PUBLISHED)))
        .order_by("-starts_on")
    )
    return render(request, "portal/presidency_index.html", {"presidencies": presidencies})


def attendance_matrix(meetings):
    """Rows of (delegation, [cell per meeting]) for the delegations recorded at any of `meetings`,
    in three queries whatever the size: cells say present / remote / apologies / absent."""
    rows = published_attendance().filter(meeting__in=meetings).select_related("delegation")
    by_delegation = {}
    for row in rows:
        by_delegation.setdefault(row.delegation, {})[row.meeting_id] = row
    # Superseded records say who attended themselves (`meetings` annotated `was_superseded`).
    recorded = list(recorded_attendance(m for m in meetings if getattr(m, "was_superseded", False)))
    if recorded:
        delegations = Delegation.objects.in_bulk({row.slug for row in recorded}, field_name="slug")
        for row in recorded:
            if row.slug in delegations:
                by_delegation.setdefault(delegations[row.slug], {})[row.meeting_id] = row
    matrix = []
    for delegation in sorted(by_delegation, key=lambda d: d.name.lower()):
        cells = []
        for meeting in meetings:
            presence = presence_of(by_delegation[delegation].get(meeting.pk))
            cells.append({"meeting": meeting, "presence": presence, "label": Presence.LABELS[presence]})
        attended = sum(cell["presence"] in (Presence.PRESENT, Presence.REMOTE) for cell in cells)
        matrix.append({"delegation": delegation, "cells": cells, "attended": attended})
    return matrix


def presidency_detail(request, name):
    presidency = Presidency.objects.select_related("delegation").filter(name=name).first()
    if presidency is None:
        raise Http404(_("No such presidency."))
    meetings = list(presidency.meetings.published().annotate(was_superseded=superseded()).order_by("date"))
    coordinators = CoordinatorRole.objects.filter(presidency=presidency).select_related("thematic_area", "delegation")
    areas = {}
    for role in coordinators:
        areas.setdefault(role.thematic_area, []).append(role.delegation)
    context = {
        "presidency": presidency,
        "meetings": meetings,
        "coordinators": list(areas.items()),
        "matrix": attendance_matrix(meetings),
        "presence_labels": Presence.LABELS,
    }
    return render(request, "portal/presidency_detail.html", context)


# Included from ccm_portal/urls.py under the "delegations" namespace: the registers read like
# delegations' own pages, while the dependency runs from meetings to delegations as it must.
