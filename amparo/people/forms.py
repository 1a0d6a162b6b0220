from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Membership
from amparo.people import vocab
from amparo.people.facilities import OVERRIDABLE, Facility
from amparo.people.models import normalise_a_number

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def when_field(label: Any, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, widget=DATETIME, input_formats=DATETIME_FORMATS
    )


class FacilityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class PersonForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    aliases = forms.CharField(label=_("Other names"), max_length=300, required=False)
    a_number = forms.CharField(
        label=_("A-number"), max_length=20, required=False, help_text=_("7 to 9 digits; stored as 9.")
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    country_of_birth = forms.CharField(
        label=_("Country of birth (2-letter code)"), max_length=2, required=False
    )
    citizenship = forms.CharField(label=_("Citizenship (2-letter code)"), max_length=2, required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    languages = forms.CharField(label=_("Languages"), max_length=100, required=False)
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    claims_us_citizenship = forms.BooleanField(label=_("Says they are a U.S. citizen"), required=False)
    is_minor = forms.BooleanField(label=_("Minor"), required=False)
    sensitivity_flags = forms.MultipleChoiceField(
        label=_("Needs"),
        choices=vocab.Sensitivity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    taken_at = when_field(_("When they were taken"))
    notes = forms.CharField(label=_("Notes (encrypted)"), widget=forms.Textarea, required=False)

    def clean_a_number(self) -> str:
        raw: str = self.cleaned_data["a_number"]
        if not raw.strip():
            return ""
        try:
            return normalise_a_number(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("An A-number has 7 to 9 digits.")) from exc

    def clean_country_of_birth(self) -> str:
        return str(self.cleaned_data["country_of_birth"]).upper()

    def clean_citizenship(self) -> str:
        return str(self.cleaned_data["citizenship"]).upper()


class ArrestForm(PersonForm):
    """A new person, optionally linked to an incident (the case file starts at the arrest)."""

    incident = forms.UUIDField(label=_("Incident code"), required=False)
    role = forms.ChoiceField(label=_("Their part in the incident"), choices=vocab.SubjectRole.choices)


class CustodyForm(forms.Form):
    custodian = forms.ChoiceField(label=_("Held by"), choices=vocab.Custodian.choices)
    status = forms.ChoiceField(label=_("Status"), choices=vocab.CustodyStatus.choices)
    facility = FacilityChoiceField(label=_("Facility"), queryset=Facility.objects.none(), required=False)
    holding_site_text = forms.CharField(label=_("Other holding site"), max_length=200, required=False)
    start = when_field(_("Since"))
    release_reason = forms.ChoiceField(
        label=_("Release reason"), choices=[("", "—"), *vocab.ReleaseReason.choices], required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=vocab.CustodySource.choices)
    confidence = forms.ChoiceField(
        label=_("Confidence"), choices=vocab.Confidence.choices, initial=vocab.Confidence.MEDIUM
    )

    def __init__(self, *args: Any, facilities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if facilities is not None:
            self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == vocab.CustodyStatus.RELEASED and not data.get("release_reason"):
            self.add_error("release_reason", _("Say why they were released (or choose Other)."))
        return data


class LocatorCheckForm(forms.Form):
    mode = forms.ChoiceField(label=_("How"), choices=vocab.LocatorMode.choices)
    result = forms.ChoiceField(label=_("Result"), choices=vocab.LocatorResult.choices)
    facility_returned = FacilityChoiceField(
        label=_("Facility shown"), queryset=Facility.objects.none(), required=False
    )
    at = when_field(_("Checked at"))

    def __init__(self, *args: Any, facilities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if facilities is not None:
            self.fields["facility_returned"].queryset = facilities  # type: ignore[attr-defined]  # ModelChoiceField


class ContactForm(forms.Form):
    relationship = forms.CharField(label=_("Relationship"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.CharField(label=_("Language"), max_length=40, required=False)
    safe_to_call = forms.BooleanField(label=_("Safe to call"), required=False, initial=True)
    consent_to_contact = forms.BooleanField(label=_("Agreed to be contacted"), required=False)
    notes = forms.CharField(
        label=_("When and how to call (encrypted)"), widget=forms.Textarea, required=False
    )


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("What"), choices=vocab.ConsentScope.choices)
    recipient = forms.ChoiceField(label=_("With whom"), choices=vocab.ConsentRecipient.choices)
    granted = forms.BooleanField(label=_("Agreed"), required=False, initial=True)
    given_by = forms.CharField(label=_("Given by (relationship, not a name)"), max_length=60, required=False)


class IncidentLinkForm(forms.Form):
    incident = forms.UUIDField(label=_("Incident code"))
    role = forms.ChoiceField(label=_("Their part in the incident"), choices=vocab.SubjectRole.choices)


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("What to do"), max_length=200, help_text=_("Use the case code, never a name or an A-number.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=vocab.TaskKind.choices, initial=vocab.TaskKind.OTHER)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Membership.objects.none(), required=False)
    due_at = when_field(_("Due"))

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["owner"].queryset = members  # type: ignore[attr-defined]  # a ModelChoiceField


class LookupForm(forms.Form):
    q = forms.CharField(label=_("Case code, A-number or name"), max_length=100, required=False)


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = list(OVERRIDABLE)  # a network may override every field it can edit


class FacilityImportForm(forms.Form):
    file = forms.FileField(label=_("Facility list (CSV)"))
