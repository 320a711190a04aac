"""Why a change to a mentor team or an assignment is refused, as stable codes (core.errors)."""

from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import define

MAY_NOT_APPOINT = define(
    "mentoring.may_not_appoint",
    _("Only the district centre (ศจพ.อ.) appoints mentor teams, inside its own district."),
)
NOT_A_SUBDISTRICT = define(
    "mentoring.not_a_subdistrict", _("Choose a subdistrict of your district.")
)
TEAM_SIZE = define(
    "mentoring.team_size",
    _("A mentor team has from %(min)s to %(max)s members; this one would have %(count)s."),
)
ONE_LEAD = define("mentoring.one_lead", _("Choose exactly one team lead."))
LEAD_CIVIL_SERVANT = define(
    "mentoring.lead_civil_servant",
    _("The team lead is a civil servant with an account of the platform."),
)
BAD_ACCOUNT = define(
    "mentoring.bad_account",
    _("This account is not an active mentor account of the team's subdistrict."),
)
ACCOUNT_TWICE = define(
    "mentoring.account_twice", _("The same account is a member of this team only once.")
)
NAME_NEEDED = define("mentoring.name_needed", _("Give the name of each member."))
BAD_KIND = define("mentoring.bad_kind", _("Choose what kind of member this is."))
NAME_BLANK = define("mentoring.name_blank", _("Give the team a name."))
TEAM_ENDED = define("mentoring.team_ended", _("This mentor team has ended; nothing was changed."))
MEMBER_LEFT = define(
    "mentoring.member_left", _("This person has left the team; nothing was changed.")
)
HAS_HOUSEHOLDS = define(
    "mentoring.has_households",
    _("%(name)s still cares for %(count)s households: hand them over to another member first."),
)
TEAM_HAS_HOUSEHOLDS = define(
    "mentoring.team_has_households",
    _("The team still cares for %(count)s households: hand them over to another team first."),
)
LEAD_LEAVES = define(
    "mentoring.lead_leaves",
    _("The team lead cannot leave; appoint the team again with another lead."),
)
NO_REGISTRY = define("mentoring.no_registry", _("No registry has been loaded yet."))
VILLAGE_OUTSIDE = define(
    "mentoring.village_outside", _("This village is not in the team's subdistrict.")
)
HOUSEHOLD_OUTSIDE = define(
    "mentoring.household_outside",
    _("This household is not an active target household of the team's subdistrict."),
)
ALREADY_ASSIGNED = define(
    "mentoring.already_assigned",
    _("This household is already in a team's care: hand it over instead."),
)
NOT_A_CARER = define(
    "mentoring.not_a_carer",
    _(
        "Households are put in the care of an active civil servant of the team whose account "
        "is active."
    ),
)
OVER_CAP = define(
    "mentoring.over_cap",
    _("%(name)s already cares for %(count)s households, the most one person may (%(cap)s)."),
)
OVER_CAP_MANY = define(
    "mentoring.over_cap_many",
    _(
        "%(name)s cares for %(count)s households; %(adding)s more would pass the most one "
        "person may (%(cap)s)."
    ),
)
BAD_CAP = define("mentoring.bad_cap", _("The most households per person is a number from 1."))
SAME_PERSON = define(
    "mentoring.same_person", _("Hand the households over to someone else than who has them.")
)
OTHER_SUBDISTRICT = define(
    "mentoring.other_subdistrict",
    _("Households are handed over to a team of the same subdistrict."),
)
NOTHING_TO_HAND_OVER = define(
    "mentoring.nothing_to_hand_over",
    _("None of these households is in this person's care now; nothing was handed over."),
)
NOTE_NEEDED = define(
    "mentoring.note_needed", _("Say why the households are handed over (a short note).")
)
NOTHING_CHOSEN = define(
    "mentoring.nothing_chosen", _("Choose at least one household; nothing was changed.")
)
