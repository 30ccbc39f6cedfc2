"""factory_boy factories with valid defaults only."""

import datetime

import factory

from delegations.models import CoordinatorRole, Delegation, Presidency, Representative, ThematicArea
from meetings.models import ActionPoint, AgendaItem, Attendance, Attendee, Decision, Meeting


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"State {n}")
    kind = Delegation.Kind.STATE_PARTY


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    delegation = factory.SubFactory(DelegationFactory)
    honorific = "Ms."
    name = factory.Sequence(lambda n: f"Person {n}")


class PresidencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Presidency

    name = factory.Sequence(lambda n: f"{n + 20}MSP")
    delegation = factory.SubFactory(DelegationFactory)
    starts_on = factory.Sequence(lambda n: datetime.date(2030 + n, 9, 10))
    ends_on = factory.LazyAttribute(lambda p: p.starts_on.replace(year=p.starts_on.year + 1) - datetime.timedelta(1))


class ThematicAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Area {n}")
    position = factory.Sequence(lambda n: n)


class CoordinatorRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoordinatorRole

    presidency = factory.SubFactory(PresidencyFactory)
    thematic_area = factory.SubFactory(ThematicAreaFactory)
    delegation = factory.SubFactory(DelegationFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    presidency = factory.SubFactory(PresidencyFactory)
    date = factory.LazyAttributeSequence(
        lambda m, n: m.presidency.starts_on + datetime.timedelta(days=7 * (n % 50) + 1)
    )
    starts_at = datetime.time(13, 0)
    ends_at = datetime.time(15, 0)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    delegation = factory.SubFactory(DelegationFactory)
    position = factory.Sequence(lambda n: n)


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    attendance = factory.SubFactory(AttendanceFactory)
    representative = factory.SubFactory(
        RepresentativeFactory, delegation=factory.SelfAttribute("..attendance.delegation")
    )
    honorific = factory.SelfAttribute("representative.honorific")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    body = "The Committee discussed the matter."
    position = factory.Sequence(lambda n: n)


class ActionPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPoint

    agenda_item = factory.SubFactory(AgendaItemFactory)
    text = factory.Sequence(lambda n: f"Undertaking {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    agenda_item = factory.SubFactory(AgendaItemFactory)
    text = factory.Sequence(lambda n: f"Decision {n}")


def published_meeting(items=10, delegations=5, sub_items=1, before_adoption=None):
    """A published meeting of `items` top-level items (each with sub-items, a decision and an
    action point) and `delegations` delegations present with two representatives each; for
    query-count tests and benchmarks. Reached through the workflow, as real records are;
    `before_adoption(meeting)` adds to the record while it can still change."""
    from meetings import workflow
    from meetings.models import ItemLead

    meeting = MeetingFactory()
    attendances = []
    for position in range(delegations):
        attendance = AttendanceFactory(meeting=meeting, position=position)
        AttendeeFactory(attendance=attendance, position=1)
        AttendeeFactory(attendance=attendance, position=2)
        attendances.append(attendance)
    for position in range(items):
        item = AgendaItemFactory(meeting=meeting, position=position)
        DecisionFactory(agenda_item=item)
        if attendances:
            ItemLead.objects.create(agenda_item=item, delegation=attendances[position % len(attendances)].delegation)
        for sub_position in range(sub_items):
            sub = AgendaItemFactory(meeting=meeting, parent=item, position=sub_position)
            point = ActionPointFactory(agenda_item=sub)
            if attendances:
                point.owners.add(attendances[sub_position % len(attendances)].delegation)
    if before_adoption:
        before_adoption(meeting)
    later = later_meeting(meeting)
    workflow.enter_archived_adoption(meeting, at_meeting=later)
    workflow.publish(meeting)
    return meeting


def later_meeting(meeting):
    """A meeting of the same presidency on the first free day after `meeting`."""
    day = meeting.date + datetime.timedelta(days=1)
    while Meeting.objects.filter(date=day).exists():
        day += datetime.timedelta(days=1)
    return MeetingFactory(presidency=meeting.presidency, date=day)


def meeting_in(status, by=None, items=2):
    """A meeting with a couple of items, brought to `status` through the workflow (circulated
    once, adopted at a later meeting), as real records are."""
    from meetings import workflow

    if status in (Meeting.Status.ANNOUNCED, Meeting.Status.CANCELLED):
        # Announced for today, under a presidency whose term covers it: drafting may start at once.
        today = datetime.date.today()
        presidency = PresidencyFactory(starts_on=today - datetime.timedelta(days=30), ends_on=None)
        meeting = workflow.announce(by, date=today, presidency=presidency, starts_at=datetime.time(12, 30))
        if status == Meeting.Status.CANCELLED:
            workflow.cancel(meeting, by)
        return meeting
    meeting = MeetingFactory()
    AttendeeFactory(attendance__meeting=meeting)
    for position in range(items):
        AgendaItemFactory(meeting=meeting, position=position)
    if status == Meeting.Status.DRAFT:
        return meeting
    workflow.circulate(meeting, by=by, comment_deadline=datetime.date.today() + datetime.timedelta(days=14))
    if status == Meeting.Status.CIRCULATED:
        return meeting
    workflow.adopt(meeting, by=by, at_meeting=later_meeting(meeting))
    if status == Meeting.Status.ADOPTED:
        return meeting
    workflow.publish(meeting, by=by)
    return meeting


def write_up(meeting):
    """Fill in what a draft still lacks before it can go out (workflow.problems): someone
    present, and text under every item that needs it; as staff would before circulating."""
    if not meeting.attendance.exists():
        AttendeeFactory(attendance__meeting=meeting)
    for item in AgendaItem.objects.filter(meeting=meeting, body="", sub_items__isnull=True):
        item.body = "The Committee took note."
        item.save()
    return meeting
