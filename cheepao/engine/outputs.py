"""What the engine writes, column by column, for people who read the Parquet files.

`docs/data-contract.md` ("Engine outputs") is generated from these tables by
`python -m cheepao.engine.outputs --write`, and a test checks that the two agree. Columns that repeat
per indicator or dimension are written with a placeholder: <code> is one of the 17
indicator codes (H1 … A2), <dimension> one of health, living, education, income, access.
"""

from __future__ import annotations

from pathlib import Path

HOUSEHOLDS = {
    "(every households column of the input contract)": "as read and validated",
    "province_code, district_code": "derived from subdistrict_code (2 and 4 digits)",
    "village_code": "subdistrict_code + 2-digit village number (8 digits)",
    "income_total": "income_main + income_secondary + income_other + income_own_production, "
    "an exact decimal (DECIMAL(18, 2): baht and satang, like every amount; ADR 0015)",
    "n_members": "members in the household (after validation)",
    "n_welfare_card": "members holding the state welfare card",
    "n_ls_<stage>": "members in each life stage (early_childhood, school_age, adolescent, "
    "working_age, elderly); life-stage measures are weighted sums over households",
    "income_per_person": "income_total / n_members (baht per person per year), cut to the "
    "satang, never rounded up; I3 compares income_total >= threshold x n_members exactly, "
    "so this figure is at or above the threshold exactly when I3 passes",
    "d_<code>": "household deprived in indicator <code>: any applicable member fails it, or "
    "the household fails a household-level indicator",
    "dim_<dimension>": "household fails the dimension (deprived in any of its indicators)",
    "n_dims": "number of failing dimensions (0-5)",
    "is_target": "ครัวเรือนเป้าหมาย: n_dims >= 1 (catalogue: target_min_dimensions)",
    "is_critical": "กลุ่มเป้าหมายวิกฤต by the run's reading `critical` (manifest: readings; "
    "default any_3_of_5: n_dims >= 3; income_living_health: fails income, living and health)",
    "ft_single_parent, ft_skipped_generation, ft_elderly_only, ft_same_sex_couple, "
    "ft_blended, ft_teen": "family-type tags (seed 004 ผนวก ก ข้อ 9)",
    "af_score_units": "Alkire-Foster deprivation score as an integer number of 1/D units, "
    "D = common denominator of the weights (manifest: weights)",
    "af_score": "af_score_units / D",
    "af_poor": "poor at the run's k (score >= k, compared exactly)",
    "needs_correction": "some member was kept with a national ID to correct (persons: "
    "data_problems); the household is computed on all its members (ADR 0016)",
}

PERSONS = {
    "(every members column of the input contract)": "as read and validated (a PIN that is "
    "not 13 digits emptied)",
    "data_problems": "codes of the problems this member was kept with, to correct "
    "(pin_check_digit, pin_first_digit, bad_format, duplicate_pin; comma-separated), "
    "empty when none or when the input was not validated (ADR 0016)",
    "has_income, has_work_income, full_time_student, dependent_disabled, "
    "born_in_survey_year": "derived flags the rules and readings use",
    "p_<code>": "this member fails person-level indicator <code> (applies to them and fails)",
    "ls_early_childhood, ls_school_age, ls_adolescent, ls_working_age, ls_elderly": "life "
    "stages; bands overlap as in the manual (0-5, 5-14, 15-21, 15-59, 60+)",
    "vg_high_risk, vg_disabled_ill": "vulnerable-group tags (pregnant or 60+; disabled or "
    "chronically ill)",
    "province_code, district_code, subdistrict_code, village_no, village_code": "the "
    "household's area",
    "n_members, n_dims, is_target, is_critical": "the household's result",
    "d_<code> (household-level indicators only), dim_<dimension>": "the household's flags",
    "pdim_<dimension>": "the person is deprived in the dimension: personally (a person-level "
    "indicator) or through a household-level indicator of their household",
    "is_deprived": "any pdim_<dimension>",
    "is_target_person": "คนจนเป้าหมาย: is_target and is_deprived and the profile's "
    "requirements (tpmap2562: welfare_card)",
}

