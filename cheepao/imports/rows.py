"""Read one uploaded list and check it row by row, the way the engine checks a survey.

The engine's readers do the reading (CSV in any of the encodings and delimiters offices
produce, XLSX, row numbers as a person sees them: header = row 1), and its reason codes
and wording are reused, so a district officer meets the same sentences for a bad PIN in a
survey file and in a list. Rows are few (a province's ThaiQM list is tens of thousands), so
the checks here run per row in Python: simpler than the engine's vectorised checks and
still well under a second for 20,000 rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from stdnum import exceptions as stdnum_errors
from stdnum.th import pin as th_pin

from cheepao.engine.api import CODE, INT, Catalogue, Column, readers, validate

from . import contract
from .contract import LIST, MULTI

REASONS = {**validate.REASONS, **contract.REASONS}
_SPLIT = re.compile(r"[\s,;/]+")


class ListFileError(Exception):
    """The whole file is refused; nothing from it may be stored."""

    def __init__(self, code: str, en: str, th: str):
        self.code, self.en, self.th = code, en, th
        super().__init__(en)


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    code: str
    reason_en: str
    reason_th: str


@dataclass
class GoodRow:
    row: int
    data: dict[str, Any]

    @property
    def village_code(self) -> str:
        return f"{self.data['subdistrict_code']}{int(self.data['village_no']):02d}"


@dataclass
class ListRows:
    rows_read: int
    good: list[GoodRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: {"en": ..., "th": ...} for each thing the reader noticed about the file as a whole
    warnings: list[dict[str, str]] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - len(self.good)


@cache
def _subdistricts() -> frozenset[str]:
    return frozenset(validate.valid_subdistricts().to_pylist())


def _format(col: Column) -> tuple[str, str]:
    n = readers.digits_length(col)
    if n:
        return f"exactly {n} digits", f"ตัวเลข {n} หลัก"
    return f"text matching {col.pattern}", f"ข้อความตามรูปแบบ {col.pattern}"


def reason(code: str, column: str | None, **extra: Any) -> tuple[str, str]:
    """English and Thai text of a reason code, filled in for one list column."""
    en, th = REASONS[code]
    values: dict[str, Any] = {
        "area": extra.get("area", ""),
        "n": extra.get("n", ""),
        "where": extra.get("where", ""),
        "where_th": extra.get("where_th", ""),
    }
    if column in LIST.names:
        col = LIST[column]
        fmt_en, fmt_th = _format(col) if col.pattern else ("", "")
        values.update(
            col=col.name,
            col_th=col.th,
            codes=extra.get("codes") or ", ".join(col.codes),
            format=fmt_en,
            format_th=fmt_th,
            min=f"{col.min:g}" if col.min is not None else "",
            max=f"{col.max:g}" if col.max is not None else "",
        )
    return en.format(**values), th.format(**values)


def _pin_problem(value: str) -> str | None:
    """stdnum's verdict on a 13-digit PIN, as the engine's reason codes."""
    try:
        th_pin.validate(value)
    except stdnum_errors.InvalidChecksum:
        return "pin_check_digit"
    except stdnum_errors.InvalidComponent:
        return "pin_first_digit"
    except stdnum_errors.ValidationError:
        return "bad_format"
    return None


def _no_nul(value: Any) -> Any:
    """Text without NUL characters: a text file may hold them past the bytes that decided
    its kind, and PostgreSQL stores no NUL in text or JSON."""
    return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value


class _Row:
    def __init__(self, number: int, data: dict[str, Any]):
        self.number = number
        self.data = {k: _no_nul(v) for k, v in data.items()}
        self.problems: list[Problem] = []

    def add(self, column: str | None, code: str, value: Any = None, **extra: Any) -> None:
        if value is None and column:
            value = self.data.get(column)
        en, th = reason(code, column, **extra)
        detail = extra.get("detail")
        if detail:
            en, th = f"{en} {detail[0]}", f"{th} {detail[1]}"
        text = "" if value is None else _no_nul(str(value))
        self.problems.append(
            Problem(self.number, column or "", text[: readers.MAX_VALUE_CHARS], code, en, th)
        )


# ---------------------------------------------------------------- places by name

_PREFIXES = {
    "subdistrict": ("ตำบล", "ต.", "แขวง"),
    "district": ("กิ่งอำเภอ", "อำเภอ", "อ.", "เขต"),
    "province": ("จังหวัด", "จ."),
}


def _place(kind: str, name: str) -> str:
    """A place name as compared: no ตำบล/อำเภอ/จังหวัด-style prefix, no spaces, any case."""
    text = "".join((name or "").split()).lower()
    for prefix in _PREFIXES[kind]:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :]
    return text


@dataclass(frozen=True)
class _Subdistrict:
    code: str
    district: frozenset[str]
    province: frozenset[str]


@cache
def _subdistricts_by_name() -> dict[str, tuple[_Subdistrict, ...]]:
    """Every DOPA subdistrict under its Thai and English names (geothai)."""
    import geothai

    out: dict[str, list[_Subdistrict]] = {}
    for p in geothai.provinces():
        province = frozenset({_place("province", p.name_th), _place("province", p.name_en)})
        for d in geothai.districts(p.code):
            district = frozenset({_place("district", d.name_th), _place("district", d.name_en)})
            for sub in geothai.subdistricts(d.code):
                entry = _Subdistrict(sub.code, district, province)
                for name in {
                    _place("subdistrict", sub.name_th),
                    _place("subdistrict", sub.name_en),
                }:
                    out.setdefault(name, []).append(entry)
    return {k: tuple(v) for k, v in out.items()}


def _district_matches(given: str, names: frozenset[str]) -> bool:
    # "อ.เมือง" is how people write the capital district of any province.
    capital = given in ("เมือง", "mueang") and any(n.startswith(given) for n in names)
    return given in names or capital


def _resolve_subdistrict(r: _Row, area_code: str) -> None:
    """Set the row's subdistrict code from its names, or say why it cannot be."""
    d = r.data
    found = list(_subdistricts_by_name().get(_place("subdistrict", d["subdistrict"]), ()))
    where, where_th = "", ""
    if d.get("district"):
        given = _place("district", d["district"])
        found = [s for s in found if _district_matches(given, s.district)]
        where, where_th = f" in district {d['district']}", f" ในอำเภอ{given}"
    if d.get("province"):
        given = _place("province", d["province"])
        found = [s for s in found if given in s.province]
        where += f" in province {d['province']}"
        where_th += f" จังหวัด{given}"
    if len(found) > 1:  # the uploader's own area may tell them apart
        found = [s for s in found if s.code.startswith(area_code[:6])] or found
    if len(found) == 1:
        d["subdistrict_code"] = found[0].code
    elif found:
        r.add("subdistrict", "ambiguous_subdistrict", n=len(found), where=where, where_th=where_th)
    else:
        r.add("subdistrict", "unknown_subdistrict_name", where=where, where_th=where_th)


