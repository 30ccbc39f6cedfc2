"""The committee's record: meetings, attendance, agenda items, action points and decisions."""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, Presidency, Representative, ThematicArea
from meetings.markup import paragraphs, render_markdown
from meetings.roles import is_coordinator, is_isu_staff

# Item 1 of every set of minutes is "Present" (the attendance), so the agenda proper starts at 2.
FIRST_ITEM_NUMBER = 2
MAX_ITEM_DEPTH = 2
# The record is shown in the language it was written in, whatever the interface's language.
RECORD_LANGUAGE = "en"
ADOPTED_STATES = ("adopted", "published")
# Meeting times are local to where the meeting is held; the committee meets in Geneva.
DEFAULT_TIME_ZONE = "Europe/Zurich"


class RecordFrozen(PermissionDenied):
    """Adopted minutes are the official record: nothing may change them. A PermissionDenied, so
    a view that runs into it answers 403 rather than 500."""


FROZEN_MESSAGE = _("These minutes are adopted: the official record can no longer be changed.")
CIRCULATED_MESSAGE = _(
    "These minutes are circulated, so they are read-only: withdraw them to draft to change them, "
    "then circulate them again as a new version."
)

CANCELLED_MESSAGE = _("This meeting is cancelled: its agenda can no longer be changed.")


def _refuse_if_frozen(meetings):
    """Raise RecordFrozen if any meeting in `meetings` (a queryset of Meeting) is adopted.

    The meetings' rows are locked first (in a transaction; SQLite ignores the lock), so a write
    checked here cannot commit after an adoption that started meanwhile: the adoption waits for
    it, or the check sees the adoption."""
    if transaction.get_connection(meetings.db).in_atomic_block:
        meetings = meetings.select_for_update()
    if any(status in ADOPTED_STATES for status in meetings.values_list("status", flat=True)):
        raise RecordFrozen(FROZEN_MESSAGE)


