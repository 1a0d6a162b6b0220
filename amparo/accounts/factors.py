"""What a signed-in session may reach: the second factor its member's roles need now, and the one membership a
coordinator's sign-in link opened.

- ``SESSION_OTP`` is True only once a code from the member's authenticator was checked in this session. Whether
  one is needed is asked on every request: always once the member has set one up, else by the member's *current*
  roles, so a promotion takes effect in sessions that are already open (review finding M1).
- ``SESSION_BOUND`` holds the membership a coordinator's sign-in link was made for. Such a session acts in that
  network only, and may set the account's password or two-step sign-in only when the account belongs to no other
  network: those credentials open every network, and one network's coordinator must not hand them out (M2).
"""

from __future__ import annotations

from django.http import HttpRequest

from amparo.accounts.models import Membership, User
from amparo.accounts.roles import TWO_FACTOR_ROLES

SESSION_OTP = "amparo_otp_ok"
SESSION_BOUND = "amparo_bound_membership"


def bound_membership(request: HttpRequest) -> Membership | None:
    """The membership this session is bound to, or None if it is not bound (or the membership is gone)."""
    if hasattr(request, "_amparo_bound"):
        cached: Membership | None = request._amparo_bound
        return cached
    code = request.session.get(SESSION_BOUND)
    found = None
    if code:
        found = Membership.objects.select_related("network").filter(user=request.user, code=code).first()  # type: ignore[misc]
    request._amparo_bound = found  # type: ignore[attr-defined]  # per-request cache
    return found


def is_bound(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_BOUND))


def needs_second_factor(request: HttpRequest) -> bool:
    """True while this session must still pass (or set up) a second factor for what it may reach now."""
    user = request.user
    if not isinstance(user, User) or request.session.get(SESSION_OTP):
        return False
    if user.has_two_factor:  # once set up, always asked, whatever the role
        return True
    if is_bound(request):
        bound = bound_membership(request)
        return bound is None or bound.role in TWO_FACTOR_ROLES
    return user.needs_two_factor()


def may_set_credentials(request: HttpRequest) -> bool:
    """Whether this session may set the account's password or two-step sign-in."""
    if not is_bound(request):
        return True
    bound = bound_membership(request)
    return (
        bound is not None
        and not Membership.objects.filter(user_id=bound.user_id).exclude(pk=bound.pk).exists()
    )
