"""Follow-up codes: six random words, shown once to the witness, stored only as a keyed digest.

256 short, distinct English words (8 bits each), so a code carries 48 random bits; guessing is further held back by
the follow-up page's rate limit. Codes are read back case- and separator-insensitively.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings

_BLOCK = """
    acorn actor adobe agent album alpha amber anchor angle apple april arch arrow aspen atlas attic
    autumn avenue bacon badge bagel baker bamboo banjo barley basil basin beach beacon bean bear beaver
    bell berry bicycle birch bison blanket bloom blue boat bonnet border bottle bowl branch bread breeze
    brick bridge brook brush bucket buffalo bugle button cabin cactus camel camera canal candle canoe canyon
    carbon cargo carpet carrot castle cedar cellar cement cereal chalk cherry chess chimney cider circle
    citrus clay cliff clock cloud clover coast cobalt cocoa comet copper coral cotton cougar crane crater
    crayon creek cricket crystal cuckoo daisy dancer delta denim desert diamond dingo dolphin domino donkey
    dragon drum dune eagle echo elbow ember engine falcon feather fern ferry fiddle field finch flame
    flute forest fossil fountain fox galaxy garden garlic gecko ginger glacier globe goat granite grape gravel
    guitar hammer harbor harvest hazel heron hill honey horizon husky igloo indigo island ivory jacket jaguar
    jasmine jelly jungle kayak kettle kiwi koala ladder lagoon lake lantern lemon lily lime linen lion
    llama lobster lotus lumber magnet mango maple marble meadow melon mesa meteor mint mirror mitten moose
    mosaic moss mountain muffin nectar nest nickel noodle nutmeg oasis ocean olive onion orbit orchid otter
    owl oyster paddle palm panda paper parrot pasta peach peanut pebble pecan pelican pepper piano pillow
    pine planet plum pony poppy potato prairie pumpkin quail quartz quilt rabbit radio raven reef ribbon
    river robin rocket saddle salmon sandal satin shell silver sketch sparrow spruce squash summit tulip walnut
    willow zebra
"""
WORDS: tuple[str, ...] = tuple(_BLOCK.split())
CODE_WORDS = 6


def new_code() -> str:
    return "-".join(secrets.choice(WORDS) for _ in range(CODE_WORDS))


def normalise(code: str) -> str:
    return "-".join(re.findall(r"[a-z]+", code.lower()))


def looks_like_code(code: str) -> bool:
    parts = normalise(code).split("-")
    return len(parts) == CODE_WORDS and all(p in _WORD_SET for p in parts)


def digest(code: str) -> str:
    """The keyed digest stored in Report.followup_digest; the code itself is never stored."""
    key = hmac.new(settings.SECRET_KEY.encode("utf-8"), b"amparo-followup-code", hashlib.sha256).digest()
    return hmac.new(key, normalise(code).encode("utf-8"), hashlib.sha256).hexdigest()


_WORD_SET = frozenset(WORDS)
assert len(WORDS) == 256 and len(_WORD_SET) == 256, "the follow-up word list must hold 256 distinct words"