class RecordPartQuerySet(models.QuerySet):
    """Writes in bulk to parts of a record hold the freeze too: `save()` alone would be bypassed by
    `update()`, `delete()`, `bulk_create()` and `bulk_update()`."""

    def _meetings(self):
        return Meeting.objects.filter(pk__in=self.values(self.model.MEETING))

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            _refuse_if_frozen(self._meetings())
            return super().update(**kwargs)

    def delete(self):
        with transaction.atomic(using=self.db):
            _refuse_if_frozen(self._meetings())
            return super().delete()

    def bulk_update(self, objs, fields, *args, **kwargs):
        # Checked before Django's own update, which runs in a transaction without a savepoint.
        objs = list(objs)
        with transaction.atomic(using=self.db):
            _refuse_if_frozen(self.filter(pk__in=[obj.pk for obj in objs])._meetings())
            return super().bulk_update(objs, fields, *args, **kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if not objs:
            return super().bulk_create(objs, *args, **kwargs)
        with transaction.atomic(using=self.db):
            _refuse_if_frozen(self.model.meetings_of(objs))
            return super().bulk_create(objs, *args, **kwargs)


class FrozenWithMeeting(models.Model):
    """A part of a meeting's record: refuses to be written once its meeting is adopted, one row
    at a time (save, delete) or in bulk (RecordPartQuerySet). `MEETING` is the lookup from the
    part to its meeting."""

    MEETING = "meeting"

    objects = RecordPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            _refuse_if_frozen(self._meetings())
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            _refuse_if_frozen(self._meetings())
            return super().delete(*args, **kwargs)

    def _meetings(self):
        """The meeting this row belongs to, and the one it belonged to if it is being moved."""
        meetings = type(self).meetings_of([self])
        if self.pk is not None and not self._state.adding:
            stored = type(self)._base_manager.filter(pk=self.pk).values(self.MEETING)
            meetings = Meeting.objects.filter(Q(pk__in=meetings.values("pk")) | Q(pk__in=stored))
        return meetings

    @classmethod
    def meetings_of(cls, objs):
        """The meetings that the (possibly unsaved) rows `objs` belong to, as a queryset."""
        first, _sep, rest = cls.MEETING.partition("__")
        field = cls._meta.get_field(first)
        ids = {getattr(obj, field.attname) for obj in objs}
        if rest:
            ids = field.related_model._base_manager.filter(pk__in=ids).values(rest)
        return Meeting.objects.filter(pk__in=ids)


class MeetingQuerySet(models.QuerySet):
    def delete(self):
        with transaction.atomic(using=self.db):
            _refuse_if_frozen(self)
            return super().delete()

    def update(self, **kwargs):
        # The workflow moves adopted minutes on (publishing) and drafting bumps revisions; only
        # the fields that make up the record are frozen.
        frozen = {*Meeting.RECORD_FIELDS, *Meeting.ADOPTION_RECORD_FIELDS}
        if {f.removesuffix("_id") for f in kwargs} & {f.removesuffix("_id") for f in frozen}:
            with transaction.atomic(using=self.db):
                _refuse_if_frozen(self)
                return super().update(**kwargs)
        return super().update(**kwargs)

    def published(self):
        return self.filter(status=Meeting.Status.PUBLISHED)

    def announced(self):
        """The second public rule, beside published(): every meeting ever announced is public as
        an announcement (date, times, zone, venue, presidency; the provisional agenda while
        announced), whatever its minutes' state. Never its record, nor its remote link."""
        return self.filter(announced_at__isnull=False)

    def upcoming(self, today):
        """Announced meetings still to come, soonest first (the home page's "Next meeting")."""
        return self.filter(status=Meeting.Status.ANNOUNCED, date__gte=today).order_by("date")

    def replace_adopted_record(self, document):
        """The one write of an adopted record after adoption: workflow.supersede, in its transaction,
        with the RecordSupersession that keeps the record it replaces. `update()` refuses it.
        `updated_at` moves too: the public pages' cache stamp (portal/caching.py) reads it."""
        return super().update(adopted_record=document, updated_at=timezone.now())

    def lock_for_drafting(self, pk):
        """The meeting, row-locked for the rest of the transaction, if its minutes are a draft;
        else RecordFrozen. Every edit of a record through drafting or the admin starts here, so
        circulated minutes stay exactly the text the coordinators received."""
        locked = self.select_for_update().filter(pk=pk).first()
        if locked is None:
            raise Meeting.DoesNotExist
        if locked.is_adopted:
            raise RecordFrozen(FROZEN_MESSAGE)
        # An announced meeting's provisional agenda is edited with the same pages as a draft.
        if locked.status not in (Meeting.Status.DRAFT, Meeting.Status.ANNOUNCED):
            raise RecordFrozen(CANCELLED_MESSAGE if locked.status == Meeting.Status.CANCELLED else CIRCULATED_MESSAGE)
        return locked

    def visible_to(self, user):
        """The one visibility rule: the public sees published minutes, coordinators also
        circulated and adopted ones, ISU staff everything."""
        return self.filter(status__in=self.visible_statuses(user))

    @staticmethod
    def visible_statuses(user):
        if is_isu_staff(user):
            return list(Meeting.Status.values)
        if is_coordinator(user):
            return [Meeting.Status.CIRCULATED, Meeting.Status.ADOPTED, Meeting.Status.PUBLISHED]
        return [Meeting.Status.PUBLISHED]


class Meeting(models.Model):
    class Status(models.TextChoices):
        # Announced: a meeting to come, with its provisional agenda; no minutes yet.
        ANNOUNCED = "announced", _("Announced")
        CANCELLED = "cancelled", _("Cancelled")
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated")
        ADOPTED = "adopted", _("Adopted")
        PUBLISHED = "published", _("Published")

    class AdoptionOutcome(models.TextChoices):
        CORRECT_RECORD = "correct_record", _("Adopted as a correct record")
        WITH_CORRECTIONS = "with_corrections", _("Adopted with corrections")

    date = models.DateField(unique=True, error_messages={"unique": "There is already a meeting on this date."})
    starts_at = models.TimeField(null=True, blank=True, help_text="Local time where the meeting is held.")
    ends_at = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(
        max_length=64, default=DEFAULT_TIME_ZONE, help_text="The zone of the start and end times (IANA name)."
    )
    venue = models.CharField(max_length=200, blank=True, help_text="Place or format, e.g. a working lunch, online.")
    # For coordinators and ISU staff only: never on a public page, in a feed or in the API.
    remote_link = models.URLField(max_length=500, blank=True, help_text="The video call's address, if any.")
    presidency = models.ForeignKey(Presidency, on_delete=models.PROTECT, related_name="meetings")

    # Only meetings/workflow.py changes the status and the adoption fields.
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False)
    adopted_at_meeting = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes_adopted",
        editable=False,
        help_text="The later meeting whose 'Adoption of the Minutes' item adopted these minutes.",
    )
    silence_procedure_ends_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Adopted by silence procedure ending at this time."
    )
    adoption_outcome = models.CharField(max_length=20, choices=AdoptionOutcome.choices, blank=True, editable=False)
    adoption_corrections = models.TextField(blank=True, editable=False)
    # What adoption adopted: one circulated version, and the record as adopted (that version's
    # document plus the adoption, meetings/record_json.py), which every reader of adopted minutes shows.
    adopted_version = models.ForeignKey(
        "MinutesVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    adopted_record = models.JSONField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by workflow.announce: the meeting is public from then on (its announcement only, until
    # its minutes are published), and its calendar entry keeps one UID whatever its date becomes.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The calendar entry's SEQUENCE (RFC 5545): bumped whenever an announced meeting's date, times,
    # venue or agenda change, and when it is cancelled; never once its minutes are drafted.
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    # The day it was first announced for, once postponed (workflow.postpone): said publicly, and
    # the old address leads to the meeting.
    postponed_from = models.DateField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: each drafting save bumps it, and a form started from an older
    # revision is refused (meetings/drafting.py) so that no edit is silently lost.
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The attendance sheet is locked on its own, so that fixing the venue doesn't refuse it.
    attendance_revision = models.PositiveIntegerField(default=1, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        indexes = [
            # The page cache's stamp reads the latest change to published minutes on every request.
            models.Index(fields=["-updated_at"], name="meeting_published_updated", condition=Q(status="published")),
            # And the latest change to an announcement, which public pages show too.
            models.Index(
                fields=["-updated_at"], name="meeting_announced_updated", condition=Q(announced_at__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="The meeting must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["announced", "cancelled", "draft", "circulated", "adopted", "published"]),
                name="meeting_status_valid",
            ),
            # Announced and cancelled meetings were announced (and so are public); drafts may not be.
            models.CheckConstraint(
                condition=~Q(status__in=["announced", "cancelled"]) | Q(announced_at__isnull=False),
                name="meeting_announced_has_announced_at",
            ),
            models.CheckConstraint(
                condition=Q(adopted_at_meeting__isnull=True) | ~Q(adopted_at_meeting=F("id")),
                name="meeting_not_adopted_at_itself",
            ),
            # Adopted (and published) minutes name exactly one way they were adopted;
            # minutes not yet adopted name none.
            models.CheckConstraint(
                condition=(
                    Q(status__in=["adopted", "published"])
                    & (
                        (Q(adopted_at_meeting__isnull=False) & Q(silence_procedure_ends_at__isnull=True))
                        | (Q(adopted_at_meeting__isnull=True) & Q(silence_procedure_ends_at__isnull=False))
                    )
                    & ~Q(adoption_outcome="")
                )
                | (
                    Q(status__in=["announced", "cancelled", "draft", "circulated"])
                    & Q(adopted_at_meeting__isnull=True)
                    & Q(silence_procedure_ends_at__isnull=True)
                    & Q(adoption_outcome="")
                ),
                name="meeting_adoption_consistent",
            ),
            models.CheckConstraint(
                condition=Q(status="published", published_at__isnull=False)
                | (~Q(status="published") & Q(published_at__isnull=True)),
                name="meeting_published_at_iff_published",
            ),
            models.CheckConstraint(
                condition=Q(adoption_corrections="") | Q(adoption_outcome="with_corrections"),
                name="meeting_corrections_only_when_adopted_with_corrections",
            ),
            # Adopted minutes name the version they adopted and keep the record as adopted; others neither.
            models.CheckConstraint(
                condition=Q(
                    status__in=["adopted", "published"], adopted_version__isnull=False, adopted_record__isnull=False
                )
                | Q(
                    status__in=["announced", "cancelled", "draft", "circulated"],
                    adopted_version__isnull=True,
                    adopted_record__isnull=True,
                ),
                name="meeting_adopted_names_its_version",
            ),
        ]

    def __str__(self):
        return f"Meeting of {date_format(self.date, 'j F Y')}"

    # The fields that make up the record itself (the workflow's fields change after adoption).
    RECORD_FIELDS = ("date", "starts_at", "ends_at", "time_zone", "venue", "presidency_id")
    # What adoption froze: changed after adoption only by workflow.supersede (replace_adopted_record).
    ADOPTION_RECORD_FIELDS = ("adopted_record", "adopted_version_id")

    def save(self, *args, **kwargs):
        # Checked under the row lock, as the parts are (see _refuse_if_frozen).
        with transaction.atomic(using=kwargs.get("using")):
            if not self._state.adding and self.pk:
                frozen = (*self.RECORD_FIELDS, *self.ADOPTION_RECORD_FIELDS)
                stored = Meeting.objects.select_for_update().filter(pk=self.pk).values("status", *frozen).first()
                if stored and stored["status"] in ADOPTED_STATES and any(stored[f] != getattr(self, f) for f in frozen):
                    raise RecordFrozen(FROZEN_MESSAGE)
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("portal:meeting_detail", args=[self.date.isoformat()])

    def get_pdf_url(self):
        return reverse("portal:meeting_pdf", args=[self.date.isoformat()])

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            _refuse_if_frozen(Meeting.objects.filter(pk=self.pk))
            return super().delete(*args, **kwargs)

    def latest_version(self):
        """The latest circulated version (a MinutesVersion), or None if never circulated."""
        return self.versions.order_by("-number").first()

    def get_drafting_url(self):
        return reverse("meetings:drafting_meeting", args=[self.date.isoformat()])

    def clean(self):
        if self.presidency_id and self.date:
            term = self.presidency
            if self.date < term.starts_on or (term.ends_on and self.date > term.ends_on):
                raise ValidationError(
                    {
                        "presidency": _("%(date)s is outside the %(term)s term.")
                        % {"date": date_format(self.date, "DATE_FORMAT"), "term": term.name}
                    }
                )

    @property
    def title(self):
        """The title block's second line, as the record writes it (in English, whatever the UI's language)."""
        with translation.override(RECORD_LANGUAGE):
            title = f"held on {date_format(self.date, 'l, j F Y')}"
        if self.starts_at and self.ends_at:
            title += f" from {self.starts_at:%H:%M} – {self.ends_at:%H:%M} hours"
        return title

    @property
    def is_announcement(self):
        """Announced or cancelled: a meeting with a provisional agenda and no minutes."""
        return self.status in (self.Status.ANNOUNCED, self.Status.CANCELLED)

    @property
    def calendar_uid(self):
        """The calendar entry's UID, stable for the meeting's life: an announced meeting keeps its
        UID when it is postponed; minutes published without an announcement keep their date's."""
        return f"meeting-{self.pk}" if self.announced_at else f"meeting-{self.date.isoformat()}"

    def local_times(self):
        """(start, end) as aware datetimes in the meeting's own zone, or (None, None) without a start."""
        if self.starts_at is None:
            return None, None
        zone = ZoneInfo(self.time_zone)
        start = datetime.combine(self.date, self.starts_at, tzinfo=zone)
        end = datetime.combine(self.date, self.ends_at, tzinfo=zone) if self.ends_at else None
        return start, end

    @property
    def is_adopted(self):
        return self.status in (self.Status.ADOPTED, self.Status.PUBLISHED)

    @property
    def adoption_statement(self):
        """How these minutes were adopted and which version, as the adopted record says it
        (meetings/record_json.adoption_statement); "" until adopted."""
        return (self.adopted_record or {}).get("adoption", {}).get("statement", "")

    def attendance_list(self):
        """Attendance rows in written order, with delegations and attendees, in two queries."""
        return list(
            self.attendance.select_related("delegation").prefetch_related(
                Prefetch("attendees", queryset=Attendee.objects.select_related("representative"))
            )
        )

    def agenda(self):
        """Top-level items in order, each numbered, with `.children` and leads, action points and
        decisions prefetched: a constant number of queries whatever the agenda's size."""
        items = list(
            self.agenda_items.prefetch_related(
                Prefetch("lead_links", queryset=ItemLead.objects.select_related("delegation")),
                Prefetch("action_points", queryset=ActionPoint.objects.prefetch_related("owners")),
                "decisions",
            )
        )
        return AgendaItem.number_tree(items)


class Attendance(FrozenWithMeeting):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        APOLOGIES = "apologies", _("Apologies")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PRESENT)
    label = models.CharField(
        max_length=200, blank=True, help_text='As written when it differs from the name: "Sri Lanka – 9MSP Presidency".'
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "delegation"],
                name="attendance_one_row_per_delegation",
                violation_error_message="This delegation is already listed in this meeting's attendance.",
            ),
            models.CheckConstraint(condition=Q(status__in=["present", "apologies"]), name="attendance_status_valid"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.label or self.delegation.name


class Attendee(FrozenWithMeeting):
    """A representative present at a meeting, with the honorific as this record writes it."""

    MEETING = "attendance__meeting"

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="attendees")
    representative = models.ForeignKey(Representative, on_delete=models.PROTECT, related_name="attendances")
    honorific = models.CharField(max_length=40, blank=True)
    remote = models.BooleanField(default=False, help_text="Took part remotely (via conference call).")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendance", "representative"],
                name="attendee_once_per_attendance",
                violation_error_message="This representative is already listed for this delegation.",
            ),
        ]

    def __str__(self):
        return f"{self.honorific} {self.representative.name}".strip()

    def clean(self):
        if self.attendance_id and self.attendance.status != Attendance.Status.PRESENT:
            raise ValidationError(_("A delegation that sent apologies has no representatives present."))
        if self.representative_id and self.attendance_id:
            if self.representative.delegation_id != self.attendance.delegation_id:
                raise ValidationError({"representative": _("This person belongs to another delegation.")})


