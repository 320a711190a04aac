"""Why a form ศจพ.1 is not saved, as stable codes (core.errors; ADR 0017, 0021)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

STALE = define(
    "verification.stale",
    _(
        "Someone else saved this form ศจพ.1 after you opened it, so your answers were not "
        "saved. They are still below: check them against what is saved now (the household's "
        "folder), then save again to replace it."
    ),
)
UID_TAKEN = define(
    "verification.uid_taken",
    _("The form's own id already belongs to another form ศจพ.1; nothing was saved."),
)
BAD_UID = define(
    "verification.bad_uid",
    _("The form's own id is not a valid id (a UUID); nothing was saved."),
)
