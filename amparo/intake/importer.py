"""Monitoring import: news articles and social-media posts from JSON Lines or CSV, one report each.

Each row: ``url``, ``text`` (required), ``published`` (ISO 8601), ``language``, ``type`` (news or social; guessed
from the address when absent), ``title``, ``media`` (links, kept as metadata only; nothing is downloaded). The same
url and text imported twice make one report (Report.content_hash). Every bad row is reported with its line number
and reason, and each row is saved in its own transaction, so nothing is ever half-saved.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError
from django.utils.dateparse import parse_date, parse_datetime

from amparo.accounts.models import Network
from amparo.incidents import codes
from amparo.incidents.models import Report
from amparo.intake import actions, validators

MAX_ROW_BYTES = 1 << 20
SOCIAL_HOSTS = (
    "twitter.com",
    "x.com",
    "facebook.com",
    "instagram.com",
    "tiktok.com",
    "youtube.com",
    "youtu.be",
    "bsky.app",
    "t.me",
    "threads.net",
    "reddit.com",
    "mastodon.social",
)
_url = URLValidator(schemes=["http", "https"])


class RowError(ValueError):
    pass


@dataclass
class ImportResult:
    created: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Row:
    line: int
    data: dict[str, Any]
    bad_utf8: bool = False


def _physical_lines(raw: bytes) -> tuple[list[str], set[int]]:
    """Decode line by line so one bad byte spoils one row, not the file. Returns lines and bad line numbers."""
    lines: list[str] = []
    bad: set[int] = set()
    for number, chunk in enumerate(raw.splitlines(keepends=True), start=1):
        try:
            lines.append(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(chunk.decode("utf-8", errors="replace"))
            bad.add(number)
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    return lines, bad


def read_rows(path: Path, fmt: str) -> Iterator[Row]:
    raw = path.read_bytes()
    lines, bad = _physical_lines(raw)
    if fmt == "jsonl":
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            if number in bad:
                yield Row(number, {}, bad_utf8=True)
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Row(number, {"__error__": f"not valid JSON ({exc.msg})"})
                continue
            yield Row(number, data if isinstance(data, dict) else {"__error__": "not a JSON object"})
        return
    reader = csv.DictReader(io.StringIO("".join(lines), newline=""))
    start = 2
    try:
        for data in reader:
            end = reader.line_num
            spoiled = any(n in bad for n in range(start, end + 1))
            if None in data:
                data = {"__error__": "more values than column names"}
            yield Row(start, data, bad_utf8=spoiled)
            start = end + 1
    except csv.Error as exc:
        yield Row(start, {"__error__": f"malformed CSV ({exc})"})


def _text(row: dict[str, Any], key: str, limit: int) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowError(f"{key} must be text")
    if len(value) > limit:
        raise RowError(f"{key} is longer than {limit} characters")
    try:
        return validators.clean_text(value)
    except ValidationError as exc:
        raise RowError(f"{key}: {' '.join(exc.messages)}") from None


def _published(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RowError("published must be an ISO 8601 date")
    try:
        parsed = parse_datetime(value.strip())
        if parsed is None:
            day = parse_date(value.strip())
            parsed = datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise RowError(f"published {value[:40]!r} is not an ISO 8601 date")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _media(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    links = value.split() if isinstance(value, str) else value
    if not isinstance(links, list) or not all(isinstance(link, str) for link in links):
        raise RowError("media must be a list of links")
    for link in links:
        try:
            _url(link)
        except ValidationError:
            raise RowError(f"media link {link[:60]!r} is not an http(s) address") from None
    return links[:50]


def parse(row: dict[str, Any]) -> dict[str, Any]:
    """A validated row, or RowError with the reason."""
    if "__error__" in row:
        raise RowError(row["__error__"])
    url = row.get("url")
    if not isinstance(url, str) or not url.strip():
        raise RowError("url is missing")
    url = url.strip()
    try:
        _url(url)
    except ValidationError:
        raise RowError(f"url {url[:60]!r} is not an http(s) address") from None
    if len(url) > 1000:
        raise RowError("url is longer than 1000 characters")
    text = _text(row, "text", 100_000)
    if not text:
        raise RowError("text is missing")
    title = _text(row, "title", 500)
    kind = str(row.get("type") or "").strip().lower()
    if kind and kind not in ("news", "social"):
        raise RowError("type must be news or social")
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    social = kind == "social" or (not kind and any(host == h or host.endswith("." + h) for h in SOCIAL_HOSTS))
    language = str(row.get("language") or "").strip().lower()[:2]
    return {
        "url": url,
        "text": f"{title}\n\n{text}" if title else text,
        "published": _published(row.get("published")),
        "language": language,
        "media": _media(row.get("media")),
        "channel": codes.Channel.SOCIAL_MEDIA if social else codes.Channel.NEWS,
    }


def import_file(
    path: Path,
    network: Network,
    *,
    fmt: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    fmt = fmt or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    rows = list(read_rows(path, fmt))
    result = ImportResult()
    for done, row in enumerate(rows, start=1):
        try:
            if row.bad_utf8:
                raise RowError("not valid UTF-8")
            item = parse(row.data)
        except RowError as exc:
            result.errors.append((row.line, str(exc)))
        else:
            digest = actions.content_hash(item["url"], item["text"])
            if Report.objects.filter(network=network, content_hash=digest).exists():
                result.duplicates += 1
            else:
                try:
                    actions.do_create_report(
                        network,
                        {"text": item["text"], "source_url": item["url"], "published_at": item["published"]},
                        channel=item["channel"],
                        language=item["language"],
                        reporter_role=codes.ReporterRole.JOURNALIST
                        if item["channel"] == codes.Channel.NEWS
                        else codes.ReporterRole.UNKNOWN,
                        consent_uses=(),
                        media_links=item["media"],
                        dedupe_hash=digest,
                        via="import",
                    )
                    result.created += 1
                except IntegrityError:  # imported by someone else at the same moment
                    result.duplicates += 1
        if progress is not None:
            progress(done, len(rows))
    return result
