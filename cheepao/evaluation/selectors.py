"""Reads of the evaluation (ADR 0036): figures per area, per indicator, per agency and
per programme, from the Outcome rows of the account's area (prefix of the household's
village in the registry year) and the Logbook's help entries behind them. Aggregates
only; every function takes the account and answers nothing outside its area.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr

from cheepao.evaluation import policies
from cheepao.evaluation.models import TARGET, Evaluation, Outcome
from cheepao.evaluation.services import campaign_year
from cheepao.logbook.models import Entry

LENGTHS = (0, 2, 4, 6, 8)
STAGES = ("survives", "sufficient", "sustainable")
FOLLOWED = ("escaped", "still")  # deprived in the earlier year and found in the later one


def pct(part: int, whole: int) -> Decimal | None:
    """Per cent to one decimal, None when there is nobody to count ("no data")."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def evaluations() -> list[Evaluation]:
    return list(Evaluation.objects.select_related("registry").order_by("-after_year", "-pk"))


def chosen(pk: Any = None) -> Evaluation | None:
    """The evaluation asked for (`pk`), else the latest computed."""
    qs = Evaluation.objects.select_related("registry")
    if pk not in (None, "") and str(pk).isdigit():
        found = qs.filter(pk=int(pk)).first()
        if found is not None:
            return found
    return qs.order_by("-after_year", "-computed_at").first()


def pair_to_compute() -> tuple[Any, Any] | None:
    """(the registry to evaluate, the working registry whose run it is followed into): the
    newest version of the latest survey year before the working registry's; None when
    only one survey year is loaded."""
    from cheepao.households.models import RegistryYear
    from cheepao.households.selectors.register import registry_latest

    latest = registry_latest()
    if latest is None:
        return None
    before = (
        RegistryYear.objects.filter(survey_year__lt=latest.survey_year)
        .order_by("-survey_year", "-version")
        .first()
    )
    return (before, latest) if before is not None else None


@dataclass
class AreaLine:
    code: str
    followed: int = 0  # households of the registry year
    found: int = 0  # of them, in the later survey
    escaped: int = 0  # left poverty (the target status)
    stages: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STAGES})

    @property
    def escaped_pct(self) -> Decimal | None:
        return pct(self.escaped, self.found)


@dataclass
class SubjectLine:
    subject: str
    label: str = ""
    escaped: int = 0
    still: int = 0
    newly: int = 0
    helped: int = 0
    helped_escaped: int = 0
    not_helped: int = 0
    not_helped_escaped: int = 0

    @property
    def deprived_before(self) -> int:
        return self.escaped + self.still

    @property
    def escaped_pct(self) -> Decimal | None:
        return pct(self.escaped, self.deprived_before)

    @property
    def helped_pct(self) -> Decimal | None:
        return pct(self.helped_escaped, self.helped)

    @property
    def not_helped_pct(self) -> Decimal | None:
        return pct(self.not_helped_escaped, self.not_helped)


@dataclass
class GiverLine:
    """One agency's (or programme's) help in one subject: the households it helped that
    were deprived in it and are in the later survey, how many escaped, and its baht."""

    name: str
    subject: str
    label: str = ""
    households: int = 0
    escaped: int = 0
    baht: Decimal = Decimal(0)

    @property
    def escaped_pct(self) -> Decimal | None:
        return pct(self.escaped, self.households)

    @property
    def baht_per_escaped(self) -> Decimal | None:
        if not self.escaped:
            return None
        return (self.baht / self.escaped).quantize(Decimal("0.01"))


@dataclass
class Page:
    evaluation: Evaluation
    code: str
    line: AreaLine
    children: list[AreaLine]
    subjects: list[SubjectLine]
    agencies: list[GiverLine]
    programmes: list[GiverLine]


def _in_area(qs, code: str, lookup: str = "village_code"):
    return qs.filter(**{f"{lookup}__startswith": code}) if code else qs


