"""Why a notification write was refused, as stable codes (core.errors; ADR 0017)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

LINE_USER_ID = define(
    "notifications.line_user_id",
    _("A LINE user id is the letter U followed by 32 letters a–f and digits 0–9."),
)
LINE_WITHOUT_ID = define(
    "notifications.line_without_id",
    _("To receive notifications by LINE, give your LINE user id."),
)
