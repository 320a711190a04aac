"""Reads for form ศจพ.2: where the user may record, who is already known, and the review.

A person already in the registry must not become a second poor household, and a team must
not learn anything about people outside its area just by typing a PIN (ADR 0009). A match
inside the user's area is shown in full and linked. A match outside it (a registered
target or a person surveyed and not counted poor, anywhere else) gives one and the same
answer whoever and wherever it is: the household cannot be added yet, and the check has
been passed to the district that holds the record (a `DuplicateCase` it decides on).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from django.db.models import Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from cheepao.core import access
from cheepao.engine import api as engine
from cheepao.geo.models import Subdistrict
from cheepao.geo.selectors import Area, area_get
from cheepao.geo.selectors import village_label as geo_village_label
from cheepao.households.models import Household, Member, Problem, RegistryYear, Source
from cheepao.households.pii import mask_pin
from cheepao.households.selectors import households_visible_to, registry_latest
from cheepao.newhouseholds import assessment
from cheepao.newhouseholds.models import DuplicateCase, FieldReport

__all__ = [
    "Computed",
    "Elsewhere",
    "Match",
    "Review",
    "duplicate_cases_asked_in",
    "duplicate_cases_visible_to",
    "field_households",
    "field_report_queryset",
    "newhousehold_compute",
    "newhousehold_review",
    "registry_for_new",
    "subdistricts_for",
]


def registry_for_new() -> RegistryYear | None:
    """New households join the latest registry year: the one being verified now."""
    return registry_latest()


def subdistricts_for(user: Any) -> list[Area]:
    """The subdistricts inside the user's area, where they may record a household."""
    code = user.area_code or ""
    if len(code) >= 6:
        area = area_get(code[:6])
        return [area] if area else []
    if not code:
        return []  # a national account records nothing in the field
    return [
        Area(s.code, "subdistrict", s.name_th, s.name_en)
        for s in Subdistrict.objects.filter(code__startswith=code).order_by("code")
    ]


def village_code(subdistrict_code: str, village_no: int) -> str:
    return f"{subdistrict_code}{int(village_no):02d}"


def folder_url(household_id: int) -> str | None:
    """The registry folder of a household, once the registry pages provide it."""
    try:
        return reverse("households:folder", args=[household_id])
    except NoReverseMatch:
        return None


@dataclass
class Match:
    """Someone or some house inside the user's area that the form would duplicate."""

    kind: str  # "person" (registry), "house" (registry), "surveyed" (survey, not a target)
    pin: str = ""
    name: str = ""
    hh_id: str = ""
    household_id: int | None = None
    house_no: str = ""
    place: str = ""  # the village
    url: str | None = None
    member: int | None = None  # form row of the member it matched


@dataclass
class Elsewhere:
    """A record outside the user's area that the form would duplicate. Nothing of it is
    ever shown to the user: it only becomes a `DuplicateCase` for its district."""

    kind: str  # DuplicateCase.Kind
    source: str  # DuplicateCase.Source
    area_code: str  # village of the record
    record_hh_id: str
    household_id: int | None = None
    record_member_no: int | None = None
    record_name: str = ""
    record_house_no: str = ""
    pin: str = ""
    house_code: str = ""
    member: int | None = None  # form row of the member it matched
    # The district's answer so far: "" (not asked yet), or a DuplicateCase.Status.
    decision: str = ""


@dataclass
class Review:
    """Everything the preview shows and the save decides on."""

    registry: RegistryYear
    assessment: assessment.Assessment
    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    surveyed: list[Match] = field(default_factory=list)
    elsewhere: list[Elsewhere] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals and self.assessment.ok

    @property
    def to_pass_on(self) -> list[Elsewhere]:
        """Records elsewhere whose district has not been asked yet."""
        return [e for e in self.elsewhere if not e.decision]

    @property
    def cleared(self) -> list[Elsewhere]:
        """Records elsewhere whose district said the household may be added."""
        return [e for e in self.elsewhere if e.decision == DuplicateCase.Status.MAY_ADD]


