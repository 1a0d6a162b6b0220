"""Threat model finding (December 2026): an IPv6 client cannot multiply its rate-limit budget by rotating through its
own /64, while neighbours on other prefixes keep their own budgets."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from amparo.intake import privacy


def _key(address: str) -> str:
    return privacy.client_key(RequestFactory().get("/", REMOTE_ADDR=address), "report")


@pytest.mark.django_db
def test_every_address_of_one_64_is_one_client() -> None:
    same = {_key(f"2001:db8:aa:bb:{n:x}::{n:x}") for n in range(1, 50)}
    assert len(same) == 1
    assert _key("2001:db8:aa:bc::1") not in same  # the next /64 is another client
    assert _key("2001:db8:aa:bb::1") in same


@pytest.mark.django_db
def test_ipv4_keeps_one_budget_per_address_and_mapped_forms_are_the_same_client() -> None:
    assert _key("203.0.113.7") != _key("203.0.113.8")
    assert _key("::ffff:203.0.113.7") == _key("203.0.113.7")
    assert privacy.limit_unit("2001:db8::1") == "2001:db8::/64"
    assert privacy.limit_unit("not an address") == "not an address"


@pytest.mark.django_db
def test_a_rotating_ipv6_flood_is_refused_after_one_budget() -> None:
    limit = 5
    allowed = sum(privacy.take("probe", _key(f"2001:db8:1:2::{n:x}"), limit) for n in range(1, 40))
    assert allowed == limit
