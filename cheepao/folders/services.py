"""Writes of the family folder: its versions, its photos and its pin.

Every verb takes `ctx` first, asks the household policy for the action `care` (only the
mentors the household is assigned to: anyone else gets the same `access.not_found` as for
a household that does not exist), checks the data and refuses with a code before writing
anything, then writes in one transaction the row(s), the household's history event (a
Thai sentence, `history.py`) and the audit row. Stored photo files are deleted again when
the transaction rolls back, so a refusal or a failure leaves no file behind.
"""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import label, say
from cheepao.core import access, errors
from cheepao.core.context import Context
from cheepao.folders import errors as codes
from cheepao.folders import history, images
from cheepao.folders.models import FamilyFolder, FolderPhoto
from cheepao.geo import selectors as geo
from cheepao.households import services as registry
from cheepao.households.models import Household
from cheepao.households.selectors import household_head

MAX_PHOTOS = 5
MONEY_MAX = Decimal("9999999999.99")
CENT = Decimal("0.01")
# Thailand's bounding box (WGS84), with a little margin for its islands and borders.
LAT_RANGE = (5.5, 20.6)
LNG_RANGE = (97.3, 105.7)

MONEY = ("income_per_person", "savings", "debt_formal", "debt_informal")
COUNTS = ("members_male", "members_female", "members_disabled")
TEXTS = {
    "head_name": 200,
    "address": 300,
    "occupation": 200,
    "debt_cause": 500,
    "household_type_other": 200,
    "help_other": 200,
    "skills": 500,
    "funds_other": 200,
}
CHOICES = {
    "household_type": FamilyFolder.HouseholdType,
    "wish": FamilyFolder.Wish,
    "khok_nong_na": FamilyFolder.KhokNongNa,
    "khok_budget": FamilyFolder.KhokBudget,
}
MANY = {"help_kinds": FamilyFolder.Help, "funds": FamilyFolder.Fund}
#: The answers of a version (what a save copies forward and compares).
ANSWERS = ("head_age", *TEXTS, *COUNTS, *MONEY, *CHOICES, *MANY, "lat", "lng")


# ---------------------------------------------------------------- reading the folder


def folder_latest(household: Household) -> FamilyFolder | None:
    return FamilyFolder.objects.filter(household=household).order_by("-number").first()


def current_photos(household: Household):
    return FolderPhoto.objects.filter(household=household, removed_at__isnull=True).order_by(
        "added_at", "pk"
    )


def _thai_village(number: int) -> str:
    """The village as the paper folder writes it: in Thai, whatever the page's language."""
    with translation.override("th"):
        return geo.village_label(number)


def folder_prefill(household: Household) -> dict[str, Any]:
    """The first version's answers as the registry knows them: the head (name, age,
    occupation), the address, the members by sex and disability, the income per person,
    savings and debts of the survey."""
    members = list(household.members.order_by("member_no"))
    head = household_head(members)
    crumbs = geo.area_breadcrumb(household.subdistrict_code)
    names = {a.level: a.name_th for a in crumbs}
    parts = [
        f"บ้านเลขที่ {household.house_no}" if household.house_no else "",
        _thai_village(household.village_no),
        f"ตำบล{names['subdistrict']}" if "subdistrict" in names else "",
        f"อำเภอ{names['district']}" if "district" in names else "",
        f"จังหวัด{names['province']}" if "province" in names else "",
    ]
    return {
        "head_name": head.full_name if head else "",
        "head_age": head.age if head else None,
        "address": " ".join(p for p in parts if p),
        "occupation": head.occupation if head else "",
        "members_male": sum(1 for m in members if m.sex == "M"),
        "members_female": sum(1 for m in members if m.sex == "F"),
        "members_disabled": sum(1 for m in members if m.disabled),
        "income_per_person": household.income_per_person,
        "savings": household.savings,
        "debt_formal": household.debt_formal,
        "debt_informal": household.debt_informal,
        "help_kinds": [],
        "funds": [],
    }


def folder_answers(folder: FamilyFolder | None, household: Household) -> dict[str, Any]:
    """The answers a form starts from: the newest version's, or the registry's."""
    if folder is None:
        return folder_prefill(household)
    return {name: getattr(folder, name) for name in ANSWERS}


# ---------------------------------------------------------------- checks


def _care(ctx: Context, household: Household) -> Household:
    """The household when the actor cares for it, else `access.not_found` (like a missing
    one); locked for the rest of the transaction so versions are numbered one at a time."""
    access.one(ctx.user, Household, "care", household.pk)
    return Household.objects.select_for_update().get(pk=household.pk)