_VILLAGE = re.compile(r"^(?:หมู่ที่|หมู่บ้านที่|หมู่|ม\.|moo\.?|village)?\s*(\d{1,2})$", re.IGNORECASE)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def village_number(text: str | None) -> int | None:
    """The village number of 'หมู่ที่ 5', 'ม.5', 'หมู่ ๕', 'Moo 5', or None."""
    m = _VILLAGE.match((text or "").strip().translate(_THAI_DIGITS))
    return int(m.group(1)) if m else None


def _check(r: _Row, unreadable: set[str], area_code: str, cat: Catalogue) -> None:
    d = r.data
    if not d.get(contract.SUBDISTRICT_CODE) and contract.SUBDISTRICT_CODE not in unreadable:
        if d.get("subdistrict"):
            _resolve_subdistrict(r, area_code)
        else:
            r.add(contract.SUBDISTRICT_CODE, "missing_value", "")
    for col in LIST.columns:
        value = d.get(col.name)
        if value is None:
            if col.required and col.name not in unreadable:
                r.add(col.name, "missing_value", "")
            continue
        if col.type == CODE and value not in col.codes:
            r.add(col.name, "unknown_code")
        if col.pattern and not re.fullmatch(col.pattern, value, flags=re.ASCII):
            r.add(col.name, "bad_format")
        if col.type == INT and not (col.min <= value <= col.max):
            r.add(col.name, "out_of_range")
    if not any(d.get(k) for k in contract.KEYS) and not unreadable & set(contract.KEYS):
        r.add(None, "missing_key", "")
    pin = d.get(contract.PIN)
    if pin and re.fullmatch(r"\d{13}", pin, flags=re.ASCII):
        code = _pin_problem(pin)
        if code:
            r.add(contract.PIN, code)
    sub = d.get("subdistrict_code")
    if sub and re.fullmatch(r"\d{6}", sub, flags=re.ASCII):
        if sub not in _subdistricts():
            r.add("subdistrict_code", "unknown_subdistrict")
        elif not sub.startswith(area_code[:6]) or (
            len(area_code) == 8
            and isinstance(d.get("village_no"), int)
            and f"{sub}{d['village_no']:02d}" != area_code
        ):
            r.add("subdistrict_code", "outside_area", area=area_code)
    known = {
        "dimensions": {dim.code for dim in cat.dimensions},
        "indicators": {ind.code for ind in cat.indicators},
    }
    dimension_names = _dimension_names(cat)
    for name in MULTI:
        if not d.get(name):
            continue
        items = [x for x in _SPLIT.split(d[name]) if x and x != "ด้าน"]
        if name == "indicators":
            items = [x.upper() for x in items]
        else:
            items = [dimension_names.get(x.lower(), x) for x in items]
        wrong = [x for x in items if x not in known[name]]
        if wrong:
            r.add(name, "unknown_code", ", ".join(wrong), codes=", ".join(sorted(known[name])))
        else:
            d[name] = list(dict.fromkeys(items))


