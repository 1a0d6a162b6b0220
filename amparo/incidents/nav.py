from django.utils.translation import gettext_lazy as _

NAV = [
    (_("Triage"), "incidents:triage", "reports.view"),
    (_("Incidents"), "incidents:incidents", "incidents.view"),
    (_("Dispatches"), "incidents:dispatches", "incidents.view"),
]
