"""Every word a staff member reads is in their language (issue 13, review item 7).

With the demo data, every role of the Spanish-speaking network walks every page it can reach from its dashboard, in
Spanish and in German, and the visible text of each page (text, option labels, titles, alt texts, button values) must
hold no English sentence of Amparo's own catalogue, no word of a list of English seen on real pages, and no raw code of
the vocabulary registry (amparo/vocab.py).
"""

from __future__ import annotations

import gettext
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from amparo import vocab
from amparo.allowlist import PUBLIC_URL_NAMES
from amparo.testing import signed_in_client

LOCALE = Path(__file__).resolve().parent.parent / "amparo" / "locale"
# English seen on staff pages by a reviewer, or that only a machine writes: none of it may come back.
KNOWN_ENGLISH = [
    "Demo incident",
    "Invented demo",
    "truncated",
    "unspecified",
    "True",
    "False",
    "None",
    "---------",
    "image jpg",
    "video mp4",
    "agency name",
    "keyword for",
    "count of people",
    "detention verb",
    "School or university",
    "Local police",
    "Store, market",
    "c2pa",
    "captured_at",
    "kind image",
    "view=",
    "from_level",
    "to_level",
]
# English words that are also Spanish or German words, or names: seeing them proves nothing.
SAME_IN_BOTH = {
    "Final",
    "General",
    "Local",
    "Error",
    "Total",
    "Video",
    "Audio",
    "Status",
    "Signal",
    "Border Patrol",
    # words of proper names: facilities, field offices, courts, providers and the ICE facility-type designations
    *("Facility", "County", "Counties", "Field", "Federal", "Dedicated", "Court", "Legal", "Journalist"),
    "Withholding-only",  # the legal term, kept in brackets after its translation
}
# Never followed: they change state on GET, stream files, or leave the staff side.
SKIP_NAMES = {"accounts:logout", "set_language"}
SKIP_PREFIXES = ("/static/", "/media/", "/public/", "/report/", "/receipt", "/api/")
PER_ROUTE = 2  # pages walked per URL pattern (the others differ only in their data)


