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

from django.shortcuts import redirect
from django.urls import reverse

OPEN_PREFIXES = ("/static/", "/i18n/")


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
            target = self._hold(request, user)
            if target and request.path not in self._allowed():
                return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def _allowed() -> set[str]:
        return {
            reverse("accounts:password_change"),
            reverse("accounts:otp_setup"),
            reverse("accounts:otp_verify"),
            reverse("accounts:logout"),
        }

    @staticmethod
    def _hold(request, user) -> str | None:
        if user.must_change_password:
            return reverse("accounts:password_change")
        if user.needs_two_factor and not user.is_verified():
            from django_otp import devices_for_user

            has_device = any(True for _ in devices_for_user(user, confirmed=True))
            return reverse("accounts:otp_verify" if has_device else "accounts:otp_setup")
        return None
