from __future__ import annotations

from typing import Any

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from amparo.accounts import actions
from amparo.accounts.models import Membership, User
from amparo.audit.models import AuditEvent
from amparo.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def enable_two_factor(user: User) -> str:
    actions.do_confirm_two_factor(user, user.totp_secret, 0)
    return user.totp_secret


def test_it_signs_in_with_password_then_code(personas: Personas) -> None:
    secret = enable_two_factor(personas.user("alice"))
    client = Client()
    response = sign_in(client, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp")
    # the dashboard stays closed until the second step
    assert client.get("/")["Location"] == reverse("accounts:otp")
    response = client.post(reverse("accounts:otp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert "Red Norte" in page.content.decode()


def test_it_refuses_a_wrong_code_and_a_replayed_code(personas: Personas) -> None:
    secret = enable_two_factor(personas.user("alice"))
    client = Client()
    sign_in(client, "alice")
    assert client.post(reverse("accounts:otp"), {"code": "000000"}).status_code == 400
    code = pyotp.TOTP(secret).now()
    assert client.post(reverse("accounts:otp"), {"code": code}).status_code == 302
    other = Client()
    sign_in(other, "alice")
    assert other.post(reverse("accounts:otp"), {"code": code}).status_code == 400


def test_it_requires_setting_up_two_factor_for_roles_that_see_personal_data(personas: Personas) -> None:
    client = Client()
    response = sign_in(client, "carla")
    assert response["Location"] == reverse("accounts:otp_setup")
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200 and b"<svg" in page.content
    secret = client.session["amparo_totp_setup"]
    response = client.post(reverse("accounts:otp_setup"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    carla = User.objects.get(username="carla")
    assert carla.has_two_factor and carla.totp_secret == secret
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="two_factor.enabled", actor=carla).exists()


def test_read_only_members_sign_in_with_a_password_alone(personas: Personas) -> None:
    client = Client()
    assert sign_in(client, "rita")["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_throttles_failed_sign_ins(personas: Personas, settings: Any) -> None:
    settings.SIGNIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        assert sign_in(client, "alice", "wrong password").status_code == 400
    response = sign_in(client, "alice")  # even the right password is refused while throttled
    assert response.status_code == 400
    assert (
        "Too many failed attempts" in response.content.decode() or "Demasiados" in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_errors_are_in_the_users_language(personas: Personas) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    response = sign_in(client, "alice", "wrong password")
    assert "no coinciden" in response.content.decode()


def test_an_invitation_link_works_once(personas: Personas, client_as: Any) -> None:
    alice = client_as("alice")
    response = alice.post(reverse("accounts:members"), {"role": "verifier", "email": ""})
    url = response.context["invite_url"]
    assert "/accounts/join/" in url
    path = url.split("testserver", 1)[1]
    newcomer = Client()
    response = newcomer.post(path, {"username": "nuevo", "password": "tres palabras sueltas"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_setup")
    membership = Membership.objects.get(user__username="nuevo")
    assert membership.network == personas.north and membership.role == "verifier"
    assert Client().get(path).status_code == 404


def test_a_signin_link_works_once_and_expires(personas: Personas) -> None:
    token = actions.do_create_signin_link(personas.user("carla"))
    path = reverse("accounts:link", args=[token])
    client = Client()
    assert client.get(path)["Location"] == reverse("accounts:otp_setup")
    assert Client().get(path).status_code == 404
    assert Client().get(reverse("accounts:link", args=["not-a-token"])).status_code == 404


def test_only_coordinators_manage_members(personas: Personas, client_as: Any) -> None:
    assert client_as("alice").get(reverse("accounts:members")).status_code == 200
    for name in ("vera", "omar", "carla", "lena", "rita"):
        assert client_as(name).get(reverse("accounts:members")).status_code == 403, name
    url = reverse("accounts:member", args=[personas["vera"].code])
    assert client_as("rita").post(url, {"role": "coordinator"}).status_code == 403
    assert client_as("bob").get(url).status_code == 404


def test_a_coordinator_changes_a_role_and_it_is_audited(personas: Personas, client_as: Any) -> None:
    url = reverse("accounts:member", args=[personas["vera"].code])
    response = client_as("alice").post(url, {"role": "caseworker", "areas": "95112", "available": "on"})
    assert response.status_code == 302
    vera = Membership.objects.get(pk=personas["vera"].pk)
    assert vera.role == "caseworker" and vera.areas == "95112"
    event = AuditEvent.objects.get(action="member.changed")
    assert event.detail == {"role_before": "verifier", "role": "caseworker"} and event.actor == personas.user(
        "alice"
    )


def test_sessions_expire(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_passwords_are_hashed_with_argon2(personas: Personas) -> None:
    assert personas.user("alice").password.startswith("argon2")