class Visible(HTMLParser):
    """The text a person sees: text nodes outside scripts and styles, and the attributes read out or shown."""

    SHOWN_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.parts: list[str] = []
        self.links: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, hides its content)

    @property
    def _hidden(self) -> bool:
        return any(hides for _tag, hides in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        # not read as the page's language: scripts, and what the page marks as another language or not to translate
        hides = (
            tag in ("script", "style", "template")
            or found.get("translate") == "no"
            or (bool(found.get("lang")) and str(found.get("lang"))[:2] != self.lang)
        )
        if tag not in self.VOID:
            self._open.append((tag, hides))
        if hides or self._hidden:
            return
        for name in self.SHOWN_ATTRIBUTES:
            if found.get(name):
                self.parts.append(str(found[name]))
        if tag == "input" and found.get("type") in ("submit", "button") and found.get("value"):
            self.parts.append(str(found["value"]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def english_of_catalogue(lang: str) -> list[str]:
    """Amparo's own English messages whose translation differs: seeing one means a string escaped translation."""
    with (LOCALE / lang / "LC_MESSAGES" / "django.mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]  # the parsed .mo table
    found = set()
    for msgid, msgstr in catalogue.items():
        if not isinstance(msgid, str) or not msgid or msgid == msgstr or "%" in msgid or "{" in msgid:
            continue
        text = msgid.split("\x04")[-1]  # a pgettext context comes first
        if _telling(text):
            found.add(text)
    for kind in vocab.kinds():  # the registry's English labels that have a translation of their own
        if kind in ("language", "country"):
            continue
        for code in vocab.codes(kind):
            english = vocab.label(kind, code, "en")
            if _telling(english) and english != vocab.label(kind, code, lang):
                found.add(english)
    return sorted(found)


def _telling(english: str) -> bool:
    """Whether seeing ``english`` on a Spanish or German page shows a missed translation: a phrase, or a capitalised
    word that is neither Spanish, German nor part of the proper names of places, courts and facilities."""
    if len(english) < 5 or english in SAME_IN_BOTH:
        return False
    return " " in english or english[0].isupper()


def raw_codes() -> set[str]:
    """Registry codes no person should read: machine-shaped ones (with "_" or ".") that have a label of their own."""
    out = set()
    for kind in vocab.kinds():
        if kind in ("language", "country"):
            continue
        for code in vocab.codes(kind):
            if (
                re.fullmatch(r"[A-Za-z0-9]+([_.][A-Za-z0-9]+)+", code)
                and vocab.label(kind, code, "en") != code
            ):
                out.add(code)
    return out


def problems(text: str, english: list[str], codes: set[str]) -> list[str]:
    found = [
        f"English: {e!r} in {_around(e, text)!r}"
        for e in KNOWN_ENGLISH + english
        if e in text and _whole(e, text)
    ]
    tokens = set(re.findall(r"[A-Za-z0-9_.]+", text))
    found += [f"raw code: {c!r}" for c in sorted(codes & {t.strip(".") for t in tokens})]
    return found


def _around(phrase: str, text: str) -> str:
    at = text.index(phrase)
    return text[max(0, at - 40) : at + len(phrase) + 40]


def _whole(phrase: str, text: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", text) is not None


def walk(client: Client, lang: str) -> dict[str, str]:
    """Every staff page reachable from the dashboard by links: path -> visible text (PER_ROUTE pages per route)."""
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    pages: dict[str, str] = {}
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name in SKIP_NAMES or match.view_name in PUBLIC_URL_NAMES:
            continue
        route = match.route
        if per_route.get(route, 0) >= PER_ROUTE:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        parser = Visible(lang)
        parser.feed(response.content.decode())
        pages[path] = " · ".join(parser.parts)
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIP_PREFIXES) or parts.path in seen:
                continue
            queue.append(parts.path)
    return pages


@pytest.mark.slow
@pytest.mark.django_db
def test_every_staff_page_of_every_role_reads_in_spanish_and_german() -> None:
    from amparo import demo
    from amparo.accounts.models import Membership

    demo.build(seed=2026)
    valle = demo.NETWORKS[0][0]
    members = list(Membership.objects.filter(network__name=valle).select_related("user", "network"))
    assert {m.role for m in members} >= {"coordinator", "verifier", "operator", "caseworker", "legal_partner"}
    codes = raw_codes()
    assert {"person.viewed", "ICE_UNSPECIFIED", "on_scene_responder"} <= codes  # the check can fail
    failures: list[str] = []
    walked = 0
    for lang in ("es", "de"):
        english = english_of_catalogue(lang)
        assert "Every change and every view of personal data, newest first." in " ".join(english)
        for member in members:
            client = signed_in_client(member)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
            pages = walk(client, lang)
            assert len(pages) >= 3, f"{member.role} reached only {list(pages)}"
            walked += len(pages)
            for path, text in pages.items():
                failures += [f"{lang} {member.role} {path}: {p}" for p in problems(text, english, codes)]
    assert walked > 40
    report = sorted(set(failures))
    assert not failures, f"{len(report)} problems:\n" + "\n".join(report)


def test_the_checks_find_what_the_review_saw() -> None:
    english = ["Store, market, restaurant (customers)"]
    codes = {"person.viewed", "ICE_UNSPECIFIED"}
    seen = problems(
        "Tipo de lugar: Store, market, restaurant (customers) · person.viewed · ok True", english, codes
    )
    assert "raw code: 'person.viewed'" in seen and any(s.startswith("English: 'True'") for s in seen)
    assert any("Store, market" in s for s in seen)
    assert problems("Tipo de lugar: Tienda · Consultó la ficha de una persona", english, codes) == []
