from django.utils.translation import gettext_lazy as _

NAV = [("desk", _("Evidence"), "evidence:list", "evidence.view")]
