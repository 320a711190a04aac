"""Readings: definitions the seeds allow to be read more than one way (ADR 0013).

Each reading is a named option of the catalogue with the seed's words beside it; a run
picks one choice per reading (default otherwise) and records it. The golden cases
(`golden.READING_CASES`, `golden.COMPARE_READINGS`) give the exact result under every
choice and run on DuckDB and PySpark.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cheepao.engine import api, catalogue, compare, pipeline
from cheepao.engine.catalogue import CatalogueError
from cheepao.engine.tests import golden
from cheepao.engine.tests.factories import household, member, tables

engine_con = golden.engine_con

SEED = Path("/work/shared/seeds")
READINGS = {
    "critical": ("any_3_of_5", "income_living_health"),
    "survives": ("income_living_health", "any_3_of_5"),
    "sustainable": ("both_years", "later_year"),
    "disabled_care": ("any_disabled", "cannot_self_care"),
    "occupation_income": ("any_income", "work_income"),
    "newborn_window": ("twelve_months", "survey_year"),
}
DEFAULTS = {r: choices[0] for r, choices in READINGS.items()}
CASES = [(c, choice) for c in golden.READING_CASES for choice in c.expect]


# ------------------------------------------------------------------ the catalogue


def test_every_reading_is_named_with_its_choices_and_default():
    cat = catalogue.load()
    assert cat.version == 2
    assert {r.code: tuple(c.code for c in r.choices) for r in cat.readings} == READINGS
    assert {r.code: r.default for r in cat.readings} == DEFAULTS
    assert cat.chosen == DEFAULTS
    for r in cat.readings:
        assert r.th and r.en and r.source.startswith("แนวทางการดำเนินงาน ศจพ. ")
        assert all(c.th and c.en for c in r.choices)


def _seed_text() -> str:
    """Seed 004 with whitespace collapsed (the catalogue folds its quotes onto lines)."""
    if not SEED.is_dir():
        pytest.skip("the seed documents are not on this machine")
    (path,) = SEED.glob("004_*.txt")
    return " ".join(path.read_text(encoding="utf-8").split())


def test_the_seed_words_are_quoted_exactly():
    text = _seed_text()
    for r in catalogue.load().readings:
        assert len(r.seed_th) > 40, r.code
        assert r.seed_th in text, r.code


def test_readings_change_only_what_they_name():
    base = catalogue.load()
    read = base.with_readings(
        {
            "critical": "income_living_health",
            "disabled_care": "cannot_self_care",
            "occupation_income": "work_income",
            "newborn_window": "survey_year",
        }
    )
    assert read.critical.kind == "all" and read.critical.dimensions == (
        "income",
        "living",
        "health",
    )
    assert read.indicator("A2").applies.where == "dependent_disabled"
    assert read.indicator("I1").passes.args == ("has_occupation", "has_work_income")
    assert read.indicator("H1").applies.where == "born_in_survey_year"
    changed = {"A2", "I1", "H1"}
    for i in base.indicators:
        if i.code not in changed:
            assert read.indicator(i.code) == i
    assert read.survives == base.survives and read.sustainable == base.sustainable
    # back to the defaults: the loaded set again, rule for rule
    again = read.with_readings(DEFAULTS)
    assert again.indicators == base.indicators and again.critical == base.critical
    assert again.chosen == DEFAULTS
    # the loaded set itself is untouched
    assert base.indicator("A2").applies.where == "disabled"


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"critical": "all_five"}, "reading 'critical' has no choice 'all_five'"),
        ({"critcal": "any_3_of_5"}, "unknown reading 'critcal'"),
    ],
)
def test_unknown_readings_and_choices_are_refused(choices, message):
    with pytest.raises(CatalogueError, match=message):
        catalogue.load().with_readings(choices)


def _write_catalogue(tmp_path: Path, old: str, new: str) -> str:
    text = catalogue.path_of("tpmap_mpi_17").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "changed.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # the indicators section must be the default reading written out
        (
            "    applies: {where: disabled}\n    passes: {all: [disabled_cared]}",
            "    applies: {where: dependent_disabled}\n    passes: {all: [disabled_cared]}",
            "the default any_disabled must match indicator A2's applies",
        ),
        # every choice of a reading sets the same things
        (
            "        critical: {all: [income, living, health]}",
            "        survives: {all: [income, living, health]}",
            "choice income_living_health must set what the others set",
        ),
        ("critical: {all: [income, living, health]}", "critical: {all: [wealth]}", "wealth"),
        ("default: twelve_months", "default: twelve_month", "no choice 'twelve_month'"),
    ],
)
def test_a_wrong_readings_section_is_refused_at_load(tmp_path, old, new, message):
    with pytest.raises(CatalogueError, match=message):
        catalogue.load(_write_catalogue(tmp_path, old, new))


def test_readings_in_words():
    cat = catalogue.load().with_readings({"critical": "income_living_health"})
    th = {r["code"]: r for r in api.readings_of(cat)}
    assert th["critical"] == {
        "code": "critical",
        "choice": "income_living_health",
        "title": "กลุ่มเป้าหมายวิกฤต",
        "label": "ตกเกณฑ์ครบทั้ง 3 มิติ ด้านรายได้ ความเป็นอยู่ และสุขภาพ",
        "default": "no",
        "stage": "compute",
        "source": "แนวทางการดำเนินงาน ศจพ. ผนวก ก ข้อ 4",
        "seed_th": cat.reading("critical").seed_th,
    }
    assert th["survives"]["default"] == "yes"
    assert [r["code"] for r in api.readings_of(cat, stage="compare")] == [
        "survives",
        "sustainable",
    ]
    en = {r["code"]: r for r in api.readings_of(cat, "en")}
    assert en["critical"]["title"] == "Critical targets"
    assert en["critical"]["label"] == "Fails all three of income, living conditions and health"


# ------------------------------------------------------------------ golden, both backends


@pytest.fixture(scope="module")
def computed(engine_con):
    """Every reading case under every choice of its reading, executed once per choice."""
    hh = [c.household for c in golden.READING_CASES]
    mm = [m for c in golden.READING_CASES for m in c.members]
    out = {}
    for reading, choices in READINGS.items():
        for choice in choices:
            r = golden.compute(hh, mm, engine_con, readings={reading: choice})
            assert r.catalogue.chosen == {**DEFAULTS, reading: choice}
            out[reading, choice] = r.households.to_pandas().set_index("hh_id")
    return out


@pytest.mark.parametrize(("case", "choice"), CASES, ids=[f"{c.hh_id}-{ch}" for c, ch in CASES])
def test_reading_cases(computed, case, choice):
    row = computed[case.reading, choice].loc[case.hh_id]
    got = {
        k: (bool(row[k]) if isinstance(v, bool) else int(row[k]))
        for k, v in case.expect[choice].items()
    }
    assert got == dict(case.expect[choice]), case.why


def test_each_choice_changes_only_its_own_cases(computed):
    """Under a non-default choice, the households of the other readings keep their default
    result: a reading never reaches past what it names."""
    columns = ["n_dims", "is_critical", "d_A2", "d_I1", "d_H1"]
    default = computed["critical", "any_3_of_5"][columns]
    for (reading, _choice), df in computed.items():
        others = [c.hh_id for c in golden.READING_CASES if c.reading != reading]
        assert df.loc[others, columns].equals(default.loc[others]), reading


# ------------------------------------------------------------------ comparison readings


@pytest.fixture(scope="module")
def years(engine_con):
    hh, mm = golden.compare_rows()
    return tuple(
        golden.materialise(golden.compute(hh, mm, engine_con, survey_year=y), engine_con)
        for y in (golden.COMPARE_BEFORE, golden.COMPARE_AFTER)
    )


@pytest.mark.parametrize(("reading", "choice"), list(golden.COMPARE_READINGS))
def test_survival_words_under_each_reading(years, reading, choice):
    before, after = years
    cat = after.catalogue.with_readings({reading: choice})
    cmp = compare.compare_households(before.households, after.households, cat).to_pandas()
    cmp = cmp.set_index("hh_id").sort_index()
    expected = {
        "survives": {h for h, e in golden.COMPARE_EXPECTED.items() if e.survives},
        "sustainable": {h for h, e in golden.COMPARE_EXPECTED.items() if e.sustainable},
        **golden.COMPARE_READINGS[reading, choice],
    }
    for word, households in expected.items():
        assert set(cmp.index[cmp[word].astype(bool)]) == households, word
    # api.compare takes the same reading
    totals = api.compare(before, after, readings={reading: choice}).iloc[0]
    assert int(totals["survives"]) == len(expected["survives"])
    assert int(totals["sustainable"]) == len(expected["sustainable"])


# ------------------------------------------------------------------ runs record readings


def _survey_files(tmp_path: Path) -> tuple[Path, Path]:
    hh, mm = golden.rows([c for c in golden.INDICATOR_CASES[:3]])
    cases = [c for c in golden.READING_CASES if c.reading == "critical"]
    hh += [c.household for c in cases]
    mm += [m for c in cases for m in c.members]
    h, m = tables(hh, mm)
    pq.write_table(h, tmp_path / "households.parquet")
    pq.write_table(m, tmp_path / "members.parquet")
    return tmp_path / "households.parquet", tmp_path / "members.parquet"


def test_a_run_records_its_readings_and_reads_back_with_them(tmp_path):
    h, m = _survey_files(tmp_path)
    default = pipeline.run_compute(h, m, tmp_path / "default")
    assert default["readings"] == DEFAULTS
    chosen = pipeline.run_compute(
        h, m, tmp_path / "named", readings={"critical": "income_living_health"}
    )
    assert chosen["readings"] == {**DEFAULTS, "critical": "income_living_health"}
    on_disk = json.loads((tmp_path / "named" / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["readings"] == chosen["readings"]
    # one household of the three critical cases stops being critical under the reading
    assert default["row_counts"]["critical_households"] == 2
    assert chosen["row_counts"]["critical_households"] == 1
    run = api.open_run(tmp_path / "named")
    assert run.catalogue.chosen == chosen["readings"]
    assert run.catalogue.critical.kind == "all"
    assert [r["choice"] for r in run.readings] == list(chosen["readings"].values())


def test_a_run_from_before_readings_reads_as_the_defaults(tmp_path):
    h, m = _survey_files(tmp_path)
    pipeline.run_compute(h, m, tmp_path / "run")
    path = tmp_path / "run" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    del manifest["readings"]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert api.open_run(tmp_path / "run").catalogue.chosen == DEFAULTS


def test_an_unknown_reading_fails_before_any_file_is_written(tmp_path):
    h, m = _survey_files(tmp_path)
    with pytest.raises(CatalogueError, match="unknown reading 'newborn'"):
        pipeline.run_compute(h, m, tmp_path / "out", readings={"newborn": "survey_year"})
    assert not (tmp_path / "out").exists()
    assert not any(p.name.startswith(".out") for p in tmp_path.iterdir())


def test_the_validator_asks_birth_weight_of_whom_the_reading_counts():
    """Under newborn_window=survey_year a baby born in the survey year must have a birth
    weight, newborn answer or not; by default only answered newborns must."""
    hh = [household("v1")]
    mm = [
        member("v1", 1, 40, relation="head"),
        member("v1", 2, 0, relation="grandchild", newborn=False, birth_date=date(2025, 2, 1)),
    ]
    h, m = tables(hh, mm)
    default = api.validate_survey(h, m)
    assert default.rejects.num_rows == 0
    read = catalogue.load().with_readings({"newborn_window": "survey_year"})
    checked = api.validate_survey(h, m, catalogue=read)
    rejects = checked.rejects.to_pylist()
    assert [(r["column"], r["code"]) for r in rejects] == [("birth_weight_g", "missing_answer")]
