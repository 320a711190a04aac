"""Why a list is not imported, as stable codes (core.errors; ADR 0017). The file's own
problems (not CSV or XLSX, empty, a required column missing, …) come from the engine's
readers in Thai and English and travel as the `reason` of FILE_REFUSED."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

KIND = define("imports.kind", _("Choose the kind of list."))
TOO_LARGE = define(
    "imports.too_large", _("The file is larger than %(mb)d MB: split it into smaller files.")
)
NO_REGISTRY = define(
    "imports.no_registry",
    _("No survey year is loaded into the registry yet, so there is nothing to match."),
)
FILE_REFUSED = define("imports.file_refused", _("%(reason)s"))
UNREADABLE = define(
    "imports.unreadable",
    _(
        "The file could not be read. Save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8' and "
        "upload it again."
    ),
)
UPLOAD_GONE = define(
    "imports.upload_gone",
    _("The uploaded file is no longer kept (it waited too long). Upload it again."),
)

# Deciding review rows (imports.policies): a role that reviews no list at all, or hands
# rows back up without importing lists. A row outside the account's reach is
# `access.not_found`, the same as one that does not exist.
MAY_NOT_REVIEW = define("imports.may_not_review", _("Your role does not review list rows."))
MAY_NOT_HAND_BACK = define(
    "imports.may_not_hand_back",
    _("Only the level that imports lists can take rows back from the areas below."),
)

# Starting an import (list_import_start, list_import): a role that imports no lists.
MAY_NOT_IMPORT = define(
    "imports.may_not_import", _("Your role does not import lists; nothing was imported.")
)

# Deciding review rows (review_link, review_field_visit, review_reject, review_bulk_*):
# what is refused about the decision itself. Nothing is changed by any of them.
ALREADY_DECIDED = define("imports.already_decided", _("This row has already been decided."))
REJECT_REASON = define("imports.reject_reason", _("Give the reason for rejecting this row."))
REJECT_REASON_MANY = define(
    "imports.reject_reason_many", _("Give the reason for rejecting these rows.")
)
SELECTION_CHANGED = define(
    "imports.selection_changed",
    _(
        "The rows changed since the page was shown: %(n)d open rows now match, not "
        "%(expected)d. Nothing was changed; look at them again and repeat."
    ),
)
NOTHING_SELECTED = define("imports.nothing_selected", _("No open row is selected."))
NO_PIN_MATCH = define(
    "imports.no_pin_match",
    _("None of the selected rows has a national ID that names one household."),
)
ONLY_BELOW = define("imports.only_below", _("Rows can only be handed to an area below your own."))
