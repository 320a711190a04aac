"""Recording a household the survey missed (form ศจพ.2, exclusion error).

The household enters the registry as `pending`, source `field`, with its problems (origin
`form2`) as the engine computed them; certification of the batch it falls in makes it
active. Nothing here touches batches.

Every preview and save looks the form's national IDs up, so both record the lookups first
(audit rows with masked PINs, within the account's limit) and pass any match outside the
team's area to the district that holds the record as a `DuplicateCase` (ADR 0009).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from cheepao.accounts.roles import VERIFY
from cheepao.audit.services import audit_read, audit_record
from cheepao.audit.summaries import area, label, say
from cheepao.core import access, errors, locks
from cheepao.core.context import Context
from cheepao.households import services as registry_services
from cheepao.households.models import Household, Problem, RegistryYear, Source
from cheepao.households.pii import mask_pin
from cheepao.households.services import PinLookupLimit, pin_lookups_record
from cheepao.newhouseholds import assessment, history, selectors
from cheepao.newhouseholds import errors as nh_errors
from cheepao.newhouseholds.models import DuplicateCase, FieldReport

__all__ = [
    "PinLookupLimit",
    "duplicate_case_decide",
    "newhousehold_check",
    "newhousehold_create",
    "newhousehold_viewed",
]


def _not_recorded(review: selectors.Review) -> errors.ServiceError:
    """Why the form of `review` is not recorded: `Invalid` (`newhouseholds.answers_invalid`)
    for answers the engine cannot take, else `Refused` (`newhouseholds.not_added`) for a
    person or house already in the registry, a record elsewhere not cleared by its
    district, or a household that fails nothing. Its parameter `reasons` lists each reason
    in the person's language, and `review` rides along for the page."""
    if not review.assessment.ok:
        refusal: errors.ServiceError = errors.Invalid(
            nh_errors.ANSWERS_INVALID, reasons=[e.message for e in review.assessment.errors]
        )
    else:
        refusal = errors.Refused(nh_errors.NOT_ADDED, reasons=list(review.refusals))
    refusal.review = review  # type: ignore[attr-defined]
    return refusal


def reasons(refusal: errors.ServiceError) -> list[str]:
    """The sentences a page lists for a refused form ศจพ.2: its `reasons`, else its message."""
    return list(refusal.params.get("reasons") or [refusal.message])


#: Crockford's base 32: digits and capitals without I, L, O and U, which read as others.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def hh_id_of(registry: RegistryYear, uid: uuid.UUID, chars: int | None = None) -> str:
    """F2568-7K3M9-QX2AB: the household id of form ศจพ.2 `uid` in `registry`, made from
    the uid itself, so a phone that recorded the form offline and the server agree on it
    without asking anyone for the next number (ADR 0021). `chars` characters of Crockford
    base 32 (form2.yaml), in groups of five for reading aloud and writing on paper."""
    spec = assessment.rules()["hh_id"]
    chars = chars or int(spec["chars"])
    digest = int.from_bytes(hashlib.sha256(uid.bytes).digest(), "big")
    code = "".join(CROCKFORD[(digest >> (5 * i)) & 31] for i in range(chars))
    groups = "-".join(code[i : i + 5] for i in range(0, chars, 5))
    return f"{spec['prefix']}{registry.survey_year}-{groups}"


def _uid(value: Any) -> uuid.UUID:
    """The form's own id as given (a phone's), else a new one."""
    if value in (None, ""):
        return uuid.uuid4()
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise errors.Invalid(nh_errors.BAD_UID, fields={"uid": nh_errors.BAD_UID}) from None


def _may_record(actor: Any, data: dict[str, Any]) -> str:
    """The village of the form, once the actor may record a household there."""
    village = selectors.village_code(data["subdistrict_code"], data["village_no"])
    if not getattr(actor, "is_authenticated", False) or not actor.can(VERIFY):
        raise errors.Refused(nh_errors.MAY_NOT_RECORD)
    if not actor.area_code or not actor.covers(village):
        raise errors.Refused(nh_errors.NOT_YOUR_VILLAGE)
    return village


def _form_pins(data: dict[str, Any]) -> list[str]:
    return [m["pin"] for m in data.get("members", []) if m.get("pin")]