class AgendaItem(FrozenWithMeeting):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="sub_items")
    position = models.PositiveIntegerField(default=0, help_text="Order among its siblings; numbers follow.")
    title = models.CharField(max_length=500)
    leads = models.ManyToManyField(Delegation, through="ItemLead", blank=True, related_name="led_items")
    body = models.TextField(blank=True, help_text="Markdown: paragraphs, numbered lists, *emphasis*.")
    # The sanitised HTML of `body`, derived on save so that pages and PDFs don't re-render Markdown.
    body_html = models.TextField(blank=True, editable=False)
    # On an "Adoption of the Minutes" item: the earlier meeting whose minutes this item adopts.
    minutes_to_adopt = models.ForeignKey(
        "Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="adopting_items"
    )
    # Optimistic locking, as on Meeting.
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="agenda_item_title_not_empty"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")), name="agenda_item_not_own_parent"
            ),
        ]

    def __str__(self):
        number = getattr(self, "number", None)
        return f"{number}. {self.title}" if number else self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    def clean(self):
        if self.parent_id:
            if self.parent.parent_id:
                raise ValidationError({"parent": _("Items nest two levels deep at most (5 and 5.1, not 5.1.1).")})
            if self.meeting_id and self.parent.meeting_id != self.meeting_id:
                raise ValidationError({"parent": _("The parent item belongs to another meeting.")})
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": _("An item cannot be its own parent.")})
            if self.pk and self.sub_items.exists():
                raise ValidationError({"parent": _("An item with sub-items cannot itself become a sub-item.")})

    @property
    def leads_display(self):
        """ "Panama & Chile", in the order the record names them (needs lead_links prefetched)."""
        return " & ".join(link.delegation.name for link in self.lead_links.all())

    @staticmethod
    def number_tree(items):
        """Give each item its `.number` ("5", "5.1") and each top-level item its `.children`,
        from one flat list of a meeting's items; return the top-level items in order."""
        key = lambda item: (item.position, item.pk)  # noqa: E731
        children = {}
        for item in items:
            children.setdefault(item.parent_id, []).append(item)
        top = sorted(children.get(None, []), key=key)
        for index, item in enumerate(top, start=FIRST_ITEM_NUMBER):
            item.number = str(index)
            item.children = sorted(children.get(item.pk, []), key=key)
            for sub_index, child in enumerate(item.children, start=1):
                child.number = f"{index}.{sub_index}"
                child.children = []
        return top


