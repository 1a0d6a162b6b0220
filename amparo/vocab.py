"""Every code a person may read, and its label in the reader's language: one registry.

A *kind* is a vocabulary ("level", "agency", "audit_action", "metadata_key", "country" ...); a *code* is what the
database, an export or an API stores. Pages, exports and the API never show a code: they ask

    label("agency", "ICE_UNSPECIFIED")          # in the active language
    label("agency", "ICE_UNSPECIFIED", "de")    # in German
    {{ value|label:"agency" }}                  # in a template (a built-in filter, no {% load %})

Labels come from the TextChoices of each part (translated by gettext), from the built-in Term vocabularies (English in
``incidents/codes.py``, Spanish and German in ``incidents/vocab_seed.py``), from this module's own tables (audit
actions, evidence metadata, extraction reasons), from Django's own catalogue for language names, and from
``countries.json`` (ISO 3166 names in English, Spanish and German, made from Debian's iso-codes by
``tools/make_countries.py``). A code nobody registered is shown humanised ("some_code" -> "Some code"), never raw.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amparo.vocab_tables import (
    AUDIT_ACTIONS,
    AUDIT_DETAIL,
    BOOLEAN,
    C2PA_KEYS,
    C2PA_STATES,
    CAPTURED_AT_SOURCE,
    EVIDENCE_KINDS,
    EVIDENCE_VIEWS,
    EXTRA_LANGUAGES,
    EXTRACT_FIELDS,
    EXTRACT_REASONS,
    GPS_KEYS,
    METADATA_KEYS,
    OBJECT_TYPES,
    PERSON_VIEWS,
    PROBE_ERRORS,
    PROBE_MESSAGES,
    SEARCH_BY,
    VIA,
)

Label = Promise | str | tuple[str, str, str]  # a lazy translation, a plain word, or (en, es, de)
_KINDS: dict[str, dict[str, Label]] = {}
_LOADED: list[bool] = []
LANGS = ("en", "es", "de")


def register(kind: str, labels: Mapping[str, Any] | type | Iterable[tuple[str, Any]]) -> None:
    """Add codes of ``kind``: a TextChoices class, a mapping code -> label, or (code, label) pairs."""
    table = _KINDS.setdefault(kind, {})
    if isinstance(labels, type):
        pairs: Iterable[tuple[str, Any]] = labels.choices  # type: ignore[attr-defined]  # a Django Choices class
    elif isinstance(labels, Mapping):
        pairs = labels.items()
    else:
        pairs = labels
    for code, text in pairs:
        table.setdefault(str(code), text)


def _language(lang: str | None) -> str:
    found = (lang or translation.get_language() or "en")[:2]
    return found if found in LANGS else "en"


def _text(entry: Label, lang: str) -> str:
    if isinstance(entry, tuple):
        return entry[LANGS.index(lang)] or entry[0]
    if isinstance(entry, Promise):
        with translation.override(lang):
            return str(entry)
    return entry


def humanise(code: str) -> str:
    words = re.sub(r"[_.]+", " ", code).strip()
    return words[:1].upper() + words[1:]


def label(kind: str, code: Any, lang: str | None = None) -> str:
    """The label of ``code`` in ``lang`` (default: the active language); "" for an empty code."""
    if code is None or code == "":
        return ""
    if isinstance(code, bool):
        return label("boolean", "true" if code else "false", lang)
    _load()
    value = str(code)
    entry = _KINDS.get(kind, {}).get(value)
    if entry is None and kind == "language":
        return _language_name(value, _language(lang))
    if entry is None and kind == "country":
        entry = _countries().get(value.upper())
    if entry is None:
        return humanise(value)
    return _text(entry, _language(lang))


def labels(kind: str, codes: Iterable[Any], lang: str | None = None) -> str:
    """Several codes, or a comma-separated string of them, as one comma-separated list of labels."""
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.split(",")]
    return ", ".join(label(kind, c, lang) for c in codes if c not in (None, ""))


def codes(kind: str) -> list[str]:
    _load()
    if kind == "country":
        return list(_countries())
    return list(_KINDS.get(kind, {}))


def choices(kind: str, *, blank: str | None = None, lang: str | None = None) -> list[tuple[str, str]]:
    """Form choices of ``kind`` in display order, optionally after an empty one."""
    out = [(code, label(kind, code, lang)) for code in codes(kind)]
    if kind == "country":
        out.sort(key=lambda pair: pair[1])
    return ([("", blank)] if blank is not None else []) + out


def kinds() -> list[str]:
    _load()
    return sorted(_KINDS)


def known(kind: str, code: str) -> bool:
    _load()
    return code in _KINDS.get(kind, {})


# -- languages and countries ---------------------------------------------------------------------------------------


def _language_name(code: str, lang: str) -> str:
    key = code.strip().lower()
    if key in EXTRA_LANGUAGES:
        return _text(EXTRA_LANGUAGES[key], lang)
    from django.conf import global_settings

    names = dict(global_settings.LANGUAGES)
    if key in names:
        with translation.override(lang):
            return gettext(names[key])  # Django's own catalogue translates its language names
    return code


@cache
def _countries() -> dict[str, tuple[str, str, str]]:
    data = json.loads((Path(__file__).with_name("countries.json")).read_text(encoding="utf-8"))
    return {code: (names[0], names[1], names[2]) for code, names in data.items()}


# -- tables of this module: audit, evidence metadata, extraction -------------------------------------------------

_REASON_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"^keyword for (\w+)$"),
        lambda m: gettext("a word for this kind of place: %(kind)s") % {"kind": label("location_type", m[1])},
    ),
    (re.compile(r"^force mentioned$"), lambda m: gettext("force or weapons mentioned")),
    (re.compile(r"^text says no force$"), lambda m: gettext("the text says there was no force")),
    (re.compile(r"^(media|video|photos?)\b.*mentioned$"), lambda m: gettext("video or photos mentioned")),
    (
        re.compile(r"^text says no (media|video|photos?)"),
        lambda m: gettext("the text says there is no video"),
    ),
    (
        re.compile(r"^attributed: (.*)$"),
        lambda m: gettext("attributed to officials: %(words)s") % {"words": m[1]},
    ),
    (
        re.compile(r"^inferred from the city (.*)$"),
        lambda m: gettext("taken from the city %(city)s") % {"city": m[1]},
    ),
    (
        re.compile(r"^city name in the gazetteer \((\d+) places share it\)$"),
        lambda m: gettext("a known city name (%(n)s places share it)") % {"n": m[1]},
    ),
    (
        re.compile(r"^weekday resolved to the (previous|most recent) (\w+) before publication$"),
        lambda m: gettext("a weekday, counted back from the report's date"),
    ),
    (
        re.compile(r"relative|yesterday|today|ago|ayer|hoy|gestern|heute"),
        lambda m: gettext("a day named relative to the report's date"),
    ),
]


def reason(text: str) -> str:
    """An extraction reason (English, from amparo.extract) in the reader's language; several joined by "; "."""
    out = []
    for part in (p.strip() for p in (text or "").split(";")):
        if not part:
            continue
        entry = EXTRACT_REASONS.get(part)
        if entry is not None:
            out.append(str(entry))
            continue
        for pattern, make in _REASON_PATTERNS:
            m = pattern.search(part)
            if m:
                out.append(make(m))
                break
        else:
            out.append(gettext("found in the text"))
    return "; ".join(out)


