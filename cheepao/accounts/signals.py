"""Sign-in, sign-out and failed sign-in go to the audit log.

Django and django-axes announce these through signals (the login view is Django's own), so
the receivers are the only place to hear them; they only append an audit row.
"""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext_noop

from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import say
from cheepao.core.context import Context


def _web(request, user=None) -> Context:
    """The web context of the request; the account the signal names is the actor (Django
    sends the sign-out signal before `request.user` is cleared, but says whom it concerns)."""
    ctx = Context.web(request)
    return ctx if user is None else replace(ctx, actor=user)


@receiver(user_logged_in, dispatch_uid="cheepao.accounts.audit_login")
def audit_login(sender, request, user, **kwargs):
    audit_record(
        ctx=_web(request, user),
        action=AuditEvent.Action.LOGIN,
        obj=user,
        summary=say(gettext_noop("%(username)s signed in"), username=user.username),
    )


@receiver(user_logged_out, dispatch_uid="cheepao.accounts.audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            ctx=_web(request, user),
            action=AuditEvent.Action.LOGOUT,
            obj=user,
            summary=say(gettext_noop("%(username)s signed out"), username=user.username),
        )


@receiver(user_login_failed, dispatch_uid="cheepao.accounts.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # The password is already masked by Django; only the username typed is kept.
    username = str((credentials or {}).get("username", ""))[:150]
    # The attempt is nobody's yet: no actor on the audit row, even on a signed-in session.
    audit_record(
        ctx=replace(Context.web(request), actor=None),
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="accounts.user",
        summary=say(gettext_noop("%(username)s sign-in refused"), username=username),
    )
