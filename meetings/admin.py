"""Admin for the record: a support tool for ISU staff to key in a whole meeting. Status and
adoption are shown read-only (only meetings/workflow.py changes them), and only draft minutes can
be changed here: circulated minutes are withdrawn first, adopted ones never change."""

import datetime

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import F

from meetings import audit
from meetings.models import (
    ActionPoint,
    ActionPointFollowUp,
    AgendaItem,
    Attendance,
    Attendee,
    AuditEntry,
    Decision,
    Document,
    ItemLead,
    Meeting,
    MinutesVersion,
    OfficialRecord,
    ReviewComment,
    SilenceProcedure,
)


def _plain(value):
    """A form value as JSON can hold it, for the audit row."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _meeting_of(obj):
    if isinstance(obj, Meeting):
        return obj
    if isinstance(obj, (ActionPoint, Decision, ItemLead)):
        return obj.agenda_item.meeting
    if isinstance(obj, Attendee):
        return obj.attendance.meeting
    return getattr(obj, "meeting", None)


def _initial(form, field):
    value = form.initial.get(field)
    if field in form.fields and isinstance(form.fields[field], forms.ModelChoiceField) and value is not None:
        queryset = form.fields[field].queryset
        if isinstance(value, (list, tuple)):
            return _plain(
                [v if isinstance(v, models.Model) else queryset.filter(pk=getattr(v, "pk", v)).first() for v in value]
            )
        return _plain(value if isinstance(value, models.Model) else queryset.filter(pk=value).first())
    return _plain(value)


def _record(request, obj, verb, changes=None):
    meeting = _meeting_of(obj)
    if meeting is None or meeting.pk is None:
        return
    name = obj._meta.verbose_name
    audit.record(
        meeting,
        request.user,
        f"admin.{obj._meta.model_name}.{verb}",
        f"{verb.capitalize()} {name} “{obj}” in the admin"[:500],
        changes,
    )


def _form_changes(form, adding):
    return {f: [None if adding else _initial(form, f), _plain(form.cleaned_data.get(f))] for f in form.changed_data}


def _lock_draft(obj):
    """Lock the meeting `obj` belongs to and refuse (403) unless its minutes are a draft. The admin
    runs each save in a transaction, so the check holds until the change commits."""
    meeting = _meeting_of(obj)
    if meeting is not None and meeting.pk is not None:
        return Meeting.objects.lock_for_drafting(meeting.pk)
    return None


def _bump_revisions(objs):
    """Tell the drafting forms open on these rows that the record changed under them: the
    attendance sheet checks the meeting's attendance revision, an item's form the item's."""
    meetings, items = set(), set()
    for obj in objs:
        if isinstance(obj, (Attendance, Attendee)):
            meetings.add(_meeting_of(obj).pk)
        elif isinstance(obj, AgendaItem):
            items.add(obj.pk)
        elif isinstance(obj, (ActionPoint, Decision, ItemLead)):
            items.add(obj.agenda_item_id)
    if meetings:
        Meeting.objects.filter(pk__in=meetings).update(attendance_revision=F("attendance_revision") + 1)
    items.discard(None)
    if items:
        AgendaItem.objects.filter(pk__in=items).update(revision=F("revision") + 1)


class AuditedMixin:
    """Every change made through the admin to a meeting's record is checked under the meeting's
    row lock (draft minutes only), writes an audit row in the same transaction, and bumps the
    revision a drafting form would check, so no edit is lost."""

    def save_model(self, request, obj, form, change):
        locked = _lock_draft(obj) if change or not isinstance(obj, Meeting) else None
        if isinstance(obj, Meeting) and locked is not None:
            obj.attendance_revision = locked.attendance_revision
            obj.revision = locked.revision
        if change and hasattr(obj, "revision"):
            obj.revision += 1
        super().save_model(request, obj, form, change)
        if change and not isinstance(obj, (Meeting, AgendaItem)):
            _bump_revisions([obj])
        changes = _form_changes(form, not change)
        if changes or not change:
            _record(request, obj, "changed" if change else "added", changes)

    def save_formset(self, request, form, formset, change):
        _lock_draft(form.instance)
        super().save_formset(request, form, formset, change)
        touched = [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects)]
        touched += formset.deleted_objects
        if touched:
            # An item's own revision is bumped by its save; its deletion needs no bump.
            kept = [obj for obj in touched if not (isinstance(obj, AgendaItem) and obj.pk is None)]
            if formset.model in (ItemLead, ActionPoint, Decision):
                kept.append(form.instance)
            _bump_revisions(kept)
        for obj in formset.new_objects:
            _record(request, obj, "added", {"": [None, str(obj)]})
        for obj, fields in formset.changed_objects:
            sub = next((f for f in formset.forms if f.instance.pk == obj.pk), None)
            changes = _form_changes(sub, False) if sub is not None else {f: [None, None] for f in fields}
            _record(request, obj, "changed", changes)
        for obj in formset.deleted_objects:
            _record(request, obj, "deleted", {"": [str(obj), None]})

    def delete_model(self, request, obj):
        _lock_draft(obj)
        if not isinstance(obj, Meeting):
            _record(request, obj, "deleted", {"": [str(obj), None]})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                _lock_draft(obj)
                if not isinstance(obj, Meeting):
                    _record(request, obj, "deleted", {"": [str(obj), None]})
            super().delete_queryset(request, queryset)


