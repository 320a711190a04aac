"""Every write of the Logbook (ADR 0026): `verb(*, ctx, ...)`, the permission asked of the
access policy in the verb, refusals raised with a code before anything is written, one
transaction of INSERTs only (the entry, its household history event, its audit row): no
counter is updated and no household row is locked, so writers never wait on each other.

Entries (need, help, visit, summary) are written by the household's current mentors, the
household action `care` (anyone else: the same 404 as for a missing household). A
correction is a new entry pointing at the one it corrects. Programmes are registered by an
agency account (its own office) or the district centre (an agency it names).
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from cheepao.accounts import roles
from cheepao.accounts.models import Body
from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import say
from cheepao.core import access
from cheepao.core.context import Context
from cheepao.core.errors import NOT_FOUND, Conflict, Invalid, NotFound, Refused
from cheepao.households.models import Household
from cheepao.households.selectors import registry_latest
from cheepao.households.services import history_record
from cheepao.logbook import errors, history
from cheepao.logbook.models import Entry, Programme

__all__ = [
    "entry_correct",
    "help_record",
    "need_record",
    "programme_register",
    "summary_record",
    "visit_record",
]

Part = Entry.Part
FIRST_DAY = datetime.date(2017, 1, 1)  # 2560 BE: the first year of the TPMAP registry
NOTE_MAX = 4000
MAX_BAHT = Decimal("9999999999.99")

# The fields each part carries (besides household, dates and who recorded it).
FIELDS: dict[str, tuple[str, ...]] = {
    Part.NEED: ("occurred_on", "dimension", "indicator", "source", "note"),
    Part.HELP: (
        "occurred_on",
        "giver",
        "agency",
        "programme",
        "dimension",
        "indicator",
        "help_kind",
        "value",
        "note",
        "photo",
    ),
    Part.VISIT: ("occurred_on", "giver", "note"),
    Part.SUMMARY: ("occurred_on", "note"),
}


# ---------------------------------------------------------------- checks


def _cared(ctx: Context, household_id: Any, actions: tuple[str, ...] = ("care",)) -> Household:
    """The household for the first of `actions` the account may take on it (asked by name:
    "serve", an agency's referred households, is routing's, which the Logbook does not
    import); else the same 404 as for a missing household."""
    policy = access.policy(Household)
    known = policy.actions
    # The registry comes with the household: its catalogue checks the entry's dimension.
    with_registry = policy.base().select_related("registry")
    for action in actions:
        if action not in known:
            continue
        try:
            return policy.one(ctx.user, action, household_id, with_registry)
        except NotFound:
            continue
    raise NotFound(NOT_FOUND)


def _date(value: Any, fields: dict) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    elif isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.date) or not FIRST_DAY <= value <= timezone.localdate():
        fields["occurred_on"] = errors.BAD_DATE
        return None
    return value


def _text(
    data: dict, name: str, fields: dict, *, required: bool = False, size: int = NOTE_MAX
) -> str:
    value = str(data.get(name) or "").strip()[:size]
    if required and not value:
        fields[name] = errors.FIELD_REQUIRED
    return value


def _dimension(household: Household, data: dict, fields: dict) -> tuple[str, str]:
    cat = household.registry.catalogue
    dimension = str(data.get("dimension") or "")
    indicator = str(data.get("indicator") or "")
    if dimension not in {d.code for d in cat.dimensions}:
        fields["dimension"] = errors.BAD_CHOICE
    elif indicator and indicator not in {i.code for i in cat.indicators_of(dimension)}:
        fields["indicator"] = errors.BAD_CHOICE
    return dimension, indicator


def _value(raw: Any, fields: dict) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        value = None
    if (
        value is None
        or not value.is_finite()
        or value < 0
        or value > MAX_BAHT
        or value != value.quantize(Decimal("0.01"))
    ):
        fields["value"] = errors.BAD_VALUE
        return None
    return value.quantize(Decimal("0.01"))


def _pk(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _agency_and_programme(
    data: dict, dimension: str, fields: dict
) -> tuple[Body | None, Programme | None]:
    agency = programme = None
    agency_id, programme_id = _pk(data.get("agency")), _pk(data.get("programme"))
    if programme_id is not None:
        programme = Programme.objects.select_related("agency").filter(pk=programme_id).first()
    if agency_id is not None:
        if programme is not None and programme.agency_id == agency_id:
            agency = programme.agency  # read with the programme: one query for both
            if agency.kind != Body.Kind.AGENCY:
                agency = None
        else:
            agency = Body.objects.filter(pk=agency_id, kind=Body.Kind.AGENCY).first()
        if agency is None:
            fields["agency"] = errors.BAD_AGENCY
    if programme_id is not None:
        if programme is None or (agency is not None and programme.agency_id != agency.pk):
            fields["programme"] = errors.BAD_PROGRAMME
        elif programme.dimensions and dimension not in programme.dimensions:
            fields["programme"] = errors.PROGRAMME_DIMENSION
        elif agency is None and "agency" not in fields:
            agency = programme.agency
    return agency, programme


def _values(household: Household, part: str, data: dict) -> dict[str, Any]:
    """The entry's fields for `part` from `data`, checked; `Invalid` naming every bad field."""
    fields: dict[str, str] = {}
    out: dict[str, Any] = {"occurred_on": _date(data.get("occurred_on"), fields)}
    if part in (Part.NEED, Part.HELP):
        out["dimension"], out["indicator"] = _dimension(household, data, fields)
    if part == Part.NEED:
        out["source"] = str(data.get("source") or "")
        if out["source"] not in Entry.Source.values:
            fields["source"] = errors.BAD_CHOICE
        out["note"] = _text(data, "note", fields)
    elif part == Part.HELP:
        out["help_kind"] = str(data.get("help_kind") or "")
        if out["help_kind"] not in Entry.HelpKind.values:
            fields["help_kind"] = errors.BAD_CHOICE
        out["value"] = _value(data.get("value"), fields)
        out["agency"], out["programme"] = _agency_and_programme(data, out["dimension"], fields)
        out["giver"] = _text(data, "giver", fields, size=200)
        if not out["giver"] and out["agency"] is not None:
            out["giver"] = out["agency"].name[:200]
        if not out["giver"]:
            fields["giver"] = errors.FIELD_REQUIRED
        out["note"] = _text(data, "note", fields)
        out["photo"] = _text(data, "photo", fields, size=200)
    elif part == Part.VISIT:
        out["giver"] = _text(data, "giver", fields, size=200)
        out["note"] = _text(data, "note", fields, required=True)
    else:
        out["note"] = _text(data, "note", fields, required=True)
    if fields:
        raise Invalid(next(iter(fields.values())), fields=fields)
    return out


