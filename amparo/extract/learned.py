"""The learned scorer: a small log-linear model that picks, among the readings the rules weighed, the one to propose.

The rules (``core.py``, ``facts.py``, ``geo.py``) stay the candidate generator: every count, place and keyword they
weigh is kept with its span, its hand-set score and the rule's cues (``model.Candidate``). Here each candidate, and
the choice to propose nothing, gets a feature vector (its hand score against the best one, whether the rule chose
it, its sentence's position, a detention verb, an official's attribution, quotes, a correction cue, another time,
how many readings agree with it, the field's own cues) and a linear score with the weights in ``weights.json``;
the highest score wins. The weights are trained by ``tools/extract_model.py`` on the labelled passage sets
(deterministic; that script writes the file byte for byte). A field with no weights keeps the rule's choice.
Whatever is chosen is one of the rules' proposals, so every proposal still marks its words.
"""

from __future__ import annotations

import functools
import json
import math
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from amparo.extract.lexicon import LOCATION_WEIGHT, PROTECTED
from amparo.extract.model import Candidate, Proposal
from amparo.extract.text import Sentences

__all__ = ["FIELDS", "TRACE", "Context", "TraceEntry", "choose", "features", "wanted"]

FIELDS = ("location_type", "city", "people_taken", "force")
WEIGHTS = Path(__file__).with_name("weights.json")
MAX_CANDIDATES = 40
HASHED = 256  # buckets for the words right before and after a candidate
_WORD = re.compile(r"\w+")

# When a list, extract() appends (context, candidates, the rules' choices) here and proposes the rules' choices
# unchanged: the training script reads what the rules weighed. None in normal use.
TRACE: list[TraceEntry] | None = None

_QUOTES = re.compile('["\u201c\u201d\u00ab\u00bb\u201e]')
_CORRECTION = re.compile(
    r"\b(?:but|however|actually|later|corrected|revised|in\s+fact|pero|sin\s+embargo|en\s+realidad|despu[ée]s|"
    r"luego|aber|jedoch|allerdings|sp[äa]ter|tats[äa]chlich|korrigiert\w*)\b"
)


@dataclass(frozen=True, slots=True)
class Context:
    """What the features ask about the whole text (``low`` is the same_length_lower() text)."""

    low: str
    language: str
    sentences: Sentences
    event_starts: frozenset[int]
    claim_starts: frozenset[int]
    other_times: tuple[tuple[int, int], ...]


# One extract() call seen by a trace: the context, every field's candidates, the rules' choices.
TraceEntry = tuple[Context, dict[str, list[Candidate]], dict[str, Proposal | None]]


def _field_cues(field: str, proposal: Proposal, cues: tuple[float, ...]) -> list[float]:
    """The field's own features of one candidate (a fixed number per field)."""
    value = proposal.value
    if field == "people_taken":
        n = int(value)
        return [float(n == 0), float(n == 1), math.log1p(n) / 5, *cues]
    if field == "location_type":
        code = str(value)
        return [
            LOCATION_WEIGHT.get(code, 0.5),
            float(code in PROTECTED),
            float(code == "residence"),
            float(code in ("street_public", "vehicle_stop")),
            float(code in ("commercial_retail", "worksite")),
        ]
    if field == "force":
        return [float(value is False), *cues]
    return list(
        cues
    )  # city: dateline, locative, "City, ST", reference point, the rule's confidence, shared name


_CUES = {"people_taken": 10, "location_type": 5, "force": 3, "city": 6}


def features(
    field: str, seen: list[Candidate], rule: Proposal | None, context: Context
) -> tuple[list[Proposal | None], list[list[float]]]:
    """The options (None = propose nothing) and their feature vectors, all of one length."""
    seen = seen[:MAX_CANDIDATES]
    low, sentences = context.low, context.sentences
    length = max(1, len(low))
    width = _CUES[field]
    es, de = float(context.language == "es"), float(context.language == "de")
    best = max((score for score, _, _ in seen), default=0.0)
    values = [p.value for _, p, _ in seen]
    nothing = [
        1.0,
        float(rule is None),
        float(not context.event_starts),
        min(len(seen), 10) / 10,
        es,
        de,
    ]
    options: list[Proposal | None] = [None]
    rows = [nothing + [0.0] * (13 + width + HASHED)]
    starts = sentences.starts
    for score, proposal, cues in seen:
        s = proposal.span[0]
        sent_start, sent_end = sentences.bounds(s)
        index = starts.index(sent_start) if sent_start in starts else 3
        row = [0.0] * len(nothing) + [
            max(-2.0, score - best),
            float(score >= best),
            float(rule is not None and proposal.value == rule.value),
            s / length,
            min(index, 3) / 3,
            float(sent_start in context.event_starts),
            float(sent_start in context.claim_starts),
            float(len(_QUOTES.findall(low, sent_start, s)) % 2 == 1),
            float(_CORRECTION.search(low, sent_start, sent_end) is not None),
            float(any(a <= s < b for a, b in context.other_times)),
            values.count(proposal.value) / len(values),
            es,
            de,
            *_field_cues(field, proposal, cues),
            *_words_around(low, proposal.span, sent_start, sent_end),
        ]
        options.append(proposal)
        rows.append(row)
    return options, rows


def wanted(field: str) -> bool:
    """True when the rules should hand over what they weighed for ``field`` (it has weights, or a trace runs)."""
    return TRACE is not None or field in _weights()


def _words_around(low: str, span: tuple[int, int], sent_start: int, sent_end: int) -> list[float]:
    """The four words before and the four after a candidate, in its sentence, hashed into HASHED buckets."""
    out = [0.0] * HASHED
    before = _WORD.findall(low, max(sent_start, span[0] - 60), span[0])[-4:]
    after = _WORD.findall(low, span[1], min(sent_end, span[1] + 60))[:4]
    for side, words in (("l", before), ("r", after)):
        for word in words:
            out[zlib.crc32(f"{side}:{word}".encode()) % HASHED] = 1.0
    return out


@functools.cache
def _weights() -> dict[str, tuple[float, ...]]:
    if not WEIGHTS.exists():
        return {}
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return {field: tuple(float(w) for w in weights) for field, weights in data["fields"].items()}


def choose(
    field: str, seen: list[Candidate] | None, rule: Proposal | None, context: Context
) -> Proposal | None:
    """The highest-scoring option under the field's weights; the rule's choice when the field has none."""
    weights = _weights().get(field)
    if weights is None or TRACE is not None or not seen:
        return rule
    options, rows = features(field, seen, rule, context)
    scores = [sum(w * x for w, x in zip(weights, row, strict=True)) for row in rows]
    return options[max(range(len(scores)), key=scores.__getitem__)]