def village_label(subdistrict_code: str, village_no: Any) -> str:
    area = area_get(subdistrict_code)
    return geo_village_label(village_no, area.full_name if area else subdistrict_code)


def _registered_people(
    user: Any, registry: RegistryYear, pins: dict[str, int]
) -> tuple[list[Match], list[Elsewhere]]:
    """Registered people (household in the registry year, still counted) with these PINs:
    the matches inside the user's area, and the records elsewhere."""
    if not pins:
        return [], []
    statuses = assessment.rules()["registered_statuses"]
    found = list(
        Member.objects.filter(
            pin__in=list(pins), household__registry=registry, household__status__in=statuses
        )
        .select_related("household")
        .order_by("pin", "household_id", "member_no")
    )
    visible = set(
        households_visible_to(user)
        .filter(pk__in=[m.household_id for m in found])
        .values_list("pk", flat=True)
    )
    inside, elsewhere = [], []
    for m in found:
        hh = m.household
        if hh.pk in visible:
            inside.append(
                Match(
                    "person",
                    pin=m.pin,
                    name=m.full_name,
                    hh_id=hh.hh_id,
                    household_id=hh.pk,
                    house_no=hh.house_no,
                    place=village_label(hh.subdistrict_code, hh.village_no),
                    url=folder_url(hh.pk),
                    member=pins[m.pin],
                )
            )
        else:
            elsewhere.append(
                Elsewhere(
                    DuplicateCase.Kind.PERSON,
                    DuplicateCase.Source.REGISTRY,
                    area_code=hh.village_code,
                    record_hh_id=hh.hh_id,
                    household_id=hh.pk,
                    record_member_no=m.member_no,
                    record_name=m.full_name,
                    record_house_no=hh.house_no,
                    pin=m.pin,
                    member=pins[m.pin],
                )
            )
    return inside, elsewhere


def _registered_houses(
    user: Any, registry: RegistryYear, *, house_code: str, village: str, house_no: str
) -> tuple[list[Match], list[Elsewhere]]:
    """Registered households with this house code, or this house number in this village:
    the matches inside the user's area, and the records elsewhere."""
    cond = Q()
    if house_code:
        cond |= Q(house_code=house_code)
    if house_no:
        cond |= Q(village_code=village, house_no=house_no)
    if not cond:
        return [], []
    statuses = assessment.rules()["registered_statuses"]
    found = list(
        Household.objects.filter(cond, registry=registry, status__in=statuses).order_by("pk")
    )
    visible = set(
        households_visible_to(user)
        .filter(pk__in=[h.pk for h in found])
        .values_list("pk", flat=True)
    )
    inside = [
        Match(
            "house",
            hh_id=h.hh_id,
            household_id=h.pk,
            house_no=h.house_no,
            place=village_label(h.subdistrict_code, h.village_no),
            url=folder_url(h.pk),
        )
        for h in found
        if h.pk in visible
    ]
    elsewhere = [
        Elsewhere(
            DuplicateCase.Kind.HOUSE,
            DuplicateCase.Source.REGISTRY,
            area_code=h.village_code,
            record_hh_id=h.hh_id,
            household_id=h.pk,
            record_house_no=h.house_no,
            house_code=house_code,
        )
        for h in found
        if h.pk not in visible
    ]
    return inside, elsewhere


