from __future__ import annotations

import math
from datetime import timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.access import (
    SESSION_NETWORK,
    acting_user,
    capability_required,
    get_for_member,
    require_membership,
)
from amparo.accounts import actions, devices, factors, throttle, totp
from amparo.accounts.factors import SESSION_BOUND, SESSION_OTP
from amparo.accounts.forms import CodeForm, InviteForm, JoinForm, MemberForm, PasswordForm, SignInForm
from amparo.accounts.models import Invitation, Membership, SignInLink, User, token_digest

SESSION_SETUP_SECRET = "amparo_totp_setup"  # noqa: S105  (a session key name, not a secret)


def _after_first_factor(request: HttpRequest, user: User, bound: Membership | None = None) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_OTP] = False  # True only once a code is checked (amparo/accounts/factors.py)
    if bound is not None:
        request.session[SESSION_BOUND] = str(bound.code)
        request.session[SESSION_NETWORK] = str(bound.network.code)
    if user.language:
        request.session["_language"] = user.language
    if factors.needs_second_factor(request):
        return redirect("accounts:otp" if user.has_two_factor else "accounts:otp_setup")
    return redirect(settings.LOGIN_REDIRECT_URL)


def _too_many(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    if minutes == 1:
        return _("Too many failed attempts. Wait a minute and try again.")
    return _("Too many failed attempts. Wait %(minutes)d minutes and try again.") % {"minutes": minutes}


@login_not_required
def signin(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        own, shared = devices.signin_keys(request, username)
        wait = throttle.reserve(
            own + shared, throttle.signin_window()
        )  # counted before the password is checked
        if wait is not None:
            form.add_error(None, _too_many(wait))
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                form.add_error(None, _("That user name and password do not match."))
            else:
                for scope, key, _limit in own:
                    throttle.clear(scope, key)
                throttle.release(shared)
                response = _after_first_factor(request, user)  # type: ignore[arg-type]  # our User model
                devices.remember(request, response, username)
                return response
    status = 400 if form.errors else 200
    return render(request, "accounts/signin.html", {"form": form}, status=status)


def otp(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # signed in: LoginRequiredMiddleware
    if not user.has_two_factor:
        return redirect("accounts:otp_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = throttle.throttle_key("otp", str(user.code))
        wait = throttle.reserve([("otp", key, settings.SIGNIN_MAX_FAILURES)], throttle.signin_window())
        if wait is not None:
            form.add_error(None, _too_many(wait))
        else:
            step = totp.matching_step(user.totp_secret, form.cleaned_data["code"], user.totp_last_step)
            if step is None:
                form.add_error("code", _("That code is not valid. Codes change every 30 seconds."))
            else:
                throttle.clear("otp", key)
                user.totp_last_step = step
                user.save(update_fields=["totp_last_step"])
                request.session.cycle_key()
                request.session[SESSION_OTP] = True
                return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/otp.html", {"form": form}, status=400 if form.errors else 200)


def otp_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # signed in: LoginRequiredMiddleware
    if user.has_two_factor and not request.session.get(SESSION_OTP):
        return redirect("accounts:otp")
    if not factors.may_set_credentials(request):
        return render(request, "accounts/credentials_elsewhere.html", status=403)
    secret = request.session.get(SESSION_SETUP_SECRET) or totp.new_secret()
    request.session[SESSION_SETUP_SECRET] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = totp.matching_step(secret, form.cleaned_data["code"])
        if step is None:
            form.add_error("code", _("That code is not valid. Check the time on your phone and try again."))
        else:
            actions.do_confirm_two_factor(user, secret, step)
            del request.session[SESSION_SETUP_SECRET]
            request.session.cycle_key()
            request.session[SESSION_OTP] = True
            messages.success(request, _("Two-step sign-in is on."))
            if not user.has_usable_password():
                return redirect("accounts:password")
            return redirect(settings.LOGIN_REDIRECT_URL)
    uri = totp.provisioning_uri(secret, user.get_username())
    qr_svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    # the otpauth:// link is for a phone that cannot scan a code on its own screen
    context = {"form": form, "qr_svg": qr_svg, "secret": grouped, "otpauth_uri": uri}
    return render(request, "accounts/otp_setup.html", context, status=400 if form.errors else 200)


@login_not_required
def signin_link(request: HttpRequest, token: str) -> HttpResponse:
    link = (
        SignInLink.objects.select_related("user", "membership__network")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if link is None or not actions.do_use_signin_link(link):
        return render(request, "accounts/link_invalid.html", status=404)
    return _after_first_factor(request, link.user, bound=link.membership)


@login_not_required
def join(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("network").filter(token_digest=token_digest(token)).first()
    if invitation is None or not invitation.usable:
        return render(request, "accounts/link_invalid.html", status=404)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = actions.do_accept_invitation(
            invitation, form.cleaned_data["username"], form.cleaned_data["password"], request.LANGUAGE_CODE
        )
        return _after_first_factor(request, membership.user)
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/join.html", context, status=400 if form.errors else 200)


def password(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # signed in
    if not factors.may_set_credentials(request):
        return render(request, "accounts/credentials_elsewhere.html", status=403)
    form = PasswordForm(user, request.POST or None)
    key = throttle.throttle_key("password", str(user.code))
    keys = [("password", key, settings.SIGNIN_MAX_FAILURES)]
    wait = throttle.reserve(keys, throttle.signin_window()) if form.is_bound and form.asks_current else None
    if wait is not None:
        form.add_error(None, _too_many(wait))
    elif form.is_bound and form.is_valid():
        throttle.clear("password", key)
        actions.do_set_password(user, form.cleaned_data["password"])
        update_session_auth_hash(request, user)  # this session stays as it was; the user's others end
        messages.success(request, _("Your password is saved."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/password.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@require_POST
def switch_network(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("network", "")
    membership = Membership.objects.filter(user=request.user, network__code__iexact=code).first()  # type: ignore[misc]
    if membership is None:
        return HttpResponse(status=404)
    if factors.is_bound(request) and request.session.get(SESSION_BOUND) != str(membership.code):
        return HttpResponse(status=403)  # a coordinator's sign-in link opens its own network only
    request.session[SESSION_NETWORK] = str(membership.network.code)
    return redirect("dashboard")


@capability_required("members.manage")
def members(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    form = InviteForm(request.POST or None)
    invite_url = None
    if request.method == "POST" and form.is_valid():
        _inv, token = actions.do_invite(
            membership.network,
            form.cleaned_data["role"],
            acting_user(request),
            form.cleaned_data["email"],
        )
        invite_url = request.build_absolute_uri(reverse("accounts:join", args=[token]))
        form = InviteForm()
    rows = membership.network.memberships.select_related("user").order_by("role", "user__username")
    context = {"form": form, "rows": rows, "invite_url": invite_url}
    return render(request, "accounts/members.html", context, status=400 if form.errors else 200)


@capability_required("members.manage")
def member(request: HttpRequest, code: str) -> HttpResponse:
    target = get_for_member(
        request,
        Membership.objects.select_related("user"),
        read="members.manage",
        write="members.manage",
        code=code,
    )
    form = MemberForm(
        request.POST or None,
        initial={"role": target.role, "areas": target.areas, "available": target.available},
    )
    if request.method == "POST" and "remove" in request.POST:
        if target.user_id == request.user.pk:
            messages.error(request, _("You cannot remove yourself."))
        else:
            actions.do_remove_member(target, acting_user(request))
            messages.success(request, _("Member removed."))
            return redirect("accounts:members")
    elif request.method == "POST" and form.is_valid():
        actions.do_change_member(
            target,
            acting_user(request),
            form.cleaned_data["role"],
            form.cleaned_data["areas"],
            form.cleaned_data["available"],
        )
        messages.success(request, _("Saved."))
        return redirect("accounts:members")
    context = {"form": form, "target": target}
    return render(request, "accounts/member.html", context, status=400 if form.errors else 200)


@capability_required("members.manage")
@require_POST
def member_link(request: HttpRequest, code: str) -> HttpResponse:
    target = get_for_member(
        request,
        Membership.objects.select_related("user"),
        read="members.manage",
        write="members.manage",
        code=code,
    )
    token = actions.do_create_signin_link(target.user, acting_user(request), membership=target)
    url = request.build_absolute_uri(reverse("accounts:link", args=[token]))
    return render(request, "accounts/member.html", {"form": MemberForm(), "target": target, "link_url": url})
