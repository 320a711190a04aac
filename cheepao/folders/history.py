"""The family folder as the household's history tells it (households.history)."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from cheepao.folders.models import FolderPhoto
from cheepao.households.history import define

SAVED = define("folders.saved", N_("family folder saved as version %(number)s"), number="number")
PHOTO_ADDED = define("folders.photo_added", N_("photo added: %(photo)s"), photo=FolderPhoto.Kind)
PHOTO_REMOVED = define(
    "folders.photo_removed", N_("photo removed: %(photo)s"), photo=FolderPhoto.Kind
)
LOCATION_SET = define(
    "folders.location_set", N_("house pinned on the map (version %(number)s)"), number="number"
)
