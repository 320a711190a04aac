"""Reads of the mentoring app: teams an account may see, a team's members and households,
"my households", the unassigned households of an area, and those nobody of their team has
been in contact with for N days.

Every list of households starts from the registry's access scope
(`households.selectors.households_visible_to`) or from the account's own care
(`policies.cared_by`), so a page never shows a household outside the account's reach. The
"last contact" of a household is the newest event of its history recorded by an active
member (with an account) of its current team: the folder and the plan write their events
as the mentor, a Logbook visit will too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from cheepao.accounts import roles
from cheepao.core import access
from cheepao.households.models import Household, HouseholdEvent, Member
from cheepao.households.selectors import (
    household_head,
    households_visible_to,
    registry_latest,
    village_name,
)
from cheepao.mentoring.care import care_columns, care_filters
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember
from cheepao.mentoring.policies import cared_by

PER_PAGE = 50
NO_CONTACT_DAYS = (7, 14, 30, 60, 90)
NO_CONTACT_DEFAULT = 30


def may_see_lists(user: Any) -> bool:
    """The district and the subdistrict team see the unassigned and silent households."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.can(roles.APPOINT_MENTORS) or user.can(roles.REVIEW_PLANS))
    )


def teams_visible(user: Any, subdistrict: str = "") -> QuerySet[MentorTeam]:
    qs = access.scope(user, MentorTeam, "view")
    if subdistrict:
        qs = qs.filter(subdistrict_code=subdistrict)
    return qs.annotate(
        n_members=Count("members", filter=Q(members__active=True), distinct=True),
        n_households=Count(
            "assignments", filter=Q(assignments__ended_at__isnull=True), distinct=True
        ),
    ).order_by("-active", "subdistrict_code", "name", "pk")


def team_for(user: Any, team_id: Any, action: str = "view") -> MentorTeam:
    return access.one(user, MentorTeam, action, team_id)


