"""Writes for list imports: the upload, and the reviewer's decisions on the queue.

The upload page stores the file and starts a background job (`list_import_start`, ADR
0021); the worker reads, checks and matches it (`list_import`) and writes the import, its
rejects, its links and its review queue in one transaction. Each write is one transaction
with its audit rows. The import writes, besides its own `import` event with the counts,
one `import` event per linked household, so a household's history says which lists named
it; a reviewer's link does the same.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_noop

from cheepao.audit.services import audit_read, audit_record, audit_record_many
from cheepao.audit.summaries import area, label, say
from cheepao.core import access, errors
from cheepao.core.context import Context
from cheepao.engine.api import readers
from cheepao.households import services as registry_services
from cheepao.households.models import Household
from cheepao.households.selectors import households_visible_to, registry_latest
from cheepao.jobs.models import Job
from cheepao.jobs.services import job_start, message

from . import contract, history, selectors
from . import errors as import_errors
from .jobs import LIST_IMPORT
from .models import ListEntry, ListImport, ListKind, RejectedRow, ReviewItem
from .rows import GoodRow, ListFileError, read_list

Reason = ReviewItem.Reason
log = logging.getLogger(__name__)


class ImportRefused(errors.Invalid):
    """The upload is refused as a whole (a code of `imports.errors`); its message is read
    in the reader's language."""


def _refused(error: ListFileError) -> ImportRefused:
    """A file the readers refused, with their reason in Thai and English."""
    return ImportRefused(import_errors.FILE_REFUSED, reason={"th": error.th, "en": error.en})


@dataclass
class _Outcome:
    household_id: int | None = None
    matched_by: str = ""
    reason: str = ""
    candidates: tuple[int, ...] = ()
    pin_household: int | None = None  # the one household the PIN names, if one


def _house_key(row: GoodRow) -> str | None:
    """What says which house a row is at: the house code, else village and house number."""
    d = row.data
    if d.get(contract.HOUSE_CODE):
        return d[contract.HOUSE_CODE]
    if d.get("house_no"):
        return f"{row.village_code}/{d['house_no']}"
    return None


def _match(rows: list[GoodRow], by_pin: dict, by_house: dict) -> list[_Outcome]:
    """Link each row to one household, or say why it needs a person to decide."""
    houses_of_pin: dict[str, set] = defaultdict(set)
    for r in rows:
        key = _house_key(r)
        if r.data.get(contract.PIN) and key:
            houses_of_pin[r.data[contract.PIN]].add(key)
    out = []
    for r in rows:
        pin, code = r.data.get(contract.PIN), r.data.get(contract.HOUSE_CODE)
        p = by_pin.get(pin, set()) if pin else set()
        h = by_house.get(code, set()) if code else set()
        both = tuple(sorted(p | h))
        named = next(iter(p)) if len(p) == 1 else None
        if pin and len(houses_of_pin.get(pin, ())) > 1:
            out.append(_Outcome(reason=Reason.PIN_TWO_HOUSES, candidates=both, pin_household=named))
        elif p and h and p.isdisjoint(h):
            out.append(
                _Outcome(reason=Reason.PIN_HOUSE_CONFLICT, candidates=both, pin_household=named)
            )
        elif len(p) > 1 or (not p and len(h) > 1):
            out.append(_Outcome(reason=Reason.SEVERAL_HOUSEHOLDS, candidates=both))
        elif p:
            out.append(_Outcome(next(iter(p)), ListEntry.Match.PIN))
        elif h:
            out.append(_Outcome(next(iter(h)), ListEntry.Match.HOUSE_CODE))
        else:
            out.append(_Outcome(reason=Reason.NOT_FOUND))
    return out


def _save_upload(upload: Any, file_name: str) -> tuple[Path, str]:
    """The upload in a temporary file (the readers read paths), and its SHA-256."""
    suffix = Path(file_name).suffix.lower()[:8]
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as f:
        for chunk in upload.chunks():
            digest.update(chunk)
            f.write(chunk)
    return Path(f.name), digest.hexdigest()


