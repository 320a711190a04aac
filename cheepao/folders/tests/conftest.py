from __future__ import annotations

import pytest

from cheepao.folders.tests.helpers import put_in_care
from cheepao.households.models import Household


@pytest.fixture
def household(registry):
    return (
        Household.objects.filter(registry=registry, members__isnull=False)
        .order_by("village_code", "pk")
        .distinct()
        .first()
    )


@pytest.fixture
def care(household, make_user):
    return put_in_care(household, make_user)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores its photos in its own directory (the default storage follows)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
