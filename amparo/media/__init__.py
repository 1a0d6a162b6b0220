"""Amparo's media library: streaming hashes, safe metadata probing, perceptual hashes and look-up.

Plain Python with no Django import. Heavy parts (PyAV, faiss, numpy) load on first use, so importing
``amparo.media`` for hashing or probing stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "HashingWriter": "hashing",
    "TooLarge": "hashing",
    "copy_and_hash": "hashing",
    "hash_file": "hashing",
    "ERROR_CODES": "probe",
    "ProbeResult": "probe",
    "probe": "probe",
    "probe_in_process": "probe",
    "image_hashes": "pdq",
    "image_file_hashes": "pdq",
    "MediaError": "sandbox",
    "fingerprint_video_sandboxed": "video",
    "image_hash": "pdq",
    "hamming": "pdq",
    "VideoFingerprint": "video",
    "MatchResult": "video",
    "fingerprint_video": "video",
    "match_videos": "video",
    "BinaryIndex": "index",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'amparo.media' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"amparo.media.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
