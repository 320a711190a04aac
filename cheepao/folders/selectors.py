"""Reads of the family folder (the pages check access first; the views record the read)."""

from __future__ import annotations

from typing import Any

from cheepao.folders.models import FamilyFolder, FolderPhoto
from cheepao.households.models import Household


def folder_versions(household: Household) -> list[FamilyFolder]:
    """Every version, newest first."""
    return list(FamilyFolder.objects.filter(household=household).order_by("-number"))


def folder_version(household: Household, number: Any) -> FamilyFolder | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    return FamilyFolder.objects.filter(household=household, number=number).first()


def photos_current(household: Household) -> list[FolderPhoto]:
    return list(
        FolderPhoto.objects.filter(household=household, removed_at__isnull=True).order_by(
            "added_at", "pk"
        )
    )


def photos_removed(household: Household) -> list[FolderPhoto]:
    return list(
        FolderPhoto.objects.filter(household=household, removed_at__isnull=False).order_by(
            "-removed_at", "-pk"
        )
    )


def photo_of(household: Household, photo_id: Any) -> FolderPhoto | None:
    """A photo of this household (current or removed), or None."""
    try:
        key = int(photo_id)
    except (TypeError, ValueError):
        return None
    if not 0 < key < 2**63:
        return None
    return FolderPhoto.objects.filter(household=household, pk=key).first()


def folder_summary(household: Household) -> dict[str, Any]:
    """What the registry's household page shows of the folder."""
    latest = FamilyFolder.objects.filter(household=household).order_by("-number").first()
    return {
        "folder": latest,
        "photo_count": FolderPhoto.objects.filter(
            household=household, removed_at__isnull=True
        ).count(),
    }
