"""Why a Logbook write is refused, as stable codes (core.errors)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

BAD_DATE = define(
    "logbook.bad_date", _("Give the date it happened: not in the future, not before 2560 BE.")
)
BAD_CHOICE = define("logbook.bad_choice", _("Choose one of the options given."))
FIELD_REQUIRED = define("logbook.field_required", _("This is needed."))
BAD_VALUE = define(
    "logbook.bad_value", _("Give the value in baht as a number from 0, at most two decimals.")
)
BAD_AGENCY = define("logbook.bad_agency", _("Choose an agency office."))
BAD_PROGRAMME = define("logbook.bad_programme", _("Choose a programme of this agency."))
PROGRAMME_DIMENSION = define(
    "logbook.programme_dimension", _("This programme does not serve the dimension chosen.")
)
UID_TAKEN = define(
    "logbook.uid_taken",
    _("Another Logbook entry already has this id; nothing was recorded."),
)
ALREADY_CORRECTED = define(
    "logbook.already_corrected",
    _(
        "This entry has already been corrected: correct the newest entry instead; nothing was changed."
    ),
)
IN_PLACE = define(
    "logbook.in_place",
    _(
        "A Logbook entry is never changed: a correction is a new entry with its own id; nothing was changed."
    ),
)
OTHER_PART = define(
    "logbook.other_part",
    _("A correction is of the same kind and the same household as the entry it corrects."),
)
NO_CHANGE = define(
    "logbook.no_change", _("The correction says the same as the entry; nothing was recorded.")
)
MAY_NOT_REGISTER = define(
    "logbook.may_not_register",
    _("Programmes are registered by an agency account or by the district centre (ศจพ.อ.)."),
)
BAD_YEAR = define("logbook.bad_year", _("Give the budget year in the Buddhist Era, e.g. 2569."))
NO_REGISTRY = define("logbook.no_registry", _("No registry has been loaded yet."))
PHOTO_TOO_BIG = define(
    "logbook.photo_too_big", _("The photo is larger than 10 MB; nothing was saved.")
)
NOT_AN_IMAGE = define(
    "logbook.not_an_image",
    _("The file is not a photo (JPEG, PNG or WebP image); nothing was saved."),
)
