"""The household plan as the household's history tells it (households.history). The
workflow's steps (sent, returned, approved, revised) take their kinds and sentences from
the workflow catalogue (`workflow.Step.history_kind`), defined when it is read."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from cheepao.households.history import define
from cheepao.plans import workflow  # noqa: F401  (defines the step kinds)
from cheepao.plans.models import PlanItem, Stage

CREATED = define("plans.created", N_("household plan no. %(number)s started"), number="number")
ITEM_STATUS = define(
    "plans.item_status",
    N_("household plan no. %(number)s: item %(item)s marked %(status)s"),
    number="number",
    item="text",
    status=PlanItem.Status,
)
STAGE_CONFIRMED = define(
    "plans.stage_confirmed",
    N_("stage confirmed by the subdistrict team: %(stage)s"),
    stage=Stage,
)
STAGE_NONE = define(
    "plans.stage_none",
    N_("stage confirmed by the subdistrict team: not yet survival"),
)
