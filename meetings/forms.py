"""Forms of the public pages: the action-point tracker's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, ThematicArea
from meetings.models import ActionPoint


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
