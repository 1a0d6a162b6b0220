"""What the follow-up page tells a returning witness: what they sent and where it stands, in plain words.

The status is told in the witness's terms, never the desk's codes: a report marked spam or "no action" reads the same as
any other report that was read, so the page reveals nothing of the network's judgement.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from amparo.incidents.codes import ReportStatus

PLAIN_STATUS = {
    ReportStatus.NEW: _("Received. A trained member of the network will read it soon."),
    ReportStatus.DISPATCHED: _("A member of the network read it and sent someone to look."),
    ReportStatus.LINKED: _(
        "A member of the network read it and added it to what they know about this event."
    ),
}
READ = _("A member of the network has read it.")

KIND_NAMES = {
    "image": _("Photo"),
    "video": _("Video"),
    "audio": _("Sound recording"),
}


def plain_status(status: str) -> Any:
    return PLAIN_STATUS.get(status, READ)  # type: ignore[call-overload]  # a TextChoices member or its value


def file_kinds(files: list[Any]) -> dict[str, Any]:
    """Each file's kind in words, by its evidence code (files whose check has not finished read as “File”)."""
    from amparo.evidence.models import EvidenceItem

    codes = [f.evidence_code for f in files if f.evidence_code]
    kinds = dict(EvidenceItem.objects.filter(code__in=codes).values_list("code", "kind")) if codes else {}
    return {
        str(f.evidence_code): KIND_NAMES.get(kinds.get(_as_uuid(f.evidence_code), ""), _("File"))
        for f in files
    }


def _as_uuid(value: str) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
