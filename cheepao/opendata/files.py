"""The open data files of a month: CSV and JSON of one level, JSON of every level.

The files carry their licence, attribution and the suppression rule with them, so a copy
passed on still says where it came from and what a hidden cell means. Language-neutral:
keys and column names in English, area names in Thai and English, the notes in both.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from cheepao.engine.cells import csv_row
from cheepao.opendata.selectors import FIGURES, RATES, AreaFigures, Publication

LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
ATTRIBUTION = {
    "th": "ข้อมูลจากระบบชี้เป้า (Cheepao) สรุปรายเดือนของครัวเรือนเป้าหมาย",
    "en": "Data from Cheepao, monthly summary of target households",
}
# What the reader sees in place of a hidden count (the same mark for every hidden cell,
# small or hidden to protect a small one, so the mark itself tells nothing about the value).
MARK = "x"


def suppression_rule(min_count: int) -> dict[str, Any]:
    return {
        "min_count": min_count,
        "marker": {"csv": MARK, "json": None},
        "th": (
            f"ค่าที่มากกว่า 0 แต่น้อยกว่า {min_count} ถูกปกปิด และปกปิดค่าอื่นเพิ่มเติม"
            "ในแต่ละกลุ่มผลรวม (จังหวัด = ผลรวมอำเภอ ฯลฯ) เพื่อไม่ให้คำนวณค่าที่ปกปิดย้อนกลับได้"
            " อัตราที่ตัวตั้งหรือตัวหารถูกปกปิดก็ถูกปกปิดด้วย"
        ),
        "en": (
            f"Counts greater than 0 and less than {min_count} are suppressed, and further "
            "cells are suppressed in each sum (a province is the sum of its districts, and "
            "so on) so that no suppressed count can be worked out from the others. Rates "
            "whose numerator or denominator is suppressed are suppressed too."
        ),
    }


def _meta(pub: Publication, level: str | None) -> dict[str, Any]:
    return {
        "title": "Cheepao open data",
        "month": pub.code,
        "month_start": pub.month.isoformat(),
        "level": level or "all",
        "survey_year": pub.survey_year,
        "computed_at": pub.computed_at.isoformat() if pub.computed_at else None,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "suppression": suppression_rule(pub.min_count),
        "figures": list(FIGURES),
        "rates": {
            r.name: {
                "numerator": r.numerator,
                "denominator": r.denominator,
                "unit": "per household" if r.per_household else "percent",
            }
            for r in RATES
        },
    }


def _area_json(a: AreaFigures) -> dict[str, Any]:
    return {
        "code": a.code,
        "level": a.level,
        "parent": a.parent,
        "name_th": a.name_th,
        "name_en": a.name_en,
        **a.counts,
        **a.rates,
        "suppressed": list(a.suppressed),
    }


def json_bytes(pub: Publication, level: str | None = None) -> bytes:
    """One level's areas, or (level None) every level's, top down."""
    levels = [level] if level else list(pub.areas)
    data = _meta(pub, level)
    data["areas"] = [_area_json(a) for lv in levels for a in pub.areas.get(lv, [])]
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


CSV_COLUMNS = ("code", "level", "parent", "name_th", "name_en", *FIGURES, *(r.name for r in RATES))


def csv_bytes(pub: Publication, level: str) -> bytes:
    """The level's areas, one row each, after a few '#' lines naming the source, the
    licence and the suppression rule (read with e.g. pandas' `comment="#"`). UTF-8 with a
    BOM (Excel shows the Thai) and CRLF line ends; text cells cannot become formulas."""
    out = io.StringIO()
    rule = suppression_rule(pub.min_count)
    for line in (
        f"Cheepao open data, month {pub.code} (BE), level {level}",
        f"Licence: {LICENCE['name']} {LICENCE['url']}",
        f"Attribution: {ATTRIBUTION['en']} / {ATTRIBUTION['th']}",
        f"Suppressed cells are marked {MARK}: {rule['en']}",
    ):
        out.write(f"# {line}\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in pub.areas.get(level, []):
        values = [a.code, a.level, a.parent, a.name_th, a.name_en]
        values += [MARK if a.counts[f] is None else a.counts[f] for f in FIGURES]
        values += [MARK if r.name in a.suppressed else a.rates[r.name] for r in RATES]
        writer.writerow(csv_row(values))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