def _pass_on(
    *, ctx: Context, review: selectors.Review, data: dict[str, Any]
) -> list[DuplicateCase]:
    """Open a duplicate check for each record elsewhere not yet put to its district, with
    the form's side of it and an audit row each. One transaction."""
    actor = ctx.user
    village = selectors.village_code(data["subdistrict_code"], data["village_no"])
    members = data.get("members", [])
    cases = []
    with transaction.atomic():
        # Two previews at once must not put the same question twice: the second waits.
        locks.hold(
            *(
                f"registry:{review.registry.pk}:pin:{e.pin}"
                if e.pin
                else f"registry:{review.registry.pk}:house_code:{e.house_code}"
                for e in review.to_pass_on
            )
        )
        for e in review.to_pass_on:
            e.decision = selectors.case_state(review.registry, village[:6], e)
            if e.decision:
                continue
            typed = members[e.member if e.member is not None else 0] if members else {}
            case = DuplicateCase.objects.create(
                registry=review.registry,
                asked_by=actor,
                asked_village_code=village,
                asked_house_no=data.get("house_no") or data.get("near_house_no") or "",
                asked_name=" ".join(
                    p for p in (typed.get("first_name"), typed.get("last_name")) if p
                ),
                area_code=e.area_code,
                household_id=e.household_id,
                **selectors.case_key(e),
                record_name=e.record_name,
                record_house_no=e.record_house_no,
            )
            audit_record(
                ctx=ctx,
                action="create",
                obj=case,
                summary=say(
                    gettext_noop(
                        "duplicate check %(case)s passed to district %(district)s: %(key)s "
                        "(%(source)s)"
                    ),
                    case=str(case.pk),
                    district=area(e.area_code[:4]),
                    key=case.pin_masked or label(gettext_noop("house code"), code="house code"),
                    source=label(DuplicateCase.Source(e.source).label, code=e.source),
                ),
                changes={
                    "kind": case.kind,
                    "source": case.source,
                    "pin": case.pin_masked,
                    "asked_village": village,
                    "record": e.record_hh_id,
                },
            )
            if case.household_id is not None:
                registry_services.history_record(
                    ctx=ctx,
                    household=case.household,
                    kind=history.DUPLICATE_ASKED,
                    case=case.pk,
                    key=case.kind,
                )
            e.decision = case.status
            cases.append(case)
    return cases


def newhousehold_check(*, ctx: Context, data: dict[str, Any]) -> selectors.Review | None:
    """The preview of one form ศจพ.2: its national IDs looked up (each lookup an audit row,
    within the account's limit: `PinLookupLimit` otherwise, nothing looked up), the review,
    and any match outside the team's area passed to its district."""
    actor = ctx.user
    village = _may_record(actor, data)
    pin_lookups_record(
        ctx=ctx,
        pins=_form_pins(data),
        purpose=gettext_noop("form ศจพ.2 preview"),
        area_code=village,
    )
    review = selectors.newhousehold_review(actor, data)
    if review is not None and review.to_pass_on:
        _pass_on(ctx=ctx, review=review, data=data)
    return review


def newhousehold_create(*, ctx: Context, data: dict[str, Any], uid: Any = None) -> Household:
    """Record one household from form ศจพ.2, or refuse (a code of `newhouseholds.errors`:
    `may_not_record`, `not_your_village`, `answers_invalid`, `not_added`, `no_registry`)
    having recorded nothing but the lookups and, for a match outside the team's area, its
    duplicate check.

    `uid` is the form's own id (a phone's; else the server makes one): a form already
    recorded under it is not recorded again (`Conflict` "newhouseholds.already_recorded",
    naming the household), so a form sent twice (a double tap, an offline phone syncing
    again) makes one household."""
    actor = ctx.user
    village = _may_record(actor, data)
    uid = _uid(uid)
    pin_lookups_record(
        ctx=ctx,
        pins=_form_pins(data),
        purpose=gettext_noop("form ศจพ.2 save"),
        area_code=village,
    )
    try:
        return _create(ctx=ctx, data=data, village=village, uid=uid)
    except (errors.Invalid, errors.Refused) as refused:
        review = getattr(refused, "review", None)
        if review is not None and review.to_pass_on:
            _pass_on(ctx=ctx, review=review, data=data)
        raise


def _refuse_unless_ok(review: selectors.Review) -> None:
    if not review.ok:
        raise _not_recorded(review)


def _lock_names(registry: RegistryYear, data: dict[str, Any], village: str, uid: uuid.UUID):
    """What two saves must not record at once: the same person, house, or form."""
    names = [f"form2:uid:{uid}"]
    names += [f"registry:{registry.pk}:pin:{pin}" for pin in _form_pins(data)]
    if data.get("house_code"):
        names.append(f"registry:{registry.pk}:house_code:{data['house_code']}")
    if data.get("house_no"):
        names.append(f"registry:{registry.pk}:house_no:{village}/{data['house_no']}")
    return names


def _already_recorded(uid: uuid.UUID) -> None:
    known = Household.objects.filter(uid=uid).values_list("hh_id", flat=True).first()
    if known is not None:
        raise errors.Conflict(nh_errors.ALREADY_RECORDED, hh_id=known)


