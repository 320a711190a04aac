from __future__ import annotations

from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from cheepao.geo import selectors, services
from cheepao.geo.models import District, Province, Subdistrict

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[list, list, list]:
    return (
        list(Province.objects.values_list("code", "name_th", "name_en")),
        list(District.objects.values_list("code", "province_id", "name_th", "name_en")),
        list(
            Subdistrict.objects.values_list(
                "code", "district_id", "name_th", "name_en", "postal_codes"
            )
        ),
    )


def _empty_tables() -> None:
    Subdistrict.objects.all().delete()
    District.objects.all().delete()
    Province.objects.all().delete()


def test_load_creates_every_area_of_thailand():
    _empty_tables()
    result = services.geography_load()
    assert (result.provinces.created, result.districts.created, result.subdistricts.created) == (
        77,
        928,
        7436,
    )
    assert selectors.geography_counts() == {"province": 77, "district": 928, "subdistrict": 7436}
    ubon = Province.objects.get(pk="34")
    assert (ubon.name_th, ubon.name_en) == ("อุบลราชธานี", "Ubon Ratchathani")
    nai_mueang = Subdistrict.objects.get(pk="340101")
    assert nai_mueang.district_id == "3401"
    assert nai_mueang.postal_codes == ["34000"]
    assert District.objects.get(pk="1001").name_th == "เขตพระนคร"


def test_second_load_changes_nothing():
    _empty_tables()
    services.geography_load()
    before = _snapshot()
    again = services.geography_load()
    assert again.changed == 0
    assert (again.provinces.unchanged, again.districts.unchanged, again.subdistricts.unchanged) == (
        77,
        928,
        7436,
    )
    assert _snapshot() == before


@dataclass(frozen=True)
class P:
    code: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class D(P):
    province_code: str


@dataclass(frozen=True)
class S(P):
    district_code: str
    postal_codes: tuple[str, ...]


class SmallSource:
    """A geothai-shaped source of one province, to test renames and additions."""

    def __init__(self, province_name_en: str, extra_subdistrict: bool = False):
        self.p = [P("34", "อุบลราชธานี", province_name_en)]
        self.d = [D("3401", "เมืองอุบลราชธานี", "Mueang Ubon Ratchathani", "34")]
        self.s = [S("340101", "ในเมือง", "Nai Mueang", "3401", ("34000",))]
        if extra_subdistrict:
            self.s.append(S("340199", "ตำบลใหม่", "New Subdistrict", "3401", ("34000", "34001")))

    def provinces(self):
        return self.p

    def districts(self, code):
        return [d for d in self.d if d.province_code == code]

    def subdistricts(self, code):
        return [s for s in self.s if s.district_code == code]


def test_load_updates_renamed_areas_adds_new_ones_and_keeps_the_rest():
    _empty_tables()
    services.geography_load()
    result = services.geography_load(source=SmallSource("Ubon", extra_subdistrict=True))
    assert (result.provinces.updated, result.provinces.unchanged) == (1, 0)
    assert (result.districts.updated, result.districts.unchanged) == (0, 1)
    assert (result.subdistricts.created, result.subdistricts.unchanged) == (1, 1)
    assert Province.objects.get(pk="34").name_en == "Ubon"
    assert Subdistrict.objects.get(pk="340199").postal_codes == ["34000", "34001"]
    # Areas the small source does not list are not deleted: data may still refer to them.
    assert selectors.geography_counts() == {"province": 77, "district": 928, "subdistrict": 7437}


def test_failed_load_writes_nothing(monkeypatch):
    _empty_tables()
    real_upsert = services._upsert

    def fail_on_subdistricts(model, wanted, fields):
        if model is Subdistrict:
            raise RuntimeError("disk full")
        return real_upsert(model, wanted, fields)

    monkeypatch.setattr(services, "_upsert", fail_on_subdistricts)
    with pytest.raises(RuntimeError, match="disk full"):
        services.geography_load()
    # Provinces and districts were written before the failure and must be rolled back too.
    assert selectors.geography_counts() == {"province": 0, "district": 0, "subdistrict": 0}


def test_load_geography_command_reports_counts():
    _empty_tables()
    out = StringIO()
    call_command("load_geography", stdout=out)
    assert "subdistricts: 7436 created, 0 updated, 0 unchanged" in out.getvalue()
    out = StringIO()
    call_command("load_geography", stdout=out)
    assert "geography loaded (0 changed)" in out.getvalue()


@pytest.mark.parametrize(
    ("code", "level", "name_th"),
    [
        ("34", "province", "อุบลราชธานี"),
        ("3401", "district", "เมืองอุบลราชธานี"),
        ("340101", "subdistrict", "ในเมือง"),
    ],
    ids=["province", "district", "subdistrict"],
)
def test_area_lookup_at_every_level(geography, code, level, name_th):
    area = selectors.area_get(code)
    assert (area.code, area.level, area.name_th) == (code, level, name_th)


@pytest.mark.parametrize("code", ["99", "3499", "349999", "3", "abc", "34010101", ""])
def test_unknown_or_malformed_codes_give_none(geography, code):
    assert selectors.area_get(code) is None
    assert selectors.area_breadcrumb(code) == []


def test_children_of_each_level(geography):
    assert len(selectors.area_children()) == 77
    districts = selectors.area_children("34")
    assert len(districts) == 25  # seed 003: Ubon Ratchathani's 25 districts
    assert {a.level for a in districts} == {"district"}
    assert districts[0].code == "3401"
    subs = selectors.area_children("3401")
    assert subs and all(a.code.startswith("3401") and a.level == "subdistrict" for a in subs)
    assert selectors.area_children("340101") == []


def test_breadcrumb_goes_from_province_down(geography):
    crumbs = selectors.area_breadcrumb("340101")
    assert [(a.code, a.level) for a in crumbs] == [
        ("34", "province"),
        ("3401", "district"),
        ("340101", "subdistrict"),
    ]
    assert crumbs[-1].child_level == "village"


def test_full_names_follow_thai_usage(geography):
    with translation.override("th"):
        assert [a.full_name for a in selectors.area_breadcrumb("340101")] == [
            "จังหวัดอุบลราชธานี",
            "อำเภอเมืองอุบลราชธานี",
            "ตำบลในเมือง",
        ]
        assert [a.full_name for a in selectors.area_breadcrumb("100101")] == [
            "กรุงเทพมหานคร",
            "เขตพระนคร",
            "แขวงพระบรมมหาราชวัง",
        ]
    with translation.override("en"):
        assert [a.full_name for a in selectors.area_breadcrumb("340101")] == [
            "Ubon Ratchathani Province",
            "Mueang Ubon Ratchathani District",
            "Nai Mueang Subdistrict",
        ]
        assert selectors.area_get("10").full_name == "Bangkok"
