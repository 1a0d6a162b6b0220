from django.utils.translation import gettext_lazy as _

NAV = [("desk", _("Redactions"), "redaction:list", "evidence.view")]
