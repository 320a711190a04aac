"""Who may act on a household plan (core.access; ADR 0017).

- `view`: the accounts that view households in the plan's village (area viewers: the
  subdistrict team, the district, the province, the village's mentors);
- `review`: the subdistrict team whose area holds the household (REVIEW_PLANS): return,
  approve, confirm the stage.

Writing a plan (draft, edit, submit, revise) is the household action `care` of the
registry (the household's current mentors, mentoring), asked on the household itself.
"""

from __future__ import annotations

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.plans.models import Plan


class PlanPolicy(access.AreaPolicy):
    model = Plan
    area_lookup = "household__village_code"
    actions = {
        "view": roles.VIEW_HOUSEHOLDS,
        "review": roles.REVIEW_PLANS,
    }


def register() -> None:
    access.register(PlanPolicy())
