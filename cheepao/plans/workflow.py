"""The plan's workflow catalogue (`workflows/<version>.yaml`), read and checked here.

Services ask "may this step start from that state, who may take it, is a comment
required?"; pages ask "which buttons, which words?". A changed manual (another step, other
words) is a new version of the YAML and its translations, not code. A plan records the
version it started under (`Plan.workflow_version`) and takes its steps from it.

`settings.PLANS_WORKFLOW_DIR` names another folder of versions (tests use it); the folder is
read by `core.catalogues.VersionedFolder`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext

from cheepao.accounts import roles
from cheepao.core.catalogues import VersionedFolder
from cheepao.households import history

WORKFLOW_DIR = Path(__file__).with_name("workflows")
RELEASED = WORKFLOW_DIR / "SHA256SUMS"
_VERSION = re.compile(r"v(\d+)")
_EVENT = re.compile(r"[a-z_]{1,32}")
STATES = {"draft", "submitted", "returned", "approved"}
# Who may take a step: the household's mentors (the household action `care`) or the
# subdistrict team of its area (the plan policy's action `review`).
PERMISSIONS = {roles.CARE, roles.REVIEW_PLANS}


class WorkflowError(ValueError):
    pass


@dataclass(frozen=True)
class Step:
    name: str
    permission: str
    from_states: frozenset[str]
    to: str
    comment_required: bool
    new_version: bool
    label: str  # English msgids
    button: str
    done: str
    event: str
    history: str

    @property
    def history_kind(self) -> str:
        return f"plans.{self.event}"

    @property
    def label_text(self) -> str:
        return gettext(self.label)

    @property
    def button_text(self) -> str:
        return gettext(self.button)

    @property
    def done_message(self) -> str:
        return gettext(self.done)

    @property
    def by_mentor(self) -> bool:
        return self.permission == roles.CARE


@dataclass(frozen=True)
class Workflow:
    version: str
    sha256: str
    editable_states: frozenset[str]
    steps: dict[str, Step]

    def step(self, name: str) -> Step:
        return self.steps[name]


def parse(data: dict, *, version: str = "", sha256: str = "") -> Workflow:
    try:
        steps = {}
        for name, spec in data["steps"].items():
            steps[name] = Step(
                name=name,
                permission=str(spec["permission"]),
                from_states=frozenset(spec["from"]),
                to=str(spec["to"]),
                comment_required=spec.get("comment") == "required",
                new_version=spec.get("new_version", False) is True,
                label=str(spec["name"]),
                button=str(spec["button"]),
                done=str(spec["done"]),
                event=str(spec["event"]),
                history=str(spec["history"]),
            )
        flow = Workflow(version, sha256, frozenset(data["editable_states"]), steps)
    except (KeyError, TypeError, AttributeError) as exc:
        raise WorkflowError(f"plan workflow {version or '?'}: {exc}") from exc
    if not flow.editable_states <= STATES:
        raise WorkflowError(f"editable_states: unknown {sorted(flow.editable_states - STATES)}")
    events = [s.event for s in steps.values()]
    if len(events) != len(set(events)):
        raise WorkflowError("each step has an event of its own")
    for s in steps.values():
        if s.permission not in PERMISSIONS:
            raise WorkflowError(f"step {s.name}: permission is one of {sorted(PERMISSIONS)}")
        if not s.from_states <= STATES or s.to not in STATES:
            raise WorkflowError(f"step {s.name}: unknown state")
        if not _EVENT.fullmatch(s.event):
            raise WorkflowError(f"step {s.name}: event is at most 32 letters a-z and _")
        try:
            s.history % {"number": 1, "comment": ""}
        except (KeyError, ValueError, TypeError) as exc:
            raise WorkflowError(
                f"step {s.name}: history may use %(number)s and %(comment)s"
            ) from exc
    return flow


def _build(data: dict, version: str, sha256: str) -> Workflow:
    flow = parse(data, version=version, sha256=sha256)
    for s in flow.steps.values():
        history.define(s.history_kind, s.history, number="number", comment="text")
    return flow


CATALOGUE = VersionedFolder(
    WORKFLOW_DIR,
    _build,
    setting="PLANS_WORKFLOW_DIR",
    error=WorkflowError,
    what="plan workflow",
    pattern=_VERSION.pattern,
)


#: versions() oldest first ("v1", "v2", ...); current_version(), the one new ones start
#: under (the newest); workflow(version), the workflow of a plan's `workflow_version`, the
#: newest when None.
versions = CATALOGUE.versions
current_version = CATALOGUE.current
workflow = CATALOGUE.load


def released() -> dict[str, str]:
    return CATALOGUE.released(WORKFLOW_DIR) or {}


# Every shipped version is checked against SHA256SUMS at start-up.
CATALOGUE.check(WORKFLOW_DIR)
