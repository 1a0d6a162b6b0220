"""Security headers for every response, and the second sign-in factor for roles that see personal data."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from amparo.access import SESSION_NETWORK
from amparo.accounts import factors
from amparo.accounts.factors import SESSION_OTP

__all__ = ["SESSION_OTP", "SecurityHeadersMiddleware", "TwoFactorMiddleware"]

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response


class TwoFactorMiddleware:
    """A signed-in user reaches nothing but the two-factor pages until they pass the second factor their roles need
    *now* (asked on every request, so a promotion reaches open sessions). A session opened by a coordinator's
    sign-in link stays in that link's network, and ends when that membership does (amparo/accounts/factors.py)."""

    ALLOWED = {"accounts:login", "accounts:logout", "accounts:otp", "accounts:otp_setup", "set_language"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and factors.is_bound(request):
            bound = factors.bound_membership(request)
            if bound is None:  # removed from the network the link was for: nothing else opens
                logout(request)
                return HttpResponseRedirect(reverse("accounts:login"))
            if request.session.get(SESSION_NETWORK) != str(bound.network.code):
                request.session[SESSION_NETWORK] = str(bound.network.code)
        if user.is_authenticated and factors.needs_second_factor(request):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            public = not getattr(match.func, "login_required", True)
            if not public and match.view_name not in self.ALLOWED:
                target = "accounts:otp" if user.has_two_factor else "accounts:otp_setup"  # type: ignore[union-attr]
                return HttpResponseRedirect(reverse(target))
        return self.get_response(request)
