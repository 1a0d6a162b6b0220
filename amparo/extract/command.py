"""``amparo extract [FILE|-] [--published YYYY-MM-DD] [--lang xx]``: print the facts found in a text as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from amparo.extract.model import LANGUAGES

__all__ = ["register", "run"]

# Larger inputs are refused rather than read into memory; only the first MAX_CHARS characters are analysed anyway.
MAX_BYTES = 16 * 1024 * 1024


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``extract`` subcommand."""
    p = subparsers.add_parser(
        "extract",
        help="propose incident facts (date, place, agencies, people taken, ...) found in a text",
        description="Read a UTF-8 text (a file, or standard input with '-') and print one JSON object: every "
        "proposed fact with the span of text it came from, plus the language.",
    )
    p.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help="text file to read; '-' (default) reads stdin"
    )
    p.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        help="publication or receipt date; relative dates are resolved against it",
    )
    p.add_argument("--lang", choices=LANGUAGES, help="language of the text (detected when omitted)")
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"amparo extract: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    published: date | None = None
    if args.published:
        try:
            published = date.fromisoformat(args.published)
        except ValueError:
            return _fail(f"--published must be a date like 2026-03-05, not {args.published!r}")
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with Path(args.file).open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return _fail(f"no such file: {args.file}")
    except IsADirectoryError:
        return _fail(f"is a directory, not a text file: {args.file}")
    except OSError as exc:
        return _fail(f"cannot read {args.file}: {exc.strerror or exc}")
    if len(data) > MAX_BYTES:
        return _fail(f"input is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _fail(f"input is not valid UTF-8 (byte {exc.start})")
    if text.startswith("\ufeff"):
        text = " " + text[1:]  # a byte-order mark; replaced, not removed, so offsets match the file
    from amparo.extract.core import extract  # compiled on first use, not whenever the `amparo` CLI starts

    result = extract(text, published=published, lang=args.lang)
    out = result.to_json()
    out["language"] = {"value": result.language, "detected": result.language_detected}  # type: ignore[assignment]
    json.dump(out, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
