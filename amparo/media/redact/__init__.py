"""Redaction of pictures and videos for publication: proposals of what to hide, and the redacted copy.

A plain library (no Django): the app stores a :class:`Proposal` as JSON (``to_dict``/``from_dict``), lets people
edit its tracks, and calls :func:`render` with the approved tracks. Both :func:`propose` and :func:`render`
decode in the media sandbox and raise :class:`MediaError` for a file they cannot safely read.
See docs/redaction.md for how proposals are made and how well they do.
"""

from amparo.media.redact.model import KINDS, LABELS, SOURCES, STYLES, Box, Proposal, RenderResult, Track
from amparo.media.redact.pipeline import Limits, MediaError, propose, render

__all__ = [
    "KINDS",
    "LABELS",
    "SOURCES",
    "STYLES",
    "Box",
    "Limits",
    "MediaError",
    "Proposal",
    "RenderResult",
    "Track",
    "propose",
    "render",
]
