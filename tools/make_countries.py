"""Write amparo/countries.json: ISO 3166-1 country names in English, Spanish and German.

Made from Debian's iso-codes package (LGPL-2.1-or-later; /usr/share/iso-codes and its translations), so Amparo ships
the table and needs no package at run time. Run again after an iso-codes update: ``python tools/make_countries.py``.
"""

from __future__ import annotations

import gettext
import json
from pathlib import Path

SOURCE = Path("/usr/share/iso-codes/json/iso_3166-1.json")
TARGET = Path(__file__).resolve().parent.parent / "amparo" / "countries.json"


def _name(t: gettext.NullTranslations, entry: dict[str, str], english: str) -> str:
    """The translated short name; the official name's translation when the short one has none."""
    found = t.gettext(english)
    if found == english and entry["name"] != english:
        found = t.gettext(entry["name"])
    return found


def main() -> None:
    entries = json.loads(SOURCE.read_text(encoding="utf-8"))["3166-1"]
    translations = {
        lang: gettext.translation("iso_3166-1", "/usr/share/locale", languages=[lang])
        for lang in ("es", "de")
    }
    table = {}
    for entry in sorted(entries, key=lambda e: e["alpha_2"]):
        english = entry.get("common_name") or entry["name"]
        table[entry["alpha_2"]] = [english, *(_name(t, entry, english) for t in translations.values())]
    lines = [f"{json.dumps(code)}: {json.dumps(names, ensure_ascii=False)}" for code, names in table.items()]
    TARGET.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"{len(table)} countries written to {TARGET}")


if __name__ == "__main__":
    main()