class ItemLead(FrozenWithMeeting):
    """A delegation leading an agenda item, in the order the record names them."""

    MEETING = "agenda_item__meeting"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="lead_links")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="lead_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "delegation"],
                name="item_lead_once",
                violation_error_message="This delegation already leads this item.",
            ),
        ]

    def __str__(self):
        return self.delegation.name


class ActionPointQuerySet(RecordPartQuerySet):
    def with_tracking_status(self, follow_ups):
        """Annotate `tracking_status`: the status recorded by the latest of `follow_ups` (a queryset
        of ActionPointFollowUp, e.g. those in published minutes) on each point, else the status
        the raising minutes recorded. The record's own status field never changes for tracking."""
        latest = follow_ups.filter(action_point=OuterRef("pk")).order_by("-meeting__date").values("status")[:1]
        return self.annotate(tracking_status=Coalesce(Subquery(latest), "status"))


class ActionPoint(FrozenWithMeeting):
    MEETING = "agenda_item__meeting"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="action_points")
    text = models.TextField()
    owners = models.ManyToManyField(Delegation, related_name="action_points")
    due_on = models.DateField(null=True, blank=True)
    due_at_next_meeting = models.BooleanField(default=False)
    # As the raising minutes recorded it. Its tracking status comes from follow-ups
    # (ActionPointQuerySet.with_tracking_status), never from changing this field.
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    position = models.PositiveIntegerField(default=0)

    objects = ActionPointQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="action_point_text_not_empty"),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_at_next_meeting=False),
                name="action_point_one_due",
                violation_error_message="An action point is due on a date or at the next meeting, not both.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "dropped"]), name="action_point_status_valid"
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def due_display(self):
        if self.due_at_next_meeting:
            return "next meeting"
        if self.due_on:
            return date_format(self.due_on, "j F Y")
        return ""


