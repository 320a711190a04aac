"""Holds a signed-in person at the door until their account is safe to use.

Two conditions, checked on every request of a signed-in user:
1. a new account (or one whose password an administrator reset) must choose its own
   password first (`must_change_password`);
2. national and province accounts must have passed a second factor in this session
   (`roles.RULES[...].two_factor`): set one up if they have none, else enter a code.
Only the pages that resolve those conditions, logout, the language switch and static files
are reachable meanwhile.
"""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse

OPEN_PREFIXES = ("/static/", "/i18n/")


def with_next(url: str, next_url: str) -> str:
    """`url?next=…`, encoded as Django's own login redirect does (slashes kept readable)."""
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return f"{url}?{query.urlencode(safe='/')}"


class AccountGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            hold = self._hold(user)
            if hold is not None:
                target, allowed = hold
                if request.path not in allowed:
                    return redirect(with_next(target, request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    def _hold(user) -> tuple[str, set[str]] | None:
        """The page that resolves the first unmet condition, and the pages open meanwhile
        (only those of this step, so the steps happen in order)."""
        logout = reverse("accounts:logout")
        if user.must_change_password:
            target = reverse("accounts:password_change")
            return target, {target, logout}
        if user.needs_two_factor and not user.is_verified():
            from cheepao.accounts.selectors import confirmed_devices

            setup, verify = reverse("accounts:otp_setup"), reverse("accounts:otp_verify")
            return (verify if confirmed_devices(user) else setup), {setup, verify, logout}
        return None
