from django.utils.translation import gettext_lazy as _

NAV = [
    ("people", _("Referrals"), "legal:referrals", "legal.view"),
    ("people", _("Legal providers"), "legal:providers", "legal.view"),
]
