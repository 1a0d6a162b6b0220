"""Fill gettext catalogues from a JSON file of translations, and list what is missing.

    python tools/po.py missing es [PATH_PREFIX]       print untranslated msgids (as JSON) whose source is under PREFIX
    python tools/po.py fill es FILE.json...            write msgstr for every msgid in the JSON objects
    python tools/po.py compile                          compile every catalogue to .mo (pure Python, no msgfmt needed)

A development tool: the application itself only reads the compiled .mo files.
"""

from __future__ import annotations

import ast
import json
import re
import struct
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "amparo" / "locale"


def parse(path: Path) -> list[dict]:
    entries: list[dict] = []
    cur: dict = {"refs": [], "flags": [], "comments": [], "msgid": None, "msgid_plural": None, "msgstr": {}}
    field = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if line and cur["msgstr"] and (line.startswith("#") or line.startswith("msgid ")):
            entries.append(cur)
            cur = {"refs": [], "flags": [], "comments": [], "msgid": None, "msgid_plural": None, "msgstr": {}}
            field = None
        if not line:
            if cur["msgid"] is not None:
                entries.append(cur)
            cur = {"refs": [], "flags": [], "comments": [], "msgid": None, "msgid_plural": None, "msgstr": {}}
            field = None
            continue
        if line.startswith("#:"):
            cur["refs"].extend(line[2:].split())
        elif line.startswith("#,"):
            cur["flags"].extend(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            cur["comments"].append(raw)
        elif line.startswith("msgid_plural "):
            cur["msgid_plural"] = ast.literal_eval(line[13:])
            field = "msgid_plural"
        elif line.startswith("msgid "):
            cur["msgid"] = ast.literal_eval(line[6:])
            field = "msgid"
        elif line.startswith("msgstr["):
            idx = int(line[7 : line.index("]")])
            cur["msgstr"][idx] = ast.literal_eval(line[line.index("]") + 2 :])
            field = ("msgstr", idx)
        elif line.startswith("msgstr "):
            cur["msgstr"][0] = ast.literal_eval(line[7:])
            field = ("msgstr", 0)
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, tuple):
                cur["msgstr"][field[1]] += value
            elif field:
                cur[field] += value
    return entries


def quote(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def write(path: Path, entries: list[dict]) -> None:
    out = []
    for e in entries:
        if e["msgid"] and "fuzzy" in e["flags"]:  # msgmerge's guesses are often wrong: translate afresh
            e["flags"] = [f for f in e["flags"] if f != "fuzzy"]
            e["msgstr"] = dict.fromkeys(e["msgstr"] or [0], "")
        out.extend(c for c in e["comments"] if not c.startswith("#|"))
        if e["refs"]:
            out.append("#: " + " ".join(e["refs"]))
        flags = [f for f in e["flags"] if f]
        if flags:
            out.append("#, " + ", ".join(flags))
        out.append("msgid " + quote(e["msgid"]))
        if e["msgid_plural"] is not None:
            out.append("msgid_plural " + quote(e["msgid_plural"]))
            for idx in sorted(e["msgstr"]):
                out.append(f"msgstr[{idx}] " + quote(e["msgstr"][idx]))
        else:
            out.append("msgstr " + quote(e["msgstr"].get(0, "")))
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


def compile_mo(entries: list[dict], path: Path) -> None:
    pairs = {}
    for e in entries:
        if "fuzzy" in e["flags"] and e["msgid"]:
            continue
        if e["msgid_plural"] is not None:
            if all(e["msgstr"].values()):
                key = e["msgid"] + "\0" + e["msgid_plural"]
                pairs[key] = "\0".join(e["msgstr"][i] for i in sorted(e["msgstr"]))
        elif e["msgstr"].get(0) or e["msgid"] == "":
            pairs[e["msgid"]] = e["msgstr"][0]
    keys = sorted(pairs)
    ids = [k.encode("utf-8") for k in keys]
    strs = [pairs[k].encode("utf-8") for k in keys]
    n = len(keys)
    o_ids = 7 * 4
    o_strs = o_ids + n * 8
    data_start = o_strs + n * 8
    id_table, str_table, blob = [], [], b""
    for b in ids:
        id_table.append((len(b), data_start + len(blob)))
        blob += b + b"\0"
    for b in strs:
        str_table.append((len(b), data_start + len(blob)))
        blob += b + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, n, o_ids, o_strs, 0, 0)
    body = b"".join(struct.pack("<2I", *t) for t in id_table) + b"".join(
        struct.pack("<2I", *t) for t in str_table
    )
    path.write_bytes(header + body + blob)


def main(argv: list[str]) -> int:
    cmd = argv[0]
    if cmd == "compile":
        for po in LOCALE.glob("*/LC_MESSAGES/*.po"):
            compile_mo(parse(po), po.with_suffix(".mo"))
        return 0
    lang = argv[1]
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    entries = parse(po)
    if cmd == "missing":
        prefix = argv[2] if len(argv) > 2 else ""
        todo = {}
        for e in entries:
            if not e["msgid"] or (e["msgstr"].get(0) and "fuzzy" not in e["flags"]):
                continue
            if prefix and not any(r.startswith(prefix) for r in e["refs"]):
                continue
            todo[e["msgid"]] = e["msgid_plural"] or ""
        sys.stdout.write(json.dumps(todo, ensure_ascii=False, indent=1) + "\n")
    elif cmd == "fill":
        for e in entries:
            if e["msgid"] == "":
                e["msgstr"][0] = e["msgstr"].get(0, "").replace("charset=CHARSET", "charset=UTF-8")
                e["flags"] = [f for f in e["flags"] if f != "fuzzy"]
        header = next((e["msgstr"].get(0, "") for e in entries if e["msgid"] == ""), "")
        match = re.search(r"nplurals=(\d+)", header)
        nplurals = int(match.group(1)) if match else 2
        table = {}
        for name in argv[2:]:
            table.update(json.loads(Path(name).read_text(encoding="utf-8")))
        for e in entries:
            if e["msgid"] in table:
                value = table[e["msgid"]]
                if isinstance(value, list):
                    # pad [singular, plural] to the language's number of forms (Spanish has three in Django)
                    value = value + [value[-1]] * (nplurals - len(value))
                    e["msgstr"] = dict(enumerate(value))
                else:
                    e["msgstr"] = {0: value} if e["msgid_plural"] is None else {0: value, 1: value}
                e["flags"] = [f for f in e["flags"] if f != "fuzzy"]
        write(po, entries)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