class ActionPointFollowUp(FrozenWithMeeting):
    """What a later meeting recorded about an action point: part of that later meeting's record."""

    action_point = models.ForeignKey(ActionPoint, on_delete=models.CASCADE, related_name="follow_ups")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_point_follow_ups")
    note = models.TextField()
    status = models.CharField(
        max_length=16, choices=ActionPoint.Status.choices, help_text="The action point's status after this meeting."
    )

    class Meta:
        ordering = ["meeting__date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_point", "meeting"],
                name="follow_up_once_per_meeting",
                violation_error_message="This action point is already followed up at this meeting.",
            ),
            models.CheckConstraint(condition=Q(status__in=["open", "done", "dropped"]), name="follow_up_status_valid"),
        ]

    def __str__(self):
        return f"Follow-up at {self.meeting}"

    def clean(self):
        if self.action_point_id and self.meeting_id:
            raised = self.action_point.agenda_item.meeting
            if self.meeting.date <= raised.date:
                raise ValidationError(
                    {"meeting": _("A follow-up is recorded at a meeting after the one that raised it.")}
                )


class Decision(FrozenWithMeeting):
    MEETING = "agenda_item__meeting"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="decision_text_not_empty"),
        ]

    def __str__(self):
        return self.text[:80]


def document_upload_to(document, filename):
    """A path no one can guess from the meeting or the title: a random folder, then the
    sanitised name (meetings/documents.py), so the download keeps a readable file name."""
    return f"documents/{secrets.token_urlsafe(24)}/{filename}"