def _uid(value: Any) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Invalid(errors.BAD_CHOICE, fields={"uid": errors.BAD_CHOICE}) from None


def _sent_before(uid: uuid.UUID | None, household: Household, part: str) -> Entry | None:
    """The entry a retried send already stored (same uid, household and part), else None;
    a uid already used otherwise is a `Conflict`."""
    if uid is None:
        return None
    known = Entry.objects.filter(uid=uid).first()
    if known is None:
        return None
    if known.household_id != household.pk or known.part != part:
        raise Conflict(errors.UID_TAKEN)
    return known


# ---------------------------------------------------------------- writing an entry


def _event(ctx: Context, entry: Entry) -> None:
    household = entry.household
    date = entry.occurred_on.isoformat()
    if entry.corrects_id is not None:
        kind = history.WITHDRAWN if entry.withdraws else history.CORRECTED
        history_record(ctx=ctx, household=household, kind=kind, date=date)
    elif entry.part == Part.NEED:
        history_record(
            ctx=ctx,
            household=household,
            kind=history.NEED,
            source=entry.source,
            indicator=[entry.indicator] if entry.indicator else [],
            note=entry.note[:200],
        )
    elif entry.part == Part.HELP:
        history_record(
            ctx=ctx,
            household=household,
            kind=history.HELP,
            help=entry.help_kind,
            giver=entry.giver,
            value=f"{entry.value:,.2f}" if entry.value is not None else "–",
            indicator=[entry.indicator] if entry.indicator else [],
        )
    elif entry.part == Part.VISIT:
        history_record(
            ctx=ctx,
            household=household,
            kind=history.VISIT,
            giver=entry.giver,
            note=entry.note[:200],
        )
    else:
        history_record(ctx=ctx, household=household, kind=history.SUMMARY, note=entry.note[:200])