def _money(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValueError from None
    if not amount.is_finite() or amount < 0 or amount > MONEY_MAX:
        raise ValueError
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _int(value: Any, high: int) -> int:
    number = int(str(value).strip()) if not isinstance(value, int) else value
    if not 0 <= number <= high:
        raise ValueError
    return number


def folder_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The answers to record, or `Invalid` with a code per field."""
    fields: dict[str, Any] = {}
    out: dict[str, Any] = {}
    for name in MONEY:
        try:
            out[name] = _money(data.get(name))
        except ValueError:
            fields[name] = codes.AMOUNT
    for name in COUNTS:
        try:
            out[name] = _int(data.get(name) if data.get(name) not in (None, "") else 0, 99)
        except (TypeError, ValueError):
            fields[name] = codes.COUNT
    age = data.get("head_age")
    try:
        out["head_age"] = None if age in (None, "") else _int(age, 130)
    except (TypeError, ValueError):
        fields["head_age"] = codes.AGE
    for name, limit in TEXTS.items():
        text = str(data.get(name) or "").strip()
        if len(text) > limit:
            fields[name] = (codes.TOO_LONG, {"max": limit})
        out[name] = text
    for name, choices in CHOICES.items():
        value = data.get(name) or ""
        if value not in choices.values:
            fields[name] = codes.CHOICE
        out[name] = value
    for name, choices in MANY.items():
        values = data.get(name) or []
        if isinstance(values, str):
            values = [values]
        if any(v not in choices.values for v in values):
            fields[name] = codes.CHOICE
        out[name] = [v for v in choices.values if v in values]  # catalogue order, no repeats
    if fields:
        raise errors.Invalid(codes.INVALID, fields=fields)
    if out["khok_nong_na"] != FamilyFolder.KhokNongNa.PLOT_OWNER:
        out["khok_budget"] = ""
    return out


def location_check(lat: Any, lng: Any) -> tuple[float, float]:
    """(lat, lng) as floats inside Thailand's bounding box, else `folders.bad_location`."""
    try:
        la, lo = float(lat), float(lng)
    except (TypeError, ValueError):
        raise errors.Invalid(codes.BAD_LOCATION, fields={"lat": codes.BAD_LOCATION}) from None
    if not (LAT_RANGE[0] <= la <= LAT_RANGE[1] and LNG_RANGE[0] <= lo <= LNG_RANGE[1]):
        raise errors.Invalid(codes.BAD_LOCATION, fields={"lat": codes.BAD_LOCATION})
    return round(la, 6), round(lo, 6)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def _new_version(
    ctx: Context, household: Household, latest: FamilyFolder | None, values: dict[str, Any]
) -> FamilyFolder:
    number = (
        FamilyFolder.objects.filter(household=household).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    user = ctx.user
    return FamilyFolder.objects.create(
        household=household,
        number=number,
        saved_by=user,
        saved_by_name=(user.get_full_name() or user.username) if user else "",
        **values,
    )


# ---------------------------------------------------------------- verbs


def folder_save(
    *, ctx: Context, household: Household, data: dict[str, Any], base_version: int | None
) -> FamilyFolder:
    """Save the folder's answers as its next version. `base_version` is the number of the
    version the form was read at (None or 0: there was none); a newer save since is
    `folders.stale` (Conflict). The pin is carried over from the version before."""
    with transaction.atomic():
        household = _care(ctx, household)
        values = folder_clean(data)
        latest = folder_latest(household)
        if (latest.number if latest else 0) != (base_version or 0):
            raise errors.Conflict(codes.STALE)
        values["lat"] = latest.lat if latest else None
        values["lng"] = latest.lng if latest else None
        before = folder_answers(latest, household) if latest else {}
        folder = _new_version(ctx, household, latest, values)
        registry.history_record(
            ctx=ctx, household=household, kind=history.SAVED, number=folder.number
        )
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.CREATE if folder.number == 1 else AuditEvent.Action.UPDATE,
            obj=household,
            summary=say(
                gettext_noop("family folder saved as version %(number)s"), number=folder.number
            ),
            changes={
                "folder": folder.pk,
                "uid": str(folder.uid),
                "version": folder.number,
                "after": _plain({k: v for k, v in values.items() if before.get(k) != v}),
                "before": _plain({k: v for k, v in before.items() if values.get(k) != v}),
            },
        )
    return folder


def location_set(
    *, ctx: Context, household: Household, lat: Any, lng: Any, base_version: int | None = None
) -> FamilyFolder:
    """Pin the house on the map: a new version of the folder with the position (the other
    answers as they were; the registry's when there is no folder yet)."""
    with transaction.atomic():
        household = _care(ctx, household)
        la, lo = location_check(lat, lng)
        latest = folder_latest(household)
        if base_version is not None and (latest.number if latest else 0) != base_version:
            raise errors.Conflict(codes.STALE)
        values = {k: v for k, v in folder_answers(latest, household).items()}
        before = {"lat": values.get("lat"), "lng": values.get("lng")}
        values.update(lat=la, lng=lo)
        folder = _new_version(ctx, household, latest, values)
        registry.history_record(
            ctx=ctx, household=household, kind=history.LOCATION_SET, number=folder.number
        )
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=household,
            summary=say(
                gettext_noop("house pinned on the map (family folder version %(number)s)"),
                number=folder.number,
            ),
            changes={
                "folder": folder.pk,
                "version": folder.number,
                "before": before,
                "after": {"lat": la, "lng": lo},
            },
        )
    return folder


