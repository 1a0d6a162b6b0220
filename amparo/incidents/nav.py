from django.utils.translation import gettext_lazy as _

NAV = [
    ("desk", _("Triage"), "incidents:triage", "reports.view"),
    ("desk", _("Incidents"), "incidents:incidents", "incidents.view"),
    ("desk", _("Dispatches"), "incidents:dispatches", "incidents.view"),
    ("network", _("Vocabularies"), "incidents:vocabularies", "vocabularies.edit"),
]