class FrozenUnlessDraftMixin:
    """Only draft minutes change here: circulated minutes are withdrawn first (and circulated
    again as a new version), adopted ones are the official record. The pages show them read-only;
    AuditedMixin checks again under the row lock when a change is saved."""

    def _meeting_of(self, obj):
        return obj if isinstance(obj, Meeting) else getattr(obj, "meeting", None)

    def _frozen(self, obj):
        meeting = self._meeting_of(obj) if obj is not None else None
        return meeting is not None and meeting.status != Meeting.Status.DRAFT

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if self._frozen(obj):
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class AttendanceInline(FrozenUnlessDraftMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["position", "delegation", "status", "label", "representatives"]
    readonly_fields = ["representatives"]
    autocomplete_fields = ["delegation"]
    show_change_link = True

    @admin.display(description="Representatives (edit through the row's link)")
    def representatives(self, attendance):
        return ", ".join(str(attendee) for attendee in attendance.attendees.all()) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("delegation").prefetch_related("attendees__representative")


class AgendaItemInline(FrozenUnlessDraftMixin, admin.StackedInline):
    model = AgendaItem
    fk_name = "meeting"
    extra = 0
    fields = [("parent", "position"), "title", "body"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # Only this meeting's items are offered; choosing a sub-item gets the model's clear
            # "two levels at most" error rather than a bare "invalid choice".
            meeting_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = AgendaItem.objects.filter(meeting_id=meeting_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Meeting)
class MeetingAdmin(AuditedMixin, FrozenUnlessDraftMixin, admin.ModelAdmin):
    list_display = ["date", "starts_at", "ends_at", "presidency", "status"]
    list_filter = ["status", "presidency"]
    date_hierarchy = "date"
    search_fields = ["agenda_items__title", "attendance__delegation__name"]
    autocomplete_fields = ["presidency"]
    readonly_fields = [
        "status",
        "adopted_at_meeting",
        "silence_procedure_ends_at",
        "adoption_outcome",
        "adoption_corrections",
        "adopted_version",
        "published_at",
        "announced_at",
        "postponed_from",
        "ics_sequence",
        "time_zone",  # chosen when announcing, changed on the drafting page while announced
    ]
    fieldsets = [
        (None, {"fields": ["date", ("starts_at", "ends_at"), "venue", "remote_link", "presidency"]}),
        ("Lifecycle (changed only through the workflow)", {"fields": readonly_fields}),
    ]
    inlines = [AttendanceInline, AgendaItemInline]
    list_select_related = ["presidency"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "remote_link":
            kwargs["assume_scheme"] = "https"  # a video call's address, as the announce page reads it
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


class AttendeeInline(FrozenUnlessDraftMixin, admin.TabularInline):
    model = Attendee
    extra = 1
    fields = ["position", "honorific", "representative", "remote"]
    autocomplete_fields = ["representative"]


@admin.register(Attendance)
class AttendanceAdmin(AuditedMixin, FrozenUnlessDraftMixin, admin.ModelAdmin):
    list_display = ["meeting", "delegation", "status", "label"]
    list_filter = ["status", "meeting__date"]
    search_fields = ["delegation__name", "label"]
    autocomplete_fields = ["delegation"]
    inlines = [AttendeeInline]
    list_select_related = ["meeting", "delegation"]


class ItemLeadInline(FrozenUnlessDraftMixin, admin.TabularInline):
    model = ItemLead
    extra = 0
    autocomplete_fields = ["delegation"]


class ActionPointInline(FrozenUnlessDraftMixin, admin.StackedInline):
    model = ActionPoint
    extra = 0
    fields = ["text", "owners", ("due_on", "due_at_next_meeting"), "status", "position"]
    autocomplete_fields = ["owners"]
    show_change_link = True


class DecisionInline(FrozenUnlessDraftMixin, admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(AuditedMixin, FrozenUnlessDraftMixin, admin.ModelAdmin):
    list_display = ["title", "meeting", "parent", "position"]
    list_filter = ["meeting__status", "meeting__date"]
    search_fields = ["title", "body"]
    fields = ["meeting", "parent", "position", "title", "body"]
    inlines = [ItemLeadInline, ActionPointInline, DecisionInline]
    list_select_related = ["meeting", "parent"]

    def get_readonly_fields(self, request, obj=None):
        # An item stays in its meeting; moving it would renumber two records at once.
        return ["meeting"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            item_id = request.resolver_match.kwargs.get("object_id")
            meeting = AgendaItem.objects.filter(pk=item_id).values("meeting")
            kwargs["queryset"] = AgendaItem.objects.filter(meeting__in=meeting) if item_id else AgendaItem.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ActionPoint)
class ActionPointAdmin(AuditedMixin, FrozenUnlessDraftMixin, admin.ModelAdmin):
    list_display = ["text", "agenda_item", "due_display", "status"]
    list_filter = ["status", "owners"]
    search_fields = ["text", "owners__name"]
    autocomplete_fields = ["owners"]
    fields = ["agenda_item", "text", "owners", ("due_on", "due_at_next_meeting"), "status", "position"]
    readonly_fields = ["agenda_item"]
    list_select_related = ["agenda_item__meeting"]

    def _meeting_of(self, obj):
        return obj.agenda_item.meeting

    def has_add_permission(self, request, obj=None):
        return False  # Action points are raised under their agenda item.

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


@admin.register(ActionPointFollowUp)
class ActionPointFollowUpAdmin(AuditedMixin, FrozenUnlessDraftMixin, admin.ModelAdmin):
    """Follow-ups belong to the later meeting that records them, so they freeze with it."""

    list_display = ["action_point", "meeting", "status"]
    list_filter = ["status"]
    search_fields = ["action_point__text", "note"]
    autocomplete_fields = ["action_point", "meeting"]
    list_select_related = ["action_point", "meeting"]


@admin.register(Document)
class DocumentAdmin(AuditedMixin, FrozenUnlessDraftMixin, admin.ModelAdmin):
    """Documents are attached on the drafting page, where the upload is checked and hashed; here
    their description can be corrected while the minutes are a draft, and the file is read-only."""

    list_display = ["title", "symbol", "kind", "language", "meeting", "size", "uploaded_at"]
    list_filter = ["kind", "language", "meeting__status"]
    search_fields = ["title", "symbol", "file_name"]
    fields = [
        "meeting",
        "agenda_item",
        "title",
        "kind",
        "language",
        "symbol",
        "presented_by",
        "position",
        "file_name",
        "sha256",
        "size",
        "content_type",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = ["meeting", "file_name", "sha256", "size", "content_type", "uploaded_by", "uploaded_at"]
    list_select_related = ["meeting"]

    def has_add_permission(self, request, obj=None):
        return False  # Attached on the drafting page, which checks and hashes the file.

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agenda_item":
            document_id = request.resolver_match.kwargs.get("object_id")
            meeting = Document.objects.filter(pk=document_id).values("meeting")
            kwargs["queryset"] = AgendaItem.objects.filter(meeting__in=meeting)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the workflow and review code: the admin shows them, never edits them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "meeting", "by_name", "action", "summary"]
    list_filter = ["action"]
    search_fields = ["summary", "by_name", "meeting__date"]
    list_select_related = ["meeting"]


@admin.register(MinutesVersion)
class MinutesVersionAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "number", "circulated_at", "circulated_by", "comment_deadline"]
    list_select_related = ["meeting", "circulated_by"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    list_display = ["version", "item_number", "author", "created_at", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["text", "proposed_text", "reply"]
    list_select_related = ["version__meeting", "author"]


@admin.register(SilenceProcedure)
class SilenceProcedureAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "status", "started_at", "ends_at", "broken_by"]
    list_filter = ["status"]
    list_select_related = ["meeting", "broken_by"]


@admin.register(OfficialRecord)
class OfficialRecordAdmin(ReadOnlyAdmin):
    """Official records are written once, by meetings/pdf.py, and never changed or removed here."""

    list_display = ["meeting", "sha256", "size", "rendered_at", "weasyprint_version"]
    search_fields = ["sha256", "meeting__date"]
    list_select_related = ["meeting"]