def _create(*, ctx: Context, data: dict[str, Any], village: str, uid: uuid.UUID) -> Household:
    actor = ctx.user
    # The slow half first, outside any transaction and lock: the engine's verdict on the
    # answers and the scan of the survey files (ADR 0021). Saves of other households, here
    # or anywhere in the country, go on meanwhile.
    _already_recorded(uid)
    computed = selectors.newhousehold_compute(actor, data)
    if computed is None:
        raise errors.Refused(nh_errors.NO_REGISTRY)
    _refuse_unless_ok(selectors.newhousehold_review(actor, data, computed))
    registry = computed.registry
    with transaction.atomic():
        # Then, holding the names of this form, its people and its house, the registry is
        # read again: a save of the same person or house that ended meanwhile is seen, and
        # one that starts now waits for this one.
        locks.hold(*_lock_names(registry, data, village, uid))
        _already_recorded(uid)
        review = selectors.newhousehold_review(actor, data, computed)
        _refuse_unless_ok(review)
        result = review.assessment
        # amounts each member owes and saves, as their exact text in the JSON ("1234.50"),
        # never a binary float: the engine's person rows do not carry them
        typed = [
            {c: None if given.get(c) is None else str(given[c]) for c in assessment.MEMBER_MONEY}
            for given in data["members"]
        ]
        hh_id = hh_id_of(registry, uid)
        if Household.objects.filter(registry=registry, hh_id=hh_id).exists():
            hh_id = hh_id_of(registry, uid, chars=20)  # two forms whose short ids meet
        household = registry_services.household_create_pending(
            ctx=ctx,
            registry=registry,
            hh_id=hh_id,
            uid=uid,
            village_code=village,
            household=result.household,
            members=result.persons,
            member_answers=typed,
            source=Source.FIELD,
            origin=Problem.Origin.FORM2,
        )
        hh_id = household.hh_id
        members = result.persons
        FieldReport.objects.create(
            household=household,
            recorded_by=actor,
            religion=data.get("religion") or "",
            phone=data.get("phone") or "",
            near_house_no=data.get("near_house_no") or "",
            vulnerable_tags=list(data.get("vulnerable_tags") or []),
            other_problem=data.get("other_problem") or "",
            surveyed_matches=[
                {"pin": s.pin, "hh_id": s.hh_id, "place": s.place} for s in review.surveyed
            ],
        )
        audit_record(
            ctx=ctx,
            action="create",
            obj=household,
            summary=say(
                gettext_noop(
                    "new household %(hh_id)s (form ศจพ.2): %(n)s members, failing %(failing)s"
                ),
                hh_id=hh_id,
                n=len(members),
                failing=", ".join(result.failing) or label(gettext_noop("none")),
            ),
            changes={
                "hh_id": hh_id,
                "uid": str(uid),
                "status": household.status,
                "source": household.source,
                "members": len(members),
                "problems": result.failing,
                "dimensions": result.dimensions,
                "vulnerable_tags": list(data.get("vulnerable_tags") or []),
                "surveyed_matches": [mask_pin(s.pin) for s in review.surveyed],
                "cleared_by_district": [mask_pin(e.pin) or e.house_code for e in review.cleared],
            },
        )
    return household


def newhousehold_viewed(*, ctx: Context, household: Household) -> None:
    """Every look at a household's personal data is on record (SPEC §9)."""
    audit_read(
        ctx=ctx,
        obj=household,
        summary=say(
            gettext_noop("viewed new household %(hh_id)s (form ศจพ.2)"), hh_id=household.hh_id
        ),
    )


#: The district's two answers as the audit row words them.
DECISIONS = {
    DuplicateCase.Status.SAME: gettext_noop("the same person, not to be added as new"),
    DuplicateCase.Status.MAY_ADD: gettext_noop("may be added as a new household"),
}


def duplicate_case_decide(
    *, ctx: Context, case: DuplicateCase, decision: str, note: str = ""
) -> DuplicateCase:
    """The holding district's answer to a duplicate check: `same_person` (the household may
    not be added as new) or `may_add` (a different person, or one who has moved: the team
    may record it). Refuses, changing nothing, an account that does not decide for the
    record's area, a check already decided, or another decision."""
    actor = ctx.user
    policy = access.policy(DuplicateCase)  # newhouseholds.policies, asked here as well
    if not policy.permitted(actor, "decide"):
        raise errors.Refused(nh_errors.MAY_NOT_DECIDE)
    if not policy.allows(actor, "decide", case):
        raise errors.NotFound(errors.NOT_FOUND)
    if decision not in (DuplicateCase.Status.SAME, DuplicateCase.Status.MAY_ADD):
        raise errors.Invalid(nh_errors.BAD_DECISION, fields={"decision": nh_errors.BAD_DECISION})
    with transaction.atomic():
        locked = DuplicateCase.objects.select_for_update().get(pk=case.pk)
        if locked.status != DuplicateCase.Status.OPEN:
            raise errors.Conflict(nh_errors.ALREADY_DECIDED)
        locked.status = decision
        locked.note = (note or "").strip()
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "note", "decided_by", "decided_at"])
        if locked.household_id is not None:
            registry_services.history_record(
                ctx=ctx,
                household=locked.household,
                kind=history.DUPLICATE_DECIDED,
                case=locked.pk,
                decision=decision,
            )
        audit_record(
            ctx=ctx,
            action="update",
            obj=locked,
            summary=say(
                gettext_noop("duplicate check %(case)s decided: %(decision)s"),
                case=str(locked.pk),
                decision=label(DECISIONS[decision], code=decision),
            ),
            changes={"status": [DuplicateCase.Status.OPEN, decision], "note": locked.note},
        )
    return locked