def _changes(entry: Entry) -> dict[str, Any]:
    out: dict[str, Any] = {
        "uid": str(entry.uid),
        "household": entry.household_id,
        "part": entry.part,
    }
    for name in FIELDS[entry.part]:
        value = getattr(entry, f"{name}_id" if name in ("agency", "programme") else name)
        if value not in (None, ""):
            if isinstance(value, datetime.date):
                value = value.isoformat()
            out[name] = str(value) if isinstance(value, Decimal) else value
    if entry.corrects_id is not None:
        out["corrects"] = entry.corrects_id
        out["withdraws"] = entry.withdraws
    return out


def _write(
    ctx: Context, household: Household, part: str, values: dict[str, Any], **extra: Any
) -> Entry:
    """INSERT the entry, its history event and its audit row (inside the caller's
    transaction)."""
    entry = Entry(
        household=household,
        village_code=household.village_code,
        part=part,
        recorded_by=ctx.user,
        recorded_by_name=(ctx.user.get_full_name() or ctx.user.username)[:150] if ctx.user else "",
        **values,
        **extra,
    )
    entry.save()
    _event(ctx, entry)
    audit_record(
        ctx=ctx,
        action=AuditEvent.Action.CREATE,
        obj=entry,
        summary=say(
            gettext_noop("Logbook %(part)s of %(date)s recorded for household %(household)s"),
            part=part,
            date=entry.occurred_on.isoformat(),
            household=household.hh_id,
        ),
        changes=_changes(entry),
    )
    return entry


def _record(*, ctx: Context, household_id: Any, part: str, uid: Any, data: dict[str, Any]) -> Entry:
    # Help is recorded by the household's mentors and by the agency offices serving a
    # referral of it (the household action "serve", routing).
    household = _cared(ctx, household_id, ("care", "serve") if part == Part.HELP else ("care",))
    client_uid = _uid(uid)
    known = _sent_before(client_uid, household, part)
    if known is not None:
        return known
    values = _values(household, part, data)
    if client_uid is not None:
        values["uid"] = client_uid
    try:
        with transaction.atomic():
            return _write(ctx, household, part, values)
    except IntegrityError:
        # The same uid sent twice at once: the other send stored it.
        known = _sent_before(client_uid, household, part)
        if known is None:
            raise
        return known


def need_record(
    *,
    ctx: Context,
    household_id: Any,
    occurred_on: Any,
    dimension: str,
    indicator: str = "",
    source: str = Entry.Source.FIELD,
    note: str = "",
    uid: Any = None,
) -> Entry:
    """Note a problem or need of a household in the actor's care: its dimension (and
    indicator), where it was found (registry, plan, ThaiQM list, field), as told."""
    data = {"occurred_on": occurred_on, "dimension": dimension, "indicator": indicator}
    data.update(source=source, note=note)
    return _record(ctx=ctx, household_id=household_id, part=Part.NEED, uid=uid, data=data)


