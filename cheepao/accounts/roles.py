"""The roles of SPEC §1 as one table: what area each works on, whom it may create, what it may do.

Everything that asks "may this user …?" reads this table, so a new role or a changed duty is
one row here, never a new `if role == …` in a view.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL = "national", _("National (NESDC / poverty secretariat)")
    PROVINCE = "province", _("Province poverty centre (ศจพ.จ.)")
    DISTRICT = "district", _("District poverty centre (ศจพ.อ.)")
    SUBDISTRICT = "subdistrict", _("Subdistrict operations team")
    MENTOR = "mentor", _("Mentor team")
    AGENCY = "agency", _("Agency officer")


# Permissions, named for what the person does in the flow (SPEC §2).
VIEW_HOUSEHOLDS = "view_households"
VERIFY = "verify"  # record form ศจพ.1 / ศจพ.2
SUBMIT_BATCH = "submit_batch"
CERTIFY = "certify"  # district
APPROVE = "approve"  # province
LOAD_REGISTRY = "load_registry"
IMPORT_LISTS = "import_lists"
# Decide list rows the importing level handed down to this account's area (imports).
REVIEW_LISTS = "review_lists"
VIEW_AUDIT = "view_audit"
# Household development (mentoring): the district appoints mentor teams and assigns
# households to them; a mentor cares for (folder, plan, later help) the households
# assigned to them; the subdistrict team approves or returns household plans.
APPOINT_MENTORS = "appoint_mentors"
CARE = "care"
REVIEW_PLANS = "review_plans"
MANAGE_ACCOUNTS = "manage_accounts"
# Routing (issue 12): the district routes a household's problems to agency offices (case
# owner, referrals, closing); an agency officer serves the referrals sent to its office.
ROUTE = "route"
SERVE = "serve"


@dataclass(frozen=True)
class RoleRule:
    role: str
    # Lengths of the DOPA area code an account of this role may hold: 0 = the whole country,
    # 2 province, 4 district, 6 subdistrict, 8 village (subdistrict code + village number).
    area_lengths: tuple[int, ...]
    creates: tuple[str, ...]
    permissions: frozenset[str]
    two_factor: bool
    # The kind of body (accounts.models.Body.Kind) an account of this role belongs to.
    body_kind: str = ""


RULES: dict[str, RoleRule] = {
    r.role: r
    for r in (
        RoleRule(
            Role.NATIONAL,
            (0,),
            creates=(Role.NATIONAL, Role.PROVINCE, Role.AGENCY),
            permissions=frozenset(
                {VIEW_HOUSEHOLDS, LOAD_REGISTRY, IMPORT_LISTS, VIEW_AUDIT, MANAGE_ACCOUNTS}
            ),
            two_factor=True,
            body_kind="national_centre",
        ),
        RoleRule(
            Role.PROVINCE,
            (2,),
            creates=(Role.PROVINCE, Role.DISTRICT, Role.AGENCY),
            permissions=frozenset({VIEW_HOUSEHOLDS, APPROVE, IMPORT_LISTS, MANAGE_ACCOUNTS}),
            two_factor=True,
            body_kind="province_centre",
        ),
        RoleRule(
            Role.DISTRICT,
            (4,),
            creates=(Role.DISTRICT, Role.SUBDISTRICT, Role.MENTOR, Role.AGENCY),
            permissions=frozenset(
                {VIEW_HOUSEHOLDS, CERTIFY, REVIEW_LISTS, MANAGE_ACCOUNTS, APPOINT_MENTORS, ROUTE}
            ),
            two_factor=False,
            body_kind="district_centre",
        ),
        RoleRule(
            Role.SUBDISTRICT,
            (6,),
            creates=(Role.MENTOR,),
            permissions=frozenset(
                {VIEW_HOUSEHOLDS, VERIFY, SUBMIT_BATCH, REVIEW_LISTS, MANAGE_ACCOUNTS, REVIEW_PLANS}
            ),
            two_factor=False,
            body_kind="operations_team",
        ),
        RoleRule(
            Role.MENTOR,
            (6, 8),
            creates=(),
            permissions=frozenset({VIEW_HOUSEHOLDS, CARE}),
            two_factor=False,
            body_kind="mentor_team",
        ),
        # Agencies see only the cases routed to them (Logbook); their area says where the
        # office works (a provincial office: 2 digits, a district office: 4, a ministry: 0).
        RoleRule(
            Role.AGENCY,
            (0, 2, 4, 6),
            creates=(),
            permissions=frozenset({SERVE}),
            two_factor=False,
            body_kind="agency",
        ),
    )
}


def rule(role: str) -> RoleRule:
    return RULES[role]
