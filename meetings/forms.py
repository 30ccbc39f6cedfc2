"""Forms of the public portal."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