def help_record(
    *,
    ctx: Context,
    household_id: Any,
    occurred_on: Any,
    dimension: str,
    help_kind: str,
    indicator: str = "",
    giver: str = "",
    agency: Any = None,
    programme: Any = None,
    value: Any = None,
    note: str = "",
    photo: str = "",
    uid: Any = None,
) -> Entry:
    """Record an act of help a household in the actor's care received: when, who gave it
    (a person or the agency), the agency and its programme (the programme's agency when
    only the programme is named), the dimension and indicator it serves, its kind, its
    value in baht, a note and an optional photo reference."""
    data = {
        "occurred_on": occurred_on,
        "dimension": dimension,
        "indicator": indicator,
        "help_kind": help_kind,
        "giver": giver,
        "agency": agency,
        "programme": programme,
        "value": value,
        "note": note,
        "photo": photo,
    }
    return _record(ctx=ctx, household_id=household_id, part=Part.HELP, uid=uid, data=data)


def visit_record(
    *,
    ctx: Context,
    household_id: Any,
    occurred_on: Any,
    note: str,
    giver: str = "",
    uid: Any = None,
) -> Entry:
    """Record a visit to a household in the actor's care: when, who, what was found
    (`note`). `giver` defaults to the actor's name."""
    if not str(giver or "").strip() and ctx.user is not None:
        giver = ctx.user.get_full_name() or ctx.user.username
    data = {"occurred_on": occurred_on, "giver": giver, "note": note}
    return _record(ctx=ctx, household_id=household_id, part=Part.VISIT, uid=uid, data=data)


def summary_record(
    *, ctx: Context, household_id: Any, occurred_on: Any, note: str, uid: Any = None
) -> Entry:
    """Record how the life of a household in the actor's care has changed."""
    data = {"occurred_on": occurred_on, "note": note}
    return _record(ctx=ctx, household_id=household_id, part=Part.SUMMARY, uid=uid, data=data)


# ---------------------------------------------------------------- corrections


def _current(entry: Entry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in FIELDS[entry.part]}


def entry_correct(
    *,
    ctx: Context,
    entry_id: Any,
    withdraw: bool = False,
    uid: Any = None,
    **changes: Any,
) -> Entry:
    """Correct an entry of a household in the actor's care by a new entry pointing at it:
    the entry's fields with `changes` applied (as they should have been), or, with
    `withdraw=True`, a withdrawal (recorded by mistake: it no longer counts). Refused,
    changing nothing: an entry corrected already (correct the newest), a correction that
    reuses the entry's uid (a change in place), one of another part or household, one that
    changes nothing."""
    pk = _pk(entry_id)
    original = Entry.objects.filter(pk=pk).first() if pk else None
    if original is None:
        raise NotFound(NOT_FOUND)
    household = _cared(ctx, original.household_id)
    client_uid = _uid(uid)
    if client_uid is not None and client_uid == original.uid:
        raise Refused(errors.IN_PLACE)
    if changes.get("part", original.part) != original.part or (
        "household_id" in changes and _pk(changes["household_id"]) != original.household_id
    ):
        raise Refused(errors.OTHER_PART)
    unknown = set(changes) - set(FIELDS[original.part]) - {"part", "household_id"}
    if unknown:
        name = sorted(unknown)[0]
        raise Invalid(errors.BAD_CHOICE, fields={name: errors.BAD_CHOICE})
    if Entry.objects.filter(corrects=original).exists():
        raise Refused(errors.ALREADY_CORRECTED)
    before = _current(original)
    if withdraw:
        values = before
    else:
        data = {**before, **{k: v for k, v in changes.items() if k in FIELDS[original.part]}}
        values = _values(household, original.part, data)
        if values == before:
            raise Invalid(errors.NO_CHANGE)
    if client_uid is not None:
        if Entry.objects.filter(uid=client_uid).exists():
            raise Conflict(errors.UID_TAKEN)
        values["uid"] = client_uid
    try:
        with transaction.atomic():
            return _write(
                ctx, household, original.part, values, corrects=original, withdraws=bool(withdraw)
            )
    except IntegrityError:
        # Another correction of the same entry (or the same uid) was stored meanwhile.
        if Entry.objects.filter(corrects=original).exists():
            raise Refused(errors.ALREADY_CORRECTED) from None
        raise Conflict(errors.UID_TAKEN) from None


