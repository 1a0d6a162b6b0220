"""The words of the tasks Amparo makes itself, chosen when a page is drawn, so each reader gets their own language.

A task stores a template name and its parameters (codes and case codes, never a name); the stored English ``title``
is kept for exports and as the fallback of a template this version does not know.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from amparo import vocab


def task_text(template: str, params: dict[str, Any]) -> str:
    if template == "locator_follow_up":
        return gettext("Check again where %(case)s is held (%(mode)s: %(result)s)") % {
            "case": params.get("case", ""),
            "mode": vocab.label("locator_mode", params.get("mode", "")),
            "result": vocab.label("locator_result", params.get("result", "")),
        }
    return ""
