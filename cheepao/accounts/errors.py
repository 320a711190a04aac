"""Why an account is not managed, as stable codes (core.errors; ADR 0017)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

NOT_MANAGED = define("accounts.not_managed", _("You may not manage this account."))
