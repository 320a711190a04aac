"""Notifications: a person's in-app inbox (new referral, overdue, escalated, returned, plan
returned), with copies by e-mail (Django's mail settings) and, when switched on, LINE.

A notification is written by `notifications.services.notify` inside the verb that causes it
(so it exists only if the verb's transaction commits); e-mail and LINE are sent after the
commit, and a failed send never undoes the verb. The text is kept as its msgid and arguments
and shown in the reader's language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # A kind registered with notifications.kinds.define (its sentence, a msgid with %(...)s).
    kind = models.CharField(max_length=48)
    args = models.JSONField(default=dict, blank=True)
    # Where it leads (a path inside Cheepao, checked again by the page's policy when opened).
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="notifications_user"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notifications_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class Preference(models.Model):
    """How one account wants its notifications copied beyond the in-app inbox: by e-mail
    (to the account's address, when it has one) and, when the platform has a LINE channel,
    by LINE to the account's LINE user id. No row = the defaults (e-mail on, LINE off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    line = models.BooleanField(_("by LINE"), default=False)
    # The account's LINE user id for the Messaging API ("U" and 32 hexadecimal digits), as
    # the official account's webhook or LINE Login tells it; not the LINE ID people search.
    line_user_id = models.CharField(_("LINE user id"), max_length=33, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")

    def __str__(self) -> str:
        return f"{self.user_id} email={self.email} line={self.line}"