class Document(FrozenWithMeeting):
    """A file that belongs with a meeting's record: the provisional agenda, a paper, a presentation,
    an annex. Stored through Django's storage with its SHA-256; listed in the record document
    (meetings/record_json.py), so it freezes with the circulated version and the adopted record.
    Written only by meetings/documents.py (and the admin, through the same freeze)."""

    class Kind(models.TextChoices):
        PROVISIONAL_AGENDA = "provisional_agenda", _("Provisional agenda")
        PAPER = "paper", _("Paper")
        PRESENTATION = "presentation", _("Presentation")
        ANNEX = "annex", _("Annex")
        OTHER = "other", _("Other")

    class Language(models.TextChoices):
        EN = "en", _("English")
        FR = "fr", _("French")
        ES = "es", _("Spanish")
        OTHER = "other", _("Other language")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    # Removing an item from a draft leaves its documents with the meeting as a whole.
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PAPER)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.EN)
    symbol = models.CharField(
        _("document symbol"), max_length=80, blank=True, help_text=_("As printed on it, e.g. CCM/CC/2018/WP.1.")
    )
    presented_by = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presented_documents",
        verbose_name=_("presented by"),
    )
    file = models.FileField(upload_to=document_upload_to, max_length=300)
    # The name the file is downloaded as (sanitised); the stored path also carries a random folder.
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the stored file, in hex.")
    size = models.PositiveBigIntegerField()
    # As sniffed from the content (meetings/documents.py), never as the browser declared it.
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="document_title_not_empty"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256_hex"),
            models.CheckConstraint(
                condition=Q(kind__in=["provisional_agenda", "paper", "presentation", "annex", "other"]),
                name="document_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["en", "fr", "es", "other"]), name="document_language_valid"
            ),
        ]

    def __str__(self):
        return f"{self.symbol} {self.title}".strip()

    def clean(self):
        if self.agenda_item_id and self.meeting_id and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": _("The item belongs to another meeting.")})

    def get_download_url(self):
        return reverse("portal:document_download", args=[self.meeting.date.isoformat(), self.pk, self.file_name])


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditEntry.AppendOnly("Audit entries are never changed.")

    def delete(self):
        raise AuditEntry.AppendOnly("Audit entries are never deleted.")


class AuditEntry(models.Model):
    """One change to a meeting's record or one transition: who, when, what. Append-only."""

    class AppendOnly(Exception):
        pass

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="audit_entries")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Kept as written at the time, so the trail still names someone whose account is later removed.
    by_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40, help_text='What happened, e.g. "item.changed" or "circulated".')
    summary = models.CharField(max_length=500)
    # {field: [old, new]} for edits; free-form details for transitions.
    changes = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "audit entries"
        constraints = [models.CheckConstraint(condition=~Q(action=""), name="audit_entry_action_not_empty")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.by_name or 'system'}: {self.summary}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.AppendOnly("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.AppendOnly("Audit entries are never deleted.")


class OfficialRecord(models.Model):
    """The PDF of adopted minutes as rendered once at adoption: stored, hashed and never rendered
    again, so that every download is the same document whatever the software does later."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="official_record")
    file = models.FileField(upload_to="official-records/", max_length=300)
    sha256 = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the stored file, in hex.")
    size = models.PositiveBigIntegerField()
    rendered_at = models.DateTimeField()
    weasyprint_version = models.CharField(max_length=40)
    # The rendering before it was signed: the signed file is these bytes plus the signature's
    # incremental update. Blank on records stored before signing existed (the file is the rendering).
    unsigned_sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the unsigned rendering.")
    unsigned_size = models.PositiveBigIntegerField(null=True, blank=True)
    signing_certificate = models.ForeignKey(
        "SigningCertificate", on_delete=models.PROTECT, null=True, blank=True, related_name="official_records"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-meeting__date"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="official_record_sha256_hex"),
            models.CheckConstraint(
                condition=Q(signing_certificate__isnull=True) | Q(signed_at__isnull=False, unsigned_size__isnull=False),
                name="official_record_signed_has_date_and_rendering",
            ),
        ]

    def __str__(self):
        return f"Official record of {self.meeting}"

    @property
    def is_signed(self):
        return self.signing_certificate_id is not None

    @property
    def rendering_sha256(self):
        """The SHA-256 of the rendering as WeasyPrint made it, signed or not (the seal carries it)."""
        return self.unsigned_sha256 or self.sha256


class SigningCertificate(models.Model):
    """A certificate that has signed official records. Kept for ever, so that a record signed before
    a key rotation is still checked against the certificate that signed it."""

    sha256_fingerprint = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the certificate (DER).")
    pem = models.TextField()
    subject = models.CharField(max_length=300)
    not_before = models.DateTimeField()
    not_after = models.DateTimeField()
    first_used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-first_used_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256_fingerprint__regex=r"^[0-9a-f]{64}$"), name="signing_certificate_fingerprint_hex"
            ),
        ]

    def __str__(self):
        return f"{self.subject} ({self.sha256_fingerprint[:16]}…)"


class RetiredRecordFile(models.Model):
    """A file an official record was stored as until it was re-signed (signed for the first time, or
    with a new key). Kept with its hash: copies downloaded before are still official-record bytes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="retired_record_files")
    file = models.FileField(upload_to="official-records/", max_length=300)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    signing_certificate = models.ForeignKey(
        SigningCertificate, on_delete=models.PROTECT, null=True, blank=True, related_name="retired_record_files"
    )
    stored_at = models.DateTimeField(help_text="When this file became the official record.")
    retired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting__date", "retired_at"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="retired_record_sha256_hex"),
        ]

    def __str__(self):
        return f"Earlier file of the official record of {self.meeting}"


class RecordSupersessionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise RecordSupersession.AppendOnly("A supersession is never changed.")

    def delete(self):
        raise RecordSupersession.AppendOnly("A supersession is never deleted.")


class RecordSupersession(models.Model):
    """A published record imported from the archive, found to differ from its source, replaced by a
    corrected record (meetings/workflow.supersede). The superseded record is kept as it was: its
    stored file (never touched, still served at its own address), its hash, its signature's
    certificate and its JSON; the new record is the meeting's official record from then on.

    Not a RetiredRecordFile: that is the same rendering signed anew, whose content is still the
    record; this is a different record, with a reason, that readers must be told was replaced."""

    class AppendOnly(Exception):
        pass

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="supersessions")
    # The superseded record: its file as stored, never moved or rewritten.
    file = models.FileField(upload_to="official-records/", max_length=300)
    sha256 = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the superseded file.")
    size = models.PositiveBigIntegerField()
    signing_certificate = models.ForeignKey(
        SigningCertificate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the superseded record became the public record (published, or superseded an earlier one).
    published_at = models.DateTimeField()
    record = models.JSONField(help_text="The superseded record document, as it was published.")
    # The record that supersedes it: its hash as stored at the time (the meeting's OfficialRecord then).
    new_sha256 = models.CharField(max_length=64)
    reason = models.TextField()
    source_name = models.CharField(max_length=300, blank=True, help_text="The corrected source, as uploaded.")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_name = models.CharField(max_length=150, blank=True)

    objects = RecordSupersessionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__date", "at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="supersession_sha256_hex"),
            models.CheckConstraint(
                condition=Q(new_sha256__regex=r"^[0-9a-f]{64}$"), name="supersession_new_sha256_hex"
            ),
            models.CheckConstraint(condition=~Q(sha256=F("new_sha256")), name="supersession_changes_the_file"),
            models.CheckConstraint(condition=~Q(reason=""), name="supersession_has_a_reason"),
        ]

    def __str__(self):
        return f"Record of {self.meeting} superseded on {self.at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.AppendOnly("A supersession is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.AppendOnly("A supersession is never deleted.")


class SearchDocument(models.Model):
    """One row per published meeting: its text flattened for search, with the keys the search filters on.

    Written only by meetings/search.py when minutes are published, so a draft never has a row.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="search_document")
    date = models.DateField(db_index=True)
    year = models.PositiveSmallIntegerField(db_index=True)
    presidency = models.ForeignKey(Presidency, on_delete=models.CASCADE, related_name="search_documents")
    thematic_areas = models.ManyToManyField(ThematicArea, blank=True, related_name="search_documents")
    delegations = models.ManyToManyField(Delegation, blank=True, related_name="search_documents")
    title = models.TextField()
    items = models.TextField(blank=True, help_text="Item titles and bodies, as plain text.")
    action_points = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    names = models.TextField(blank=True, help_text="Delegations and representatives named in the record.")
    # Filled on PostgreSQL only (weighted tsvector under a GIN index); unused on SQLite.
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-date"]

    def __str__(self):
        return f"Search entry for {self.date:%d %B %Y}"

    def get_absolute_url(self):
        """The meeting's page, from the denormalised date: no query for the meeting."""
        return reverse("portal:meeting_detail", args=[self.date.isoformat()])