def _surveyed_people(
    user: Any, registry: RegistryYear, pins: dict[str, int]
) -> tuple[list[Match], list[Elsewhere]]:
    """People of the survey (targets or not) with these PINs, from the registry's run:
    the matches inside the user's area, and the records elsewhere."""
    if not pins:
        return [], []
    run = engine.open_run(registry.run_path)
    df = engine.find_surveyed_persons(run, list(pins))
    inside, elsewhere = [], []
    for row in df.to_dict("records"):
        sub = row.get("subdistrict_code") or ""
        vno = row.get("village_no")
        village = village_code(sub, vno) if sub and not pd.isna(vno) else ""
        parts = (row.get("title") or "", row.get("first_name") or "", row.get("last_name") or "")
        name = f"{parts[0]}{parts[1]} {parts[2]}".strip()
        member_no = row.get("member_no")
        if village and user.covers(village):
            inside.append(
                Match(
                    "surveyed",
                    pin=row["pin"],
                    name=name,
                    hh_id=row["hh_id"],
                    house_no=row.get("house_no") or "",
                    place=village_label(sub, vno),
                    member=pins.get(row["pin"]),
                )
            )
        else:
            elsewhere.append(
                Elsewhere(
                    DuplicateCase.Kind.PERSON,
                    DuplicateCase.Source.SURVEY,
                    area_code=village,
                    record_hh_id=str(row["hh_id"]),
                    record_member_no=None if pd.isna(member_no) else int(member_no),
                    record_name=name,
                    record_house_no=row.get("house_no") or "",
                    pin=row["pin"],
                    member=pins.get(row["pin"]),
                )
            )
    return inside, elsewhere


def case_key(e: Elsewhere) -> dict[str, Any]:
    """The fields that make two duplicate checks the same question about the same record."""
    return {
        "kind": e.kind,
        "source": e.source,
        "record_hh_id": e.record_hh_id,
        "record_member_no": e.record_member_no,
        "pin_masked": mask_pin(e.pin),
        "house_code": e.house_code,
    }


def case_state(registry: RegistryYear, subdistrict: str, e: Elsewhere) -> str:
    """The state of the latest check this subdistrict raised about this record: "" when
    none was raised yet, else its status (open, or the district's decision)."""
    status = (
        DuplicateCase.objects.filter(
            registry=registry, asked_village_code__startswith=subdistrict, **case_key(e)
        )
        .order_by("-created_at", "-pk")
        .values_list("status", flat=True)
        .first()
    )
    return status or ""


def _elsewhere_refusal(e: Elsewhere, members: list[dict[str, Any]]) -> str:
    """The one answer about a record outside the user's area: it names the member as the
    user typed it and says nothing of the record (who, where, registered or surveyed)."""
    if e.kind == DuplicateCase.Kind.PERSON:
        typed = members[e.member] if e.member is not None else {}
        who = {
            "no": (e.member or 0) + 1,
            "name": f"{typed.get('first_name') or ''} {typed.get('last_name') or ''}".strip(),
        }
        if e.decision == DuplicateCase.Status.SAME:
            return (
                _(
                    "Member %(no)s (%(name)s) cannot be recorded in a new household: the district "
                    "that holds the record of this national ID has checked it and does not allow it."
                )
                % who
            )
        return (
            _(
                "Member %(no)s (%(name)s) cannot be recorded in a new household yet: this national "
                "ID must first be checked by the district that holds its record. The check has been "
                "passed to that district; its answer will appear on your list of new households."
            )
            % who
        )
    if e.decision == DuplicateCase.Status.SAME:
        return _(
            "This house code cannot be used for a new household: the district that holds its "
            "record has checked it and does not allow it."
        )
    return _(
        "This house code cannot be used for a new household yet: it must first be checked by "
        "the district that holds its record. The check has been passed to that district; its "
        "answer will appear on your list of new households."
    )


@dataclass
class Computed:
    """The slow half of a review, made before any lock is taken: the engine's verdict on the
    answers and the scan of the survey files for the form's national IDs. Neither depends
    on what other teams record meanwhile (the run's files do not change), so a save makes
    it once, outside its transaction, and checks only the registry again inside (ADR 0021)."""

    registry: RegistryYear
    assessment: assessment.Assessment
    surveyed: list[Match] = field(default_factory=list)
    surveyed_elsewhere: list[Elsewhere] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _pins(data: dict[str, Any]) -> dict[str, int]:
    return {m["pin"]: i for i, m in enumerate(data["members"]) if m.get("pin")}


