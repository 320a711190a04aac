"""Reads for form ศจพ.2: where the user may record, who is already known, and the review.

A person already in the registry must not become a second poor household, and a team must
not learn the details of a household outside its area just by typing a PIN: a match inside
the user's area is shown in full and linked, one outside it says only that the person is
registered elsewhere, naming the district.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from cheepao.engine import api as engine
from cheepao.geo.models import Subdistrict
from cheepao.geo.selectors import Area, area_get
from cheepao.households.models import Household, Member, RegistryYear, Source
from cheepao.households.selectors import households_visible_to, registry_latest
from cheepao.newhouseholds import assessment
from cheepao.newhouseholds.models import FieldReport

__all__ = [
    "Match",
    "Review",
    "field_households",
    "field_report_for",
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


def district_name(code: str) -> str:
    area = area_get(code[:4]) if code and len(code) >= 4 else None
    return area.full_name if area else code[:4]


def folder_url(household_id: int) -> str | None:
    """The registry folder of a household, once the registry pages provide it."""
    try:
        return reverse("households:folder", args=[household_id])
    except NoReverseMatch:
        return None


@dataclass
class Match:
    """Someone or some house the form would duplicate. `visible` matches carry details."""

    kind: str  # "person" (registry), "house" (registry), "surveyed" (survey, not a target)
    visible: bool
    pin: str = ""
    name: str = ""
    hh_id: str = ""
    household_id: int | None = None
    house_no: str = ""
    place: str = ""  # village name when visible, district name otherwise
    url: str | None = None
    member: int | None = None  # form row of the member it matched


@dataclass
class Review:
    """Everything the preview shows and the save decides on."""

    registry: RegistryYear
    assessment: assessment.Assessment
    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    surveyed: list[Match] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals and self.assessment.ok


def village_label(subdistrict_code: str, village_no: Any) -> str:
    area = area_get(subdistrict_code)
    sub = area.full_name if area else subdistrict_code
    return _("Village %(no)s, %(subdistrict)s") % {"no": village_no, "subdistrict": sub}


def registry_person_matches(user: Any, registry: RegistryYear, pins: dict[str, int]) -> list[Match]:
    """Registered people (household in the registry year, still counted) with these PINs."""
    if not pins:
        return []
    statuses = assessment.rules()["registered_statuses"]
    found = (
        Member.objects.filter(
            pin__in=list(pins), household__registry=registry, household__status__in=statuses
        )
        .select_related("household")
        .order_by("pin")
    )
    found = list(found)
    visible = set(
        households_visible_to(user)
        .filter(pk__in=[m.household_id for m in found])
        .values_list("pk", flat=True)
    )
    out = []
    for m in found:
        hh = m.household
        if hh.pk in visible:
            out.append(
                Match(
                    "person",
                    True,
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
            out.append(
                Match(
                    "person",
                    False,
                    pin=m.pin,
                    place=district_name(hh.district_code),
                    member=pins[m.pin],
                )
            )
    return out


def registry_house_matches(
    user: Any, registry: RegistryYear, *, house_code: str, village: str, house_no: str
) -> list[Match]:
    """Registered households with this house code, or this house number in this village."""
    cond = Q()
    if house_code:
        cond |= Q(house_code=house_code)
    if house_no:
        cond |= Q(village_code=village, house_no=house_no)
    if not cond:
        return []
    statuses = assessment.rules()["registered_statuses"]
    found = list(
        Household.objects.filter(cond, registry=registry, status__in=statuses).order_by("pk")
    )
    visible = set(
        households_visible_to(user)
        .filter(pk__in=[h.pk for h in found])
        .values_list("pk", flat=True)
    )
    return [
        Match(
            "house",
            True,
            hh_id=h.hh_id,
            household_id=h.pk,
            house_no=h.house_no,
            place=village_label(h.subdistrict_code, h.village_no),
            url=folder_url(h.pk),
        )
        if h.pk in visible
        else Match("house", False, place=district_name(h.district_code))
        for h in found
    ]


def surveyed_matches(user: Any, registry: RegistryYear, pins: dict[str, int]) -> list[Match]:
    """People of the survey (targets or not) with these PINs, from the registry's run."""
    if not pins:
        return []
    run = engine.open_run(registry.run_path)
    df = engine.find_surveyed_persons(run, list(pins))
    out = []
    for row in df.to_dict("records"):
        sub = row.get("subdistrict_code") or ""
        vno = row.get("village_no")
        inside = bool(sub) and vno is not None and user.covers(village_code(sub, vno))
        name = f"{row.get('title') or ''}{row.get('first_name') or ''} {row.get('last_name') or ''}"
        out.append(
            Match(
                "surveyed",
                inside,
                pin=row["pin"],
                name=name.strip() if inside else "",
                hh_id=row["hh_id"] if inside else "",
                house_no=(row.get("house_no") or "") if inside else "",
                place=village_label(sub, vno) if inside else district_name(sub),
                member=pins.get(row["pin"]),
            )
        )
    return out


def newhousehold_review(user: Any, data: dict[str, Any]) -> Review | None:
    """Duplicates, survey matches and the engine's verdict for the answers of one form.

    Refusals (the save must not happen): a person or the house already registered, answers
    the engine's validator rejects, or, by `form2.yaml`, no failing indicator and no
    vulnerable-group tag. Warnings (the save may happen): people surveyed but not targets.
    """
    registry = registry_for_new()
    if registry is None:
        return None
    result = assessment.assess(registry, data)
    review = Review(registry, result)
    pins = {m["pin"]: i for i, m in enumerate(data["members"]) if m.get("pin")}
    village = village_code(data["subdistrict_code"], data["village_no"])

    review.matches = registry_person_matches(user, registry, pins)
    review.matches += registry_house_matches(
        user,
        registry,
        house_code=data.get("house_code") or "",
        village=village,
        house_no=data.get("house_no") or "",
    )
    for m in review.matches:
        if m.kind == "person" and m.visible:
            msg = _("%(name)s (national ID %(pin)s) is already in the registry, household %(hh)s.")
            review.refusals.append(msg % {"name": m.name, "pin": m.pin, "hh": m.hh_id})
        elif m.kind == "person":
            msg = _(
                "The person with national ID %(pin)s is already registered elsewhere (%(area)s)."
            )
            review.refusals.append(msg % {"pin": m.pin, "area": m.place})
        elif m.visible:
            msg = _("This house is already in the registry: household %(hh)s, house number %(no)s.")
            review.refusals.append(msg % {"hh": m.hh_id, "no": m.house_no})
        else:
            msg = _("This house code is already registered elsewhere (%(area)s).")
            review.refusals.append(msg % {"area": m.place})

    registered = {m.pin for m in review.matches if m.pin}
    try:
        review.surveyed = [
            s for s in surveyed_matches(user, registry, pins) if s.pin not in registered
        ]
    except engine.RunNotFound:
        review.warnings.append(
            _(
                "The survey files of %(year)s could not be read, so people surveyed but not "
                "counted poor could not be looked up."
            )
            % {"year": registry.survey_year}
        )
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


def field_report_for(user: Any, household_id: Any) -> Household:
    """One field-found household with members, problems and its form, or 404."""
    from django.http import Http404

    from cheepao.households.selectors import household_folder

    household = household_folder(user, household_id)
    if household.source != Source.FIELD:
        raise Http404("not a field-found household")
    try:
        household.report = household.field_report
    except FieldReport.DoesNotExist:
        household.report = None
    return household
