"""Forms of the meetings app: they validate input and never run a workflow."""

from django import forms
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, ThematicArea
from meetings.models import ActionPoint, Meeting

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
