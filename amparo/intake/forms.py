"""Forms for the witness report, the follow-up page, the hotline operator and partner tokens.

Forms validate; actions.py changes state. Every free-text field passes validators.clean_text (valid UTF-8, no
script, no spreadsheet formula).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amparo.incidents import codes
from amparo.incidents.models import LOCATION_CHOICES, Term
from amparo.intake import conf, validators, words
from amparo.intake.filetypes import HEAD_BYTES, sniff


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"multiple": True, "accept": "image/*,video/*,audio/*"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(items) > conf.max_form_files():
            raise ValidationError(
                _("Send at most %(n)d files at once.") % {"n": conf.max_form_files()}, code="too_many"
            )
        cleaned = []
        for item in items:
            item = super().clean(item, initial)
            if item.size > conf.max_file_bytes():
                raise ValidationError(
                    _("The file %(name)s is larger than %(mb)d MB.")
                    % {"name": item.name[:60], "mb": conf.max_file_bytes() // (1024 * 1024)},
                    code="too_big",
                )
            item.seek(0)
            kind = sniff(item.read(HEAD_BYTES))
            item.seek(0)
            if kind is None:
                raise ValidationError(
                    _("The file %(name)s is not a photo, video, audio recording or PDF we can accept.")
                    % {"name": item.name[:60]},
                    code="unsupported",
                )
            item.sniffed_type = kind
            cleaned.append(item)
        return cleaned


class TextField(validators.CleanTextField):
    """A free-text field checked for invalid UTF-8, markup and spreadsheet formulas; its cleaned value is the
    normalised text that was checked (review finding L2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)


AGENCY_CHOICES = [(c, _(label)) for c, label in codes.AGENCIES]
YES_NO_UNKNOWN = [("", _("Don't know")), ("yes", _("Yes")), ("no", _("No"))]
CONSENT_CHOICES = [
    ("internal", _("The network may look at my files to verify what happened")),
    ("legal", _("They may be given to lawyers for the people affected")),
    ("public", _("They may be published, with faces and licence plates hidden")),
]
ROLE_CHOICES = [
    ("witness", _("I saw it")),
    ("affected_person", _("It happened to me")),
    ("family_member", _("It happened to my family")),
    ("anonymous", _("I'd rather not say")),
]


