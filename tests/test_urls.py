"""Project-wide sweeps over every URL: who may reach what, and the headers on every answer."""

from __future__ import annotations

import importlib
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from amparo.allowlist import PUBLIC_URL_NAMES
from amparo.testing import Personas

PARTS = [
    "accounts",
    "audit",
    "evidence",
    "intake",
    "incidents",
    "people",
    "legal",
    "public",
    "corroboration",
    "redaction",
]


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", prefix + str(p.pattern), p


ALL = list(walk(get_resolver().url_patterns))


def sample_path(route: str) -> str:
    """A concrete path for a route, with made-up values for its parameters."""
    route = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), route)
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<path:\w+>", "x/y", route)
    route = re.sub(r"<(?:str|slug):\w+>", "abc", route)
    route = re.sub(r"<\w+>", "abc", route)
    return "/" + route.lstrip("^").rstrip("$")


def object_urls() -> dict[str, Callable[[Personas], str]]:
    """Every part lists, in tests/factories.py, how to make a URL of one of its records in Red Norte."""
    found: dict[str, Callable[[Personas], str]] = {}
    for part in PARTS:
        try:
            module = importlib.import_module(f"amparo.{part}.tests.factories")
        except ModuleNotFoundError:
            continue
        found.update(module.OBJECT_URLS)
    return found


def test_public_views_are_exactly_the_allowlist() -> None:
    public = {name for name, _route, p in ALL if not getattr(p.callback, "login_required", True)}
    assert public == set(PUBLIC_URL_NAMES)


@pytest.mark.django_db
@pytest.mark.parametrize("name,route", [(n, r) for n, r, _p in ALL if n not in PUBLIC_URL_NAMES])
def test_private_urls_send_anonymous_users_to_sign_in(name: str, route: str) -> None:
    response = Client().get(sample_path(route))
    assert response.status_code == 302, name
    assert response["Location"].startswith("/accounts/login/"), name


def test_every_object_url_has_a_factory() -> None:
    with_params = {name for name, route, _p in ALL if "<" in route and name not in PUBLIC_URL_NAMES}
    missing = with_params - set(object_urls())
    assert not missing, f"add these to a tests/factories.py OBJECT_URLS: {sorted(missing)}"


@pytest.mark.django_db
def test_members_of_another_network_get_404_on_every_object_url(personas: Personas, client_as: Any) -> None:
    stranger = client_as("bob")
    factories = object_urls()
    assert factories
    for name, make_url in factories.items():
        url = make_url(personas)
        answers = {stranger.get(url).status_code, stranger.post(url, {}).status_code}
        assert 404 in answers and answers <= {404, 405}, (name, answers)


@pytest.mark.django_db
def test_security_headers_on_every_answer(personas: Personas, client_as: Any) -> None:
    for response in (Client().get("/accounts/login/"), client_as("alice").get("/")):
        assert response.status_code == 200
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
    assert client_as("alice").get("/")["Cache-Control"] == "no-store"


def test_no_template_uses_inline_script_or_style() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "amparo"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\sstyle=\"", text)
            or "<style" in text
        ):
            offenders.append(str(path.relative_to(root)))
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path.relative_to(root)))
    assert not offenders