def newhousehold_compute(user: Any, data: dict[str, Any]) -> Computed | None:
    """The engine's validate + compute of the form's answers, with the registry's own rules,
    and the survey's people with the form's national IDs (inside the user's area, and the
    records elsewhere). None when no registry year is loaded."""
    registry = registry_for_new()
    if registry is None:
        return None
    computed = Computed(registry, assessment.assess(registry, data))
    try:
        computed.surveyed, computed.surveyed_elsewhere = _surveyed_people(
            user, registry, _pins(data)
        )
    except engine.RunNotFound:
        computed.warnings.append(
            _(
                "The survey files of %(year)s could not be read, so people surveyed but not "
                "counted poor could not be looked up."
            )
            % {"year": registry.survey_year}
        )
    return computed


def newhousehold_review(
    user: Any, data: dict[str, Any], computed: Computed | None = None
) -> Review | None:
    """Duplicates, survey matches and the engine's verdict for the answers of one form.

    Refusals (the save must not happen): a person or the house already registered, answers
    the engine's validator rejects, or, by `form2.yaml`, no failing indicator and no
    vulnerable-group tag. A person or house known only outside the user's area is refused
    in the same words whatever the record is (registered or only surveyed) and wherever it
    is, until the district that holds it decides the household may be added. Warnings (the
    save may happen): people surveyed in the user's area but not counted poor.

    `computed` (from `newhousehold_compute`) is reused when given: only the registry is
    read again, as a save does once it holds its locks.
    """
    if computed is None:
        computed = newhousehold_compute(user, data)
        if computed is None:
            return None
    registry = computed.registry
    result = computed.assessment
    review = Review(registry, result, warnings=list(computed.warnings))
    members = data["members"]
    pins = _pins(data)
    village = village_code(data["subdistrict_code"], data["village_no"])

    # Every lookup is made for every PIN, whatever another one found, so the answer takes
    # the same work whether a PIN is registered, only surveyed, or unknown.
    people, people_elsewhere = _registered_people(user, registry, pins)
    houses, houses_elsewhere = _registered_houses(
        user,
        registry,
        house_code=data.get("house_code") or "",
        village=village,
        house_no=data.get("house_no") or "",
    )
    surveyed = list(computed.surveyed)
    surveyed_elsewhere = [replace(e) for e in computed.surveyed_elsewhere]

    # A PIN registered in the user's own area is refused with its link, and that is all. Any
    # other PIN known elsewhere (registered first, else surveyed) gets one record elsewhere.
    registered_here = {m.pin for m in people}
    chosen: dict[str, Elsewhere] = {}
    for e in people_elsewhere + surveyed_elsewhere:
        if e.pin not in registered_here:
            chosen.setdefault(e.pin, e)
    review.matches = people + houses
    review.elsewhere = list(chosen.values())
    if houses_elsewhere and not houses:
        review.elsewhere.append(houses_elsewhere[0])
    for e in review.elsewhere:
        e.decision = case_state(registry, data["subdistrict_code"], e)
    review.surveyed = [s for s in surveyed if s.pin not in registered_here and s.pin not in chosen]

    for m in review.matches:
        if m.kind == "person":
            msg = _("%(name)s (national ID %(pin)s) is already in the registry, household %(hh)s.")
            review.refusals.append(msg % {"name": m.name, "pin": m.pin, "hh": m.hh_id})
        else:
            msg = _("This house is already in the registry: household %(hh)s, house number %(no)s.")
            review.refusals.append(msg % {"hh": m.hh_id, "no": m.house_no})
    for e in review.elsewhere:
        if e.decision != DuplicateCase.Status.MAY_ADD:
            review.refusals.append(_elsewhere_refusal(e, members))
    for s in review.surveyed:
        msg = _(
            "National ID %(pin)s was surveyed in %(year)s (%(place)s) and not counted poor "
            "then. Record the household only if it is poor now."
        )
        review.warnings.append(msg % {"pin": s.pin, "year": registry.survey_year, "place": s.place})

    rules = assessment.rules()
    if (
        result.ok
        and result.n_dims == 0
        and not rules["record_without_failing_dimension"]
        and not data.get("vulnerable_tags")
    ):
        review.refusals.append(
            _(
                "By these answers the household fails no indicator, so it is not a missed poor "
                "household. Check the answers, or tick a vulnerable group if it belongs to one."
            )
        )
    return review


