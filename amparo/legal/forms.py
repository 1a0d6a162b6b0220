from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Membership
from amparo.legal import vocab
from amparo.legal.models import BondRecord, Hearing, LegalCase, LegalServiceProvider
from amparo.people.facilities import Facility
from amparo.people.forms import DATE, DATETIME, DATETIME_FORMATS, FacilityChoiceField, when_field


class ReferralForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Legal provider"), queryset=LegalServiceProvider.objects.none())
    follow_up_due = when_field(_("Chase by"))

    def __init__(self, *args: Any, providers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if providers is not None:
            self.fields["provider"].queryset = providers  # type: ignore[attr-defined]  # a ModelChoiceField


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Answer"),
        choices=[c for c in vocab.ReferralOutcome.choices if c[0] != vocab.ReferralOutcome.PENDING],
    )
    status = forms.ChoiceField(
        label=_("If accepted: representation"),
        choices=[(s.value, s.label) for s in vocab.REPRESENTED],
        initial=vocab.RepresentationStatus.REPRESENTED_FULL,
    )
    attorney = forms.CharField(label=_("Attorney"), max_length=120, required=False)


class RepresentationForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=vocab.RepresentationStatus.choices)
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=LegalServiceProvider.objects.none(), required=False
    )
    attorney = forms.CharField(label=_("Attorney"), max_length=120, required=False)
    eoir28_filed = forms.BooleanField(label=_("EOIR-28 filed"), required=False)
    g28_filed = forms.BooleanField(label=_("G-28 filed"), required=False)
    scope = forms.CharField(label=_("Scope"), max_length=200, required=False)

    def __init__(self, *args: Any, providers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if providers is not None:
            self.fields["provider"].queryset = providers  # type: ignore[attr-defined]  # a ModelChoiceField


class CaseForm(forms.ModelForm):
    class Meta:
        model = LegalCase
        fields = [
            "proceeding_type",
            "status",
            "court",
            "judge",
            "docket",
            "nta_date",
            "charges",
            "relief_sought",
            "final_order_date",
            "appeal_due",
            "appeal_brief_due",
            "appeal_decision",
            "habeas_court",
            "habeas_number",
            "habeas_status",
            "last_acis_check_at",
        ]
        widgets = {
            "nta_date": DATE,
            "final_order_date": DATE,
            "appeal_due": DATE,
            "appeal_brief_due": DATE,
            "last_acis_check_at": DATETIME,
        }


class HearingForm(forms.ModelForm):
    at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME, input_formats=DATETIME_FORMATS)

    class Meta:
        model = Hearing
        fields = ["kind", "at", "location", "mode", "interpreter", "outcome", "attended_by"]


class BondForm(forms.ModelForm):
    obligor = forms.CharField(label=_("Who paid the bond (encrypted)"), max_length=200, required=False)

    class Meta:
        model = BondRecord
        fields = [
            "ice_determination",
            "ice_amount",
            "hearing_requested_at",
            "hearing_held_at",
            "ij_decision",
            "ij_amount",
            "posted_at",
            "posted_amount",
            "bond_fund",
        ]
        widgets = {"hearing_requested_at": DATE, "hearing_held_at": DATE, "posted_at": DATE}


class ProviderForm(forms.ModelForm):
    facilities_served = forms.ModelMultipleChoiceField(
        label=_("Facilities served"),
        queryset=Facility.objects.none(),
        required=False,
        widget=forms.SelectMultiple,
    )

    class Meta:
        model = LegalServiceProvider
        fields = [
            "name",
            "kind",
            "doj_recognized",
            "accredited_reps",
            "languages",
            "counties_served",
            "facilities_served",
            "takes_detained_cases",
            "capacity_status",
            "areas_of_assistance",
            "types_of_assistance",
            "intake_hours",
            "intake_contact",
            "directory_url",
            "active",
        ]

    def __init__(self, *args: Any, facilities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["facilities_served"]
        field.queryset = facilities  # type: ignore[attr-defined]  # a ModelMultipleChoiceField


class PartnerLinkForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Legal partner"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["membership"].queryset = members  # type: ignore[attr-defined]  # a ModelChoiceField


__all__ = ["FacilityChoiceField"]
