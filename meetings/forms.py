"""Forms of the meetings app: they validate input and never run a workflow."""

import functools
import json
import zoneinfo
from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, Presidency
from meetings import documents, markup, record_json
from meetings.drafting import ABSENT, PRESENT_NEEDS_NAMES
from meetings.models import (
    DEFAULT_TIME_ZONE,
    ActionPoint,
    AgendaItem,
    Attendance,
    Decision,
    Document,
    Meeting,
    ReviewComment,
)
from meetings.workflow import SILENCE_MINIMUM

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class _AdoptionFields(forms.Form):
    status = forms.ChoiceField(
        label=_("Save as"),
        choices=[
            (Meeting.Status.DRAFT, _("Draft (checked and published later)")),
            (Meeting.Status.ADOPTED, _("Adopted (the back catalogue)")),
            (Meeting.Status.PUBLISHED, _("Published (the back catalogue)")),
        ],
        initial=Meeting.Status.DRAFT,
    )
    adopted_at = forms.DateField(
        label=_("Adopted at the meeting of"),
        required=False,
        help_text=_("For adopted or published minutes: the later meeting that adopted them (YYYY-MM-DD)."),
    )
    silence_procedure_ends = forms.DateField(
        label=_("Or adopted by silence procedure ending on"),
        required=False,
        help_text=_("YYYY-MM-DD"),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") and data["status"] != Meeting.Status.DRAFT:
            if (data.get("adopted_at") is None) == (data.get("silence_procedure_ends") is None):
                raise forms.ValidationError(
                    _(
                        "Minutes saved as adopted or published need how they were adopted: "
                        "the meeting that adopted them or the end of the silence procedure (one of the two)."
                    )
                )
        return data


class MinutesUploadForm(_AdoptionFields):
    file = forms.FileField(
        label=_("Minutes file"), required=False, help_text=_("A .txt, .pdf or .docx file of one meeting's minutes.")
    )
    # The preview's "correct and read again": the source text, as corrected by staff.
    text = forms.CharField(label=_("Source text"), required=False, widget=forms.HiddenInput, strip=False)
    date = forms.DateField(
        label=_("Meeting date"),
        required=False,
        help_text=_("Only when the minutes' date has no year (YYYY-MM-DD)."),
    )

    field_order = ["file", "date", "status", "adopted_at", "silence_procedure_ends"]

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("text", "").strip() and "file" not in self.errors:
            self.add_error("file", _("Choose a file of minutes."))
        return data

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None:
            return upload
        if not upload.name.lower().endswith((".txt", ".pdf", ".docx")):
            raise forms.ValidationError(_("Upload a .txt, .pdf or .docx file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class MinutesConfirmForm(_AdoptionFields):
    """The preview's confirmation: the extracted text travels back signed, never as a path."""

    payload = forms.CharField(widget=forms.HiddenInput)
    create_delegations = forms.BooleanField(label=_("Create the unknown delegations listed above"), required=False)

    def __init__(self, *args, unknown=(), **kwargs):
        super().__init__(*args, **kwargs)
        # One choice per unknown name: an existing delegation it stands for (saved as an alias of it).
        delegations = [("", _("— not an existing delegation —"))] + [
            (str(pk), name) for pk, name in Delegation.objects.order_by("name").values_list("pk", "name")
        ]
        self.unknown = list(unknown)
        for index, name in enumerate(self.unknown):
            self.fields[f"alias_{index}"] = forms.ChoiceField(
                label=_("“%(name)s” is") % {"name": name}, choices=delegations, required=False
            )

    def aliases(self):
        """{unknown name: Delegation} for the names mapped to an existing delegation."""
        chosen = {
            name: self.cleaned_data.get(f"alias_{index}")
            for index, name in enumerate(self.unknown)
            if self.cleaned_data.get(f"alias_{index}")
        }
        found = Delegation.objects.in_bulk([int(pk) for pk in chosen.values()])
        return {name: found[int(pk)] for name, pk in chosen.items() if int(pk) in found}


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return (
                timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
                if timezone.is_aware(value)
                else value.strftime("%Y-%m-%dT%H:%M")
            )
        return value


class CirculateForm(forms.Form):
    comment_deadline = forms.DateField(label=_("Comments due by"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment_deadline"].initial = timezone.localdate() + timedelta(days=14)

    def clean_comment_deadline(self):
        deadline = self.cleaned_data["comment_deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The comment deadline cannot be in the past."))
        return deadline


class AdoptForm(forms.Form):
    at_meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), label=_("Adopted at the meeting of"), empty_label=_("Choose a meeting")
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Meeting.AdoptionOutcome.choices)
    corrections = forms.CharField(label=_("Corrections"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        # A meeting whose own minutes are adopted can no longer record an adoption.
        self.fields["at_meeting"].queryset = Meeting.objects.filter(
            date__gt=meeting.date, status__in=[Meeting.Status.DRAFT, Meeting.Status.CIRCULATED]
        ).order_by("date")
        self.fields["at_meeting"].label_from_instance = lambda m: m.date.strftime("%d %B %Y").lstrip("0")

    def clean(self):
        data = super().clean()
        outcome, corrections = data.get("outcome"), data.get("corrections", "").strip()
        if outcome == Meeting.AdoptionOutcome.WITH_CORRECTIONS and not corrections:
            self.add_error("corrections", _("Write down the corrections the minutes were adopted with."))
        if outcome == Meeting.AdoptionOutcome.CORRECT_RECORD and corrections:
            self.add_error("corrections", _("Corrections go with the outcome 'adopted with corrections'."))
        data["corrections"] = corrections
        return data


class SilenceForm(forms.Form):
    ends_at = forms.DateTimeField(label=_("Silence ends at"), widget=DateTimeInput)

    def __init__(self, *args, comment_deadline=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_at"].initial = self.default_end(comment_deadline)

    @staticmethod
    def default_end(comment_deadline=None):
        """18:00 (Geneva) on the day after the comment deadline, so that silence ends after the
        comments are in; and never less than the 24 hours a silence procedure lasts."""
        now = timezone.localtime()
        start = now.date() + timedelta(days=7) if comment_deadline is None else comment_deadline + timedelta(days=1)
        ends = timezone.make_aware(datetime.combine(start, time(18, 0)))
        while ends < now + SILENCE_MINIMUM:
            ends += timedelta(days=1)
        return ends

    def clean_ends_at(self):
        ends_at = self.cleaned_data["ends_at"]
        if ends_at <= timezone.now():
            raise forms.ValidationError(_("A silence procedure ends in the future."))
        if ends_at < timezone.now() + SILENCE_MINIMUM:
            raise forms.ValidationError(_("A silence procedure lasts at least 24 hours."))
        return ends_at


class SupersedeForm(forms.Form):
    """The import preview's correction of a published record: the parsed source travels back signed."""

    payload = forms.CharField(widget=forms.HiddenInput)
    # The published record the preview showed the differences from (record_json.fingerprint).
    against = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why is the published record corrected?"),
        help_text=_("Published with the new record, e.g. “Item 4 was transcribed from the wrong page.”"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the correction: it is published with the new record.")},
    )


class BreakSilenceForm(forms.Form):
    reason = forms.CharField(label=_("Why do you break silence?"), widget=forms.Textarea(attrs={"rows": 3}))


def _lines(text):
    """Text compared as a reader sees it: browsers send their line ends as \r\n."""
    return text.replace("\r\n", "\n").strip()


class CommentForm(forms.Form):
    item_key = forms.ChoiceField(label=_("Item"))
    text = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    proposed_text = forms.CharField(
        label=_("Proposed replacement text"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    # Set by the comment control beside each paragraph; empty for a comment on the item as a whole.
    paragraph = forms.IntegerField(required=False, min_value=1, max_value=32767, widget=forms.HiddenInput)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        choices = [("", _("Choose an item")), ("present", _("1. Present"))] + [
            (item["key"], f"{item['number']}. {item['title']}") for item in record_json.flat_items(version.snapshot)
        ]
        self.fields["item_key"].choices = choices

    def clean(self):
        data = super().clean()
        paragraph = data.get("paragraph")
        if paragraph is not None and data.get("item_key"):
            found = markup.paragraphs(self.item()["body"]) if data["item_key"] != "present" else []
            if not 1 <= paragraph <= len(found):
                raise forms.ValidationError(_("That paragraph is not in the version under review."))
            # The proposal starts as the paragraph itself: sent unchanged, it proposes nothing.
            if _lines(data.get("proposed_text", "")) == _lines(found[paragraph - 1]):
                data["proposed_text"] = ""
        if not data.get("text", "").strip() and not data.get("proposed_text", "").strip():
            raise forms.ValidationError(_("Write a comment or propose replacement text."))
        return data

    def item(self):
        key = self.cleaned_data["item_key"]
        if key == "present":
            return {"key": "present", "number": "1", "title": "Present"}
        return self.version.item(key)


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewComment.Outcome.choices)


LEAD_SLOTS = 4


def delegation_choices():
    """Every delegation as choices, built once per request and shared by every field of a page."""
    return [("", "---------"), *Delegation.objects.values_list("pk", "name")]


class RevisionMixin:
    """The revision a form started from and a snapshot of the text it showed, carried through
    the round trip, so that a stale save is refused with a diff rather than overwriting."""

    def add_revision_fields(self, revision, snapshot):
        self.fields["revision"] = forms.IntegerField(widget=forms.HiddenInput, initial=revision, min_value=1)
        self.fields["started"] = forms.CharField(widget=forms.HiddenInput, initial=json.dumps(snapshot), required=False)

    def clean_started(self):
        try:
            started = json.loads(self.cleaned_data.get("started") or "{}")
        except ValueError:
            started = {}
        return started if isinstance(started, dict) else {}


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "starts_at", "ends_at", "venue", "presidency"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        labels = {
            "date": _("Date"),
            "starts_at": _("Starts at"),
            "ends_at": _("Ends at"),
            "venue": _("Venue"),
            "presidency": _("Presidency"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presidency"].queryset = Presidency.objects.select_related("delegation")
        self.fields["presidency"].required = False
        self.fields["presidency"].help_text = _("Leave empty for the presidency whose term covers the date.")
        self.fields["venue"].widget.attrs["placeholder"] = _("e.g. a working lunch, online")

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        if day and not cleaned.get("presidency"):
            cleaned["presidency"] = Presidency.objects.current(day)
            if cleaned["presidency"] is None:
                self.add_error("presidency", _("No presidency's term covers this date: choose one."))
            else:
                self.instance.presidency = cleaned["presidency"]
        return cleaned


class MeetingEditForm(RevisionMixin, MeetingForm):
    def __init__(self, *args, revision, snapshot, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_revision_fields(revision, snapshot)
        if self.instance.status == Meeting.Status.ANNOUNCED:
            # Moving an announced meeting tells the coordinators: that is postponing (workflow.postpone).
            self.fields["date"].disabled = True
            self.fields["date"].help_text = _("To move the meeting to another day, postpone it.")
            self.fields["time_zone"] = _time_zone_field()
            self.fields["remote_link"] = _remote_link_field()
            self.initial.setdefault("time_zone", self.instance.time_zone)
            self.initial.setdefault("remote_link", self.instance.remote_link)
            self.order_fields(["date", "starts_at", "ends_at", "time_zone", "venue", "remote_link", "presidency"])


@functools.cache
def _zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


def _time_zone_field():
    return forms.ChoiceField(label=_("Time zone"), initial=DEFAULT_TIME_ZONE, choices=_zone_choices)


def _remote_link_field():
    return forms.URLField(
        label=_("Remote link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The video call's address: shown to coordinators and ISU staff only, never publicly."),
    )


class AnnounceForm(MeetingForm):
    """A meeting to come: its date, times and their zone, venue, the private remote link, presidency."""

    field_order = ["date", "starts_at", "ends_at", "time_zone", "venue", "remote_link", "presidency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = _time_zone_field()
        self.fields["remote_link"] = _remote_link_field()
        self.order_fields(self.field_order)
        self.fields["starts_at"].required = True

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("A meeting is announced for today or a later day."))
        return day


class PostponeForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends_at = forms.TimeField(
        label=_("Ends at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttendanceRowForm(forms.Form):
    # A delegation not marked is not on the record: nothing is assumed, not even who came.
    STATUS_CHOICES = [*Attendance.Status.choices, (ABSENT, _("Not recorded"))]

    delegation = forms.ModelChoiceField(queryset=Delegation.objects.all(), label=_("Delegation"), required=False)
    label = forms.CharField(max_length=200, required=False, label=_("Written as"))
    status = forms.ChoiceField(choices=STATUS_CHOICES, label=_("Status"), widget=forms.RadioSelect)
    representatives = forms.MultipleChoiceField(
        required=False, label=_("Representatives"), widget=forms.CheckboxSelectMultiple
    )
    remote = forms.MultipleChoiceField(required=False, label=_("Remote"), widget=forms.CheckboxSelectMultiple)
    new_honorific = forms.CharField(max_length=40, required=False, label=_("Honorific"))
    new_name = forms.CharField(max_length=200, required=False, label=_("Add a representative"))
    new_remote = forms.BooleanField(required=False, label=_("Remote"))

    def __init__(self, *args, representatives=None, delegation_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The form rewrites its initial data as choice keys; the sheet's own rows stay as they were.
        self.initial = dict(self.initial)
        known = self.initial.get("delegation")
        if delegation_choices is not None:
            self.fields["delegation"].choices = delegation_choices
        self.fields["delegation"].widget.attrs["class"] = "form-select form-select-sm"
        if known is not None:
            self.fields["delegation"].widget = forms.HiddenInput()
            self.delegation_obj = known
            self.initial["delegation"] = known.pk
        else:
            self.delegation_obj = None
            self.fields["status"].initial = ABSENT
        reps = (representatives or {}).get(known.pk if known else None, [])
        # Those recorded come first in their written order, then everyone else by name.
        chosen = list(self.initial.get("representatives") or [])
        ordered = chosen + [r for r in reps if r not in chosen]
        self.rep_objects = {str(r.pk): r for r in ordered}
        choices = [(str(r.pk), str(r)) for r in ordered]
        self.fields["representatives"].choices = choices
        self.fields["remote"].choices = choices
        self.initial["representatives"] = [str(r.pk) for r in chosen]
        self.initial["remote"] = [str(r.pk) for r in self.initial.get("remote") or []]

    @property
    def representative_rows(self):
        """(present checkbox, remote checkbox) per representative, for a two-column sheet."""
        return list(zip(self["representatives"], self["remote"], strict=True))

    def clean(self):
        cleaned = super().clean()
        delegation = cleaned.get("delegation")
        status = cleaned.get("status")
        if delegation is None:
            if cleaned.get("new_name") or cleaned.get("representatives"):
                self.add_error("delegation", _("Choose the delegation."))
            cleaned["status"] = ABSENT
            return cleaned
        if self.delegation_obj is not None and delegation != self.delegation_obj:
            self.add_error("delegation", _("This row belongs to another delegation."))
        picked = cleaned.get("representatives") or []
        if status != Attendance.Status.PRESENT:
            # Ticks pre-filled from last time simply lapse; a name typed in on purpose is a mistake.
            picked = []
            if cleaned.get("new_name"):
                self.add_error("status", _("A delegation that is not present has no representatives listed."))
        elif not picked and not (cleaned.get("new_name") or "").strip():
            self.add_error("status", PRESENT_NEEDS_NAMES)
        cleaned["representatives"] = [self.rep_objects[pk] for pk in picked if pk in self.rep_objects]
        cleaned["remote"] = [self.rep_objects[pk] for pk in cleaned.get("remote") or [] if pk in picked]
        cleaned["new_name"] = (cleaned.get("new_name") or "").strip()
        return cleaned


class BaseAttendanceFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            delegation = form.cleaned_data.get("delegation")
            if delegation is None or form.cleaned_data.get("status") == ABSENT:
                continue
            if delegation.pk in seen:
                form.add_error("delegation", _("This delegation is already on the sheet."))
            seen.add(delegation.pk)


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, formset=BaseAttendanceFormSet, extra=1, max_num=300)


class AttendanceRevisionForm(RevisionMixin, forms.Form):
    def __init__(self, *args, revision, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_revision_fields(revision, {})


# An item's text: the longest in the record runs to a few thousand characters; far longer ones
# took the rendering past the server's timeout.
ITEM_BODY_MAX_CHARS = 50_000


class ItemForm(RevisionMixin, forms.Form):
    title = forms.CharField(max_length=500, label=_("Title"))
    body = forms.CharField(
        required=False,
        max_length=ITEM_BODY_MAX_CHARS,
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14, "data-markdown-editor": "true"}),
        help_text=_("Markdown: a blank line between paragraphs, *italic*, **bold**, numbered lists as 1. 2. 3."),
    )

    def __init__(self, *args, revision, snapshot, delegation_choices, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, LEAD_SLOTS + 1):
            self.fields[f"lead_{slot}"] = forms.ModelChoiceField(
                queryset=Delegation.objects.all(),
                required=False,
                label=_("Lead %(n)s") % {"n": slot},
            )
            self.fields[f"lead_{slot}"].choices = delegation_choices
        self.add_revision_fields(revision, snapshot)

    def clean(self):
        cleaned = super().clean()
        leads = [cleaned.get(f"lead_{slot}") for slot in range(1, LEAD_SLOTS + 1)]
        leads = [lead for lead in leads if lead is not None]
        if len({lead.pk for lead in leads}) != len(leads):
            raise forms.ValidationError(_("A delegation leads an item once; remove the repeated lead."))
        cleaned["leads"] = leads
        return cleaned


class ActionPointForm(forms.ModelForm):
    class Meta:
        model = ActionPoint
        fields = ["text", "owners", "due_on", "due_at_next_meeting", "status"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "owners": forms.SelectMultiple(attrs={"size": 4}),
        }
        labels = {
            "text": _("Action point"),
            "owners": _("Owners"),
            "due_on": _("Due on"),
            "due_at_next_meeting": _("Due at the next meeting"),
            "status": _("Status"),
        }

    def __init__(self, *args, delegation_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if delegation_choices is not None:
            self.fields["owners"].choices = delegation_choices[1:]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("due_on") and cleaned.get("due_at_next_meeting"):
            self.add_error("due_on", _("An action point is due on a date or at the next meeting, not both."))
        return cleaned

    def validate_constraints(self, exclude=None):
        pass  # the form's clean() states the same rules with a clearer message


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": _("Decision")}


ActionPointFormSet = forms.modelformset_factory(
    ActionPoint, form=ActionPointForm, extra=1, can_delete=True, max_num=100
)
DecisionFormSet = forms.modelformset_factory(Decision, form=DecisionForm, extra=1, can_delete=True, max_num=100)


class FollowUpForm(forms.Form):
    action_point = forms.ModelChoiceField(queryset=ActionPoint.objects.none(), widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Follow-up note"))
    status = forms.ChoiceField(choices=ActionPoint.Status.choices, label=_("Status after this meeting"))

    def __init__(self, *args, action_points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_point"].queryset = action_points


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=200_000)


class DocumentForm(forms.ModelForm):
    """A document to attach to a draft's meeting or one of its items; the file is checked
    (type sniffed from its bytes, size capped) by meetings/documents.py."""

    upload = forms.FileField(label=_("File"))

    class Meta:
        model = Document
        fields = ["title", "kind", "language", "symbol", "agenda_item", "presented_by"]
        labels = {"agenda_item": _("Attached to")}

    def __init__(self, *args, meeting, agenda=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("The meeting as a whole"))]
        for item in agenda:
            choices.append((item.pk, f"{item.number}. {item.title}"))
            choices.extend((child.pk, f"{child.number} {child.title}") for child in item.children)
        items = self.fields["agenda_item"]
        items.queryset = AgendaItem.objects.filter(meeting=meeting)
        items.choices = choices
        items.empty_label = None
        self.fields["presented_by"].queryset = Delegation.objects.order_by("name")
        self.fields["presented_by"].empty_label = _("No delegation")
        self.fields["upload"].help_text = _(
            "PDF, Word, Excel, PowerPoint or OpenDocument (%(types)s), up to %(limit)s MB."
        ) % {
            "types": documents.allowed_extensions(),
            "limit": documents.max_upload_mb(),
        }
        self.fields["upload"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in documents.TYPES)

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            documents.check_upload(upload)
        except documents.DocumentRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


class DocumentReplaceForm(forms.Form):
    upload = forms.FileField(label=_("New file"))

    clean_upload = DocumentForm.clean_upload