class MinutesVersion(models.Model):
    """A circulated version of a set of minutes: a frozen copy of the record as it was sent out
    (the one document of meetings/record_json.py). Written only by workflow.circulate."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    circulated_at = models.DateTimeField(default=timezone.now)
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment_deadline = models.DateField(help_text="Coordinators comment until the end of this day.")
    snapshot = models.JSONField()
    # When the "comment deadline approaching" reminder went out, so that it goes out once.
    reminded_at = models.DateTimeField(null=True, blank=True)

    # A version frozen by an archived adoption (the back catalogue): it was never circulated here.
    from_archive = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="minutes_version_number_positive"),
        ]

    def __str__(self):
        return f"Version {self.number} of the minutes of {date_format(self.meeting.date, 'j F Y')}"

    @property
    def open_for_comments(self):
        return timezone.localdate() <= self.comment_deadline

    def item(self, key):
        """The snapshot's item (or sub-item) with this key, or None. Walked here rather than with
        record_json.flat_items: record_json reads these models, and models import nothing above them."""
        pending = list(self.snapshot.get("items", []))
        while pending:
            item = pending.pop(0)
            if item["key"] == key:
                return item
            pending[:0] = item.get("items", [])
        return None


class ReviewCommentQuerySet(models.QuerySet):
    def waiting_to_apply(self):
        """Proposals for one paragraph that nobody has answered yet (ReviewComment.waits_to_apply)."""
        return self.filter(outcome=ReviewComment.Outcome.PENDING, paragraph__isnull=False).exclude(proposed_text="")


class ReviewComment(models.Model):
    """A reviewer's comment on one item of a circulated version, and what became of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        INCORPORATED = "incorporated", _("Incorporated")
        NOT_INCORPORATED = "not_incorporated", _("Not incorporated")

    version = models.ForeignKey(MinutesVersion, on_delete=models.PROTECT, related_name="comments")
    # The item as the snapshot names it: its key there, and its number and title for display.
    item_key = models.CharField(max_length=40)
    item_number = models.CharField(max_length=10)
    item_title = models.CharField(max_length=500)
    # Which paragraph of the item's text as circulated (1 = the first; markup.paragraphs), or none
    # for the item as a whole. A proposal on a paragraph replaces that paragraph only.
    paragraph = models.PositiveSmallIntegerField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_comments")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)
    proposed_text = models.TextField(blank=True, help_text="Replacement text proposed for the item's body.")
    reply = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    # When the ISU's digest of new comments told staff about it (send_comment_digest); none yet.
    staff_told_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewCommentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text="") | ~Q(proposed_text=""), name="review_comment_says_something"),
            models.CheckConstraint(
                condition=Q(outcome__in=["pending", "incorporated", "not_incorporated"]),
                name="review_comment_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(replied_at__isnull=False), name="review_comment_outcome_replied"
            ),
            models.CheckConstraint(
                condition=Q(paragraph__isnull=True) | Q(paragraph__gte=1), name="review_comment_paragraph_from_1"
            ),
        ]

    def __str__(self):
        return f"Comment on {self.place} of {self.version}"

    @property
    def place(self):
        """Where in the minutes: "item 5.2, ¶3", or "item 5.2" for the item as a whole."""
        if self.paragraph:
            return _("item %(number)s, ¶%(paragraph)s") % {"number": self.item_number, "paragraph": self.paragraph}
        return _("item %(number)s") % {"number": self.item_number}

    @property
    def waits_to_apply(self):
        """A proposal for one paragraph that nobody has answered yet (the queryset's waiting_to_apply)."""
        return bool(self.paragraph and self.proposed_text) and self.outcome == self.Outcome.PENDING

    def circulated_paragraph(self):
        """The paragraph's text as the version circulated it, or None (no paragraph, or no such one)."""
        item = self.version.item(self.item_key)
        found = paragraphs(item["body"]) if item and self.paragraph else []
        return found[self.paragraph - 1] if self.paragraph and len(found) >= self.paragraph else None


class SilenceProcedureQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status=SilenceProcedure.Status.RUNNING)


class SilenceProcedure(models.Model):
    """Adoption by silence: the minutes are adopted at `ends_at` unless a coordinator breaks silence."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        BROKEN = "broken", _("Silence broken")
        ADOPTED = "adopted", _("Adopted")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="silence_procedures")
    version = models.ForeignKey(MinutesVersion, on_delete=models.PROTECT, related_name="silence_procedures")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    ends_at = models.DateTimeField()
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    broken_at = models.DateTimeField(null=True, blank=True)
    broken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    broken_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SilenceProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "started_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["running", "broken", "adopted", "cancelled"]),
                name="silence_procedure_status_valid",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status="running"),
                name="silence_procedure_one_running_per_meeting",
                violation_error_message="A silence procedure is already running for these minutes.",
            ),
            models.CheckConstraint(
                condition=(Q(status="broken") & Q(broken_at__isnull=False) & ~Q(broken_reason=""))
                | (~Q(status="broken") & Q(broken_at__isnull=True)),
                name="silence_procedure_broken_with_reason",
            ),
        ]

    def __str__(self):
        return f"Silence procedure on {self.meeting}, ending {self.ends_at:%Y-%m-%d %H:%M}"


def _refuse_owner_changes_if_frozen(sender, instance, action, reverse, pk_set, **kwargs):
    """The owners of an action point are part of the record. Their M2M table has no model of its
    own to guard, so its writes (add, remove, set, clear, from either side) are checked here."""
    if not action.startswith("pre_"):
        return
    if not reverse:
        points = ActionPoint.objects.filter(pk=instance.pk)
    elif pk_set is None:
        points = ActionPoint.objects.filter(owners=instance)
    else:
        points = ActionPoint.objects.filter(pk__in=pk_set)
    _refuse_if_frozen(ActionPoint.meetings_of(points))


models.signals.m2m_changed.connect(_refuse_owner_changes_if_frozen, sender=ActionPoint.owners.through)
