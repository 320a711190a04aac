"""Writes of the mentoring app: appoint a team, change its members, end it, put households in
its care, hand them over (seed 004 section 8.4 and appendix ข; seed 001: one civil servant
for one poor household, "or as staff allow").

Every verb takes the caller's context first (`ctx=`), asks the access policy whether the
actor may (the district centre, inside its district), refuses with a code before writing
anything, and writes in one transaction with its audit rows and, for households, their
history. A village of 150 households is assigned in a handful of queries: the households
and the carers' loads are read once, assignments, history events and audit rows are written
in batched INSERTs.

Caps and team sizes are settings (CHEEPAO_MENTOR_CAP, CHEEPAO_TEAM_SIZE_MIN/MAX): the
letters say one civil servant for one household "or as staff allow", and a district may give
another cap when it assigns a village.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from cheepao.accounts import roles
from cheepao.audit.services import audit_record, audit_record_many
from cheepao.audit.summaries import area, say
from cheepao.core import access, locks
from cheepao.core.context import Context
from cheepao.core.errors import NOT_FOUND, Conflict, Invalid, NotFound, Refused
from cheepao.geo import selectors as geo
from cheepao.households import services as registry_services
from cheepao.households.models import Household
from cheepao.households.selectors import registry_latest
from cheepao.mentoring import errors, history
from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember

__all__ = [
    "AssignResult",
    "household_assign",
    "households_assign",
    "households_assign_to",
    "households_hand_over",
    "team_appoint",
    "team_end",
    "team_member_add",
    "team_member_leave",
]

Kind = TeamMember.Kind


def mentor_cap() -> int:
    return int(getattr(settings, "CHEEPAO_MENTOR_CAP", 10))


def team_size() -> tuple[int, int]:
    return (
        int(getattr(settings, "CHEEPAO_TEAM_SIZE_MIN", 3)),
        int(getattr(settings, "CHEEPAO_TEAM_SIZE_MAX", 5)),
    )


def _cap(cap: Any) -> int:
    if cap in (None, ""):
        return mentor_cap()
    try:
        value = int(cap)
    except (TypeError, ValueError):
        value = 0
    if value < 1:
        raise Invalid(errors.BAD_CAP, fields={"cap": errors.BAD_CAP})
    return value


def _lock(team: MentorTeam) -> None:
    """One writer at a time per subdistrict: the caps count every team's assignments of
    the people there, and a household has one current assignment."""
    locks.hold(f"mentoring:subdistrict:{team.subdistrict_code}")


def _may_change(ctx: Context, team: MentorTeam) -> MentorTeam:
    """The team, fresh, when the actor may change it (`NotFound` outside the district,
    `Refused` for a viewer of it); an ended team is refused."""
    access.check(ctx.user, "appoint", team)
    team = MentorTeam.objects.get(pk=team.pk)
    if not team.active:
        raise Refused(errors.TEAM_ENDED)
    return team


# ---------------------------------------------------------------- members


@dataclass(frozen=True)
class MemberData:
    """One member as a form or a command gives it: an account (`user`) or a named person."""

    user: Any = None
    name: str = ""
    position: str = ""
    kind: str = ""
    phone: str = ""
    is_lead: bool = False

    @classmethod
    def of(cls, value: MemberData | Mapping[str, Any]) -> MemberData:
        if isinstance(value, MemberData):
            return value
        return cls(
            user=value.get("user"),
            name=(value.get("name") or "").strip(),
            position=(value.get("position") or "").strip(),
            kind=value.get("kind") or "",
            phone=(value.get("phone") or "").strip(),
            is_lead=bool(value.get("is_lead")),
        )


def _account_fits(user: Any, subdistrict_code: str) -> bool:
    return bool(
        user is not None
        and getattr(user, "pk", None)
        and user.is_active
        and user.role == roles.Role.MENTOR
        and user.area_code.startswith(subdistrict_code)
    )


def _check_member(i: int, m: MemberData, subdistrict_code: str, fields: dict) -> None:
    if m.user is not None and not _account_fits(m.user, subdistrict_code):
        fields[f"{i}-user"] = errors.BAD_ACCOUNT
    if m.user is None and not m.name:
        fields[f"{i}-name"] = errors.NAME_NEEDED
    if m.kind not in Kind.values:
        fields[f"{i}-kind"] = errors.BAD_KIND


def _member_row(team: MentorTeam, m: MemberData) -> TeamMember:
    name = m.name or (m.user.get_full_name() or m.user.username)
    return TeamMember(
        team=team,
        user=m.user,
        name=name[:200],
        position=m.position[:200],
        kind=m.kind,
        is_lead=m.is_lead,
        phone=m.phone[:20],
    )


def _member_changes(m: TeamMember) -> dict[str, Any]:
    return {
        "name": m.name,
        "user": m.user_id,
        "kind": m.kind,
        "position": m.position,
        "lead": m.is_lead,
    }


def team_appoint(
    *,
    ctx: Context,
    subdistrict_code: str,
    name: str,
    members: Iterable[MemberData | Mapping[str, Any]],
    order_no: str = "",
    order_date: date | None = None,
) -> MentorTeam:
    """Appoint a mentor team for a subdistrict of the actor's district, with its members:
    accounts of the mentor role whose area is in the subdistrict, or named people without
    an account. Exactly one lead, a civil servant with an account; CHEEPAO_TEAM_SIZE_MIN to
    _MAX members."""
    user = ctx.user
    if user is None or not user.can(roles.APPOINT_MENTORS) or len(user.area_code) != 4:
        raise Refused(errors.MAY_NOT_APPOINT)
    code = (subdistrict_code or "").strip()
    if len(code) != 6 or not user.covers(code) or geo.area_get(code) is None:
        raise Invalid(
            errors.NOT_A_SUBDISTRICT, fields={"subdistrict_code": errors.NOT_A_SUBDISTRICT}
        )
    name = (name or "").strip()
    if not name:
        raise Invalid(errors.NAME_BLANK, fields={"name": errors.NAME_BLANK})
    rows = [MemberData.of(m) for m in members]
    low, high = team_size()
    if not low <= len(rows) <= high:
        raise Invalid(errors.TEAM_SIZE, min=low, max=high, count=len(rows))
    fields: dict[str, str] = {}
    for i, m in enumerate(rows):
        _check_member(i, m, code, fields)
    if fields:
        first = next(iter(fields.values()))
        raise Invalid(first, fields=fields)
    accounts = [m.user.pk for m in rows if m.user is not None]
    if len(accounts) != len(set(accounts)):
        raise Invalid(errors.ACCOUNT_TWICE)
    leads = [m for m in rows if m.is_lead]
    if len(leads) != 1:
        raise Invalid(errors.ONE_LEAD)
    if leads[0].user is None or leads[0].kind != Kind.CIVIL_SERVANT:
        raise Invalid(errors.LEAD_CIVIL_SERVANT)

    with transaction.atomic():
        team = MentorTeam.objects.create(
            name=name[:200],
            subdistrict_code=code,
            district_code=code[:4],
            order_no=(order_no or "").strip()[:40],
            order_date=order_date,
            appointed_by=user,
        )
        made = TeamMember.objects.bulk_create([_member_row(team, m) for m in rows])
        audit_record(
            ctx=ctx,
            action="create",
            obj=team,
            summary=say(
                gettext_noop(
                    "mentor team “%(team)s” appointed for %(area)s with %(count)s members"
                ),
                team=team.name,
                area=area(code),
                count=len(made),
            ),
            changes={
                "order_no": team.order_no,
                "order_date": str(order_date or ""),
                "members": [_member_changes(m) for m in made],
            },
        )
    return team


def team_member_add(
    *, ctx: Context, team: MentorTeam, member: MemberData | Mapping[str, Any]
) -> TeamMember:
    """Add one member (never a second lead) to an active team that is not full."""
    m = MemberData.of(member)
    with transaction.atomic():
        team = _may_change(ctx, team)
        _lock(team)
        fields: dict[str, str] = {}
        _check_member(0, m, team.subdistrict_code, fields)
        if fields:
            raise Invalid(next(iter(fields.values())), fields=fields)
        if m.is_lead:
            raise Invalid(errors.ONE_LEAD)
        active = team.members.filter(active=True)
        if m.user is not None and active.filter(user=m.user).exists():
            raise Invalid(errors.ACCOUNT_TWICE)
        low, high = team_size()
        count = active.count() + 1
        if count > high:
            raise Invalid(errors.TEAM_SIZE, min=low, max=high, count=count)
        row = _member_row(team, m)
        row.save()
        _members_changed(
            ctx, team, row, "added", gettext_noop("%(name)s joined mentor team “%(team)s”")
        )
    return row


def team_member_leave(*, ctx: Context, member: TeamMember) -> TeamMember:
    """A member leaves the team. A civil servant who still cares for households is refused
    until they are handed over; the lead does not leave."""
    with transaction.atomic():
        team = _may_change(ctx, member.team)
        _lock(team)
        member = TeamMember.objects.get(pk=member.pk)
        if not member.active:
            raise Refused(errors.MEMBER_LEFT)
        if member.is_lead:
            raise Refused(errors.LEAD_LEAVES)
        count = Assignment.objects.filter(mentor=member, ended_at__isnull=True).count()
        if count:
            raise Refused(errors.HAS_HOUSEHOLDS, name=member.name, count=count)
        member.active = False
        member.left_at = timezone.now()
        member.save(update_fields=["active", "left_at"])
        _members_changed(
            ctx, team, member, "left", gettext_noop("%(name)s left mentor team “%(team)s”")
        )
    return member


def _members_changed(
    ctx: Context, team: MentorTeam, member: TeamMember, change: str, sentence: str
) -> None:
    """The tail of a change of a team's members: the team's version moves on and its audit
    row tells who (`sentence` with %(name)s and %(team)s; `change` names the member's row)."""
    MentorTeam.objects.filter(pk=team.pk).update(version=team.version + 1)
    audit_record(
        ctx=ctx,
        action="update",
        obj=team,
        summary=say(sentence, name=member.name, team=team.name),
        changes={change: _member_changes(member)},
    )


def team_end(*, ctx: Context, team: MentorTeam) -> MentorTeam:
    """End a team whose households have all been handed over to another team."""
    with transaction.atomic():
        team = _may_change(ctx, team)
        _lock(team)
        count = team.assignments.filter(ended_at__isnull=True).count()
        if count:
            raise Refused(errors.TEAM_HAS_HOUSEHOLDS, count=count)
        now = timezone.now()
        team.members.filter(active=True).update(active=False, left_at=now)
        team.active = False
        team.ended_at = now
        team.version += 1
        team.save(update_fields=["active", "ended_at", "version"])
        audit_record(
            ctx=ctx,
            action="update",
            obj=team,
            summary=say(gettext_noop("mentor team “%(team)s” ended"), team=team.name),
            changes={"active": [True, False]},
        )
    return team


# ---------------------------------------------------------------- households


def carers(team: MentorTeam):
    """The members of `team` who may be given households: active civil servants whose
    account is active (a person without an account cannot sign in to care)."""
    return team.members.filter(
        active=True, kind=Kind.CIVIL_SERVANT, user__isnull=False, user__is_active=True
    )


def loads(members: Iterable[TeamMember]) -> dict[int, int]:
    """How many households each member cares for now (one query)."""
    ids = [m.pk for m in members]
    rows = (
        Assignment.objects.filter(mentor_id__in=ids, ended_at__isnull=True)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out = dict.fromkeys(ids, 0)
    out.update({r["mentor_id"]: r["n"] for r in rows})
    return out


@dataclass
class AssignResult:
    village_code: str
    cap: int
    assigned: int = 0
    unassigned: int = 0
    per_member: dict[str, int] = field(default_factory=dict)


def households_assign(
    *, ctx: Context, team: MentorTeam, village_code: str, cap: Any = None
) -> AssignResult:
    """Put every unassigned active household of the village (latest registry) in the team's
    care, spread evenly over its carers, at most `cap` current households per person.
    Households nobody can take stay unassigned; the result counts them."""
    cap_value = _cap(cap)
    code = (village_code or "").strip()
    with transaction.atomic():
        team = _may_change(ctx, team)
        if len(code) != 8 or not code.isdigit() or not code.startswith(team.subdistrict_code):
            raise Invalid(errors.VILLAGE_OUTSIDE, fields={"village_code": errors.VILLAGE_OUTSIDE})
        registry = registry_latest()
        if registry is None:
            raise Refused(errors.NO_REGISTRY)
        _lock(team)
        current = Assignment.objects.filter(ended_at__isnull=True, village_code=code)
        waiting = list(
            Household.objects.filter(
                registry=registry, village_code=code, status=Household.Status.ACTIVE
            )
            .exclude(pk__in=current.values("household_id"))
            .only("pk", "hh_id", "village_code", "house_no")
            .order_by("house_no", "pk")
        )
        people = list(carers(team).order_by("-is_lead", "pk"))
        load = loads(people)
        # The least loaded person who still has room takes the next household.
        heap = [(load[m.pk], i, m) for i, m in enumerate(people) if load[m.pk] < cap_value]
        heapq.heapify(heap)
        placed: list[tuple[Household, TeamMember]] = []
        for h in waiting:
            if not heap:
                break
            n, i, m = heapq.heappop(heap)
            placed.append((h, m))
            if n + 1 < cap_value:
                heapq.heappush(heap, (n + 1, i, m))
        result = AssignResult(village_code=code, cap=cap_value)
        result.assigned = len(placed)
        result.unassigned = len(waiting) - len(placed)
        for _h, m in placed:
            result.per_member[m.name] = result.per_member.get(m.name, 0) + 1
        if placed:
            by = ctx.user
            Assignment.objects.bulk_create(
                [
                    Assignment(household=h, team=team, mentor=m, village_code=code, started_by=by)
                    for h, m in placed
                ],
                batch_size=1_000,
            )
            registry_services.history_record_many(
                ctx=ctx,
                kind=history.ASSIGNED,
                events=[(h, {"mentor": m.name}) for h, m in placed],
                team=team.name,
            )
            audit_record_many(
                ctx=ctx,
                action="update",
                items=[
                    (
                        h,
                        say(
                            gettext_noop(
                                "household %(household)s put in the care of %(mentor)s (%(team)s)"
                            ),
                            household=h.hh_id,
                            mentor=m.name,
                            team=team.name,
                        ),
                        {"team": team.pk, "mentor": m.pk},
                    )
                    for h, m in placed
                ],
            )
        audit_record(
            ctx=ctx,
            action="update",
            obj=team,
            summary=say(
                gettext_noop(
                    "village %(village)s: %(assigned)s households put in the care of mentor "
                    "team “%(team)s”, %(unassigned)s left unassigned (at most %(cap)s each)"
                ),
                village=area(code),
                assigned=result.assigned,
                team=team.name,
                unassigned=result.unassigned,
                cap=cap_value,
            ),
            changes={
                "village": code,
                "cap": cap_value,
                "assigned": result.assigned,
                "unassigned": result.unassigned,
            },
        )
    return result


def _household_in(team: MentorTeam, household: Household) -> Household:
    registry = registry_latest()
    fresh = Household.objects.filter(pk=household.pk).first()
    if (
        fresh is None
        or registry is None
        or fresh.registry_id != registry.pk
        or fresh.status != Household.Status.ACTIVE
        or fresh.subdistrict_code != team.subdistrict_code
    ):
        raise Invalid(errors.HOUSEHOLD_OUTSIDE)
    return fresh


def _is_carer(member: TeamMember) -> bool:
    return carers(member.team).filter(pk=member.pk).exists()


def household_assign(
    *, ctx: Context, household: Household, member: TeamMember, cap: Any = None
) -> Assignment:
    """Put one household in the care of one civil servant of a team (refused with
    `mentoring.over_cap` when they already have `cap` households)."""
    return households_assign_to(ctx=ctx, households=[household], member=member, cap=cap)[0]


def _within_cap(member: TeamMember, count: int, adding: int, cap: int) -> None:
    """Refuse, naming the person, when `adding` more households would pass `cap`: "already
    at the most" when they are, else how many the selection would add."""
    if count + adding <= cap:
        return
    if count >= cap:
        raise Refused(errors.OVER_CAP, name=member.name, count=count, cap=cap)
    raise Refused(errors.OVER_CAP_MANY, name=member.name, count=count, adding=adding, cap=cap)


def households_assign_to(
    *, ctx: Context, households: Iterable[Household], member: TeamMember, cap: Any = None
) -> list[Assignment]:
    """Put the chosen households (one or a selection of the unassigned list) in the care of
    one civil servant of a team of their subdistrict: all of them or none. Refused with
    `mentoring.over_cap` when the person would have more than `cap` households, with
    `mentoring.already_assigned` when one of them is in a team's care already."""
    cap_value = _cap(cap)
    households = list(households)
    if not households:
        raise Invalid(errors.NOTHING_CHOSEN)
    with transaction.atomic():
        team = _may_change(ctx, member.team)
        allowed = set(
            access.scope(ctx.user, Household, "assign")
            .filter(pk__in=[h.pk for h in households])
            .values_list("pk", flat=True)
        )
        if any(h.pk not in allowed for h in households):
            raise NotFound(NOT_FOUND)
        households = [_household_in(team, h) for h in households]
        _lock(team)
        member = TeamMember.objects.select_related("team").get(pk=member.pk)
        if not _is_carer(member):
            raise Invalid(errors.NOT_A_CARER)
        if Assignment.objects.filter(household__in=households, ended_at__isnull=True).exists():
            raise Conflict(errors.ALREADY_ASSIGNED)
        count = loads([member])[member.pk]
        _within_cap(member, count, len(households), cap_value)
        made = Assignment.objects.bulk_create(
            [
                Assignment(
                    household=h,
                    team=team,
                    mentor=member,
                    village_code=h.village_code,
                    started_by=ctx.user,
                )
                for h in households
            ]
        )
        registry_services.history_record_many(
            ctx=ctx,
            kind=history.ASSIGNED,
            events=[(h.pk, {}) for h in households],
            team=team.name,
            mentor=member.name,
        )
        audit_record_many(
            ctx=ctx,
            action="update",
            items=[
                (
                    h,
                    say(
                        gettext_noop(
                            "household %(household)s put in the care of %(mentor)s (%(team)s)"
                        ),
                        household=h.hh_id,
                        mentor=member.name,
                        team=team.name,
                    ),
                    {"team": team.pk, "mentor": member.pk},
                )
                for h in households
            ],
        )
    return made


def households_hand_over(
    *,
    ctx: Context,
    from_member: TeamMember,
    to_member: TeamMember,
    note: str,
    households: Iterable[Household | int] | None = None,
    cap: Any = None,
) -> int:
    """Hand the households in `from_member`'s care (all, or those given) over to
    `to_member` (a carer of a team of the same subdistrict): the current assignments end
    with the note, new ones start, and each household's history says "handed over from X to
    Y: note". Returns how many were handed over."""
    cap_value = _cap(cap)
    note = (note or "").strip()
    if not note:
        raise Invalid(errors.NOTE_NEEDED, fields={"note": errors.NOTE_NEEDED})
    with transaction.atomic():
        _may_change(ctx, from_member.team)
        to_team = _may_change(ctx, to_member.team)
        if from_member.pk == to_member.pk:
            raise Invalid(errors.SAME_PERSON)
        if to_team.subdistrict_code != from_member.team.subdistrict_code:
            raise Invalid(errors.OTHER_SUBDISTRICT)
        _lock(to_team)
        to_member = TeamMember.objects.select_related("team").get(pk=to_member.pk)
        if not _is_carer(to_member):
            raise Invalid(errors.NOT_A_CARER)
        current = Assignment.objects.filter(mentor=from_member, ended_at__isnull=True)
        if households is not None:
            ids = [h if isinstance(h, int) else h.pk for h in households]
            if not ids:
                raise Invalid(errors.NOTHING_CHOSEN)
            current = current.filter(household_id__in=ids)
        moving = list(current.select_related("household").order_by("pk"))
        if not moving:
            raise Invalid(errors.NOTHING_TO_HAND_OVER)
        count = loads([to_member])[to_member.pk]
        _within_cap(to_member, count, len(moving), cap_value)
        now = timezone.now()
        Assignment.objects.filter(pk__in=[a.pk for a in moving]).update(
            ended_at=now, ended_by=ctx.user, handover_note=note
        )
        Assignment.objects.bulk_create(
            [
                Assignment(
                    household_id=a.household_id,
                    team=to_team,
                    mentor=to_member,
                    village_code=a.village_code,
                    started_by=ctx.user,
                )
                for a in moving
            ],
            batch_size=1_000,
        )
        registry_services.history_record_many(
            ctx=ctx,
            kind=history.HANDED_OVER,
            events=[(a.household_id, {}) for a in moving],
            before=from_member.name,
            after=to_member.name,
            note=note,
        )
        audit_record_many(
            ctx=ctx,
            action="update",
            items=[
                (
                    a.household,
                    say(
                        gettext_noop(
                            "household %(household)s handed over from %(before)s to %(after)s"
                        ),
                        household=a.household.hh_id,
                        before=from_member.name,
                        after=to_member.name,
                    ),
                    {"from": from_member.pk, "to": to_member.pk, "note": note},
                )
                for a in moving
            ],
        )
    return len(moving)