def _check_upload(actor: Any, upload: Any, kind: str) -> Any:
    """What can be refused before the file is read: who uploads, the kind of list, the
    size, a registry to match against. Returns that registry."""
    if not selectors.may_import(actor):
        raise errors.Refused(import_errors.MAY_NOT_IMPORT)
    if kind not in ListKind.values:
        raise ImportRefused(import_errors.KIND)
    if upload.size > contract.MAX_BYTES:
        raise ImportRefused(import_errors.TOO_LARGE, mb=contract.MAX_BYTES // (1024 * 1024))
    registry = registry_latest()
    if registry is None:
        raise ImportRefused(import_errors.NO_REGISTRY)
    return registry


def list_import_start(*, ctx: Context, upload: Any, name: str, kind: str) -> Job:
    """Refuse at once what needs no reading (the checks of `_check_upload`, and a file that
    is not CSV or XLSX by its first bytes), else keep the upload in Django's storage and
    start its import as the uploader's background job. The worker deletes the stored file
    once it has read it."""
    actor = ctx.user
    _check_upload(actor, upload, kind)
    file_name = Path(upload.name or "list").name[:255]
    path, sha256 = _save_upload(upload, file_name)
    try:
        try:
            detected = readers.detect_format(path)
        except readers.FileError as e:
            raise _refused(ListFileError(e.code, e.en, e.th)) from e
        if detected not in contract.ACCEPTED_FORMATS:
            raise _refused(
                ListFileError(
                    readers.UNREADABLE_FILE,
                    "Only CSV (UTF-8) and XLSX files can be imported.",
                    "นำเข้าได้เฉพาะไฟล์ CSV (UTF-8) หรือ XLSX เท่านั้น",
                )
            )
        with path.open("rb") as f:
            stored = default_storage.save(f"uploads/{uuid.uuid4().hex}{path.suffix}", File(f))
    finally:
        path.unlink(missing_ok=True)
    try:
        return job_start(
            ctx=ctx,
            kind=LIST_IMPORT,
            params={
                "stored": stored,
                "file_name": file_name,
                "sha256": sha256,
                "name": (name or "")[:200],
                "kind": kind,
            },
            message=message(gettext_noop("waiting for the background worker")),
        )
    except Exception:
        default_storage.delete(stored)
        raise


def list_import(
    *,
    ctx: Context,
    upload: Any,
    name: str,
    kind: str,
    file_name: str = "",
    on_progress: Callable[..., None] | None = None,
) -> ListImport:
    """Read, check and match one list file (`upload`: any Django file; `file_name` the
    name it was uploaded with, else its own); store the import, its rejects, its links and
    its review queue in one transaction, or nothing at all (`ImportRefused`). The
    background job of `list_import_start` calls it with `on_progress`."""
    report = on_progress or (lambda **kw: None)
    actor = ctx.user
    registry = _check_upload(actor, upload, kind)
    file_name = Path(file_name or upload.name or "list").name[:255]
    report(message=message(gettext_noop("reading the file")))
    path, sha256 = _save_upload(upload, file_name)
    try:
        rows = read_list(
            path, file_name=file_name, area_code=actor.area_code, catalogue=registry.catalogue
        )
    except ListFileError as e:
        raise _refused(e) from e
    except Exception as e:  # a file no check foresaw: refused, never a 500
        log.exception("list file %r could not be read", file_name)
        raise ImportRefused(import_errors.UNREADABLE) from e
    finally:
        path.unlink(missing_ok=True)
    report(
        done=0,
        total=rows.rows_read,
        message=message(
            gettext_noop("matching %(n)s good rows with the registry"), n=len(rows.good)
        ),
    )

    by_pin = selectors.households_by_pin(
        actor, registry, (r.data[contract.PIN] for r in rows.good if r.data.get(contract.PIN))
    )
    by_house = selectors.households_by_house_code(
        actor,
        registry,
        (r.data[contract.HOUSE_CODE] for r in rows.good if r.data.get(contract.HOUSE_CODE)),
    )
    outcomes = _match(rows.good, by_pin, by_house)
    matched = [(r, o) for r, o in zip(rows.good, outcomes, strict=True) if o.household_id]
    queued = [(r, o) for r, o in zip(rows.good, outcomes, strict=True) if not o.household_id]
    report(message=message(gettext_noop("writing the import")))

    with transaction.atomic():
        imp = ListImport.objects.create(
            kind=kind,
            name=(name or file_name)[:200],
            file_name=file_name,
            file_sha256=sha256,
            area_code=actor.area_code,
            registry=registry,
            uploaded_by=actor,
            rows_read=rows.rows_read,
            rows_rejected=rows.rows_rejected,
            rows_matched=len(matched),
            rows_queued=len(queued),
            warnings=rows.warnings,
        )
        RejectedRow.objects.bulk_create(
            [
                RejectedRow(
                    list_import=imp,
                    row=p.row,
                    column=p.column,
                    value=p.value,
                    code=p.code,
                    reason_th=p.reason_th[:500],
                    reason_en=p.reason_en[:500],
                )
                for p in rows.problems
            ],
            batch_size=2_000,
        )
        ListEntry.objects.bulk_create(
            [
                ListEntry(
                    household_id=o.household_id,
                    list_import=imp,
                    kind=r.data.get("list_kind") or kind,
                    row=r.row,
                    matched_by=o.matched_by,
                    data=r.data,
                    created_by=actor,
                )
                for r, o in matched
            ],
            batch_size=2_000,
        )
        ReviewItem.objects.bulk_create(
            [
                ReviewItem(
                    list_import=imp,
                    kind=r.data.get("list_kind") or kind,
                    row=r.row,
                    reason=o.reason,
                    data=r.data,
                    candidates=list(o.candidates),
                    pin_household_id=o.pin_household,
                    village_code=r.village_code,
                )
                for r, o in queued
            ],
            batch_size=2_000,
        )
        audit_record(
            ctx=ctx,
            action="import",
            obj=imp,
            summary=say(
                gettext_noop(
                    "%(kind)s list '%(name)s' (%(file)s): %(read)s read, %(rejected)s "
                    "rejected, %(matched)s matched, %(queued)s for review"
                ),
                kind=label(ListKind(imp.kind).label, code=imp.kind),
                name=imp.name,
                file=file_name,
                read=imp.rows_read,
                rejected=imp.rows_rejected,
                matched=imp.rows_matched,
                queued=imp.rows_queued,
            ),
            changes={
                "file": file_name,
                "sha256": sha256,
                "kind": kind,
                "registry": registry.survey_year,
                "rows_read": imp.rows_read,
                "rows_rejected": imp.rows_rejected,
                "rows_matched": imp.rows_matched,
                "rows_queued": imp.rows_queued,
            },
        )
        rows_of: dict[int, list[int]] = defaultdict(list)
        for r, o in matched:
            rows_of[o.household_id].append(r.row)
        households = Household.objects.filter(pk__in=rows_of).only("pk", "village_code")
        registry_services.history_record_many(
            ctx=ctx,
            kind=history.LISTED,
            events=[(pk, {"rows": rows}) for pk, rows in rows_of.items()],
            list_import=imp.pk,
            list_kind=imp.kind,
            name=imp.name,
        )
        audit_record_many(
            ctx=ctx,
            action="import",
            items=[
                (
                    household,
                    say(
                        gettext_noop("on %(kind)s list '%(name)s' (row %(rows)s)"),
                        kind=label(ListKind(imp.kind).label, code=imp.kind),
                        name=imp.name,
                        rows=", ".join(map(str, rows_of[household.pk])),
                    ),
                    {"list_import": imp.pk, "rows": rows_of[household.pk]},
                )
                for household in households
            ],
        )
    report(done=rows.rows_read)
    return imp


def _check_review(user: Any) -> None:
    """`Refused` (imports.may_not_review) for an account whose role reviews no list; asked
    first by every decision, before anything else about it."""
    if not access.policy(ReviewItem).permitted(user, "decide"):
        raise errors.Refused(import_errors.MAY_NOT_REVIEW)


def _check_decide(user: Any, item: ReviewItem) -> None:
    """The row's policy (imports.policies), asked by the service itself: `Refused`
    (imports.may_not_review) for a role that reviews no list, `NotFound` for a row outside
    the account's reach, as for one that does not exist."""
    _check_review(user)
    if not access.policy(ReviewItem).allows(user, "decide", item):
        raise errors.NotFound(errors.NOT_FOUND)


def _recount(import_ids: set[int]) -> None:
    """The imports' counters from their rows, in the caller's transaction: matched = rows
    linked to a household (at upload or by a reviewer), for review = rows still open."""
    for imp in ListImport.objects.select_for_update().filter(pk__in=import_ids):
        imp.rows_matched = imp.entries.count()
        imp.rows_queued = imp.reviews.filter(status=ReviewItem.Status.OPEN).count()
        imp.save(update_fields=["rows_matched", "rows_queued"])


def _decided(item: ReviewItem, actor: Any, status: str, **fields: Any) -> None:
    item.status = status
    item.decided_by = actor
    item.decided_at = timezone.now()
    for k, v in fields.items():
        setattr(item, k, v)
    item.save(update_fields=["status", "decided_by", "decided_at", *fields])


def _still_open(item: ReviewItem) -> ReviewItem:
    """The row locked and re-read, so two reviewers cannot both decide it."""
    fresh = ReviewItem.objects.select_for_update().select_related("list_import").get(pk=item.pk)
    if fresh.status != ReviewItem.Status.OPEN:
        raise errors.Conflict(import_errors.ALREADY_DECIDED)
    return fresh


def review_link(*, ctx: Context, item: ReviewItem, household: Household) -> ListEntry:
    """Accept a queued row as naming `household` (which the caller fetched through the
    reviewer's own scope)."""
    actor = ctx.user
    _check_decide(actor, item)
    if not access.allows(actor, "view", household):
        raise errors.NotFound(errors.NOT_FOUND)
    with transaction.atomic():
        item = _still_open(item)
        entry = ListEntry.objects.create(
            household=household,
            list_import=item.list_import,
            kind=item.kind,
            row=item.row,
            matched_by=ListEntry.Match.REVIEW,
            data=item.data,
            created_by=actor,
        )
        _decided(item, actor, ReviewItem.Status.LINKED, household=household)
        _recount({item.list_import_id})
        registry_services.history_record(
            ctx=ctx,
            household=household,
            kind=history.LINKED,
            list_import=item.list_import_id,
            list_kind=item.kind,
            name=item.list_import.name,
            rows=[item.row],
        )
        audit_record(
            ctx=ctx,
            action="import",
            obj=household,
            summary=say(
                gettext_noop("on %(kind)s list '%(name)s' (row %(row)s, linked by a reviewer)"),
                kind=label(ListKind(item.kind).label, code=item.kind),
                name=item.list_import.name,
                row=str(item.row),
            ),
            changes={"list_import": item.list_import_id, "rows": [item.row], "review": item.pk},
        )
    return entry


def review_field_visit(*, ctx: Context, item: ReviewItem) -> None:
    """Keep the row as a household the registry does not have: a ศจพ.2 visit is needed."""
    actor = ctx.user
    _check_decide(actor, item)
    with transaction.atomic():
        item = _still_open(item)
        _decided(item, actor, ReviewItem.Status.FIELD_VISIT)
        _recount({item.list_import_id})
        audit_record(
            ctx=ctx,
            action="update",
            obj=item,
            summary=say(
                gettext_noop("list row %(row)s kept as not in the registry (needs a ศจพ.2 visit)"),
                row=str(item.row),
            ),
            changes={"status": [ReviewItem.Status.OPEN, ReviewItem.Status.FIELD_VISIT]},
        )


def review_reject(*, ctx: Context, item: ReviewItem, note: str) -> None:
    """Reject the row, for the reason given (`imports.reject_reason` without one)."""
    actor = ctx.user
    _check_decide(actor, item)
    note = (note or "").strip()
    if not note:
        raise errors.Invalid(import_errors.REJECT_REASON)
    with transaction.atomic():
        item = _still_open(item)
        _decided(item, actor, ReviewItem.Status.REJECTED, note=note[:500])
        _recount({item.list_import_id})
        audit_record(
            ctx=ctx,
            action="update",
            obj=item,
            summary=say(
                gettext_noop("list row %(row)s rejected: %(note)s"), row=str(item.row), note=note
            ),
            changes={"status": [ReviewItem.Status.OPEN, ReviewItem.Status.REJECTED], "note": note},
        )


# ---------------------------------------------------------------- decisions on many rows
#
# A ThaiQM list brings thousands of rows to review (85,300 households nationally in 2565,
# seed 002): one decision per row would never end. Each verb below decides every open row
# of a selection in one transaction, with one audit row per row decided, and refuses the
# whole selection (changing nothing) when it is not what the reviewer was shown.

LEVELS = {"district": 4, "subdistrict": 6}


@dataclass
class BulkResult:
    decided: int = 0
    skipped: int = 0  # open rows of the selection the action could not decide


#: What a decision on many rows reads of each row (not the row's data, for speed).
_LIGHT = ("pk", "row", "village_code", "list_import_id", "kind", "status", "assigned_area")


def _open_selection(
    user: Any, items: Any, expected: int | None, *, whole: bool = False
) -> list[ReviewItem]:
    """The open rows of `items` the actor may decide, locked; refused when their number
    is not the one the page showed (someone decided or imported meanwhile). `whole`
    reads each row with its data and list; otherwise only `_LIGHT`."""
    _check_review(user)
    visible = access.scope(user, ReviewItem, "decide").values("pk")
    qs = (
        ReviewItem.objects.select_for_update()
        .filter(pk__in=items.values("pk"))
        .filter(pk__in=visible, status=ReviewItem.Status.OPEN)
        .order_by("list_import_id", "row")
    )
    rows = list(qs.select_related("list_import") if whole else qs.only(*_LIGHT))
    if expected is not None and len(rows) != expected:
        raise errors.Conflict(import_errors.SELECTION_CHANGED, n=len(rows), expected=expected)
    if not rows:
        raise errors.Invalid(import_errors.NOTHING_SELECTED)
    return rows


def _update(rows: list[ReviewItem], **values: Any) -> None:
    """One UPDATE per 2,000 rows, the same values (or expressions) for all."""
    pks = [r.pk for r in rows]
    for start in range(0, len(pks), selectors.CHUNK):
        ReviewItem.objects.filter(pk__in=pks[start : start + selectors.CHUNK]).update(**values)


def _bulk_decided(rows: list[ReviewItem], actor: Any, status: str, **values: Any) -> None:
    _update(rows, status=status, decided_by=actor, decided_at=timezone.now(), **values)


def _row_events(
    rows: list[ReviewItem], text: str, changes: dict, *, alone: str, **args: Any
) -> list[tuple]:
    """One audit item per row: the summary `text` (a `gettext_noop` template with a
    %(row)s place) said of each row; `alone` (the one-row decision's words) when the
    selection was one row."""
    if len(rows) == 1:
        text = alone
    return [(item, say(text, row=str(item.row), **args), changes) for item in rows]


def review_bulk_link_by_pin(*, ctx: Context, items: Any, expected: int | None = None) -> BulkResult:
    """Link every selected open row whose national ID names exactly one household the
    reviewer may see to that household; other rows stay open (counted as skipped)."""
    actor = ctx.user
    with transaction.atomic():
        rows = _open_selection(actor, items, expected, whole=True)
        visible = set(
            households_visible_to(actor)
            .filter(pk__in={r.pin_household_id for r in rows if r.pin_household_id})
            .values_list("pk", flat=True)
        )
        linked = [r for r in rows if r.pin_household_id in visible]
        if not linked:
            raise errors.Invalid(import_errors.NO_PIN_MATCH)
        ListEntry.objects.bulk_create(
            [
                ListEntry(
                    household_id=r.pin_household_id,
                    list_import=r.list_import,
                    kind=r.kind,
                    row=r.row,
                    matched_by=ListEntry.Match.REVIEW,
                    data=r.data,
                    created_by=actor,
                )
                for r in linked
            ],
            batch_size=1_000,
        )
        _bulk_decided(linked, actor, ReviewItem.Status.LINKED, household=F("pin_household"))
        _recount({r.list_import_id for r in linked})
        households = Household.objects.in_bulk({r.pin_household_id for r in linked})
        registry_services.history_record_many(
            ctx=ctx,
            kind=history.LINKED,
            events=[
                (
                    r.pin_household_id,
                    {
                        "list_import": r.list_import_id,
                        "list_kind": r.kind,
                        "name": r.list_import.name,
                        "rows": [r.row],
                    },
                )
                for r in linked
            ],
        )
        audit_record_many(
            ctx=ctx,
            action="import",
            items=[
                (
                    households[r.pin_household_id],
                    say(
                        gettext_noop(
                            "on %(kind)s list '%(name)s' (row %(row)s, linked by its national "
                            "ID by a reviewer)"
                        ),
                        kind=label(ListKind(r.kind).label, code=r.kind),
                        name=r.list_import.name,
                        row=str(r.row),
                    ),
                    {"list_import": r.list_import_id, "rows": [r.row], "review": r.pk},
                )
                for r in linked
            ],
        )
    return BulkResult(decided=len(linked), skipped=len(rows) - len(linked))


def review_bulk_field_visit(*, ctx: Context, items: Any, expected: int | None = None) -> BulkResult:
    """Keep every selected open row as a household the registry does not have."""
    actor = ctx.user
    with transaction.atomic():
        rows = _open_selection(actor, items, expected)
        _bulk_decided(rows, actor, ReviewItem.Status.FIELD_VISIT)
        _recount({r.list_import_id for r in rows})
        audit_record_many(
            ctx=ctx,
            action="update",
            items=_row_events(
                rows,
                gettext_noop(
                    "list row %(row)s kept as not in the registry (needs a ศจพ.2 visit), "
                    "with %(others)s other rows"
                ),
                {"status": [ReviewItem.Status.OPEN, ReviewItem.Status.FIELD_VISIT], "bulk": True},
                alone=gettext_noop(
                    "list row %(row)s kept as not in the registry (needs a ศจพ.2 visit)"
                ),
                others=len(rows) - 1,
            ),
        )
    return BulkResult(decided=len(rows))


def review_bulk_reject(
    *, ctx: Context, items: Any, note: str, expected: int | None = None
) -> BulkResult:
    """Reject every selected open row, all for the one reason given."""
    actor = ctx.user
    _check_review(actor)
    note = (note or "").strip()[:500]
    if not note:
        raise errors.Invalid(import_errors.REJECT_REASON_MANY)
    with transaction.atomic():
        rows = _open_selection(actor, items, expected)
        _bulk_decided(rows, actor, ReviewItem.Status.REJECTED, note=note)
        _recount({r.list_import_id for r in rows})
        audit_record_many(
            ctx=ctx,
            action="update",
            items=_row_events(
                rows,
                gettext_noop("list row %(row)s rejected with %(others)s other rows: %(note)s"),
                {
                    "status": [ReviewItem.Status.OPEN, ReviewItem.Status.REJECTED],
                    "note": note,
                    "bulk": True,
                },
                alone=gettext_noop("list row %(row)s rejected: %(note)s"),
                others=len(rows) - 1,
                note=note,
            ),
        )
    return BulkResult(decided=len(rows))


def review_bulk_assign(
    *, ctx: Context, items: Any, level: str, expected: int | None = None
) -> BulkResult:
    """Hand every selected open row to the district or subdistrict that holds its village
    (`level`), or back to the importing level (`level=""`, importers only). An account
    hands rows only to areas below its own."""
    actor = ctx.user
    _check_review(actor)
    if level and (level not in LEVELS or LEVELS[level] <= len(actor.area_code)):
        raise errors.Refused(import_errors.ONLY_BELOW)
    if not level and not selectors.may_import(actor):
        raise errors.Refused(import_errors.MAY_NOT_HAND_BACK)
    with transaction.atomic():
        rows = _open_selection(actor, items, expected)
        before = {r.pk: r.assigned_area for r in rows}
        for r in rows:
            r.assigned_area = r.village_code[: LEVELS[level]] if level else ""
        _update(rows, assigned_area=Substr("village_code", 1, LEVELS[level]) if level else "")
        audit_record_many(
            ctx=ctx,
            action="update",
            items=[
                (
                    r,
                    say(
                        gettext_noop("list row %(row)s handed to area %(area)s"),
                        row=str(r.row),
                        area=area(r.assigned_area),
                    )
                    if level
                    else say(
                        gettext_noop("list row %(row)s taken back by the importing level"),
                        row=str(r.row),
                    ),
                    {"assigned_area": [before[r.pk], r.assigned_area], "bulk": True},
                )
                for r in rows
            ],
        )
    return BulkResult(decided=len(rows))


def review_page_read(*, ctx: Context, shown: list, filters: dict, page: int) -> None:
    """One audit row for one review page: which rows and which households it showed
    (none for a page that showed no row: it read no personal data)."""
    items = [card.item.pk for card in shown]
    if not items:
        return
    households = sorted({c.household.pk for card in shown for c in card.candidates})
    with transaction.atomic():
        audit_read(
            ctx=ctx,
            object_type="imports.reviewitem",
            area_code=ctx.user.area_code,
            summary=say(
                gettext_noop("list review page %(page)s: %(rows)s rows, %(households)s households"),
                page=str(page),
                rows=len(items),
                households=len(households),
            ),
            changes={"items": items, "households": households},
            filters=filters,
            page=page,
        )


REJECT_CSV_COLUMNS = ("file", "row", "column", "value", "code", "reason_th", "reason_en")


def rejects_export(*, ctx: Context, list_import: ListImport) -> list:
    """The rejected rows as CSV records (full values, so they can be corrected), audited."""
    rows = [
        (list_import.file_name, r.row, r.column, r.value, r.code, r.reason_th, r.reason_en)
        for r in selectors.import_rejects(list_import)
    ]
    with transaction.atomic():
        audit_read(
            ctx=ctx,
            what="export",
            obj=list_import,
            summary=say(
                gettext_noop("rejected rows of list '%(name)s': %(n)s records"),
                name=list_import.name,
                n=len(rows),
            ),
            changes={"records": len(rows)},
        )
    return rows
