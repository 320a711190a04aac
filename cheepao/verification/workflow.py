"""The certification workflow and its deadlines: the workflow catalogue, kept side by side
by version in `workflows/<version>.yaml` (ADR 0022).

Services ask this module "may this step start from that state, and who may take it?",
pages ask it "which buttons, which words, when is this due?", so a changed manual (a new
step, another wording, an escalation) is an edit of a YAML file and its translations, not
of the code. A batch records the version it started under (`Batch.workflow_version`) and
its steps are read from that version; new batches start under the newest one.

The texts of a version are English msgids (their Thai in the app's catalogue): this module
keeps them as written and translates them when they are shown. Every file is checked when
it is read, and the shipped ones when the module is imported: a typo in a permission or a
state fails at start-up, not in the middle of a district meeting.

`settings.VERIFICATION_WORKFLOW_DIR` names another folder of versions (tests use it to load
a workflow with an extra step). The folder is read by `core.catalogues.VersionedFolder`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from cheepao.accounts import roles
from cheepao.core.catalogues import VersionedFolder
from cheepao.core.thai import BE_OFFSET
from cheepao.households import history

WORKFLOW_DIR = Path(__file__).with_name("workflows")
#: `sha256sum` lines of every released version ("<hash>  <version>.yaml").
RELEASED = WORKFLOW_DIR / "SHA256SUMS"
WORKFLOW_FILE = WORKFLOW_DIR / "v1.yaml"
_VERSION = re.compile(r"v(\d+)(?:[-_.a-z0-9]*)")
_EVENT = re.compile(r"[a-z_]{1,32}")

BATCH_STATES = {"submitted", "certified", "returned", "approved"}
VERIFICATION_STATES = {"draft", "submitted", "certified", "returned", "approved"}
PERMISSIONS = {
    value
    for name, value in vars(roles).items()
    if name.isupper() and isinstance(value, str) and not name.startswith("_")
}
BUTTON_STYLES = {"primary", "secondary"}

# What each deadline is about, for people (the YAML holds only the dates).
DEADLINE_LABELS = {
    "verify": _("Verification by the operations team (ศจพ.1)"),
    "certify": _("Certification by the district centre (ศจพ.อ.)"),
    "approve": _("Approval by the province centre (ศจพ.จ.)"),
}


@dataclass(frozen=True)
class Event:
    """A kind of event in a batch's history (`BatchEvent.action`), with its label and the
    sentence each household of the batch gets in its own history."""

    kind: str
    label: str  # English msgid
    history: str  # English msgid with %(batch)s and %(comment)s

    @property
    def history_kind(self) -> str:
        return f"verification.{self.kind}"

    @property
    def label_text(self) -> str:
        return gettext(self.label)


@dataclass(frozen=True)
class Step:
    name: str
    from_states: frozenset[str]
    to: str
    permission: str
    comment_required: bool
    verification_state: str
    event: Event
    verb: str = ""
    button: str = ""
    button_style: str = "primary"
    refused: str = ""
    done: str = ""
    confirm: str = ""
    comment_hint: str = ""
    applies: bool = False

    @property
    def verb_text(self) -> str:
        return pgettext("batch step", self.verb)

    @property
    def button_text(self) -> str:
        return gettext(self.button)

    @property
    def refused_message(self) -> str:
        return gettext(self.refused)

    @property
    def done_message(self) -> str:
        return gettext(self.done)

    @property
    def confirm_text(self) -> str:
        return gettext(self.confirm) if self.confirm else ""

    @property
    def comment_hint_text(self) -> str:
        return gettext(self.comment_hint) if self.comment_hint else ""


@dataclass(frozen=True)
class Resubmit:
    """Sending a returned batch again, corrected (from the batch's page)."""

    button: str
    done: str
    event: Event

    @property
    def button_text(self) -> str:
        return gettext(self.button)

    @property
    def done_message(self) -> str:
        return gettext(self.done)


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
    submit_done: str = ""
    submit_event: Event | None = None
    resubmit: Resubmit | None = None
    version: str = ""
    sha256: str = ""

    @property
    def submit_done_message(self) -> str:
        return gettext(self.submit_done)

    @property
    def events(self) -> dict[str, Event]:
        """Every kind of batch event of this version, by kind."""
        found = [self.submit_event, self.resubmit.event if self.resubmit else None]
        found += [s.event for s in self.steps.values()]
        return {e.kind: e for e in found if e is not None}

    def event_label(self, kind: str) -> str:
        """The label of a batch event in the reader's language (its kind when this version
        does not know it)."""
        event = self.events.get(kind)
        return event.label_text if event is not None else kind

    @property
    def applying_events(self) -> tuple[str, ...]:
        """The event kinds of the steps that write the batch's changes into the registry."""
        return tuple(s.event.kind for s in self.steps.values() if s.applies)


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
        if step.button_style not in BUTTON_STYLES:
            raise WorkflowError(f"step {step.name}: button_style is one of {sorted(BUTTON_STYLES)}")
        for text in ("verb", "button", "refused", "done"):
            if not getattr(step, text):
                raise WorkflowError(f"step {step.name}: give its {text}")
        if step.comment_required and not step.comment_hint:
            raise WorkflowError(f"step {step.name}: a required comment needs its comment_hint")
    if flow.steps and (flow.submit_event is None or flow.resubmit is None):
        raise WorkflowError("submit: give its event and its resubmit")
    kinds = [flow.submit_event, flow.resubmit.event if flow.resubmit else None]
    kinds = [e.kind for e in kinds if e is not None]
    kinds += [s.event.kind for s in flow.steps.values()]
    for kind in kinds:
        if not _EVENT.fullmatch(kind):
            raise WorkflowError(f"event {kind!r}: at most 32 letters a-z and _")
    if len(kinds) != len(set(kinds)):
        raise WorkflowError("events: each step has an event of its own")
    for event in flow.events.values():
        if not event.label or not event.history:
            raise WorkflowError(f"event {event.kind}: give its event_label and history")
        try:
            event.history % {"batch": 1, "comment": ""}
        except (KeyError, ValueError, TypeError) as exc:
            raise WorkflowError(
                f"event {event.kind}: history may use %(batch)s and %(comment)s"
            ) from exc
    for d in flow.deadlines:
        if d.step not in DEADLINE_LABELS:
            raise WorkflowError(f"deadline: unknown step {d.step!r}")
        d.due(2568)  # a real calendar day
    if set(flow.demo_days) != {d.step for d in flow.deadlines}:
        raise WorkflowError("demo_days: give the days to every deadline's step")
    days = [flow.demo_days[d.step] for d in flow.deadlines]
    if any(n < 0 for n in days) or days != sorted(days):
        raise WorkflowError("demo_days: days from the set-up day, in the order of the steps")


def _event(spec: dict) -> Event:
    return Event(
        kind=str(spec["event"]),
        label=str(spec.get("event_label") or ""),
        history=str(spec.get("history") or ""),
    )


def _step(name: str, spec: dict) -> Step:
    return Step(
        name=name,
        from_states=frozenset(spec["from"]),
        to=spec["to"],
        permission=spec["permission"],
        comment_required=spec.get("comment") == "required",
        verification_state=spec["verification_state"],
        event=_event(spec),
        verb=str(spec.get("verb") or ""),
        button=str(spec.get("button") or ""),
        button_style=str(spec.get("button_style") or "primary"),
        refused=str(spec.get("refused") or ""),
        done=str(spec.get("done") or ""),
        confirm=str(spec.get("confirm") or ""),
        comment_hint=str(spec.get("comment_hint") or ""),
        applies=spec.get("applies", False) is True,
    )


def parse(data: dict, *, version: str = "", sha256: str = "") -> Workflow:
    try:
        submit = data["submit"]
        resubmit = submit.get("resubmit")
        flow = Workflow(
            submit_permission=submit["permission"],
            submit_area_lengths=tuple(submit["area_lengths"]),
            editable_states=frozenset(data["editable_states"]),
            steps={name: _step(name, spec) for name, spec in data["steps"].items()},
            deadlines=tuple(
                Deadline(d["step"], int(d["month"]), int(d["day"]), int(d["year_offset"]))
                for d in data["deadlines"]
            ),
            demo_days={step: int(n) for step, n in data["demo_days"].items()},
            submit_done=str(submit.get("done") or ""),
            submit_event=_event(submit) if "event" in submit else None,
            resubmit=Resubmit(
                button=str(resubmit.get("button") or ""),
                done=str(resubmit.get("done") or ""),
                event=_event(resubmit),
            )
            if resubmit
            else None,
            version=version,
            sha256=sha256,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise WorkflowError(f"workflow {version or '?'}: {exc}") from exc
    _check(flow)
    return flow


def _build(data: dict, version: str, sha256: str) -> Workflow:
    flow = parse(data, version=version, sha256=sha256)
    # The sentence of each event in a household's history (households.history): one kind,
    # one sentence, so a version that words an event otherwise needs a new event kind.
    for event in flow.events.values():
        history.define(event.history_kind, event.history, batch="text", comment="text")
    return flow


CATALOGUE = VersionedFolder(
    WORKFLOW_DIR,
    _build,
    setting="VERIFICATION_WORKFLOW_DIR",
    error=WorkflowError,
    what="workflow",
    pattern=_VERSION.pattern,
)


#: versions() oldest first ("v1", "v2", ...); current_version(), the one new ones start
#: under (the newest); workflow(version), the workflow of a batch's `workflow_version`, the
#: newest when None.
versions = CATALOGUE.versions
current_version = CATALOGUE.current
workflow = CATALOGUE.load


def released() -> dict[str, str]:
    """The hash of every released version of the shipped catalogue (SHA256SUMS)."""
    return CATALOGUE.released(WORKFLOW_DIR) or {}


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


# Every shipped version is checked against SHA256SUMS (and its history sentences defined)
# at start-up.
CATALOGUE.check(WORKFLOW_DIR)