# ---------------------------------------------------------------- programmes


def _catalogue_codes() -> tuple[set[str], dict[str, str]]:
    registry = registry_latest()
    if registry is None:
        raise Refused(errors.NO_REGISTRY)
    cat = registry.catalogue
    return {d.code for d in cat.dimensions}, {i.code: i.dimension for i in cat.indicators}


def programme_register(
    *,
    ctx: Context,
    name: str,
    budget_year: Any,
    budget: Any,
    dimensions: list[str] | tuple[str, ...] = (),
    indicators: list[str] | tuple[str, ...] = (),
    agency: Any = None,
) -> Programme:
    """Register a programme that serves target households (eMENSCR-like): an agency
    account registers one of its own office; the district centre registers one for an
    agency office working in its district (`agency`). The dimensions and indicators it
    serves are codes of the latest registry's catalogue (an indicator brings its
    dimension); the budget year is in the Buddhist Era, the budget in baht."""
    user = ctx.user
    agency_id = _pk(agency)
    if user is None or not user.is_active:
        raise Refused(errors.MAY_NOT_REGISTER)
    if user.role == roles.Role.AGENCY:
        body = user.body
        if body is None or body.kind != Body.Kind.AGENCY or agency_id not in (None, body.pk):
            raise Refused(errors.MAY_NOT_REGISTER)
        area_code = body.area_code
    elif user.role == roles.Role.DISTRICT and len(user.area_code) == 4:
        body = (
            Body.objects.filter(pk=agency_id, kind=Body.Kind.AGENCY).first() if agency_id else None
        )
        if body is None or not (
            body.area_code.startswith(user.area_code) or user.area_code.startswith(body.area_code)
        ):
            raise Invalid(errors.BAD_AGENCY, fields={"agency": errors.BAD_AGENCY})
        area_code = user.area_code
    else:
        raise Refused(errors.MAY_NOT_REGISTER)
    fields: dict[str, str] = {}
    name = str(name or "").strip()[:300]
    if not name:
        fields["name"] = errors.FIELD_REQUIRED
    try:
        year = int(budget_year)
    except (TypeError, ValueError):
        year = 0
    if not 2560 <= year <= 2600:
        fields["budget_year"] = errors.BAD_YEAR
    amount = _value(budget, fields)
    if amount is None and "value" not in fields:
        fields["value"] = errors.BAD_VALUE
    if "value" in fields:
        fields["budget"] = fields.pop("value")
    dims, inds = _catalogue_codes()
    dimensions, indicators = [str(d) for d in dimensions], [str(i) for i in indicators]
    if any(d not in dims for d in dimensions):
        fields["dimensions"] = errors.BAD_CHOICE
    if any(i not in inds for i in indicators):
        fields["indicators"] = errors.BAD_CHOICE
    if fields:
        raise Invalid(next(iter(fields.values())), fields=fields)
    served = list(dict.fromkeys([*dimensions, *(inds[i] for i in indicators)]))
    with transaction.atomic():
        programme = Programme.objects.create(
            name=name,
            agency=body,
            area_code=area_code,
            dimensions=served,
            indicators=list(dict.fromkeys(indicators)),
            budget_year=year,
            budget=amount,
            registered_by=user,
        )
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.CREATE,
            obj=programme,
            summary=say(
                gettext_noop("programme “%(name)s” of %(agency)s registered for %(year)s"),
                name=name,
                agency=body.name,
                year=year,
            ),
            changes={
                "uid": str(programme.uid),
                "agency": body.pk,
                "dimensions": served,
                "indicators": programme.indicators,
                "budget_year": year,
                "budget": str(amount),
            },
        )
    return programme