def field_households(user: Any):
    """Households found in the field (form ศจพ.2) that the user may see, newest first."""
    return (
        households_visible_to(user)
        .filter(source=Source.FIELD)
        .select_related("field_report")
        .order_by("-created_at")
    )


def field_household_by_uid(user: Any, uid: Any) -> Household | None:
    """The field-found household recorded from the form with this id, if the user may see
    it (a form sent twice is shown as the first save)."""
    if uid is None:
        return None
    return households_visible_to(user).filter(source=Source.FIELD, uid=uid).first()


def field_report_queryset() -> QuerySet[Household]:
    """Field-found households with members, problems and their form, for the page of one:
    the page asks `access.one(user, Household, "view", id, queryset=this)` (households'
    policy), so a household out of reach, or not found in the field, is the same 404."""
    return (
        Household.objects.filter(source=Source.FIELD)
        .select_related("registry", "field_report")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("member_no")),
            Prefetch("problems", queryset=Problem.objects.order_by("indicator")),
        )
    )


def with_report(household: Household) -> Household:
    """`household.report`: its form ศจพ.2, or None for one recorded before forms were kept."""
    try:
        household.report = household.field_report
    except FieldReport.DoesNotExist:
        household.report = None
    return household


# ---------------------------------------------------------------- duplicate checks


def duplicate_cases_visible_to(user: Any):
    """The duplicate checks a district decides on: those about records in its area
    (newhouseholds.policies; one check: `access.one(user, DuplicateCase, "view", id)`)."""
    return access.scope(user, DuplicateCase, "view")


def duplicate_cases_for_district(user: Any) -> dict[str, list[DuplicateCase]]:
    """The district's duplicate checks: open ones oldest first, then the latest decided."""
    qs = duplicate_cases_visible_to(user).select_related("asked_by", "household")
    return {
        "open": list(qs.filter(status=DuplicateCase.Status.OPEN).order_by("created_at", "pk")),
        "decided": list(
            qs.exclude(status=DuplicateCase.Status.OPEN).order_by("-decided_at", "-pk")[:50]
        ),
    }


# What the team that asked may know of its own checks: its side of the form and the
# decision, never the record it matched.
ASKER_FIELDS = (
    "pk",
    "kind",
    "status",
    "asked_village_code",
    "asked_name",
    "asked_house_no",
    "pin_masked",
    "house_code",
    "created_at",
    "decided_at",
)


def duplicate_cases_asked_in(user: Any) -> list[dict[str, Any]]:
    """The duplicate checks raised from forms in the user's area, newest first, carrying
    `ASKER_FIELDS` only, so a page of the team cannot show the record by mistake."""
    if not getattr(user, "is_authenticated", False) or not user.area_code:
        return []
    rows = list(
        DuplicateCase.objects.filter(asked_village_code__startswith=user.area_code)
        .order_by("-created_at", "-pk")
        .values(*ASKER_FIELDS)[:200]
    )
    statuses = dict(DuplicateCase.Status.choices)
    for r in rows:
        r["status_label"] = statuses.get(r["status"], r["status"])
        r["village"] = case_village(r["asked_village_code"])
    return rows


def case_village(code: str) -> str:
    """'Village 3, ต.…' for an 8-digit village code (the district's page)."""
    return village_label(code[:6], int(code[6:])) if len(code) == 8 else code
