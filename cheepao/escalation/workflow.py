"""The escalation clocks' catalogue (`workflows/<version>.yaml`), read and checked here.

Services ask "when is this step due, may it be paused for that wait, does an overdue clock
escalate, to which level?"; pages ask "what is this wait called?". Other days, other
holidays or another step is a new version of the YAML, not code. A clock records the
version it started under (`Clock.workflow_version`) and is timed by it.

`settings.ESCALATION_WORKFLOW_DIR` names another folder of versions (tests use it); the
folder is read by `core.catalogues.VersionedFolder`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext

from cheepao.core.catalogues import VersionedFolder

WORKFLOW_DIR = Path(__file__).with_name("workflows")
_VERSION = re.compile(r"v(\d+)")
_NAME = re.compile(r"[a-z_]{1,32}")
LEVELS = {"district", "province"}
COUNTS = {"calendar", "working"}
STARTS = {"case_opened", "escalated", "assigned"}
ENDS = {"escalated", "assigned", "returned"}
OVERDUE = {"escalate", "show"}
AFTER_RETURN = {"district", "stop"}


class WorkflowError(ValueError):
    pass


@dataclass(frozen=True)
class Step:
    name: str
    level: str
    days: int
    count: str
    starts_on: str
    ends_on: str
    overdue: str
    next: str = ""
    reason: str = ""  # English msgid: the reason of an automatic escalation
    waits: dict[str, str] = field(default_factory=dict)  # code -> English msgid
    after_return: str = ""

    @property
    def escalates(self) -> bool:
        return self.overdue == "escalate"

    @property
    def reason_text(self) -> str:
        return gettext(self.reason) if self.reason else ""

    def wait_text(self, code: str) -> str:
        return gettext(self.waits[code]) if code in self.waits else code


@dataclass(frozen=True)
class Workflow:
    version: str
    sha256: str
    steps: dict[str, Step]
    holidays: frozenset[datetime.date]

    def step(self, name: str) -> Step:
        return self.steps[name]

    def starting_on(self, event: str) -> Step | None:
        return next((s for s in self.steps.values() if s.starts_on == event), None)

    def working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def due(self, step: Step, start: datetime.datetime) -> datetime.datetime:
        """When a clock of `step` started at `start` (aware) is due: `days` later at the same
        time of day, counting calendar days or working days (the Nth working day after the
        start's day, in the site's time zone)."""
        if step.count == "calendar":
            return start + datetime.timedelta(days=step.days)
        day, left = start.date(), step.days
        while left > 0:
            day += datetime.timedelta(days=1)
            if self.working_day(day):
                left -= 1
        return start + datetime.timedelta(days=(day - start.date()).days)


def _holidays(data: object) -> frozenset[datetime.date]:
    if data in (None, {}):
        return frozenset()
    if not isinstance(data, dict):
        raise WorkflowError("holidays: a mapping of year to a list of dates")
    out = set()
    for year, days in data.items():
        for day in days or ():
            if not isinstance(day, datetime.date) or day.year != int(year):
                raise WorkflowError(f"holidays {year}: {day!r} is not a date of that year")
            out.add(day)
    return frozenset(out)


def parse(data: dict, *, version: str = "", sha256: str = "") -> Workflow:
    try:
        steps = {}
        for name, spec in data["steps"].items():
            unknown = set(spec) - {
                "level", "days", "count", "starts_on", "ends_on", "overdue", "next",
                "reason", "waits", "after_return",
            }  # fmt: skip
            if unknown:
                raise WorkflowError(f"step {name}: unknown keys {sorted(unknown)}")
            steps[name] = Step(
                name=str(name),
                level=str(spec["level"]),
                days=spec["days"],
                count=str(spec["count"]),
                starts_on=str(spec["starts_on"]),
                ends_on=str(spec["ends_on"]),
                overdue=str(spec["overdue"]),
                next=str(spec.get("next") or ""),
                reason=str(spec.get("reason") or ""),
                waits={str(k): str(v) for k, v in (spec.get("waits") or {}).items()},
                after_return=str(spec.get("after_return") or ""),
            )
        flow = Workflow(version, sha256, steps, _holidays(data.get("holidays")))
    except (KeyError, TypeError, AttributeError) as exc:
        raise WorkflowError(f"escalation workflow {version or '?'}: {exc}") from exc
    starts = [s.starts_on for s in steps.values()]
    if len(starts) != len(set(starts)):
        raise WorkflowError("each step starts on an event of its own")
    for s in steps.values():
        where = f"escalation workflow {version or '?'}, step {s.name}"
        if not _NAME.fullmatch(s.name):
            raise WorkflowError(f"{where}: a name is at most 32 letters a-z and _")
        if s.level not in LEVELS or s.count not in COUNTS or s.overdue not in OVERDUE:
            raise WorkflowError(f"{where}: level, count or overdue is not one of the known")
        if s.starts_on not in STARTS or s.ends_on not in ENDS:
            raise WorkflowError(f"{where}: starts_on or ends_on is not one of the known")
        if not isinstance(s.days, int) or isinstance(s.days, bool) or not 1 <= s.days <= 365:
            raise WorkflowError(f"{where}: days is a whole number from 1 to 365")
        if s.escalates and (s.next not in LEVELS or s.next == s.level or not s.reason):
            raise WorkflowError(f"{where}: an escalating step names the next level and a reason")
        if s.ends_on == "returned" and s.after_return not in AFTER_RETURN:
            raise WorkflowError(f"{where}: after_return is district or stop")
        if any(not _NAME.fullmatch(code) for code in s.waits):
            raise WorkflowError(f"{where}: a wait's code is at most 32 letters a-z and _")
    if "case_opened" not in starts:
        raise WorkflowError("a step starts on case_opened (the district's clock)")
    return flow


def _build(data: dict, version: str, sha256: str) -> Workflow:
    if not isinstance(data, dict):
        raise WorkflowError(f"escalation workflow {version}: not a mapping")
    return parse(data, version=version, sha256=sha256)


CATALOGUE = VersionedFolder(
    WORKFLOW_DIR,
    _build,
    setting="ESCALATION_WORKFLOW_DIR",
    error=WorkflowError,
    what="escalation workflow",
    pattern=_VERSION.pattern,
)

versions = CATALOGUE.versions
current_version = CATALOGUE.current
workflow = CATALOGUE.load


def released() -> dict[str, str]:
    return CATALOGUE.released(WORKFLOW_DIR) or {}


CATALOGUE.check(WORKFLOW_DIR)