_WARNINGS: tuple[tuple[re.Pattern, str, str], ...] = (
    (
        re.compile(r"ignored unknown columns? (?P<names>.*)"),
        "Columns the list does not use were ignored: {names}",
        "คอลัมน์ที่ระบบไม่ได้ใช้ถูกข้ามไป: {names}",
    ),
    (
        re.compile(r"read as UTF-16"),
        "The file was saved as UTF-16 (Unicode text) and was read as such.",
        "ไฟล์นี้บันทึกแบบ UTF-16 (Unicode text) และอ่านตามนั้นแล้ว",
    ),
    (
        re.compile(r"not UTF-8, read as Thai TIS-620"),
        "The file is not UTF-8, so it was read as Thai TIS-620 (Windows-874): check that "
        "the names below read correctly.",
        "ไฟล์นี้ไม่ใช่ UTF-8 จึงอ่านเป็นภาษาไทยแบบ TIS-620 (Windows-874) กรุณาตรวจว่าชื่อที่แสดงอ่านถูกต้อง",
    ),
    (
        re.compile(r"(?P<n>\d+) rows have values right of the last named column"),
        "{n} rows have values right of the last named column; those values were ignored.",
        "มี {n} แถวที่มีข้อมูลอยู่ทางขวาของคอลัมน์สุดท้ายที่มีหัวตาราง ข้อมูลส่วนนั้นถูกข้ามไป",
    ),
)


def _warning(text: str, path: str) -> dict[str, str]:
    """A reader's warning about the file as the person reads it, in both languages."""
    text = text.removeprefix(f"{path}: ")
    for pattern, en, th in _WARNINGS:
        m = pattern.search(text)
        if m:
            return {"en": en.format(**m.groupdict()), "th": th.format(**m.groupdict())}
    return {"en": text, "th": text}


def _dimension_names(cat: Catalogue) -> dict[str, str]:
    """How lists name a dimension, lower case → its code: the code, the catalogue's Thai
    and English names, and the Thai name without its leading ด้าน ('สุขภาพ')."""
    out: dict[str, str] = {}
    for dim in cat.dimensions:
        for name in (dim.code, dim.en, dim.th, dim.th.removeprefix("ด้าน")):
            if name:
                out[name.strip().lower()] = dim.code
    return out


def _missing_columns(columns: tuple[str, ...]) -> ListFileError:
    """Which columns the header lacks, with the Thai headings the reader also accepts."""
    cols = [LIST[c] for c in columns if c in LIST.names]
    en = "; ".join(f"{c.name} ({c.en})" for c in cols)
    th = "; ".join(f"{c.th} ({c.name})" for c in cols)
    return ListFileError(
        readers.MISSING_COLUMN,
        f"The first row must be the header, and it lacks the required column(s): {en}. "
        "Headings may be the English names or the Thai ones; the template shows every column.",
        f"แถวแรกของไฟล์ต้องเป็นหัวตาราง และยังขาดคอลัมน์ที่จำเป็น: {th} "
        "หัวคอลัมน์จะใช้ชื่อภาษาไทยหรือชื่อภาษาอังกฤษในวงเล็บก็ได้ ท่านดูคอลัมน์ทั้งหมดได้จากแม่แบบไฟล์",
    )


