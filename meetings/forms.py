"""Forms of the meetings app: they validate input and never run a workflow."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, ThematicArea
from meetings.models import ActionPoint, Meeting, ReviewComment

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
    file = forms.FileField(label=_("Minutes file"), help_text=_("A .txt or .pdf file of one meeting's minutes."))
    date = forms.DateField(
        label=_("Meeting date"),
        required=False,
        help_text=_("Only when the minutes' date has no year (YYYY-MM-DD)."),
    )

    field_order = ["file", "date", "status", "adopted_at", "silence_procedure_ends"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".txt", ".pdf")):
            raise forms.ValidationError(_("Upload a .txt or .pdf file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class MinutesConfirmForm(_AdoptionFields):
    """The preview's confirmation: the extracted text travels back signed, never as a path."""

    payload = forms.CharField(widget=forms.HiddenInput)
    create_delegations = forms.BooleanField(label=_("Create the unknown delegations listed above"), required=False)


MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    """Words to look for and optional filters; the choices come from published minutes only."""

    q = forms.CharField(
        label=_("Search the minutes"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. Caribbean, Reporting, Chile")}),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    presidency = forms.ChoiceField(label=_("Presidency"), required=False)
    thematic_area = forms.TypedChoiceField(label=_("Thematic area"), required=False, coerce=int, empty_value=None)
    delegation = forms.ChoiceField(label=_("Delegation"), required=False)

    def __init__(self, *args, facets, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["year"].choices = anything + [(year, year) for year in facets["years"]]
        self.fields["presidency"].choices = anything + facets["presidencies"]
        self.fields["thematic_area"].choices = anything + facets["thematic_areas"]
        self.fields["delegation"].choices = anything + facets["delegations"]
        for name in ("year", "presidency", "thematic_area", "delegation"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self):
        data = self.cleaned_data
        return {key: data.get(key) for key in ("year", "presidency", "thematic_area", "delegation")}

    @property
    def has_query(self):
        return self.is_valid() and any([self.cleaned_data.get("q"), *self.filters().values()])


class ActionPointFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ActionPoint.Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        required=False,
        queryset=Delegation.objects.filter(action_points__agenda_item__meeting__status="published").distinct(),
        to_field_name="slug",
        empty_label=_("Any delegation"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    area = forms.ModelChoiceField(
        label=_("Thematic area"),
        required=False,
        queryset=ThematicArea.objects.all(),
        empty_label=_("Any thematic area"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


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
        self.fields["at_meeting"].queryset = Meeting.objects.filter(date__gt=meeting.date).order_by("date")
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_at"].initial = (timezone.localtime() + timedelta(days=7)).replace(
            hour=18, minute=0, second=0, microsecond=0
        )

    def clean_ends_at(self):
        ends_at = self.cleaned_data["ends_at"]
        if ends_at <= timezone.now():
            raise forms.ValidationError(_("A silence procedure ends in the future."))
        return ends_at


class BreakSilenceForm(forms.Form):
    reason = forms.CharField(label=_("Why do you break silence?"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    item_key = forms.ChoiceField(label=_("Item"))
    text = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    proposed_text = forms.CharField(
        label=_("Proposed replacement text"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        choices = [("", _("Choose an item")), ("present", _("1. Present"))] + [
            (item["key"], f"{item['number']}. {item['title']}") for item in version.snapshot.get("items", [])
        ]
        self.fields["item_key"].choices = choices

    def clean(self):
        data = super().clean()
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
