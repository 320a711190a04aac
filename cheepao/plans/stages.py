"""The household's stage as evidence: the stage catalogue (`stages/<version>.yaml`) and
the rule kinds it may use.

`propose(failing=, done=, total=)` answers which stage (อยู่รอด / พอเพียง / ยั่งยืน, or
none yet) the household's facts support, and why, line by line: the registry's open
problems by dimension and the plan's items done. The subdistrict team confirms the
proposal (`services.stage_confirm`); nobody types a stage. A new kind of rule is a name
in `KINDS` and its function here; a changed threshold is a new catalogue version.

`settings.PLANS_STAGES_DIR` names another folder of versions (tests use it); the folder is
read by `core.catalogues.VersionedFolder`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from cheepao.core.catalogues import VersionedFolder
from cheepao.core.thai import english

STAGES_DIR = Path(__file__).with_name("stages")
_VERSION = re.compile(r"v(\d+)")
DIMENSIONS = ("health", "living", "education", "income", "access")
DIMENSION_NAMES = {
    "health": ("ด้านสุขภาพ", "health"),
    "living": ("ด้านความเป็นอยู่", "living conditions"),
    "education": ("ด้านการศึกษา", "education"),
    "income": ("ด้านรายได้", "income"),
    "access": ("ด้านการเข้าถึงบริการรัฐ", "access to public services"),
}


class StageError(ValueError):
    pass


@dataclass(frozen=True)
class Facts:
    """What a proposal reads: open problems {dimension: [indicator codes]}, plan items."""

    failing: Mapping[str, list[str]]
    done: int
    total: int


@dataclass(frozen=True)
class Line:
    """One line of evidence: whether the rule holds, in Thai and English."""

    holds: bool
    th: str
    en: str

    @property
    def text(self) -> str:
        return self.en if english() else self.th

    def as_data(self) -> dict[str, Any]:
        return {"holds": self.holds, "th": self.th, "en": self.en}


def _names(dims: list[str]) -> tuple[str, str]:
    return (
        ", ".join(DIMENSION_NAMES[d][0] for d in dims),
        ", ".join(DIMENSION_NAMES[d][1] for d in dims),
    )


def _passes_dimensions(rule: Mapping[str, Any], facts: Facts) -> Line:
    dims = list(rule["dimensions"])
    failing = [d for d in dims if facts.failing.get(d)]
    if not failing:
        th, en = _names(dims)
        return Line(True, f"ไม่มีปัญหาค้างใน{th}", f"no open problem in {en}")
    th_parts = [f"{DIMENSION_NAMES[d][0]} ({', '.join(facts.failing[d])})" for d in failing]
    en_parts = [f"{DIMENSION_NAMES[d][1]} ({', '.join(facts.failing[d])})" for d in failing]
    return Line(
        False,
        "ยังมีปัญหาค้างใน" + ", ".join(th_parts),
        "open problems in " + ", ".join(en_parts),
    )


def _items_done_share(rule: Mapping[str, Any], facts: Facts) -> Line:
    need = Fraction(str(rule["at_least"]))
    holds = facts.total > 0 and Fraction(facts.done, facts.total) >= need
    pct = round(100 * need)
    return Line(
        holds,
        f"กิจกรรมตามแผนเสร็จแล้ว {facts.done} จาก {facts.total} (เกณฑ์อย่างน้อยร้อยละ {pct})",
        f"{facts.done} of {facts.total} plan items done (at least {pct}% needed)",
    )


def _check_passes_dimensions(rule: Mapping[str, Any]) -> None:
    dims = rule.get("dimensions")
    if not dims or not set(dims) <= set(DIMENSIONS):
        raise StageError(f"passes_dimensions: dimensions among {DIMENSIONS}")


def _check_items_done_share(rule: Mapping[str, Any]) -> None:
    share = Fraction(str(rule.get("at_least")))
    if not 0 < share <= 1:
        raise StageError("items_done_share: at_least is a share above 0, at most 1")


#: Rule kind → (its check when the catalogue is read, its evaluation over the facts).
KINDS: dict[str, tuple[Callable[[Mapping], None], Callable[[Mapping, Facts], Line]]] = {
    "passes_dimensions": (_check_passes_dimensions, _passes_dimensions),
    "items_done_share": (_check_items_done_share, _items_done_share),
}


@dataclass(frozen=True)
class StageDef:
    code: str
    th: str
    en: str
    definition_th: str
    rules: tuple[Mapping[str, Any], ...]

    @property
    def name(self) -> str:
        return self.en if english() else self.th


@dataclass(frozen=True)
class Proposal:
    version: str
    stage: StageDef | None
    evidence: list[tuple[StageDef, list[Line]]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.stage.code if self.stage else ""

    def evidence_data(self) -> list[dict[str, Any]]:
        return [
            {"stage": s.code, "lines": [line.as_data() for line in lines]}
            for s, lines in self.evidence
        ]


@dataclass(frozen=True)
class Catalogue:
    version: str
    stages: tuple[StageDef, ...]

    def propose(self, facts: Facts) -> Proposal:
        evidence = []
        best = None
        for stage in self.stages:
            lines = [KINDS[r["kind"]][1](r, facts) for r in stage.rules]
            evidence.append((stage, lines))
            if all(line.holds for line in lines):
                best = stage
        return Proposal(self.version, best, evidence)

    def stage(self, code: str) -> StageDef | None:
        return next((s for s in self.stages if s.code == code), None)


def parse(data: dict, *, version: str) -> Catalogue:
    try:
        stages = tuple(
            StageDef(
                code=str(s["code"]),
                th=str(s["th"]),
                en=str(s["en"]),
                definition_th=str(s.get("definition_th") or ""),
                rules=tuple(dict(r) for r in s["rules"]),
            )
            for s in data["stages"]
        )
    except (KeyError, TypeError) as exc:
        raise StageError(f"stages {version}: {exc}") from exc
    from cheepao.plans.models import Stage

    for s in stages:
        if s.code not in Stage.values:
            raise StageError(f"stage {s.code!r}: one of {Stage.values}")
        for rule in s.rules:
            kind = rule.get("kind")
            if kind not in KINDS:
                raise StageError(f"stage {s.code}: unknown rule kind {kind!r}")
            try:
                KINDS[kind][0](rule)
            except (TypeError, ValueError, ZeroDivisionError) as exc:
                raise StageError(f"stage {s.code}: {exc}") from exc
    return Catalogue(version, stages)


CATALOGUE = VersionedFolder(
    STAGES_DIR,
    lambda data, version, _sha256: parse(data, version=version),
    setting="PLANS_STAGES_DIR",
    error=StageError,
    what="stage catalogue",
    pattern=_VERSION.pattern,
)


#: versions() oldest first; catalogue(version), the stage catalogue of `version`, the newest
#: when None.
versions = CATALOGUE.versions
catalogue = CATALOGUE.load
