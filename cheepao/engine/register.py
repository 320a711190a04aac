"""The summary register (ทะเบียนงบหน้า, seed 003) per province, district, subdistrict, village.

Columns are those of the seed's table, in its order, with its Thai headers. Two definitions
the seed leaves implicit, fixed here:
- จำนวนสมาชิกในบ้าน counts every member of the target households;
- จำนวนผู้ถือบัตรสวัสดิการแห่งรัฐ counts the welfare-card holders among the deprived members
  of target households. Under the `tpmap2562` profile (targets must hold the card) it
  therefore equals จำนวนคนจนเป้าหมาย, as in every row of the seed's table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cheepao.engine import cells, geography
from cheepao.engine.catalogue import Catalogue

AREA_HEADER_TH = {
    "province": "จังหวัด",
    "district": "อำเภอ",
    "subdistrict": "ตำบล",
    "village": "หมู่บ้าน",
}
AREA_HEADER_EN = {
    "province": "Province",
    "district": "District",
    "subdistrict": "Subdistrict",
    "village": "Village",
}
LEVEL_TH = {
    "province": "ระดับจังหวัด",
    "district": "ระดับอำเภอ",
    "subdistrict": "ระดับตำบล",
    "village": "ระดับหมู่บ้าน",
}
TOTAL_TH, TOTAL_EN = "รวม", "Total"


def count_columns(cat: Catalogue) -> list[str]:
    return [
        "target_households",
        "welfare_card_holders",
        "members",
        *[f"dim_{d.code}" for d in cat.dimensions],
        "target_persons",
    ]


def headers_th(cat: Catalogue) -> dict[str, str]:
    return {
        "target_households": "จำนวนครัวเรือนเป้าหมาย (ครัวเรือน)",
        "welfare_card_holders": "จำนวนผู้ถือบัตรสวัสดิการแห่งรัฐ (คน)",
        "members": "จำนวนสมาชิกในบ้าน (คน)",
        **{f"dim_{d.code}": f"จำนวน คร. ตกเกณฑ์ ยากจน{d.th} (MPI)" for d in cat.dimensions},
        "target_persons": "จำนวนคนจนเป้าหมาย TPMAP (คน)",
    }


def headers_en(cat: Catalogue) -> dict[str, str]:
    return {
        "target_households": "Target households",
        "welfare_card_holders": "State welfare card holders (persons)",
        "members": "Members of target households (persons)",
        **{f"dim_{d.code}": f"Target households failing {d.en} (MPI)" for d in cat.dimensions},
        "target_persons": "Target persons (TPMAP)",
    }


def with_names(df: pd.DataFrame, level: str, cat: Catalogue) -> pd.DataFrame:
    out = geography.with_area_names(df, level)
    return sort_register(out[["area_code", "area_name_th", "area_name_en", *count_columns(cat)]])


def sort_register(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(
        ["target_households", "area_code"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def within(df: pd.DataFrame, prefix: str | None) -> pd.DataFrame:
    if not prefix:
        return df
    return df[df["area_code"].astype(str).str.startswith(prefix)].reset_index(drop=True)


def headers_short(cat: Catalogue, lang: str = "th") -> dict[str, str]:
    """Short labels for narrow screens (a terminal, a phone); files keep the seed's headers."""
    if lang == "th":
        return {
            "target_households": "ครัวเรือนเป้าหมาย",
            "welfare_card_holders": "ถือบัตรสวัสดิการ",
            "members": "สมาชิก",
            **{f"dim_{d.code}": d.th.removeprefix("ด้าน") for d in cat.dimensions},
            "target_persons": "คนจนเป้าหมาย",
        }
    return {
        "target_households": "Target households",
        "welfare_card_holders": "Welfare card",
        "members": "Members",
        **{f"dim_{d.code}": d.en for d in cat.dimensions},
        "target_persons": "Target persons",
    }


