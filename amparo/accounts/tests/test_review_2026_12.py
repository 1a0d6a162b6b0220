"""Regression tests for the December 2026 security review (docs/security.md): M1, M2, M7, L8, driven through the real
sign-in forms with the Django test client."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amparo.accounts import actions
from amparo.accounts.models import Membership, Throttle, User
from amparo.audit.models import AuditEvent
from amparo.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db

PRIVATE_PAGES = ["/", "/people/", "/audit/", reverse("accounts:members")]


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def set_up_two_factor(client: Client) -> None:
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    secret = client.session["amparo_totp_setup"]
    assert client.post(reverse("accounts:otp_setup"), {"code": pyotp.TOTP(secret).now()}).status_code == 302


def coordinator() -> Client:
    """alice, signed in through the forms: password, then setting up her authenticator."""
    alice = Client()
    assert sign_in(alice, "alice")["Location"] == reverse("accounts:otp_setup")
    set_up_two_factor(alice)
    return alice


def promote(personas: Personas, name: str, role: str) -> None:
    alice = coordinator()
    url = reverse("accounts:member", args=[personas[name].code])
    assert alice.post(url, {"role": role, "areas": "", "available": "on"}).status_code == 302
    assert Membership.objects.get(pk=personas[name].pk).role == role


# M1: a second factor whenever a session's rights grow.


def test_m1_a_promoted_member_sets_up_two_factor_before_the_next_private_page(personas: Personas) -> None:
    rita = Client()
    assert sign_in(rita, "rita")["Location"] == "/"  # read-only: a password alone
    assert rita.get("/").status_code == 200
    promote(personas, "rita", "coordinator")
    for url in PRIVATE_PAGES:
        response = rita.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_setup"), url
    response = rita.post(reverse("accounts:members"), {"role": "verifier"})  # writes too
    assert response["Location"] == reverse("accounts:otp_setup")
    set_up_two_factor(rita)
    for url in PRIVATE_PAGES:
        assert rita.get(url).status_code == 200, url


def test_m1_a_member_who_set_up_two_factor_always_passes_it(personas: Personas) -> None:
    user = personas.user("rita")
    actions.do_confirm_two_factor(user, user.totp_secret, 0)  # set up, though read-only does not need it
    rita = Client()
    assert sign_in(rita, "rita")["Location"] == reverse("accounts:otp")
    assert rita.get("/")["Location"] == reverse("accounts:otp")
    promote(personas, "rita", "caseworker")
    assert rita.get("/people/")["Location"] == reverse("accounts:otp")
    assert rita.post(reverse("accounts:otp"), {"code": pyotp.TOTP(user.totp_secret).now()}).status_code == 302
    assert rita.get("/people/").status_code == 200


# M2: a coordinator's powers stop at their network.


@pytest.fixture
def shared(personas: Personas) -> Membership:
    """mia: read-only in Red Norte (alice's network) and verifier in Red Sur, with a password, no second factor."""
    north = actions.do_create_member(personas.north, "mia", "readonly", password=PASSWORD)
    actions.do_create_member(personas.south, "mia", "verifier")
    return north


def coordinator_link(personas: Personas, target: Membership) -> str:
    alice = coordinator()
    response = alice.post(reverse("accounts:member_link", args=[target.code]))
    assert response.status_code == 200
    return str(response.context["link_url"]).split("testserver", 1)[1]


def test_m2_a_coordinators_link_opens_only_its_own_network(personas: Personas, shared: Membership) -> None:
    client = Client()
    assert client.get(coordinator_link(personas, shared))["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200 and "Red Norte" in page.content.decode()
    assert "Red Sur" not in page.content.decode()  # the other network is not even named
    response = client.post(reverse("accounts:switch_network"), {"network": str(personas.south.code)})
    assert response.status_code == 403
    assert client.session["amparo_network"] == str(personas.north.code)
    assert "Red Sur" not in client.get("/").content.decode()
    # the same user signing in with her own password may switch
    own = Client()
    sign_in(own, "mia")
    set_up_two_factor(own)
    assert (
        own.post(reverse("accounts:switch_network"), {"network": str(personas.south.code)}).status_code == 302
    )
    assert own.session["amparo_network"] == str(personas.south.code)
    # the link is audited in its own network only
    created = AuditEvent.objects.filter(action__startswith="signin_link.")
    assert {e.network_id for e in created} == {personas.north.pk}


def test_m2_a_coordinators_link_gives_away_no_password_or_two_factor(
    personas: Personas, shared: Membership
) -> None:
    client = Client()
    client.get(coordinator_link(personas, shared))
    assert client.get(reverse("accounts:otp_setup")).status_code == 403
    response = client.post(reverse("accounts:password"), {"password": "cuatro palabras nuevas aqui"})
    assert response.status_code == 403
    mia = User.objects.get(username="mia")
    assert mia.check_password(PASSWORD) and not mia.has_two_factor and not mia.totp_secret


def test_m2_a_link_for_a_two_factor_role_of_a_shared_member_opens_nothing(
    personas: Personas, shared: Membership
) -> None:
    Membership.objects.filter(pk=shared.pk).update(role="verifier")
    client = Client()
    assert client.get(coordinator_link(personas, shared))["Location"] == reverse("accounts:otp_setup")
    assert client.get(reverse("accounts:otp_setup")).status_code == 403
    assert client.get("/")["Location"] == reverse("accounts:otp_setup")
    assert not User.objects.get(username="mia").totp_secret


def test_m2_a_link_session_ends_with_its_membership(personas: Personas, shared: Membership) -> None:
    client = Client()
    client.get(coordinator_link(personas, shared))
    assert client.get("/").status_code == 200
    actions.do_remove_member(shared, personas.user("alice"))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_m2_a_link_for_a_member_of_one_network_still_sets_everything_up(personas: Personas) -> None:
    client = Client()
    assert client.get(coordinator_link(personas, personas["carla"]))["Location"] == reverse(
        "accounts:otp_setup"
    )
    set_up_two_factor(client)
    assert client.get("/people/").status_code == 200


def test_m2_an_invitation_never_joins_an_existing_account(personas: Personas, shared: Membership) -> None:
    url = (
        coordinator()
        .post(reverse("accounts:members"), {"role": "coordinator", "email": ""})
        .context["invite_url"]
    )
    path = url.split("testserver", 1)[1]
    response = Client().post(path, {"username": "MIA", "password": "tres palabras sueltas"})
    assert response.status_code == 400
    assert Membership.objects.filter(user__username="mia").count() == 2
    assert not Membership.objects.filter(user__username="mia", role="coordinator").exists()


# M7: nobody can lock a member out by knowing a user name.


@pytest.fixture
def quick_hashes(settings: Any) -> None:
    """Dozens of checked passwords per test: a fast hasher keeps them quick (Argon2 is tested in test_signin.py).
    Listed before ``personas``, so the personas' passwords are hashed with it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def wrong_tries(client: Client, username: str, times: int) -> int:
    """How many of ``times`` wrong passwords were actually checked (not refused as too many)."""
    checked = 0
    for _ in range(times):
        response = sign_in(client, username, "not the password")
        assert response.status_code == 400
        checked += "do not match" in response.content.decode() or "no coinciden" in response.content.decode()
    return checked


def test_m7_an_attacker_is_slowed_while_the_member_signs_in_from_her_own_client(
    quick_hashes: None, personas: Personas, settings: Any
) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT_LANGUAGE="en")
    assert wrong_tries(attacker, "RITA", 40) == settings.SIGNIN_MAX_FAILURES  # 40 tries, 5 checked
    assert sign_in(attacker, "rita").status_code == 400  # even the right password waits
    member = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(member, "rita")["Location"] == "/"  # at once, first try
    # the attacker's delays grow: when the first wait is over, one more try, then twice as long
    row = Throttle.objects.get(scope="signin.pair")
    assert row.locked_until is not None
    first = row.locked_until - row.window_start
    Throttle.objects.filter(pk=row.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert wrong_tries(attacker, "rita", 3) == 1
    row.refresh_from_db()
    assert row.locked_until is not None and row.locked_until - row.window_start == 2 * first


def test_m7_many_addresses_cannot_lock_out_a_member_on_a_browser_she_used_before(
    quick_hashes: None, personas: Personas, settings: Any
) -> None:
    member = Client(REMOTE_ADDR="198.51.100.7", HTTP_ACCEPT_LANGUAGE="en")
    assert sign_in(member, "rita")["Location"] == "/"
    member.post(reverse("accounts:logout"))
    checked = 0
    for n in range(25):  # a spread-out guesser: one try from each of 25 addresses
        checked += wrong_tries(Client(REMOTE_ADDR=f"10.9.{n}.1", HTTP_ACCEPT_LANGUAGE="en"), "rita", 1)
    assert checked == 4 * settings.SIGNIN_MAX_FAILURES  # the account's shared limit for unknown clients
    assert wrong_tries(Client(REMOTE_ADDR="10.10.0.1", HTTP_ACCEPT_LANGUAGE="en"), "rita", 1) == 0
    assert sign_in(member, "rita")["Location"] == "/"  # her browser is not an unknown client
    # and the same address sharing user names cannot spray them either
    sprayer = Client(REMOTE_ADDR="203.0.113.50", HTTP_ACCEPT_LANGUAGE="en")
    checked = sum(wrong_tries(sprayer, f"user{n}", 2) for n in range(11))
    assert checked == 4 * settings.SIGNIN_MAX_FAILURES


def test_m7_a_forged_or_foreign_device_cookie_counts_as_an_unknown_client(
    quick_hashes: None, personas: Personas
) -> None:
    member = Client(REMOTE_ADDR="198.51.100.7")
    sign_in(member, "vera")  # a device cookie for vera, not for rita
    attacker = Client(REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT_LANGUAGE="en")
    attacker.cookies["amparo_device"] = member.cookies["amparo_device"].value
    assert wrong_tries(attacker, "rita", 10) == 5
    attacker.cookies["amparo_device"] = "forged:value"
    assert wrong_tries(attacker, "rita", 3) == 0


# L8: a password change asks for the current password.


def test_l8_a_password_change_asks_for_the_current_password(personas: Personas) -> None:
    rita = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(rita, "rita")
    other = Client()
    sign_in(other, "rita")
    new = "otra frase bastante larga"
    assert rita.post(reverse("accounts:password"), {"password": new}).status_code == 400
    response = rita.post(reverse("accounts:password"), {"current": "a guess", "password": new})
    assert response.status_code == 400 and "not your current password" in response.content.decode()
    assert User.objects.get(username="rita").check_password(PASSWORD)
    response = rita.post(reverse("accounts:password"), {"current": PASSWORD, "password": new})
    assert response.status_code == 302
    assert User.objects.get(username="rita").check_password(new)
    assert rita.get("/").status_code == 200  # this session stays
    assert other.get("/")["Location"].startswith(reverse("accounts:login"))  # the others end


def test_l8_guessing_the_current_password_from_an_open_session_is_throttled(personas: Personas) -> None:
    rita = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(rita, "rita")
    for _ in range(5):
        rita.post(
            reverse("accounts:password"), {"current": "a guess", "password": "otra frase bastante larga"}
        )
    response = rita.post(
        reverse("accounts:password"), {"current": PASSWORD, "password": "otra frase larga y nueva"}
    )
    assert response.status_code == 400 and "Too many failed attempts" in response.content.decode()
    assert User.objects.get(username="rita").check_password(PASSWORD)


# INFO: cookie flags (docs/security.md, "Cookies").


def test_info_cookie_flags_on_sign_in(personas: Personas, settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True  # as when AMPARO_SITE_URL is https://
    client = Client()
    assert client.get(reverse("accounts:login")).status_code == 200
    response = sign_in(client, "rita")
    assert response.status_code == 302
    cookies = client.cookies
    for name in ("sessionid", "csrftoken", "amparo_device"):
        assert cookies[name]["httponly"] and cookies[name]["secure"], name
        assert cookies[name]["samesite"] == "Lax", name
    assert not cookies["sessionid"]["expires"]  # ends with the browser
    assert cookies["amparo_device"]["max-age"] == 180 * 86400
