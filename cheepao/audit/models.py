"""The append-only record of who saw, changed or exported what (SPEC §9, PDPA).

Rows are only ever inserted, through `audit.services.audit_record`. The model refuses
updates and deletes in Python, and on PostgreSQL a trigger refuses them in the database too
(migration 0002), so not even a careless shell session can rewrite history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppendOnly(Exception):
    pass


#: Object types that are not models (e.g. a national-ID lookup, "households.pin"), by the
#: words the audit pages show for them: each app registers its own in `ready()`.
OBJECT_TYPES: dict[str, object] = {}
# Kinds of audited object whose id is an area code (a village register, an area's
# verification page): shown by the area's name.
AREA_OBJECT_TYPES: set[str] = set()


def register_object_type(object_type: str, label: object, *, area: bool = False) -> None:
    """Name a kind of audited object that is not a model (`label`: a lazy translation);
    `area=True` when its object id is an area code."""
    OBJECT_TYPES[object_type] = label
    if area:
        AREA_OBJECT_TYPES.add(object_type)


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit events cannot be changed")

    def delete(self):
        raise AppendOnly("audit events cannot be deleted")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        SEARCH = "search", _("searched")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        EXPORT = "export", _("exported")
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("login failed")
        LOGOUT = "logout", _("logged out")
        LOAD = "load", _("loaded")
        IMPORT = "import", _("imported")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as written at the time: the account may be renamed or deactivated later.
    actor_username = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    area_code = models.CharField(_("area code"), max_length=8, blank=True, db_index=True)
    # The summary in English with codes, as written; `message` is the same sentence as a
    # template and its arguments, shown in the reader's language (audit.summaries).
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    message = models.JSONField(_("message"), default=dict, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(pgettext_lazy("network", "address"), null=True, blank=True)
    # How the change arrived (core.context.Channel: web, api, offline, cli, task, system);
    # '' on rows written before channels were recorded.
    channel = models.CharField(_("channel"), max_length=8, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit events cannot be deleted")

    @property
    def summary_text(self) -> str:
        """The summary in the reader's language, with labels instead of codes."""
        from cheepao.audit.summaries import summary_text

        return summary_text(self.summary, self.message)

    @property
    def object_shown(self) -> str:
        """The object's id as people read it: an area by its name, else the id."""
        if self.object_type in AREA_OBJECT_TYPES:
            from cheepao.geo.selectors import area_label

            return area_label(self.object_id)
        return self.object_id

    @property
    def object_label(self) -> str:
        """The kind of object in words ('household', 'account'), not 'households.household'."""
        from django.apps import apps

        if self.object_type in OBJECT_TYPES:
            return str(OBJECT_TYPES[self.object_type])
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return self.object_type
        return str(model._meta.verbose_name)