def presentable(
    df: pd.DataFrame, level: str, cat: Catalogue, lang: str = "th", short: bool = False
) -> pd.DataFrame:
    """The seed's table: ที่, area, the counts, and a total row whose counts are the sums."""
    counts = count_columns(cat)
    if short:
        heads = headers_short(cat, lang)
    else:
        heads = headers_th(cat) if lang == "th" else headers_en(cat)
    area_head = (AREA_HEADER_TH if lang == "th" else AREA_HEADER_EN)[level]
    seq_head = "ที่" if lang == "th" else "No."
    name_col = "area_name_th" if lang == "th" else "area_name_en"
    body = pd.DataFrame(
        {
            seq_head: [str(i) for i in range(1, len(df) + 1)],
            area_head: df[name_col].astype(str).tolist(),
            **{heads[c]: df[c].astype("int64").tolist() for c in counts},
        }
    )
    total = {seq_head: "", area_head: TOTAL_TH if lang == "th" else TOTAL_EN}
    total.update({heads[c]: int(df[c].sum()) for c in counts})
    return pd.concat([body, pd.DataFrame([total])], ignore_index=True)


def title(level: str, survey_year: int, scope_th: str) -> str:
    return f"ทะเบียนงบหน้าข้อมูล {LEVEL_TH[level]} ปี {survey_year} {scope_th}".strip()


def write_csv(table: pd.DataFrame, path: Path) -> None:
    # utf-8 with BOM so that Excel opens the Thai headers correctly; area names are text from
    # data, so a name that would start a formula is neutralised
    cells.frame_to_csv(table, path)


def reading_notes(cat: Catalogue, lang: str = "th") -> list[str]:
    """One line per reading that changes a survey year's results: which reading of an
    ambiguous definition the counts follow (ADR 0013), for under the register."""
    en = lang == "en"
    lines = []
    for r, c in cat.readings_in_force():
        if r.stage != "compute":
            continue
        lines.append(f"{r.en if en else r.th}: {c.en if en else c.th}")
    if not lines:
        return []
    head = "Definitions read as" if en else "นิยามที่ใช้คำนวณ"
    return [f"{head} ({cat.name}):", *lines]


def write_xlsx(
    table: pd.DataFrame, path: Path, heading: str, notes: list[str] | tuple[str, ...] = ()
) -> None:
    """Title on row 1, the seed's header on row 2, the total row last, in bold; `notes`
    (e.g. `reading_notes`) one to a row after a blank row below the table.

    Streamed row by row (`constant_memory`) with typed writes: a national village register
    has ~75,000 rows, and the generic cell-by-cell path took seconds longer.
    """
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, **cells.XLSXWRITER_OPTIONS})
    ws = wb.add_worksheet("ทะเบียนงบหน้า")
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    cell = wb.add_format({"border": 1})
    num = wb.add_format({"border": 1, "num_format": "#,##0"})
    total_num = wb.add_format({"border": 1, "num_format": "#,##0", "bold": True})
    total_txt = wb.add_format({"border": 1, "bold": True})
    ws.write(0, 0, heading, bold)
    for j, col in enumerate(table.columns):
        ws.write(1, j, col, head)
        ws.set_column(j, j, 8 if j == 0 else (28 if j == 1 else 16))
    ws.freeze_panes(2, 2)
    texts = [table[c].astype(str).tolist() for c in table.columns[:2]]
    numbers = [[int(v) for v in table[c].tolist()] for c in table.columns[2:]]
    write_string, write_blank, write_number = ws.write_string, ws.write_blank, ws.write_number
    last = len(table) - 1
    for i in range(len(table)):
        txt, fmt = (total_txt, total_num) if i == last else (cell, num)
        row = i + 2
        for j, col in enumerate(texts):
            if col[i]:
                write_string(row, j, col[i], txt)
            else:  # the total row's empty ที่ cell: a formatted blank, as write() made it
                write_blank(row, j, None, txt)
        for j, col in enumerate(numbers, start=len(texts)):
            write_number(row, j, col[i], fmt)
    for n, note in enumerate(notes):
        write_string(len(table) + 3 + n, 0, note, bold if n == 0 else None)
    wb.close()
