"""Reads of the geography tables, level-agnostic so callers can work with any area code.

A DOPA code's length tells its level (2 province, 4 district, 6 subdistrict) and its
prefixes are its ancestors, so pages can take one `code` and never ask which level it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cheepao.core.thai import english
from cheepao.geo.models import District, Province, Subdistrict

LEVEL_BY_LENGTH = {2: "province", 4: "district", 6: "subdistrict"}
MODEL_BY_LEVEL = {"province": Province, "district": District, "subdistrict": Subdistrict}
LEVEL_WORD_EN = {"province": "Province", "district": "District", "subdistrict": "Subdistrict"}
BANGKOK = "10"
CHILD_LEVEL = {
    None: "province",
    "province": "district",
    "district": "subdistrict",
    "subdistrict": "village",
}


@dataclass(frozen=True)
class Area:
    code: str
    level: str
    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if english() else self.name_th

    @property
    def full_name(self) -> str:
        """The name as written in letters and headings: จังหวัด…, อำเภอ…, ตำบล… (Bangkok: เขต/แขวง)."""
        bangkok = self.code.startswith(BANGKOK)
        if english():
            if bangkok and self.level == "province":
                return self.name_en
            return f"{self.name_en} {LEVEL_WORD_EN[self.level]}"
        if self.level == "province":
            return self.name_th if bangkok else f"จังหวัด{self.name_th}"
        if self.level == "district":
            return self.name_th if self.name_th.startswith("เขต") else f"อำเภอ{self.name_th}"
        return f"{'แขวง' if bangkok else 'ตำบล'}{self.name_th}"

    @property
    def parent_code(self) -> str | None:
        return self.code[:-2] if len(self.code) > 2 else None

    @property
    def child_level(self) -> str:
        return CHILD_LEVEL[self.level]


def level_of(code: str) -> str | None:
    """The level of a well-formed code, or None for anything else (letters, odd lengths)."""
    if not code.isdigit():
        return None
    return LEVEL_BY_LENGTH.get(len(code))


def _area(obj: Province | District | Subdistrict, level: str) -> Area:
    return Area(obj.code, level, obj.name_th, obj.name_en)


# The areas found so far, by code: the geography changes only when geography_load runs
# (which forgets them), and a page naming the area of each of its rows (an inbox of 200
# referrals, a list of households) would otherwise ask the database once per row.
_FOUND: dict[str, Area] = {}
_FOUND_MAX = 20_000  # more than the country's 7,436 subdistricts, 928 districts, 77 provinces


def area_get(code: str) -> Area | None:
    found = _FOUND.get(code)
    if found is not None:
        return found
    level = level_of(code)
    if level is None:
        return None
    obj = MODEL_BY_LEVEL[level].objects.filter(pk=code).first()
    if obj is None:
        return None
    area = _area(obj, level)
    if len(_FOUND) < _FOUND_MAX:
        _FOUND[code] = area
    return area


def areas_forget() -> None:
    """Forget the areas found so far (after the geography is loaded again; tests)."""
    _FOUND.clear()


def area_children(code: str | None = None) -> list[Area]:
    """Provinces when `code` is None; the districts of a province; the subdistricts of a district."""
    if code is None:
        return [_area(p, "province") for p in Province.objects.all()]
    level = level_of(code)
    if level == "province":
        return [_area(d, "district") for d in District.objects.filter(province_id=code)]
    if level == "district":
        return [_area(s, "subdistrict") for s in Subdistrict.objects.filter(district_id=code)]
    return []


def area_breadcrumb(code: str) -> list[Area]:
    """The area and its ancestors, province first; empty when any of them is unknown.

    One query per level (at most three), since the codes of the ancestors are the prefixes.
    """
    if level_of(code) is None:
        return []
    path = []
    for n in range(2, len(code) + 1, 2):
        area = area_get(code[:n])
        if area is None:
            return []
        path.append(area)
    return path


def geography_loaded() -> bool:
    return Province.objects.exists()


def geography_counts() -> dict[str, int]:
    return {level: model.objects.count() for level, model in MODEL_BY_LEVEL.items()}


VILLAGE_LENGTH = 8


def village_label(number: Any, subdistrict: str = "", *, abbreviated: bool = False) -> str:
    """A village as people write it, in the page's language: its number in its subdistrict
    (villages have no table of names). With the subdistrict's full name, 'หมู่ที่ 11
    ตำบลปทุม' / 'Village 11, Pathum Subdistrict'; `abbreviated`, with its bare name, 'หมู่ที่
    7 ต.ในเมือง' / 'Village 7, Nai Mueang'; without one, 'หมู่ที่ 7' / 'Village 7'."""
    number = int(number)
    if english():
        return f"Village {number}, {subdistrict}" if subdistrict else f"Village {number}"
    if not subdistrict:
        return f"หมู่ที่ {number}"
    return f"หมู่ที่ {number} ต.{subdistrict}" if abbreviated else f"หมู่ที่ {number} {subdistrict}"


def area_label(code: str) -> str:
    """Any area code as people write it, in the page's language: '' the whole country,
    'จังหวัดอุบลราชธานี', 'อำเภอ…', 'ตำบล…', 'หมู่ที่ 11 ตำบลปทุม' (a village is its number in
    its subdistrict: villages have no table of names). A code the geography does not know
    is returned as it is."""
    if code == "":
        return "Whole country" if english() else "ทั้งประเทศ"
    if code.isdigit() and len(code) == VILLAGE_LENGTH:
        parent = area_get(code[:6])
        if parent is None:
            return code
        return village_label(code[6:], parent.full_name)
    area = area_get(code)
    return area.full_name if area else code