def metadata_rows(metadata: Mapping[str, Any]) -> list[tuple[str, str]]:
    """An evidence item's metadata as (label, value) rows in the reader's language; nothing raw, nothing empty."""
    rows = []
    for key, value in metadata.items():
        if value in (None, "", [], {}) or key in ("message",):
            continue
        rows.append((label("metadata_key", key), metadata_value(key, value)))
    return rows


def metadata_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return label("boolean", value)
    if key == "kind":
        return label("evidence_kind", value)
    if key == "error":
        return label("probe_error", value)
    if key == "captured_at_source":
        return label("captured_at_source", value)
    if key == "c2pa" and isinstance(value, Mapping):
        state = label("c2pa_state", value.get("state", ""))
        rest = [
            f"{label('c2pa_key', k)}: {v}"
            for k, v in value.items()
            if k != "state" and v not in (None, "", [], {})
        ]
        return "; ".join([state, *rest])
    if key == "gps" and isinstance(value, Mapping):
        return ", ".join(f"{label('gps_key', k)} {v}" for k, v in value.items() if v is not None)
    if isinstance(value, Mapping):
        return "; ".join(f"{humanise(str(k))}: {v}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _detail_value(key: str, value: Any) -> str:
    kinds = AUDIT_DETAIL.get(key, (None, ()))[1]
    if isinstance(value, bool):
        return label("boolean", value)
    if isinstance(value, list):
        return ", ".join(_detail_value(key, v) for v in value)
    text = str(value)
    if key == "status" and text.startswith("("):  # a (before, after) pair written as text
        found = [a or b.lower() for a, b in re.findall(r"'(\w+)'|\w+\.(\w+)", text)]
        if len(found) == 2:
            return gettext("from %(before)s to %(after)s") % {
                "before": _detail_value(key, found[0]),
                "after": _detail_value(key, found[1]),
            }
    for kind in kinds:
        if known(kind, text):
            return label(kind, text)
    if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f-]{27}", text):
        return text[:8]  # an object's code: its first characters are enough to tell rows apart
    return humanise(text) if kinds and re.fullmatch(r"[a-z_]+", text) else text


