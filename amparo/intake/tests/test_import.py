from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from amparo.cli import main
from amparo.incidents.models import Report
from amparo.intake.importer import import_file
from amparo.testing import Personas

pytestmark = pytest.mark.django_db

GOOD: list[dict[str, Any]] = [
    {
        "url": "https://news.example/raid-at-car-wash",
        "published": "2026-03-02T10:00:00-06:00",
        "language": "en",
        "title": "Agents detain workers at car wash",
        "text": "Immigration agents detained five workers at a car wash on Tuesday, witnesses said.",
        "media": ["https://news.example/img/1.jpg"],
    },
    {
        "url": "https://x.com/someone/status/1",
        "published": "2026-03-02",
        "text": "Agentes de ICE en la parada del autobús de la calle 5, se llevaron a dos personas.",
    },
]


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    """One row a line; a bytes row is written as it is (broken JSON, invalid UTF-8)."""
    path.write_bytes(b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in rows))
    return path


def test_it_imports_news_and_posts_once(personas: Personas, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "feed.jsonl", GOOD)
    first = import_file(path, personas.north)
    assert (first.created, first.duplicates, first.errors) == (2, 0, [])
    again = import_file(path, personas.north)
    assert (again.created, again.duplicates) == (0, 2)
    news = Report.objects.get(source_url=GOOD[0]["url"])
    assert news.channel == "news" and news.language == "en" and news.text.startswith("Agents detain workers")
    assert news.published_at is not None and news.published_at.utcoffset() is not None
    assert news.intake_extra.media_links == ["https://news.example/img/1.jpg"]
    post = Report.objects.get(source_url=GOOD[1]["url"])
    assert post.channel == "social_media_monitoring" and post.language == "es"
    assert Report.objects.count() == 2


def test_every_bad_row_is_reported_with_its_line_and_nothing_half_saved(
    personas: Personas, tmp_path: Path
) -> None:
    rows: list[Any] = [
        GOOD[0],
        b"{not json",
        {"text": "no url here"},
        {"url": "javascript:alert(1)", "text": "x"},
        {"url": "https://a.example/1", "text": '=HYPERLINK("http://evil","click")'},
        b'{"url": "https://a.example/2", "text": "caf\xe9 bad bytes"}',
        {"url": "https://a.example/3", "text": "ok", "published": "yesterday-ish"},
        {"url": "https://a.example/4", "text": "<script>alert(1)</script>"},
        GOOD[1],
    ]
    from django.utils import translation

    with translation.override("en"):
        result = import_file(write_jsonl(tmp_path / "mixed.jsonl", rows), personas.north)
    assert result.created == 2
    lines = dict(result.errors)
    assert sorted(lines) == [2, 3, 4, 5, 6, 7, 8]
    assert "JSON" in lines[2] and "url is missing" in lines[3] and "http(s)" in lines[4]
    assert "formula" in lines[5] and "UTF-8" in lines[6] and "ISO 8601" in lines[7] and "script" in lines[8]
    assert Report.objects.count() == 2


def test_csv_with_quoted_newlines_and_a_bad_row(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_text(
        "url,published,language,text,media\n"
        'https://news.example/a,2026-01-05,es,"Redada en la obra.\nDos detenidos.",https://news.example/a.jpg\n'
        "https://news.example/b,2026-01-06,en,@SUM(1+1),\n"
        "https://news.example/c,2026-01-07,en,Agents at the school gate,\n",
        encoding="utf-8",
    )
    result = import_file(path, personas.north)
    assert result.created == 2 and [line for line, _r in result.errors] == [4]
    assert (
        Report.objects.get(source_url="https://news.example/a").text == "Redada en la obra.\nDos detenidos."
    )


def test_the_command_shows_progress_and_line_numbers(personas: Personas, tmp_path: Path, capsys: Any) -> None:
    path = write_jsonl(tmp_path / "feed.jsonl", [GOOD[0], {"url": "https://a.example/x"}])
    code = main(["import", str(path), "--network", "Red Norte"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "2/2 rows" in err and "line 2: text is missing" in err
    assert "1 reports created" in out
    assert main(["import", str(tmp_path / "missing.jsonl"), "--network", "Red Norte"]) == 2