def _area_lines(ev: Evaluation, code: str) -> tuple[AreaLine, list[AreaLine]]:
    targets = _in_area(Outcome.objects.filter(evaluation=ev, subject=TARGET), code)
    line = AreaLine(code)
    child_len = next((n for n in LENGTHS if n > len(code)), None)
    children: dict[str, AreaLine] = {}
    group = ["status", "stage"]
    qs = targets.order_by()
    if child_len is not None:
        qs = qs.annotate(child=Substr("village_code", 1, child_len))
        group.append("child")
    for r in qs.values(*group).annotate(n=Count("pk")):
        lines = [line]
        if child_len is not None:
            lines.append(children.setdefault(r["child"], AreaLine(r["child"])))
        for a in lines:
            a.followed += r["n"]
            a.found += r["n"] if r["status"] != "left" else 0
            a.escaped += r["n"] if r["status"] == "escaped" else 0
            if r["stage"] in a.stages:
                a.stages[r["stage"]] += r["n"]
    return line, [children[c] for c in sorted(children)]


def _labels(ev: Evaluation) -> tuple[list[str], dict[str, str]]:
    from django.utils.translation import get_language

    cat = ev.registry.catalogue
    thai = (get_language() or "th").startswith("th")
    labels = {i.code: f"{i.code} {i.th if thai else i.en}" for i in cat.indicators}
    labels.update({d.code: (d.th if thai else d.en) for d in cat.dimensions})
    return [i.code for i in cat.indicators], labels


def _subject_lines(ev: Evaluation, code: str, labels: dict[str, str], order: list[str]):
    lines = {s: SubjectLine(s, labels.get(s, s)) for s in order}
    rows = (
        _in_area(Outcome.objects.filter(evaluation=ev, subject__in=order), code)
        .order_by()
        .values("subject", "status", "helped")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        s, status, n = lines[r["subject"]], r["status"], r["n"]
        if status in ("escaped", "still", "newly"):
            setattr(s, status, getattr(s, status) + n)
        if status in FOLLOWED:
            if r["helped"]:
                s.helped += n
                s.helped_escaped += n if status == "escaped" else 0
            else:
                s.not_helped += n
                s.not_helped_escaped += n if status == "escaped" else 0
    return [lines[s] for s in order if lines[s].deprived_before or lines[s].newly]


def _givers(ev: Evaluation, code: str, labels: dict[str, str]):
    """Per (agency, subject) and per (programme, subject) from the counting help entries of
    the campaign year, joined with the households' outcomes in that subject."""
    status = {
        (h, s): st
        for h, s, st in _in_area(
            Outcome.objects.filter(evaluation=ev).exclude(subject=TARGET), code
        ).values_list("household_id", "subject", "status")
    }
    start, end = campaign_year(ev.before_year)
    entries = (
        _in_area(Entry.objects.counting(), code)
        .filter(
            Q(agency__isnull=False) | Q(programme__isnull=False),
            part=Entry.Part.HELP,
            household__registry=ev.registry,
            occurred_on__gte=start,
            occurred_on__lt=end,
        )
        .values_list(
            "agency__name", "programme__name", "household_id", "indicator", "dimension", "value"
        )
    )
    agencies: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"hh": set(), "esc": set(), "baht": Decimal(0)}
    )
    programmes: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"hh": set(), "esc": set(), "baht": Decimal(0)}
    )
    for agency, programme, hh, indicator, dimension, value in entries:
        subject = indicator or dimension
        st = status.get((hh, subject))
        if st not in FOLLOWED:
            continue
        for name, table in ((agency, agencies), (programme, programmes)):
            if not name:
                continue
            line = table[(name, subject)]
            line["hh"].add(hh)
            if st == "escaped":
                line["esc"].add(hh)
            line["baht"] += value or Decimal(0)

    def lines(table):
        return [
            GiverLine(name, s, labels.get(s, s), len(v["hh"]), len(v["esc"]), v["baht"])
            for (name, s), v in sorted(table.items())
        ]

    return lines(agencies), lines(programmes)


def page(user: Any, ev: Evaluation, code: str) -> Page | None:
    """The evaluation figures of area `code` for `user`; None (the caller's 404) when the
    area is not the account's or under it."""
    if not policies.may_view(user, code):
        return None
    order, labels = _labels(ev)
    line, children = _area_lines(ev, code)
    agencies, programmes = _givers(ev, code, labels)
    return Page(
        ev, code, line, children, _subject_lines(ev, code, labels, order), agencies, programmes
    )
