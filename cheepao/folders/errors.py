"""Why a family folder, a photo or a pin is not saved, as stable codes (core.errors)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

STALE = define(
    "folders.stale",
    _(
        "Someone else saved this family folder after you opened it, so your answers were not "
        "saved. They are still below: check them against the saved folder, then save again."
    ),
)
INVALID = define("folders.invalid", _("Please correct the marked fields."))
AMOUNT = define("folders.amount", _("Give an amount in baht, 0 or more (at most 10,000 million)."))
COUNT = define("folders.count", _("Give a number of people from 0 to 99."))
AGE = define("folders.age", _("Give an age from 0 to 130."))
CHOICE = define("folders.choice", _("Choose one of the answers given."))
TOO_LONG = define("folders.too_long", _("This answer is too long (at most %(max)s characters)."))
PHOTO_KIND = define("folders.photo_kind", _("Choose what the photo shows."))
PHOTO_TOO_BIG = define(
    "folders.photo_too_big", _("The photo is larger than 10 MB; nothing was saved.")
)
NOT_AN_IMAGE = define(
    "folders.not_an_image",
    _("The file is not a photo (JPEG, PNG or WebP image); nothing was saved."),
)
TOO_MANY_PHOTOS = define(
    "folders.too_many_photos",
    _("The folder already has 5 photos: remove one before adding another."),
)
PHOTO_GONE = define("folders.photo_gone", _("This photo has already been removed."))
BAD_LOCATION = define(
    "folders.bad_location",
    _("The position is not in Thailand: check the latitude and longitude, or set the pin again."),
)