def members_of(team: MentorTeam, *, active_only: bool = True) -> list[TeamMember]:
    qs = team.members.select_related("user")
    if active_only:
        qs = qs.filter(active=True)
    members = list(qs.order_by("-is_lead", "pk"))
    counts = dict(
        Assignment.objects.filter(team=team, ended_at__isnull=True)
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for m in members:
        m.n_households = counts.get(m.pk, 0)
    return members


def _last_contact() -> Subquery:
    """The newest history event of the assignment's household recorded by an active member
    of the assignment's team (annotates an Assignment queryset)."""
    members = TeamMember.objects.filter(
        team_id=OuterRef(OuterRef("team_id")), active=True, user__isnull=False
    ).values("user_id")
    return Subquery(
        HouseholdEvent.objects.filter(household_id=OuterRef("household_id"), actor_id__in=members)
        .order_by("-at")
        .values("at")[:1]
    )


def _heads(households: list[Household]) -> dict[int, str]:
    ids = [h.pk for h in households]
    found: dict[int, list[Member]] = {}
    members = Member.objects.filter(household_id__in=ids).only(
        "household_id", "member_no", "relation", "title", "first_name", "last_name"
    )
    for m in members.order_by("household_id", "member_no"):
        found.setdefault(m.household_id, []).append(m)
    out = {}
    for pk, members in found.items():
        head = household_head(members)
        out[pk] = head.full_name if head else ""
    return out


@dataclass
class Row:
    assignment: Assignment | None
    household: Household
    head: str
    village: str
    last_contact: Any = None
    mine: bool = False
    #: The account may care for it (links to the family folder and the plan).
    caring: bool = False
    #: What other apps registered for the row (care_columns), "my households" only.
    cells: list = field(default_factory=list)


#: What the lists show of an assignment, its household, mentor and team (not the
#: household's survey answers).
LISTED = (
    "household_id",
    "team_id",
    "mentor_id",
    "village_code",
    "household__hh_id",
    "household__house_no",
    "household__village_code",
    "mentor__name",
    "mentor__user_id",
    "team__name",
)


def _listed(qs: QuerySet) -> QuerySet:
    return (
        qs.select_related("household", "mentor", "team")
        .only(*LISTED)
        .annotate(last_contact=_last_contact())
    )


def _page(qs: QuerySet, number: Any) -> Page:
    return Paginator(qs, PER_PAGE).get_page(number)


def _rows(assignments: list[Assignment], user: Any = None) -> list[Row]:
    households = [a.household for a in assignments]
    heads = _heads(households)
    return [
        Row(
            assignment=a,
            household=a.household,
            head=heads.get(a.household_id, ""),
            village=village_name(a.village_code),
            last_contact=getattr(a, "last_contact", None),
            mine=bool(user is not None and a.mentor.user_id == user.pk),
        )
        for a in assignments
    ]


def my_households(user: Any, page: Any = 1, only: str = "") -> tuple[Page, list[Row]]:
    """The households in `user`'s care, a page at a time: first those they are the named
    civil servant of, then their teams' others; each with its last contact and the cells
    other apps registered (`care.care_columns`: one query per column for the page). `only`
    is the key of a registered filter (`care.care_filters`, e.g. returned plans)."""
    qs = cared_by(user)
    chosen = care_filters.get(only) if only else None
    if chosen is not None:
        qs = qs.filter(household_id__in=chosen.households())
    qs = _listed(
        qs.annotate(theirs=Case(When(mentor__user=user, then=Value(0)), default=Value(1))).order_by(
            "theirs", "village_code", "household__house_no", "pk"
        )
    )
    p = _page(qs, page)
    rows = _rows(list(p.object_list), user)
    cells = care_columns.cells([r.household for r in rows])
    for r in rows:
        r.caring = True
        r.cells = cells.get(r.household.pk, [])
    return p, rows


def mark_caring(user: Any, rows: list[Row]) -> list[Row]:
    """Mark the rows whose household `user` may care for (one query for the page)."""
    ids = [r.household.pk for r in rows]
    if ids and user.can(roles.CARE):
        mine = set(
            cared_by(user).filter(household_id__in=ids).values_list("household_id", flat=True)
        )
        for r in rows:
            r.caring = r.household.pk in mine
    return rows


def _seen_by(user: Any, qs: QuerySet) -> QuerySet:
    """Assignments of households the account may view: a village's account reads a
    subdistrict's team, but only the households of its own village."""
    return qs.filter(household_id__in=households_visible_to(user).values("pk"))


def team_households(team: MentorTeam, user: Any, page: Any = 1) -> tuple[Page, list[Row]]:
    qs = _listed(
        _seen_by(user, Assignment.objects.filter(team=team, ended_at__isnull=True))
    ).order_by("village_code", "household__house_no", "pk")
    p = _page(qs, page)
    return p, _rows(list(p.object_list))


def team_villages(team: MentorTeam) -> list[tuple[str, str, int]]:
    """(village code, name, households) in the team's care, for the appointment order."""
    rows = (
        Assignment.objects.filter(team=team, ended_at__isnull=True)
        .values("village_code")
        .annotate(n=Count("pk"))
        .order_by("village_code")
    )
    return [(r["village_code"], village_name(r["village_code"]), r["n"]) for r in rows]


def team_order_households(team: MentorTeam, user: Any) -> list[Row]:
    qs = (
        _seen_by(user, Assignment.objects.filter(team=team, ended_at__isnull=True))
        .select_related("household", "mentor")
        .order_by("village_code", "household__house_no", "pk")
    )
    return _rows(list(qs))


def villages_of(team: MentorTeam) -> list[tuple[str, str, int, int]]:
    """(code, name, target households, unassigned) of each village of the team's
    subdistrict in the latest registry."""
    registry = registry_latest()
    if registry is None:
        return []
    current = Assignment.objects.filter(ended_at__isnull=True, household_id=OuterRef("pk"))
    rows = (
        Household.objects.filter(
            registry=registry,
            subdistrict_code=team.subdistrict_code,
            status=Household.Status.ACTIVE,
        )
        .annotate(taken=Exists(current))
        .values("village_code")
        .annotate(n=Count("pk"), free=Count("pk", filter=Q(taken=False)))
        .order_by("village_code")
    )
    return [(r["village_code"], village_name(r["village_code"]), r["n"], r["free"]) for r in rows]


def _area_households(user: Any, within: str = "") -> QuerySet[Household]:
    registry = registry_latest()
    if registry is None:
        return Household.objects.none()
    qs = households_visible_to(user).filter(registry=registry, status=Household.Status.ACTIVE)
    if within:
        # Narrows the account's own reach (a subdistrict or a village of it), never widens it.
        qs = qs.filter(village_code__startswith=within)
    return qs


def list_area(user: Any, code: Any) -> str:
    """The part of the account's area a list is narrowed to (`?area=`): a subdistrict or a
    village code inside the account's area, else '' (the whole area)."""
    code = str(code or "")
    mine = user.area_code or ""
    if code.isdigit() and len(code) in (6, 8) and len(code) > len(mine) and code.startswith(mine):
        return code
    return ""


def unassigned(user: Any, page: Any = 1, within: str = "") -> tuple[Page, list[Row]]:
    """Active households of the latest registry in the account's area (or the part
    `within` of it) with no current assignment."""
    current = Assignment.objects.filter(ended_at__isnull=True, household_id=OuterRef("pk"))
    qs = (
        _area_households(user, within)
        .filter(~Exists(current))
        .only("pk", "hh_id", "house_no", "village_code", "subdistrict_code")
        .order_by("village_code", "house_no", "pk")
    )
    p = _page(qs, page)
    households = list(p.object_list)
    heads = _heads(households)
    return p, [Row(None, h, heads.get(h.pk, ""), village_name(h.village_code)) for h in households]


def no_contact(user: Any, days: int, page: Any = 1, within: str = "") -> tuple[Page, list[Row]]:
    """Households of the account's area in a team's care whose history has no event
    recorded by an active member of that team in the last `days` days."""
    since = timezone.now() - timedelta(days=days)
    members = TeamMember.objects.filter(
        team_id=OuterRef(OuterRef("team_id")), active=True, user__isnull=False
    ).values("user_id")
    recent = HouseholdEvent.objects.filter(
        household_id=OuterRef("household_id"), at__gte=since, actor_id__in=members
    )
    qs = Assignment.objects.filter(
        ended_at__isnull=True, household__in=_area_households(user, within).values("pk")
    ).filter(~Exists(recent))
    qs = _listed(qs).order_by("village_code", "household__house_no", "pk")
    p = _page(qs, page)
    return p, mark_caring(user, _rows(list(p.object_list)))


def assign_takers(subdistrict_code: str) -> list[TeamMember]:
    """Who households of a subdistrict may be put in the care of: the active civil servants
    with an active account of its working teams (with how many they care for now)."""
    members = list(
        TeamMember.objects.filter(
            team__subdistrict_code=subdistrict_code,
            team__active=True,
            active=True,
            kind=TeamMember.Kind.CIVIL_SERVANT,
            user__isnull=False,
            user__is_active=True,
        )
        .select_related("team")
        .order_by("team__name", "-is_lead", "pk")
    )
    counts = dict(
        Assignment.objects.filter(mentor__in=members, ended_at__isnull=True)
        .values_list("mentor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for m in members:
        m.n_households = counts.get(m.pk, 0)
    return members


def handed_households(member: TeamMember) -> list[Row]:
    """The households in `member`'s care now (the hand-over's checkboxes)."""
    qs = (
        Assignment.objects.filter(mentor=member, ended_at__isnull=True)
        .select_related("household", "mentor", "team")
        .only(*LISTED)
        .order_by("village_code", "household__house_no", "pk")
    )
    return _rows(list(qs))


def subdistricts_of(user: Any) -> list[tuple[str, str]]:
    """The subdistricts of a district account (code, name), for the appoint form."""
    from cheepao.geo import selectors as geo

    if not user.area_code or len(user.area_code) != 4:
        return []
    return [(a.code, a.full_name) for a in geo.area_children(user.area_code)]


def list_areas(user: Any) -> list[tuple[str, str]]:
    """The parts a list of the account's area may be narrowed to: a district's
    subdistricts, a subdistrict's villages (code, name)."""
    from cheepao.geo import selectors as geo

    code = user.area_code or ""
    if len(code) == 4:
        return [(a.code, a.full_name) for a in geo.area_children(code)]
    if len(code) == 6:
        codes = (
            _area_households(user).order_by("village_code").values_list("village_code", flat=True)
        ).distinct()
        return [(c, village_name(c)) for c in sorted(codes)]
    return []


def mentor_accounts(subdistrict_code: str) -> QuerySet:
    """Active mentor accounts whose area is in the subdistrict (members with an account)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            role=roles.Role.MENTOR, is_active=True, area_code__startswith=subdistrict_code
        )
        .order_by("area_code", "username")
    )


def current_assignment(household: Household) -> Assignment | None:
    return (
        Assignment.objects.filter(household=household, ended_at__isnull=True)
        .select_related("team", "mentor")
        .first()
    )


def mentor_names(households: list[Household]) -> dict[int, str]:
    rows = Assignment.objects.filter(
        household_id__in=[h.pk for h in households], ended_at__isnull=True
    ).values_list("household_id", "mentor__name")
    return dict(rows)
