"""The boundaries module: features by code per level, and the GeoJSON of the children of one
area, never the whole country's subdistricts."""

from __future__ import annotations

import json

from cheepao.geo import boundaries

NATIONAL_SUBDISTRICT_BYTES = boundaries.FILES["subdistrict"].stat().st_size


def _codes(body: bytes) -> list[str]:
    return [f["properties"]["code"] for f in json.loads(body)["features"]]


def test_each_level_is_read_by_code():
    assert len(boundaries.features("province")) == 77
    assert len(boundaries.features("district")) == 928
    assert len(boundaries.features("subdistrict")) == 7425
    ubon = boundaries.feature("34")
    assert ubon["properties"] == {
        "code": "34",
        "name_th": "อุบลราชธานี",
        "name_en": "Ubon Ratchathani",
    }
    assert boundaries.feature("340101")["properties"]["code"] == "340101"
    assert boundaries.feature("3499") is None
    assert boundaries.feature("") is None and boundaries.feature("x1") is None
    # parsed once per process
    assert boundaries.features("district") is boundaries.features("district")


def test_children_of_each_level():
    assert _codes(boundaries.children_geojson("")) == sorted(boundaries.features("province"))
    districts = _codes(boundaries.children_geojson("34"))
    assert districts == sorted(c for c in boundaries.features("district") if c[:2] == "34")
    assert len(districts) == 25 and "3401" in districts
    subdistricts = _codes(boundaries.children_geojson("3401"))
    assert subdistricts == sorted(c for c in boundaries.features("subdistrict") if c[:4] == "3401")
    assert all(c.startswith("3401") and len(c) == 6 for c in subdistricts)
    # below a subdistrict, and for codes that are not areas, nothing
    for code in ("340101", "34010101", "99", "abc", "3"):
        assert _codes(boundaries.children_geojson(code)) == []
    # the same bytes every time (cached per process)
    assert boundaries.children_geojson("34") is boundaries.children_geojson("34")


def test_a_map_is_sent_only_its_areas():
    provinces = boundaries.children_geojson("")
    assert len(provinces) < NATIONAL_SUBDISTRICT_BYTES / 5
    # A province's subdistricts (the largest province, Nakhon Ratchasima 30) are a small
    # part of the national file; one district's are smaller still.
    korat = boundaries.within_geojson("30", "subdistrict")
    assert len(_codes(korat)) == len(
        [c for c in boundaries.features("subdistrict") if c[:2] == "30"]
    )
    assert len(korat) < NATIONAL_SUBDISTRICT_BYTES / 10
    assert len(boundaries.children_geojson("3401")) < NATIONAL_SUBDISTRICT_BYTES / 100
    assert _codes(boundaries.area_geojson("340101")) == ["340101"]


def test_the_levels_share_their_codes():
    districts = boundaries.features("district")
    subdistricts = boundaries.features("subdistrict")
    assert {c[:4] for c in subdistricts} == set(districts)
    assert {c[:2] for c in districts} == set(boundaries.features("province"))
    assert "prasertcbs/thailand_gis" in boundaries.ATTRIBUTION
    assert "mapthai" not in boundaries.ATTRIBUTION + boundaries.ATTRIBUTION_LONG
