"""Finding a person by name without storing the name readably: a keyed blind index of normalised name tokens.

A name is cut into tokens the way families say it on the phone: accents, case and order do not matter
("José Ángel Núñez" = "nunez jose angel"), hyphens and apostrophes split words, and the joining particles of Spanish
and Portuguese surnames (de, del, la, y, da, dos ...) are dropped. Each token is stored only as HMAC-SHA256 under the
blind-index key, with a purpose per network (two networks' tokens cannot be joined), cut to 128 bits. A search finds
the people whose name or aliases hold *every* token of the query. docs/people.md says what this leaks.
"""

from __future__ import annotations

import re
import unicodedata

from amparo.lib import crypto

PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "van", "von", "di"}
)
TOKEN_HEX = 32  # 128 bits of the HMAC: no collisions at any network's size


def tokens(text: str) -> list[str]:
    """The normalised words of a name, in order, without duplicates: "Ramírez-Ozuna, Xóchitl" -> ramirez ozuna xochitl."""
    folded = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[^\W\d_]+", plain)
    out: list[str] = []
    for word in words:
        if len(word) >= 2 and word not in PARTICLES and word not in out:
            out.append(word)
    return out


def token_index(network_code: str, token: str) -> str:
    return crypto.blind_index(token, f"name:{network_code}")[:TOKEN_HEX]


def indexes(network_code: str, *texts: str) -> set[str]:
    """The blind indexes of every token of ``texts`` (a legal name and its aliases)."""
    return {token_index(network_code, t) for text in texts for t in tokens(text)}
