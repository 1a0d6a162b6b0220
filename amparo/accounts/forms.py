from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.accounts.roles import Role


class SignInForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=200)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # forwards Form's own arguments
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Enter the six digits shown in your app.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # forwards Form's own arguments
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class JoinForm(forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        regex=r"^[\w.@+-]{3,150}$",
        error_messages={"invalid": _("3 to 150 letters, digits and . @ + - _ only.")},
        help_text=_("Use a name that does not identify you to outsiders."),
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=200)

    def clean_username(self) -> str:
        name = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("That user name is taken."))
        return name

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class PasswordForm(forms.Form):
    """A new password; the current one too, when the account has one (a session left open is not enough)."""

    current = forms.CharField(label=_("Current password"), widget=forms.PasswordInput, max_length=200)
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, max_length=200)

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        self.user = user
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # forwards Form's own arguments
        self.asks_current = user.has_usable_password()
        if self.asks_current:
            self.fields["current"].widget.attrs.update({"autocomplete": "current-password"})
        else:
            del self.fields["current"]  # the first password, after a sign-in link
        self.fields["password"].widget.attrs.update({"autocomplete": "new-password"})

    def clean_current(self) -> str:
        current = self.cleaned_data["current"]
        if not self.user.check_password(current):
            raise forms.ValidationError(_("That is not your current password."))
        return current

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    areas = forms.CharField(label=_("Areas covered"), max_length=300, required=False)
    available = forms.BooleanField(label=_("Available for dispatch"), required=False)
