"""Forms for review and the workflow: they validate; the views hand the data to meetings/workflow.py."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting, ReviewComment


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
