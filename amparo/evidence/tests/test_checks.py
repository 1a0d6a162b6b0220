from __future__ import annotations

from amparo.evidence.checks import evidence_settings


def test_checks_refuse_a_bad_signing_key_and_warn_about_the_default_origin(settings: object) -> None:
    assert evidence_settings() == []
    settings.LOG_SIGNING_KEY = "PRIVATE+KEY+nonsense"  # type: ignore[attr-defined]
    settings.PRODUCTION = True  # type: ignore[attr-defined]
    settings.EVIDENCE_MAX_BYTES = 0  # type: ignore[attr-defined]
    ids = sorted(str(m.id) for m in evidence_settings())
    assert ids == ["amparo.evidence.E002", "amparo.evidence.E003", "amparo.evidence.W001"]
