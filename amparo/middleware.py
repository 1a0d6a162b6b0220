"""Security headers for every response, and the second sign-in factor for roles that see personal data."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

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
SESSION_OTP = "amparo_otp_ok"


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
    """A signed-in user whose role needs two factors reaches nothing but the two-factor pages until verified."""

    ALLOWED = {"accounts:login", "accounts:logout", "accounts:otp", "accounts:otp_setup", "set_language"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.session.get(SESSION_OTP):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            public = not getattr(match.func, "login_required", True)
            if not public and match.view_name not in self.ALLOWED and user.needs_two_factor():  # type: ignore[union-attr]
                target = "accounts:otp" if user.has_two_factor else "accounts:otp_setup"  # type: ignore[union-attr]
                return HttpResponseRedirect(reverse(target))
        return self.get_response(request)
