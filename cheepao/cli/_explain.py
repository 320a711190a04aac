"""What the CLI's figures mean, in Thai and English side by side.

The CLI is read by Thai officers and by English-speaking analysts, so every table header is
Thai over English, and the two headcounts that are easy to confuse are explained in plain
words next to the numbers:

- "MPI-poor at k" (Alkire-Foster): every person living in a household whose weighted
  deprivation score reaches k;
- "target persons by the TPMAP rule" (คนจนเป้าหมาย): the members of households failing at
  least one dimension who are themselves deprived (and meet the run's target profile).

With the default weights one failing indicator weighs 1/20 to 1/10, far below k = 1/3, so a
province has many TPMAP targets and few MPI-poor people (the demo: 9,397 against 270).
The words are built from the run's catalogue, profile, weights and k, never assumed.
"""

from __future__ import annotations

from fractions import Fraction

# Table headers: Thai over English (rich prints a header's line break as a second line).
PERSONS = "คน\nPersons"
MPI_POOR = "คนจนตาม MPI\nMPI-poor"
H = "H อัตราคนจน\nheadcount ratio"
A = "A ความรุนแรง\nintensity"
M0 = "M0 ดัชนี MPI\nadjusted headcount"
TARGET_PERSONS = "คนจนเป้าหมาย TPMAP\ntarget persons"
INDICATOR = "ตัวชี้วัด\nIndicator"
DIMENSION = "มิติ\nDimension"
WEIGHT = "น้ำหนัก\nWeight"
CENSORED = "สัดส่วนคนจน MPI ที่ขาดตัวนี้\ncensored headcount"
CONTRIBUTION = "% ของ M0\n% contribution"
LIFE_STAGE = "ช่วงวัย\nLife stage"
AREA = {
    "province": "จังหวัด\nProvince",
    "district": "อำเภอ\nDistrict",
    "subdistrict": "ตำบล\nSubdistrict",
    "village": "หมู่บ้าน\nVillage",
}


def both(th: str, en: str) -> str:
    """A header Thai over English."""
    return f"{th}\n{en}"


def fraction(value: object) -> str:
    f = Fraction(str(value))
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _weights(run) -> list[Fraction]:
    from cheepao.engine.af import Weights

    w = Weights.of(run.catalogue, run.manifest.get("weights"))
    return [f for f in w.fractions.values() if f > 0]


def mpi_poor(k: str, persons: int | None = None) -> list[str]:
    """What "MPI-poor at k" counts (with the count, when given)."""
    n = "" if persons is None else f": {persons:,} คน / persons"
    return [
        f"คนจนตาม MPI ที่ k = {k} / MPI-poor at k = {k}{n}",
        f"  คือ ทุกคนในครัวเรือนที่คะแนนความยากจนถ่วงน้ำหนัก (ผลรวมน้ำหนักของตัวชี้วัดที่ตกเกณฑ์) "
        f"ตั้งแต่ {k} ขึ้นไป ตามวิธี Alkire-Foster",
        f"  = everyone living in a household whose weighted deprivation score (the sum of the "
        f"weights of the indicators it fails) is at least {k} (Alkire-Foster).",
    ]


def tpmap_targets(run, persons: int | None = None) -> list[str]:
    """What "target persons by the TPMAP rule" counts (with the count, when given)."""
    cat = run.catalogue
    n_dims = cat.target_min_dimensions
    profile = cat.profile(run.manifest.get("target_profile", "default"))
    n = "" if persons is None else f": {persons:,} คน / persons"
    dims_en = "dimension" if n_dims == 1 else "dimensions"
    return [
        f"คนจนเป้าหมายตามเกณฑ์ TPMAP / Target persons by the TPMAP rule{n}",
        f"  คือ สมาชิกของครัวเรือนที่ตกเกณฑ์อย่างน้อย {n_dims} มิติ ซึ่งตนเองตกเกณฑ์ตัวชี้วัด "
        f"(เกณฑ์ของรอบนี้: {profile.th})",
        f"  = members of households failing at least {n_dims} {dims_en} who are themselves "
        f"deprived (this run's profile: {profile.en or profile.name}).",
    ]


def why_they_differ(run, k: str) -> list[str]:
    weights = _weights(run)
    low, high = fraction(min(weights)), fraction(max(weights))
    if max(weights) < Fraction(k):
        return [
            "ทำไมสองตัวเลขไม่เท่ากัน / Why the two figures differ:",
            f"  ครัวเรือนที่ตกเกณฑ์ตัวชี้วัดเดียวได้คะแนนเพียง {low} ถึง {high} ต่ำกว่า k = {k} "
            "จึงเป็นเป้าหมายตาม TPMAP แต่ไม่เป็นคนจนตาม MPI: สองตัวเลขนี้นับคนละอย่าง "
            "ความต่างที่มากจึงไม่ใช่ข้อผิดพลาด",
            f"  = a household failing one indicator scores only {low} to {high}, below "
            f"k = {k}: it is a TPMAP target but not MPI-poor. The two figures count different "
            "things, so a large gap is not an error.",
        ]
    return [
        "ทำไมสองตัวเลขไม่เท่ากัน / Why the two figures differ:",
        f"  ตัวชี้วัดหนึ่งตัวมีน้ำหนัก {low} ถึง {high}: MPI นับทุกคนในครัวเรือนที่คะแนนถึง k "
        "ส่วน TPMAP นับเฉพาะสมาชิกที่ตนเองตกเกณฑ์ สองตัวเลขนับคนละอย่าง จึงไม่ใช่ข้อผิดพลาด",
        f"  = one indicator weighs {low} to {high}: the MPI counts everyone in a household "
        "whose score reaches k, TPMAP only the members who are themselves deprived. The two "
        "figures count different things; a gap is not an error.",
    ]


def print_lines(console, lines: list[str]) -> None:
    """Plain lines, never re-wrapped (the terminal wraps) and never read as rich markup."""
    for line in lines:
        console.print(line, soft_wrap=True, markup=False, highlight=False)