def localised(vocabulary: str, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Choices labelled in the page's language from the built-in vocabulary terms (English when none)."""
    language = (get_language() or "en")[:2]
    if language == "en":
        return choices
    labels = {
        t.code: t.label(language)
        for t in Term.objects.filter(vocabulary=vocabulary, network=None).only(
            "code", "label_en", "label_es", "label_de"
        )
    }
    return [(code, labels.get(code, label)) for code, label in choices]


class SaluteFields(forms.Form):
    """SALUTE: size, activity, location, uniform, time, equipment; plus vehicles, agencies, people taken, warrant."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, vocabulary in (
            ("claimed_agencies", "agency"),
            ("location_type", "location_type"),
            ("warrant_observed", "warrant"),
        ):
            field = self.fields[name]
            field.choices = localised(vocabulary, list(field.choices))  # type: ignore[attr-defined]  # choice fields

    text = TextField(label=_("What happened?"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    claimed_time = forms.DateTimeField(
        label=_("When?"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    place_text = TextField(label=_("Where? (address, corner or place, in words)"), max_length=300)
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    location_type = forms.ChoiceField(
        label=_("What kind of place?"), required=False, choices=[("", "—"), *LOCATION_CHOICES]
    )
    agents_count_low = forms.IntegerField(
        label=_("How many agents?"), required=False, min_value=0, max_value=10000
    )
    activity = TextField(
        label=_("What were they doing?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    uniform = TextField(label=_("Uniforms, masks, markings on vests"), max_length=300)
    observed_duration = TextField(label=_("For how long?"), max_length=100)
    equipment = TextField(label=_("Weapons and equipment"), max_length=300)
    vehicles_text = TextField(
        label=_("Vehicles (one per line: colour, make, model, plate if seen)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    claimed_agencies = forms.MultipleChoiceField(
        label=_("Which agencies? (as shown on vests, vehicles or said)"),
        required=False,
        choices=AGENCY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    people_taken_count = forms.IntegerField(
        label=_("How many people were taken?"), required=False, min_value=0, max_value=10000
    )
    children_present = forms.ChoiceField(
        label=_("Were children present?"), required=False, choices=YES_NO_UNKNOWN
    )
    warrant_observed = forms.ChoiceField(
        label=_("Did they show a document? (what you saw, not a legal judgement)"),
        required=False,
        choices=[("", "—"), *codes.Warrant.choices],
    )
    warrant_text = TextField(label=_("What did the document look like or say?"), max_length=500)

    def report_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        vehicles = [
            {"description": line.strip()} for line in d.get("vehicles_text", "").splitlines() if line.strip()
        ]
        children = {"yes": True, "no": False}.get(d.get("children_present") or "")
        fields = {
            "text": d.get("text", ""),
            "claimed_time": d.get("claimed_time"),
            "place_text": d.get("place_text", ""),
            "latitude": d.get("latitude"),
            "longitude": d.get("longitude"),
            "location_type": d.get("location_type") or "",
            "agents_count_low": d.get("agents_count_low"),
            "agents_count_high": d.get("agents_count_low"),
            "activity": d.get("activity", ""),
            "uniform": d.get("uniform", ""),
            "observed_duration": d.get("observed_duration", ""),
            "equipment": d.get("equipment", ""),
            "vehicles": vehicles,
            "claimed_agencies": list(d.get("claimed_agencies") or []),
            "people_taken_count": d.get("people_taken_count"),
            "children_present": children,
            "warrant_observed": d.get("warrant_observed") or "",
        }
        return fields


HAPPENING_CHOICES = [
    ("now", _("Yes, right now")),
    ("just", _("It just happened")),
    ("earlier", _("Earlier")),
]


def priority_from_happening(happening: str, people_taken: int | None) -> str | None:
    """The report's priority from the witness's answer to “Is it happening now?” (None: not answered, the default)."""
    if happening == "now":
        return codes.Priority.CRITICAL if people_taken else codes.Priority.ACTIVE
    if happening == "just":
        return codes.Priority.ACTIVE
    if happening == "earlier":
        return codes.Priority.OBSERVED
    return None


class WitnessReportForm(SaluteFields):
    happening = forms.ChoiceField(
        label=_("Is it happening now?"), required=False, choices=HAPPENING_CHOICES, widget=forms.RadioSelect
    )
    reporter_role = forms.ChoiceField(
        label=_("Who are you?"), choices=ROLE_CHOICES, initial="anonymous", required=False
    )
    files = MultipleFileField(label=_("Photos and videos"), required=False)  # type: ignore[assignment]  # a field named "files", as the page calls it
    upload_ids = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
    form_token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)  # formtoken.py
    consent = forms.MultipleChoiceField(
        label=_("What may be done with your files?"),
        required=False,
        choices=CONSENT_CHOICES,
        initial=["internal"],
        widget=forms.CheckboxSelectMultiple,
    )
    contact = TextField(
        label=_("How can we reach you? (optional, stored encrypted, deleted after a few days)"),
        max_length=200,
    )
    # honeypot: hidden by CSS, labelled for screen readers as not to be filled; people leave it empty, bots do not
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def upload_id_list(self) -> list[str]:
        return split_upload_ids(self.cleaned_data.get("upload_ids") or "")

    def report_fields(self) -> dict[str, Any]:
        fields = super().report_fields()
        d = self.cleaned_data
        taken = d.get("people_taken_count")
        priority = priority_from_happening(d.get("happening") or "", taken)
        if priority is not None:
            fields["priority"] = priority
        return fields

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_files = bool(data.get("files")) or bool(self.upload_id_list())
        if not (data.get("text") or "").strip() and not has_files:
            raise ValidationError(_("Tell us what happened, or add a photo or video."), code="empty")
        if has_files and "internal" not in (data.get("consent") or []):
            self.add_error(
                "consent",
                _("We can only keep your files if the network may look at them to verify what happened."),
            )
        return data


def split_upload_ids(raw: str) -> list[str]:
    return [part for part in raw.replace(",", " ").split() if part.isalnum() and len(part) <= 64]


class FollowupCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your follow-up code"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = words.normalise(self.cleaned_data["code"])
        if not words.looks_like_code(code):
            raise ValidationError(
                _("A follow-up code is six words, like river-maple-otter-cloud-lemon-kayak.")
            )
        return code


class FollowupAddForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=200)
    text = TextField(label=_("Anything to add?"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("More photos and videos"), required=False)  # type: ignore[assignment]  # as above
    upload_ids = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
    form_token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)  # formtoken.py
    consent = forms.MultipleChoiceField(
        label=_("What may be done with these files?"),
        required=False,
        choices=CONSENT_CHOICES,
        initial=["internal"],
        widget=forms.CheckboxSelectMultiple,
    )

    def upload_id_list(self) -> list[str]:
        return split_upload_ids(self.cleaned_data.get("upload_ids") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_files = bool(data.get("files")) or bool(self.upload_id_list())
        if not (data.get("text") or "").strip() and not has_files:
            raise ValidationError(_("Write something or add a file."), code="empty")
        if has_files and "internal" not in (data.get("consent") or []):
            self.add_error(
                "consent",
                _("We can only keep your files if the network may look at them to verify what happened."),
            )
        return data


class OperatorCallForm(SaluteFields):
    """The hotline form: a call typed in as it happens. Field order follows SALUTE so Tab walks through it."""

    field_order = [
        "priority",
        "agents_count_low",
        "activity",
        "place_text",
        "location_type",
        "uniform",
        "claimed_time",
        "observed_duration",
        "equipment",
        "vehicles_text",
        "claimed_agencies",
        "people_taken_count",
        "children_present",
        "warrant_observed",
        "warrant_text",
        "text",
        "caller_language",
        "callback",
    ]

    priority = forms.ChoiceField(
        label=_("Priority"), choices=codes.Priority.choices, initial=codes.Priority.ACTIVE
    )
    callback = TextField(
        label=_("Callback number (encrypted, deleted automatically)"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    caller_language = forms.ChoiceField(
        label=_("Caller's language"), choices=[("es", "Español"), ("en", "English"), ("de", "Deutsch")]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Notes from the call")
        self.fields["agents_count_low"].widget.attrs["autofocus"] = True
        self.fields["latitude"].widget = forms.NumberInput(attrs={"step": "any"})
        self.fields["longitude"].widget = forms.NumberInput(attrs={"step": "any"})
        self.fields["latitude"].label = _("Latitude")
        self.fields["longitude"].label = _("Longitude")

    def clean_callback(self) -> str:
        value = self.cleaned_data.get("callback", "")
        digits = "".join(ch for ch in value if ch.isdigit())
        if value and not (7 <= len(digits) <= 15 and set(value) <= set("0123456789 +-().")):
            raise ValidationError(_("A phone number has 7 to 15 digits."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((data.get(k) or "") for k in ("text", "activity", "place_text")):
            raise ValidationError(_("Note at least what is happening or where."), code="empty")
        return data


class PageForm(forms.Form):
    enabled = forms.BooleanField(label=_("Accept reports on the public report page"), required=False)
    listed = forms.BooleanField(label=_("List this network on /report/"), required=False)


class TokenForm(forms.Form):
    name = TextField(label=_("Partner organisation"), max_length=120, required=True)
