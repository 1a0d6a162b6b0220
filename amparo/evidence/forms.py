from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.evidence import consent
from amparo.evidence.models import Consent


class AddEvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    consent = forms.ChoiceField(label=_("Consent"), choices=Consent.choices, initial=Consent.INTERNAL)


class RecordConsentForm(forms.Form):
    """A staff member records the consent the source gave: the uses beyond internal, and how it was given."""

    uses = forms.MultipleChoiceField(
        label=_("Besides the network looking at it, the source allowed"),
        required=False,
        choices=[
            (consent.LEGAL, _("Giving it to lawyers for the people affected")),
            (consent.PUBLIC, _("Publishing it, with faces and licence plates hidden")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    basis = forms.ChoiceField(
        label=_("How the source gave this consent"),
        choices=[("", _("Choose…")), *consent.BASES],  # the empty choice of amparo/vocab.py, translated
        required=True,
    )


class ReceiptCheckForm(forms.Form):
    MAX_PROOF = 1 << 20

    code = forms.CharField(label=_("Receipt code"), max_length=40, required=False)
    proof = forms.FileField(label=_("Or a receipt file (.tlog-proof)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("code") and not data.get("proof"):
            raise forms.ValidationError(_("Type a receipt code or choose a receipt file."))
        proof = data.get("proof")
        if proof is not None and proof.size > self.MAX_PROOF:
            raise forms.ValidationError(_("That file is too large to be a receipt."))
        return data


class DeleteOriginalForm(forms.Form):
    """An authorised deletion: why, who asked, and the first characters of the hash typed to confirm."""

    reason = forms.ChoiceField(label=_("Why"), choices=[("", _("Choose…"))], required=True)
    authority = forms.CharField(
        label=_("Who asked for it"),
        max_length=200,
        help_text=_("A court's case number, or how the witness asked. No names."),
    )
    confirm = forms.CharField(
        label=_("Type the first 12 characters of the SHA-256 to confirm"), max_length=12
    )

    def __init__(self, *args: object, sha256: str = "", **kwargs: object) -> None:
        from amparo.evidence.deletion import REASONS

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # forwards Django's form arguments
        self.sha256 = sha256
        self.fields["reason"].choices = [("", _("Choose…")), *REASONS.items()]  # type: ignore[attr-defined]

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"].strip().lower()
        if typed != self.sha256[:12]:
            raise forms.ValidationError(_("That is not the start of this file's SHA-256."))
        return typed
