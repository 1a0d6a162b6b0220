from django.utils.translation import gettext_lazy as _

NAV = [(_("Evidence"), "evidence:list", "evidence.view")]