REGISTER = {
    "area_code": "code of the area (2, 4, 6 or 8 digits by level)",
    "area_name_th, area_name_en": "names from geothai; villages are 'หมู่ที่ N ต.<subdistrict>'",
    "target_households": "จำนวนครัวเรือนเป้าหมาย (ครัวเรือน)",
    "welfare_card_holders": "จำนวนผู้ถือบัตรสวัสดิการแห่งรัฐ (คน): welfare-card holders among "
    "the deprived members of target households",
    "members": "จำนวนสมาชิกในบ้าน (คน): all members of target households",
    "dim_<dimension>": "จำนวน คร. ตกเกณฑ์ ยากจนด้าน… (MPI): target households failing it",
    "target_persons": "จำนวนคนจนเป้าหมาย TPMAP (คน)",
}

AF = {
    "(group column)": "province_code / district_code / subdistrict_code / village_code / "
    "life_stage; absent in af_total",
    "k": "poverty cutoff as a fraction, e.g. 1/3",
    "persons, households": "population of the group",
    "poor_persons, poor_households": "those in households with score >= k",
    "H": "headcount ratio: poor_persons / persons",
    "A": "intensity: average score of poor persons",
    "M0": "adjusted headcount ratio: H x A",
    "ch_<code>": "censored headcount ratio: share of persons who are poor and deprived in <code>",
    "pct_<code>": "percentage contribution of <code> to M0 (w x ch / M0 x 100; sums to 100)",
}

FILES = {
    "manifest.json": "inputs with SHA-256, indicator set and its SHA-256, thresholds, target "
    "profile, readings (the choice made for each ambiguous definition, ADR 0013), k and "
    "weights, row counts, rejected rows, timings per step",
    "rejects.csv": "every refused input row: file, row, table, column, value, code, reasons",
    "households.parquet": "one row per household (table below)",
    "persons.parquet": "one row per member of a target household (every member with "
    "`cheepao compute --persons all`); personal data, PDPA applies",
    "register_<level>.parquet": "ทะเบียนงบหน้า per province/district/subdistrict/village",
    "register_<level>.csv, .xlsx": "the same with the seed's Thai headers and the total row; "
    "the .xlsx lists the readings under the table",
    "af_total.parquet, af_<group>.parquet": "Alkire-Foster tables at the run's k",
}


def markdown() -> str:
    def table(rows: dict[str, str]) -> str:
        lines = ["| column | meaning |", "| --- | --- |"]
        lines += [f"| `{k}` | {v} |" for k, v in rows.items()]
        return "\n".join(lines)

    parts = [
        "A run directory (written by `cheepao compute`, read by `cheepao.engine.api.open_run`):",
        "",
        table(FILES).replace("| column |", "| file |"),
        "",
        "### households.parquet",
        "",
        table(HOUSEHOLDS),
        "",
        "### persons.parquet",
        "",
        table(PERSONS),
        "",
        "### register_<level>.parquet",
        "",
        table(REGISTER),
        "",
        "### af_*.parquet",
        "",
        table(AF),
    ]
    return "\n".join(parts) + "\n"


DOC = Path(__file__).resolve().parents[2] / "docs" / "data-contract.md"
HEADING = "## Engine outputs"


def document(text: str) -> str:
    """`text` (the data contract) with its engine-outputs section replaced by markdown()."""
    head, sep, tail = text.partition(HEADING)
    if not sep:
        raise ValueError(f"no '{HEADING}' heading in the data contract")
    rest = tail.split("\n## ", 1)
    after = "\n## " + rest[1] if len(rest) > 1 else ""
    return f"{head}{HEADING}\n\n{markdown()}{after}"


if __name__ == "__main__":
    import sys

    if "--write" in sys.argv:
        DOC.write_text(document(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(markdown())