def photo_add(*, ctx: Context, household: Household, kind: str, upload: IO[bytes]) -> FolderPhoto:
    """Add a photo (at most 10 MB, a JPEG, PNG or WebP image by its content; at most five
    current photos). Stored re-encoded, without metadata, long side ≤ 1600 px, with a
    thumbnail, through the default storage."""
    access.one(ctx.user, Household, "care", household.pk)
    if kind not in FolderPhoto.Kind.values:
        raise errors.Invalid(codes.PHOTO_KIND, fields={"kind": codes.PHOTO_KIND})
    size = getattr(upload, "size", None)
    if size is not None and size > images.MAX_BYTES:
        raise errors.Invalid(codes.PHOTO_TOO_BIG, fields={"photo": codes.PHOTO_TOO_BIG})
    data = images.read_limited(upload)
    if data is None:
        raise errors.Invalid(codes.PHOTO_TOO_BIG, fields={"photo": codes.PHOTO_TOO_BIG})
    try:
        processed = images.process(data)
    except images.NotAnImage:
        raise errors.Invalid(codes.NOT_AN_IMAGE, fields={"photo": codes.NOT_AN_IMAGE}) from None
    stored: list[str] = []
    try:
        with transaction.atomic():
            household = _care(ctx, household)
            if current_photos(household).count() >= MAX_PHOTOS:
                raise errors.Refused(codes.TOO_MANY_PHOTOS)
            name = uuid.uuid4().hex
            photo = FolderPhoto(
                household=household,
                kind=kind,
                width=processed.width,
                height=processed.height,
                size=len(processed.image),
                sha256=processed.sha256,
                added_by=ctx.user,
            )
            photo.image.save(f"{name}.jpg", ContentFile(processed.image), save=False)
            stored.append(photo.image.name)
            photo.thumb.save(f"{name}-thumb.jpg", ContentFile(processed.thumb), save=False)
            stored.append(photo.thumb.name)
            photo.save()
            registry.history_record(
                ctx=ctx, household=household, kind=history.PHOTO_ADDED, photo=kind
            )
            audit_record(
                ctx=ctx,
                action=AuditEvent.Action.CREATE,
                obj=household,
                summary=say(
                    gettext_noop("family folder photo added: %(kind)s"),
                    kind=label(FolderPhoto.Kind(kind).label, code=kind),
                ),
                changes={
                    "photo": photo.pk,
                    "uid": str(photo.uid),
                    "kind": kind,
                    "sha256": processed.sha256,
                },
            )
    except BaseException:
        for path in stored:
            default_storage.delete(path)
        raise
    return photo


def photo_remove(*, ctx: Context, household: Household, photo_id: Any) -> FolderPhoto:
    """Take a photo out of the folder. Its row and files are kept (`removed_at`), so the
    history still says what was there; it no longer counts towards the five."""
    with transaction.atomic():
        household = _care(ctx, household)
        try:
            photo = FolderPhoto.objects.select_for_update().get(
                household=household, pk=int(photo_id)
            )
        except (FolderPhoto.DoesNotExist, TypeError, ValueError):
            raise errors.NotFound(errors.NOT_FOUND) from None
        if photo.removed_at is not None:
            raise errors.Refused(codes.PHOTO_GONE)
        photo.removed_at = timezone.now()
        photo.removed_by = ctx.user
        photo.save(update_fields=["removed_at", "removed_by"])
        registry.history_record(
            ctx=ctx, household=household, kind=history.PHOTO_REMOVED, photo=photo.kind
        )
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=household,
            summary=say(
                gettext_noop("family folder photo removed: %(kind)s"),
                kind=label(FolderPhoto.Kind(photo.kind).label, code=photo.kind),
            ),
            changes={"photo": photo.pk, "uid": str(photo.uid), "removed": True},
        )
    return photo
