"""Why an accounts verb refused, as stable codes (core.errors; ADR 0017).

The messages are the sentences the account pages always showed (their Thai is in this app's
catalogue); forms and views show `error.message` / `error.field_messages()`.
"""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

NOT_MANAGED = define("accounts.not_managed", _("You may not manage this account."))

# Creating an account (check_may_create and account_create).
ROLE_NOT_CREATABLE = define(
    "accounts.role_not_creatable", _("You may not create accounts of this role.")
)
AREA_LEVEL = define("accounts.area_level", _("This role cannot work at the level of this area."))
AREA_OUTSIDE = define("accounts.area_outside", _("The area must be inside your own area."))
NO_SUCH_AREA = define("accounts.no_such_area", _("There is no such area."))
BODY_DOES_NOT_FIT = define(
    "accounts.body_does_not_fit", _("This body does not fit the role and area.")
)
CHOOSE_BODY = define("accounts.choose_body", _("Choose a body or name a new one."))
USERNAME_TAKEN = define("accounts.username_taken", _("This username is already taken."))

# Looking after an account.
NOT_LOCKED_OUT = define("accounts.not_locked_out", _("This account is not locked out."))

# One's own account (password, second factor): only the person signed in.
OWN_ACCOUNT_ONLY = define(
    "accounts.own_account_only",
    _("Only the person signed in can do this, for their own account."),
)
SECOND_FACTOR_SET = define(
    "accounts.second_factor_set", _("A second factor is already set up for this account.")
)
SECOND_FACTOR_WAIT = define(
    "accounts.second_factor_wait",
    _(
        "After several wrong codes, codes are not checked for a moment. Please wait "
        "%(seconds)s seconds, then type your code again: the code you typed was not checked "
        "and, if it is a backup code, it still works."
    ),
)

# The command line's verbs (create_first_account, demo_accounts).
COMMAND_LINE_ONLY = define(
    "accounts.command_line_only",
    _("This is done on the server's command line (manage.py) only."),
)
NATIONAL_EXISTS = define(
    "accounts.national_exists",
    _("A national account exists already: create accounts in the web app."),
)
BOOTSTRAP_INCOMPLETE = define(
    "accounts.bootstrap_incomplete", _("Give a username and the name of the national body.")
)