def read_list(path: Path, *, file_name: str, area_code: str, catalogue: Catalogue) -> ListRows:
    """Every row of the file: good rows with their values, bad rows with their reasons.

    The file is read as what its bytes are, whatever its name. Raises `ListFileError` when
    the file as a whole cannot be used (not CSV/XLSX, empty, password-protected, a workbook
    that unpacks to too much, more than `contract.MAX_ROWS` rows, a required column or both
    key columns missing).
    """
    try:
        kind = readers.detect_format(path)
        if kind not in contract.ACCEPTED_FORMATS:
            raise ListFileError(
                readers.UNREADABLE_FILE,
                "Only CSV (UTF-8) and XLSX files can be imported.",
                "นำเข้าได้เฉพาะไฟล์ CSV (UTF-8) หรือ XLSX เท่านั้น",
            )
        rr = readers.read(
            path,
            LIST,
            max_rows=contract.MAX_ROWS,
            max_unpacked=contract.MAX_UNPACKED_BYTES,
        )
    except readers.FileError as e:
        if e.code == readers.MISSING_COLUMN and e.columns:
            raise _missing_columns(e.columns) from e
        raise ListFileError(e.code, e.en, e.th) from e
    table = rr.table
    if all(table.column(k).null_count == table.num_rows for k in contract.KEYS):
        raise ListFileError(
            readers.MISSING_COLUMN,
            "The file needs a pin or a house_code column (and values in it): "
            "rows are matched to the registry by national ID or house code.",
            "ไฟล์ต้องมีคอลัมน์ pin หรือ house_code (และมีข้อมูล) "
            "เพราะการจับคู่กับทะเบียนใช้เลขประจำตัวประชาชนหรือรหัสประจำบ้าน",
        )
    if all(
        table.column(c).null_count == table.num_rows
        for c in (contract.SUBDISTRICT_CODE, "subdistrict")
    ):
        raise ListFileError(
            readers.MISSING_COLUMN,
            "The file needs a subdistrict_code column, or the subdistrict (ตำบล), district "
            "(อำเภอ) and province (จังหวัด) names: rows are placed by their subdistrict.",
            "ไฟล์ต้องมีคอลัมน์รหัสตำบล (subdistrict_code) หรือชื่อตำบล อำเภอ และจังหวัด "
            "เพราะระบบระบุพื้นที่ของแต่ละแถวจากตำบล",
        )
    out = ListRows(rows_read=rr.rows_read, warnings=[_warning(w, str(path)) for w in rr.warnings])
    cell_problems: dict[int, list[dict]] = {}
    for p in rr.problems.to_pylist():
        if p["_i"] is None:  # a line that could not be split into cells
            en, th = reason(p["code"], None)
            out.problems.append(
                Problem(
                    p["row"],
                    "",
                    _no_nul(p["value"] or ""),
                    p["code"],
                    f"{en} {p['detail_en'] or ''}".strip(),
                    f"{th} {p['detail_th'] or ''}".strip(),
                )
            )
        else:
            cell_problems.setdefault(p["_i"], []).append(p)
    names = LIST.names
    data = table.select([*names, "_row"]).to_pylist()
    for i, values in enumerate(data):
        r = _Row(values.pop("_row"), values)
        unreadable = set()
        for p in cell_problems.get(i, ()):
            if p["column"] == "village_no" and village_number(p["value"]) is not None:
                r.data["village_no"] = village_number(p["value"])
                continue
            unreadable.add(p["column"])
            r.add(p["column"], p["code"], p["value"])
        _check(r, unreadable, area_code, catalogue)
        if r.problems:
            out.problems.extend(r.problems)
        else:
            out.good.append(GoodRow(r.number, {k: v for k, v in r.data.items() if v is not None}))
    out.problems.sort(key=lambda p: p.row)
    return out