def field_name(object_type: str, name: str) -> str:
    """A model field's own (translated) name, e.g. ("incidents.incident", "admin1") -> "State"."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    if known("field", name):
        return label("field", name)
    try:
        model = apps.get_model(object_type) if "." in object_type else None
        found = model._meta.get_field(name) if model is not None else None
    except (LookupError, FieldDoesNotExist):
        found = None
    verbose = getattr(found, "verbose_name", None)
    return str(verbose)[:1].upper() + str(verbose)[1:] if verbose else humanise(name)


def audit_detail(detail: Mapping[str, Any], object_type: str = "") -> str:
    """An audit event's detail as words: "level from Reported to Confirmed · method: Responder on scene"."""
    parts = []
    rest = dict(detail or {})
    if "from_level" in rest or "to_level" in rest:
        before, after = rest.pop("from_level", ""), rest.pop("to_level", "")
        parts.append(
            gettext("level from %(before)s to %(after)s")
            % {"before": label("level", before) or "—", "after": label("level", after) or "—"}
        )
    for key, value in rest.items():
        if value in (None, "", [], {}):
            continue
        name = AUDIT_DETAIL.get(key, (None, ()))[0]
        shown_name = str(name) if name is not None else humanise(key).lower()
        if key in ("field", "fields", "changed"):
            names = value if isinstance(value, list) else str(value).split(",")
            shown = ", ".join(field_name(object_type, str(n).strip()) for n in names if str(n).strip())
        elif key == "view" and object_type == "people.person":
            shown = label("person_view", value)
        else:
            shown = _detail_value(key, value)
        parts.append(f"{shown_name}: {shown}")
    return " · ".join(parts)


def _load() -> None:
    """Register every part's vocabularies, once (lazily: the parts' modules import models)."""
    if _LOADED:
        return
    _LOADED.append(True)
    from amparo.accounts.roles import Role
    from amparo.evidence import models as evidence
    from amparo.incidents import codes, vocab_seed
    from amparo.legal import vocab as legal
    from amparo.people import vocab as people
    from amparo.public import models as public

    register("boolean", BOOLEAN)
    register("role", Role)
    for kind, choices_class in {
        "vocabulary": codes.Vocabulary,
        "channel": codes.Channel,
        "reporter_role": codes.ReporterRole,
        "report_status": codes.ReportStatus,
        "priority": codes.Priority,
        "precision": codes.Precision,
        "publish_status": codes.PublishStatus,
        "level": codes.Level,
        "method": codes.Method,
        "dispatch_outcome": codes.DispatchOutcome,
        "agency_role": codes.AgencyRole,
        "identification_basis": codes.IdentificationBasis,
    }.items():
        register(kind, choices_class)
    for (
        kind,
        pairs,
    ) in codes.builtin_terms().items():  # the Term vocabularies: en from codes, es/de from the seed
        translated = vocab_seed.LABELS.get(str(kind), {})
        register(str(kind), {code: (en, *translated.get(code, (en, en))) for code, en in pairs})
    for module in (people, legal):
        for name, value in vars(module).items():
            if isinstance(value, type) and hasattr(value, "choices") and value.__module__ == module.__name__:
                register(re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower(), value)
    register("evidence_consent", evidence.Consent)
    register("evidence_source", evidence.Source)
    register("custody_action", evidence.Action)
    register("evidence_kind", EVIDENCE_KINDS)
    register("evidence_view", EVIDENCE_VIEWS)
    register("person_view", PERSON_VIEWS)
    register("metadata_key", METADATA_KEYS)
    register("captured_at_source", CAPTURED_AT_SOURCE)
    register("c2pa_state", C2PA_STATES)
    register("c2pa_key", C2PA_KEYS)
    register("gps_key", GPS_KEYS)
    register("probe_error", PROBE_ERRORS)
    register("probe_message", PROBE_MESSAGES)
    register("field", EXTRACT_FIELDS)
    register("audit_action", AUDIT_ACTIONS)
    register("object_type", OBJECT_TYPES)
    register("search_by", SEARCH_BY)
    register("via", VIA)
    register("date_precision", public.DatePrecision)
    register("geo_level", public.GeoLevel)
    register("language", EXTRA_LANGUAGES)


CHOOSE = _("Choose…")


def install_empty_choice() -> None:
    """Django's "---------" empty choice reads "Choose…" in the reader's language instead, in every form.

    Django writes the dashes in two places: the blank choice of model fields with choices (a module-level list every
    field shares) and the default ``empty_label`` of ``ModelChoiceField`` (a keyword default). Both are set here once,
    at start-up (``AuditConfig.ready``), before any form class is built.
    """
    from django.db.models import fields
    from django.forms.models import ModelChoiceField

    fields.BLANK_CHOICE_DASH[:] = [("", CHOOSE)]  # type: ignore[list-item]  # lazy, rendered translated
    defaults = ModelChoiceField.__init__.__kwdefaults__ or {}
    if defaults.get("empty_label") == "---------":
        defaults["empty_label"] = CHOOSE
