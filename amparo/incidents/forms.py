"""Forms of the incidents desk. Coded fields take their choices from the network's active vocabulary terms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo import outbound
from amparo.accounts.models import Membership
from amparo.incidents import codes, levels, vocab
from amparo.intake.validators import CleanTextField  # every free-text field: normalised, no formula (L1, L2)

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TriageForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=codes.ReportStatus.choices, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=codes.Priority.choices, required=False)
    assigned_to = forms.ModelChoiceField(
        label=_("Assigned to"), queryset=Membership.objects.none(), required=False
    )

    def __init__(self, *args: Any, network_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = (  # type: ignore[attr-defined]  # ModelChoiceField
            Membership.objects.filter(network_id=network_id).select_related("user").order_by("display_name")
        )


class LinkForm(forms.Form):
    incident = forms.UUIDField(label=_("Incident code"))


class NewIncidentFromReportForm(forms.Form):
    title = CleanTextField(label=_("Short title"), max_length=200, required=False)


def _choose(choices: Any) -> list[tuple[str, Any]]:
    """Choices that start on an empty, required “Choose…”: nothing is decided by a form left untouched."""
    return [("", _("Choose…")), *choices]


class VerificationForm(forms.Form):
    to_level = forms.ChoiceField(label=_("New level"), choices=_choose(codes.Level.choices))
    method = forms.ChoiceField(label=_("Method"), choices=_choose(codes.Method.choices))
    rationale = CleanTextField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was checked, by whom, and what it showed. This entry cannot be changed later."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        level, method = data.get("to_level"), data.get("method")
        if level and method and not levels.method_supports(method, level):
            raise forms.ValidationError(
                _("This method cannot support the level “%(level)s”."),
                params={"level": codes.Level(level).label},
            )
        return data


class DispatchForm(forms.Form):
    responder = forms.ModelChoiceField(
        label=_("Verifier"), queryset=Membership.objects.none(), empty_label=_("Choose a verifier…")
    )
    safety_notes = CleanTextField(
        label=_("Safety notes for the verifier"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, network_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responder"]
        field.queryset = (  # type: ignore[attr-defined]  # ModelChoiceField
            Membership.objects.filter(
                network_id=network_id, available=True, role__in=["verifier", "coordinator"]
            )
            .select_related("user")
            .order_by("role", "display_name")
        )
        field.label_from_instance = lambda m: f"{m.name} · {m.areas}" if m.areas else m.name  # type: ignore[attr-defined]


class DispatchCloseForm(forms.Form):
    """The verifier's answer. It starts on no outcome; one that says what was seen needs the verifier on scene.

    A verifier who never pressed “On my way” or “I am on scene” (or who reports what they saw without having
    arrived) must say why in ``not_on_scene``; the reason goes into the verification log with the outcome.
    """

    outcome = forms.ChoiceField(label=_("Outcome"), choices=_choose(codes.DispatchOutcome.choices))
    not_on_scene = CleanTextField(
        label=_("If you did not go or did not arrive: why (required then)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    size = CleanTextField(label=_("Size: how many agents"), max_length=100, required=False)
    activity = CleanTextField(
        label=_("Activity: what they were doing"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    location = CleanTextField(label=_("Location: exact place or landmark"), max_length=300, required=False)
    uniform = CleanTextField(label=_("Uniform: markings, masks"), max_length=300, required=False)
    time = CleanTextField(label=_("Time: when, for how long"), max_length=100, required=False)
    equipment = CleanTextField(label=_("Equipment: weapons, gear"), max_length=300, required=False)
    vehicles = CleanTextField(
        label=_("Vehicles: make, colour, plates"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    rationale = CleanTextField(
        label=_("What you saw (goes into the verification log)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    safety_notes = CleanTextField(
        label=_("Safety notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    SALUTE = ("size", "activity", "location", "uniform", "time", "equipment", "vehicles")
    # outcomes that say what was seen at the place: only someone who arrived can say them without a reason
    SEEN = frozenset(
        {
            codes.DispatchOutcome.CONFIRMED,
            codes.DispatchOutcome.OTHER_AGENCY,
            codes.DispatchOutcome.NOTHING_FOUND,
        }
    )

    def __init__(self, *args: Any, dispatch: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dispatch = dispatch

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome, reason = data.get("outcome"), (data.get("not_on_scene") or "").strip()
        d = self.dispatch
        if not outcome or d is None or reason:
            return data
        if d.acknowledged_at is None and d.arrived_at is None:
            self.add_error(
                "not_on_scene",
                _("You did not press “On my way” or “I am on scene”: say why before sending an outcome."),
            )
        elif outcome in self.SEEN and d.arrived_at is None:
            self.add_error(
                "not_on_scene",
                _(
                    "This outcome says what was seen there, but no arrival is recorded: press “I am on scene” or say why."
                ),
            )
        return data

    def salute(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k, "") for k in self.SALUTE}


def _optional_bool() -> forms.NullBooleanField:
    return forms.NullBooleanField(required=False, widget=forms.NullBooleanSelect)


class IncidentForm(forms.Form):
    """Everything an incident records; coded fields validated against the network's active terms."""

    title = CleanTextField(label=_("Short title"), max_length=200)
    start_at = forms.DateTimeField(label=_("Started (UTC)"), widget=DT)
    end_at = forms.DateTimeField(label=_("Ended (UTC)"), widget=DT, required=False)
    time_precision = forms.TypedChoiceField(
        label=_("Time precision"), choices=codes.Precision.choices, coerce=int
    )
    incident_type = forms.ChoiceField(label=_("Incident type"))
    location_type = forms.ChoiceField(label=_("Location type"))
    at_or_near = forms.ChoiceField(
        label=_("At or near"), choices=[("at", _("at")), ("adjacent", _("adjacent")), ("near", _("near"))]
    )
    distance_m = forms.IntegerField(label=_("Distance (m)"), min_value=0, required=False)
    place_name = CleanTextField(label=_("Place name (private)"), max_length=200, required=False)
    address = CleanTextField(label=_("Address (private)"), max_length=300, required=False)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180, required=False)
    geo_precision = forms.TypedChoiceField(
        label=_("Place precision"), choices=codes.Precision.choices, coerce=int
    )
    locality = CleanTextField(label=_("City"), max_length=100, required=False)
    admin2 = CleanTextField(label=_("County"), max_length=100, required=False)
    admin1 = CleanTextField(label=_("State (two letters)"), max_length=2, required=False)
    public_label = CleanTextField(
        label=_("Public description of the place"),
        max_length=200,
        required=False,
        help_text=_(
            "What may be said in public, e.g. “home-improvement store parking lot, Riverside County”."
        ),
    )
    tactics = forms.MultipleChoiceField(
        label=_("Tactics"), widget=forms.CheckboxSelectMultiple, required=False
    )
    operation_name = CleanTextField(label=_("Named operation"), max_length=200, required=False)
    agents_count_low = forms.IntegerField(label=_("Agents (at least)"), min_value=0, required=False)
    agents_count_high = forms.IntegerField(label=_("Agents (at most)"), min_value=0, required=False)
    vehicles_count = forms.IntegerField(label=_("Vehicles"), min_value=0, required=False)
    people_detained_low = forms.IntegerField(label=_("People taken (at least)"), min_value=0, required=False)
    people_detained_high = forms.IntegerField(label=_("People taken (at most)"), min_value=0, required=False)
    us_citizens_detained = forms.IntegerField(label=_("U.S. citizens detained"), min_value=0, required=False)
    children_affected = _optional_bool()
    use_of_force = forms.ChoiceField(label=_("Use of force"))
    injuries = forms.IntegerField(label=_("Injuries"), min_value=0, required=False)
    fatalities = forms.IntegerField(label=_("Deaths"), min_value=0, required=False)
    warrant_presented = forms.ChoiceField(label=_("Warrant presented (as observed)"))
    entry_type = forms.ChoiceField(label=_("Entry (as observed)"))
    observers_present = _optional_bool()
    notes_private = CleanTextField(
        label=_("Private notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    notes_public = CleanTextField(
        label=_("Public note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    official_claims = CleanTextField(
        label=_("What officials said"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evidence_response = CleanTextField(
        label=_("What the evidence shows"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    publish_status = forms.ChoiceField(label=_("Publication"), choices=codes.PublishStatus.choices)
    embargo_until = forms.DateTimeField(label=_("Embargo until (UTC)"), widget=DT, required=False)

    VOCAB_FIELDS = {
        "incident_type": "incident_type",
        "location_type": "location_type",
        "tactics": "tactic",
        "use_of_force": "use_of_force",
        "warrant_presented": "warrant",
        "entry_type": "entry",
    }

    def __init__(self, *args: Any, network_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children_affected"].label = _("Children affected")
        self.fields["observers_present"].label = _("Observers present")
        for field, vocabulary in self.VOCAB_FIELDS.items():
            self.fields[field].choices = vocab.choices(network_id, vocabulary)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for low, high in (
            ("agents_count_low", "agents_count_high"),
            ("people_detained_low", "people_detained_high"),
        ):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, _("The highest count cannot be below the lowest."))
        if data.get("start_at") and data.get("end_at") and data["end_at"] < data["start_at"]:
            self.add_error("end_at", _("The end cannot be before the start."))
        for name in ("admin1",):
            data[name] = (data.get(name) or "").upper()
        for name in ("end_at", "embargo_until"):
            data.setdefault(name, None)
        return data


class AgencyForm(forms.Form):
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=codes.AgencyRole.choices)
    basis = forms.ChoiceField(label=_("Identified by"), choices=codes.IdentificationBasis.choices)

    def __init__(self, *args: Any, network_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = vocab.choices(network_id, "agency", blank="—")  # type: ignore[attr-defined]


AgencyFormSet = forms.formset_factory(AgencyForm, extra=2, max_num=12)


class SourceForm(forms.Form):
    source_type = forms.ChoiceField(label=_("Kind of source"), choices=codes.SourceType.choices)
    title = CleanTextField(label=_("Title"), max_length=300, required=False)
    url = forms.URLField(label=_("Address (URL)"), max_length=1000, required=False, assume_scheme="https")
    published_at = forms.DateTimeField(label=_("Published"), widget=DT, required=False)
    public = forms.BooleanField(label=_("May be cited publicly"), required=False)


class TermForm(forms.Form):
    vocabulary = forms.ChoiceField(label=_("Vocabulary"), choices=codes.Vocabulary.choices)
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Letters, digits, “_” and “-” only."))
    label_en = CleanTextField(label=_("Label (English)"), max_length=200)
    label_es = CleanTextField(label=_("Label (Spanish)"), max_length=200)
    label_de = CleanTextField(label=_("Label (German)"), max_length=200)
    definition = CleanTextField(
        label=_("Definition"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE, required=False)
    valid_to = forms.DateField(label=_("Valid until"), widget=DATE, required=False)
    sensitive_2011 = forms.BooleanField(label=_("Sensitive location (2011 policy)"), required=False)
    protected_2021 = forms.BooleanField(label=_("Protected area (2021 policy)"), required=False)
    courthouse_2021 = forms.BooleanField(label=_("Courthouse (2021 policy)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The end cannot be before the start."))
        return data

    def flags(self) -> dict[str, bool]:
        if self.cleaned_data["vocabulary"] != "location_type":
            return {}
        return {
            k: bool(self.cleaned_data.get(k)) for k in ("sensitive_2011", "protected_2021", "courthouse_2021")
        }


class GatewayForm(forms.Form):
    webhook_url = forms.URLField(
        label=_("Webhook address"),
        required=False,
        assume_scheme="https",
        help_text=_("Your own SMS or Signal gateway. It receives only a dispatch code and a link."),
    )
    email_enabled = forms.BooleanField(label=_("Also send e-mail"), required=False)
    new_secret = forms.BooleanField(label=_("Make a new signing secret"), required=False)

    def clean_webhook_url(self) -> str:
        """Refuse an address that leads inside now (review L4); notify.post_webhook checks again at every send."""
        url: str = self.cleaned_data.get("webhook_url") or ""
        if url:
            try:
                outbound.check_url(url)
            except outbound.OutboundRefused as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
        return url
