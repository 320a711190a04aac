"""The certification workflow and its deadlines, read from `workflow.yaml`.

Services ask this module "may this step start from that state, and who may take it?" and
pages ask it "when is this due?", so a changed manual is an edit of the YAML file, not of
the code. The file is checked once, when the module is imported: a typo in a permission or
a state fails at start-up, not in the middle of a district meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext_lazy as _

from cheepao.accounts import roles
from cheepao.core.thai import BE_OFFSET

WORKFLOW_FILE = Path(__file__).with_name("workflow.yaml")

BATCH_STATES = {"submitted", "certified", "returned", "approved"}
VERIFICATION_STATES = {"draft", "submitted", "certified", "returned", "approved"}
PERMISSIONS = {
    value
    for name, value in vars(roles).items()
    if name.isupper() and isinstance(value, str) and not name.startswith("_")
}

# What each deadline is about, for people (the YAML holds only the dates).
DEADLINE_LABELS = {
    "verify": _("Verification by the operations team (ศจพ.1)"),
    "certify": _("Certification by the district centre (ศจพ.อ.)"),
    "approve": _("Approval by the province centre (ศจพ.จ.)"),
}


@dataclass(frozen=True)
class Step:
    name: str
    from_states: frozenset[str]
    to: str
    permission: str
    comment_required: bool
    verification_state: str


@dataclass(frozen=True)
class Deadline:
    step: str
    month: int
    day: int
    year_offset: int

    @property
    def label(self) -> str:
        return DEADLINE_LABELS[self.step]

    def due(self, survey_year_be: int) -> date:
        """The due date (CE) of this step in the round of survey year `survey_year_be`."""
        return date(survey_year_be - BE_OFFSET + self.year_offset, self.month, self.day)


@dataclass(frozen=True)
class Workflow:
    submit_permission: str
    submit_area_lengths: tuple[int, ...]
    editable_states: frozenset[str]
    steps: dict[str, Step]
    deadlines: tuple[Deadline, ...]
    demo_days: dict[str, int]


class WorkflowError(ValueError):
    pass


def _check(flow: Workflow) -> None:
    if flow.submit_permission not in PERMISSIONS:
        raise WorkflowError(f"submit: unknown permission {flow.submit_permission!r}")
    if not set(flow.submit_area_lengths) <= {6, 8}:
        raise WorkflowError("submit: a batch is a village (8) or a subdistrict (6)")
    if not flow.editable_states <= VERIFICATION_STATES:
        raise WorkflowError(f"editable_states: unknown {sorted(flow.editable_states)}")
    for step in flow.steps.values():
        if step.permission not in PERMISSIONS:
            raise WorkflowError(f"step {step.name}: unknown permission {step.permission!r}")
        if not step.from_states <= BATCH_STATES or step.to not in BATCH_STATES:
            raise WorkflowError(f"step {step.name}: unknown batch state")
        if step.verification_state not in VERIFICATION_STATES:
            raise WorkflowError(f"step {step.name}: unknown verification state")
    for d in flow.deadlines:
        if d.step not in DEADLINE_LABELS:
            raise WorkflowError(f"deadline: unknown step {d.step!r}")
        d.due(2568)  # a real calendar day
    if set(flow.demo_days) != {d.step for d in flow.deadlines}:
        raise WorkflowError("demo_days: give the days to every deadline's step")
    days = [flow.demo_days[d.step] for d in flow.deadlines]
    if any(n < 0 for n in days) or days != sorted(days):
        raise WorkflowError("demo_days: days from the set-up day, in the order of the steps")


def parse(data: dict) -> Workflow:
    try:
        flow = Workflow(
            submit_permission=data["submit"]["permission"],
            submit_area_lengths=tuple(data["submit"]["area_lengths"]),
            editable_states=frozenset(data["editable_states"]),
            steps={
                name: Step(
                    name=name,
                    from_states=frozenset(spec["from"]),
                    to=spec["to"],
                    permission=spec["permission"],
                    comment_required=spec.get("comment") == "required",
                    verification_state=spec["verification_state"],
                )
                for name, spec in data["steps"].items()
            },
            deadlines=tuple(
                Deadline(d["step"], int(d["month"]), int(d["day"]), int(d["year_offset"]))
                for d in data["deadlines"]
            ),
            demo_days={step: int(n) for step, n in data["demo_days"].items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise WorkflowError(f"{WORKFLOW_FILE.name}: {exc}") from exc
    _check(flow)
    return flow


@cache
def workflow() -> Workflow:
    return parse(yaml.safe_load(WORKFLOW_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class DeadlineStatus:
    step: str
    label: str
    due: date
    done: bool
    days_left: int  # negative when overdue

    @property
    def overdue(self) -> bool:
        return not self.done and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def deadline_statuses(
    survey_year_be: int,
    done: dict[str, bool],
    today: date,
    dates: dict[str, date] | None = None,
) -> list[DeadlineStatus]:
    """Each deadline of the round with how many days are left (or overdue) on `today`;
    `done` says which steps the area has already finished; `dates` are the round's own
    dates (a step not in it keeps the manual's date for the survey year)."""
    dates = dates or {}
    out = []
    for d in workflow().deadlines:
        due = dates.get(d.step) or d.due(survey_year_be)
        out.append(
            DeadlineStatus(
                step=d.step,
                label=str(d.label),
                due=due,
                done=bool(done.get(d.step)),
                days_left=(due - today).days,
            )
        )
    return out


workflow()
