"""The geography's selectors."""

from __future__ import annotations

import pytest
from django.utils import translation

from cheepao.geo import selectors


@pytest.mark.django_db
def test_an_area_is_read_from_the_database_once_until_the_geography_is_loaded_again(
    django_assert_num_queries,
):
    """A page naming the area of each of its rows asks the database once per area, not
    once per row; loading the geography again forgets what was found."""
    from cheepao.geo import services

    selectors.areas_forget()
    with (
        translation.override("th"),
        django_assert_num_queries(2),  # the village's subdistrict, then the district
    ):
        for _ in range(50):
            assert selectors.area_label("34010711").startswith("หมู่ที่ 11")
            assert selectors.area_label("3401") == "อำเภอเมืองอุบลราชธานี"
    assert selectors.area_get("99") is None  # unknown codes are not kept
    services.geography_load()
    with django_assert_num_queries(1):
        selectors.area_get("3401")
