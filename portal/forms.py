"""Forms of the public pages: search and the action-point and decision registers' filters."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, Presidency, ThematicArea
from meetings import record_json
from meetings.models import ActionPoint, Meeting, RecordSupersession

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = action_point_owners()


def action_point_owners():
    """The delegations owning an action point of published minutes, as their records say: a
    superseded record's owners are read from the record, not from the rows of the import it replaced."""
    superseded = Exists(RecordSupersession.objects.filter(meeting=OuterRef("pk")))
    names = set()
    for meeting in Meeting.objects.published().filter(superseded).only("status", "adopted_record"):
        for item in record_json.flat_items(record_json.document_for(meeting)):
            for point in item.get("action_points", []):
                names.update(point.get("owners", []))
    live = Meeting.objects.published().filter(~superseded)
    return Delegation.objects.filter(Q(action_points__agenda_item__meeting__in=live) | Q(name__in=names)).distinct()


class PresidencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, presidency):
        return _("%(name)s Presidency") % {"name": presidency.name}


class DecisionFilterForm(forms.Form):
    """The decisions register's filters, for its page, its feed's readers and the API alike; the
    year and presidency choices come from published minutes only."""

    year = forms.TypedChoiceField(
        label=_("Year"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    presidency = PresidencyChoiceField(
        label=_("Presidency"),
        required=False,
        queryset=Presidency.objects.filter(meetings__in=Meeting.objects.published()).distinct(),
        to_field_name="name",
        empty_label=_("Any presidency"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    area = forms.ModelChoiceField(
        label=_("Thematic area"),
        required=False,
        queryset=ThematicArea.objects.all(),
        empty_label=_("Any thematic area"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("Words in the decision"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = Meeting.objects.published().dates("date", "year", order="DESC")
        self.fields["year"].choices = [("", _("Any year")), *((day.year, day.year) for day in years)]

    def filters(self):
        """The cleaned filters as published_decisions() takes them."""
        data = self.cleaned_data
        return {"year": data["year"], "presidency": data["presidency"], "area": data["area"], "words": data["q"]}

    def error_sentence(self):
        """Every refused value in one sentence, for the API's `detail`."""
        return " ".join(f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items())
