from django.utils.translation import gettext_lazy as _

NAV = [
    (_("Referrals"), "legal:referrals", "legal.view"),
    (_("Legal providers"), "legal:providers", "legal.view"),
]
