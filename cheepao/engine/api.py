"""The engine's public interface: compute targets from survey tables, and read finished runs.

`compute()` builds Ibis expressions only; nothing runs until a caller executes or writes a
result, so the same call serves a unit test on five hand-made households (pandas in,
pandas out) and the national run (Parquet in, Parquet out, on DuckDB or PySpark).
A finished run is a directory (see `pipeline.py`); `open_run()` reads it for the CLI and
the web app, which never import the engine's internals.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from cheepao.engine import af as af_mod
from cheepao.engine import (  # noqa: F401  (public, see below)
    backends,
    cells,
    geography,
    indicators,
    money,
    readers,
    rules,
    summary,
    tags,
    validate,
)
from cheepao.engine import catalogue as catalogue_mod
from cheepao.engine import compare as compare_mod
from cheepao.engine import contract as contract_mod
from cheepao.engine import register as register_mod
from cheepao.engine.catalogue import Catalogue
from cheepao.engine.contract import BOOL, CODE, DATE, FLOAT, INT, STR, Column, Table  # noqa: F401
from cheepao.engine.validate import validate_survey  # noqa: F401

# Besides the functions below, the platform may use the engine's vocabulary, always through
# this module: `cells` (spreadsheet cells that never become formulas), `money` (amounts of
# baht as exact decimals, and the exact "average per person at least" rule), the survey contract
# (`contract`, `Column`, `Table` and the type names), the readers (`readers`: files to
# typed Arrow, row numbers as people see them), the validator (`validate`, `validate_survey`:
# its checks and reason texts) and the rule kinds (`rules`; `explain` below). Forms and list
# imports then judge input exactly as the engine judges a survey delivery, and a page says
# why a problem is there exactly as the engine decided it.
contract = contract_mod
explain = rules.explain  # why an indicator fails for one household or member's answers

REGISTER_LEVELS = ("province", "district", "subdistrict", "village")
AREA_HEADER_TH = register_mod.AREA_HEADER_TH


def register_table(df: pd.DataFrame, level: str, cat: Catalogue, lang: str = "th") -> pd.DataFrame:
    """The register as seed 003 prints it: ที่, area, the counts, and the total row."""
    return register_mod.presentable(df, level, cat, lang)


CatalogueError = catalogue_mod.CatalogueError
CatalogueMismatch = catalogue_mod.CatalogueMismatch


def register_columns(cat: Catalogue) -> list[str]:
    """The register's count columns, in the seed's order (target_households ... target_persons)."""
    return register_mod.count_columns(cat)


def register_named(df: pd.DataFrame, level: str, cat: Catalogue) -> pd.DataFrame:
    """Counts per area (`area_code` and `register_columns`) made into a register of `level`
    as a run stores it: area names added (Thai, English), rows sorted as the engine sorts."""
    return register_mod.with_names(df, level, cat)


def register_file(
    df: pd.DataFrame,
    level: str,
    cat: Catalogue,
    fmt: str,
    *,
    survey_year: int,
    notes: list[str] | tuple[str, ...] = (),
) -> bytes:
    """A register (`register_named` shape) as the file `cheepao compute` writes for it:
    CSV (BOM, every cell through `cells`) or XLSX (title row, the seed's header, the total
    row in bold, then the readings and `notes`)."""
    import tempfile

    table = register_mod.presentable(df, level, cat)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"register.{fmt}"
        if fmt == "csv":
            register_mod.write_csv(table, path)
        elif fmt == "xlsx":
            provinces = sorted({str(c)[:2] for c in df["area_code"]})
            scope_th = " ".join(sorted(geography.name_of(p)[0] for p in provinces))
            register_mod.write_xlsx(
                table,
                path,
                register_mod.title(level, survey_year, scope_th),
                [*register_mod.reading_notes(cat), *notes],
            )
        else:
            raise EngineError(f"unknown register format {fmt!r}")
        return path.read_bytes()


def catalogue(
    name: str = catalogue_mod.DEFAULT_SET,
    readings: Mapping[str, str] | None = None,
    *,
    version: int | str | None = None,
) -> Catalogue:
    """An indicator set by id or path (cached by the loader), for callers outside the engine,
    at `version` (the newest when None), read with `readings` (a run's
    manifest["readings"]; the rest default)."""
    return catalogue_mod.load(name, version).with_readings(readings)


def catalogue_recorded(manifest: Mapping[str, Any]) -> Catalogue:
    """The indicator set a run's manifest (or a registry's copy of it) says it used, read
    with its readings: that set's file for the recorded version, whose SHA-256 must be the
    recorded one (else `CatalogueMismatch`, ADR 0019). A run from before readings were
    named used what are now the defaults."""
    cat = catalogue_mod.recorded(
        manifest.get("indicator_set_id") or "",
        manifest.get("indicator_set_version"),
        manifest.get("catalogue_sha256"),
        manifest.get("indicator_set_path"),
    )
    return cat.with_readings(manifest.get("readings") or {})


def readings_of(cat: Catalogue, lang: str = "th", stage: str | None = None) -> list[dict[str, str]]:
    """The readings `cat` applies, in words for a page, a CLI or a register: one dict per
    reading with `code`, `choice` (the names a run records), `title` and `label` in `lang`
    (Thai, or English with "en"), `default` ("yes"/"no"), `stage` ("compute": a survey
    year's results; "compare": อยู่รอด/ยั่งยืน between years; `stage` keeps only those) and
    the seed's words `seed_th` with their `source`."""
    out = []
    for r, c in cat.readings_in_force():
        if stage is not None and r.stage != stage:
            continue
        en = lang == "en"
        out.append(
            {
                "code": r.code,
                "choice": c.code,
                "title": (r.en if en else r.th) or r.code,
                "label": (c.en if en else c.th) or c.code,
                "default": "yes" if c.code == r.default else "no",
                "stage": r.stage,
                "source": r.source,
                "seed_th": r.seed_th,
            }
        )
    return out


def column_label(name: str, lang: str = "th") -> str:
    """The data contract's words for a survey column (households or members table), so a
    page can name the answer behind an indicator the way the survey form asked it."""
    for table in (contract_mod.HOUSEHOLDS, contract_mod.MEMBERS):
        if name in table.names:
            column = table[name]
            return column.en if lang == "en" else column.th
    return name


class RunNotFound(FileNotFoundError):
    pass


class EngineError(ValueError):
    """The request cannot be computed as asked (several survey years mixed, bad k, ...)."""


as_table = backends.as_table  # tables from Ibis, Arrow, pandas or Parquet paths


@dataclass
class Result:
    """Lazy results of one survey year under one indicator set, thresholds and profile."""

    households: ir.Table
    persons: ir.Table
    persons_base: ir.Table  # member flags and tags before the join to household results
    catalogue: Catalogue
    thresholds: dict[str, float]
    profile: str
    survey_year: int | None
    weights: af_mod.Weights
    k: Fraction
    extra: dict[str, Any] = field(default_factory=dict)
    members: ir.Table | None = None  # the year's member rows as read

    def persons_of(self, households: ir.Table) -> ir.Table:
        """`persons` for the members of `households` only (e.g. the targets).

        The members are narrowed to those households before their flags are computed, so
        a national run evaluates the person rules for the few percent of members it
        writes instead of for all of them (the result is the same either way).
        """
        base = self.persons_base
        if self.members is not None:
            chosen = self.members.semi_join(households.select("hh_id"), "hh_id")
            base = indicators.person_table(chosen, self.catalogue, self.thresholds)
        return indicators.target_persons(base, households, self.catalogue, self.profile)

    def af(
        self,
        *,
        k: object | None = None,
        by: str | None = None,
        weights: Mapping[str, object] | None = None,
    ) -> pd.DataFrame:
        return summary.af_of(
            self.households,
            self.catalogue,
            k=self.k if k is None else k,
            weights=weights or self.weights.fractions,
            by=by,
        )

    def register(self, level: str, within: str | None = None) -> pd.DataFrame:
        if level not in REGISTER_LEVELS:
            raise EngineError(f"unknown level {level!r}")
        df = summary.register_of(self.households, self.persons, self.catalogue, level)
        return register_mod.within(df, within)


def compute(
    households: Any,
    members: Any,
    *,
    catalogue: Catalogue | str = catalogue_mod.DEFAULT_SET,
    profile: str = "default",
    thresholds: Mapping[str, float] | None = None,
    survey_year: int | None = None,
    k: object | None = None,
    weights: Mapping[str, object] | None = None,
    readings: Mapping[str, str] | None = None,
    con: Any | None = None,
) -> Result:
    """Indicator flags, dimensions, targets, tags and AF scores for one survey year.

    `survey_year` picks the year's thresholds from the catalogue; when omitted it is read
    from the data (which must then hold exactly one year). `readings` picks a choice for
    any of the catalogue's readings ({"critical": "income_living_health"}); the others
    keep the catalogue's (a loaded set: its defaults). `Result.catalogue.chosen` says
    which were used.
    """
    cat = catalogue_mod.load(catalogue) if isinstance(catalogue, str) else catalogue
    cat = cat.with_readings(readings)  # unknown reading or choice: fail before any work
    cat.profile(profile)  # unknown profile: fail before any work
    if con is None and any(isinstance(t, str | Path) for t in (households, members)):
        con = ibis.duckdb.connect()  # both tables must live on one connection for the joins
    h_in = as_table(households, con)
    m_in = as_table(members, con)
    if validate.DATA_PROBLEMS not in m_in.columns:  # not validated here: nothing known
        m_in = m_in.mutate(**{validate.DATA_PROBLEMS: ibis.null().cast("string")})
    if survey_year is None:
        years = sorted(
            int(y) for y in h_in.select("survey_year").distinct().to_pandas().survey_year
        )
        if len(years) > 1:
            raise EngineError(
                f"the households hold several survey years {years}: compute one at a time"
            )
        survey_year = years[0] if years else None
    else:
        h_in = h_in.filter(h_in.survey_year == survey_year)
        m_in = m_in.filter(m_in.survey_year == survey_year)
    thr = cat.thresholds_for(survey_year, thresholds)
    _check_money_thresholds(cat, thr)
    w = af_mod.Weights.of(cat, weights)
    kf = af_mod.check_k(cat.default_k if k is None else k)

    persons = indicators.person_table(m_in, cat, thr)
    hh = indicators.household_flags(h_in, persons, cat, thr)
    units = af_mod.score_units(hh, w)
    hh = hh.mutate(
        af_score_units=units,
        af_score=units.cast("float64") / w.denominator,
        af_poor=(units * kf.denominator) >= (kf.numerator * w.denominator),
    )
    people = indicators.target_persons(persons, hh, cat, profile)
    return Result(hh, people, persons, cat, thr, profile, survey_year, w, kf, members=m_in)


def _check_money_thresholds(cat: Catalogue, thresholds: Mapping[str, Any]) -> None:
    """An income threshold is baht and satang: 38000.005 says nothing exact (ADR 0015)."""
    for ind in cat.indicators:
        rule = ind.passes
        if rule.kind == "at_least" and rule.args[0] in rules.AVERAGES:
            name = rule.args[1]
            try:
                money.exact(thresholds[name])
            except money.AmountError as e:
                raise EngineError(
                    f"threshold {name} = {thresholds[name]!r} is not an amount of baht with "
                    "at most two decimals"
                ) from e


# ---------------------------------------------------------------- finished runs on disk


@dataclass
class Run:
    path: Path
    manifest: dict[str, Any]

    @property
    def survey_year(self) -> int:
        return int(self.manifest["survey_year"])

    @property
    def catalogue(self) -> Catalogue:
        """The indicator set as this run read it: the version it recorded, checked against
        the recorded SHA-256, with its readings (`catalogue_recorded`)."""
        return catalogue_recorded(self.manifest)

    @property
    def readings(self) -> list[dict[str, str]]:
        """The readings this run used, for people: see `readings_of`."""
        return readings_of(self.catalogue)

    def register(self, level: str, within: str | None = None) -> pd.DataFrame:
        if level not in REGISTER_LEVELS:
            raise EngineError(f"unknown level {level!r}")
        df = pd.read_parquet(self.path / f"register_{level}.parquet")
        df["area_code"] = df["area_code"].astype(str)
        return register_mod.within(register_mod.sort_register(df), within)

    def af(self, by: str | None = None, k: object | None = None) -> pd.DataFrame:
        """Stored tables at the run's k; any other k is recomputed from households.parquet."""
        run_k = Fraction(self.manifest["k"])
        if k is None or af_mod.check_k(k) == run_k:
            name = "af_total" if by is None else f"af_{by}"
            f = self.path / f"{name}.parquet"
            if f.exists():
                return pd.read_parquet(f)
        hh = self.households()
        return summary.af_of(
            hh,
            self.catalogue,
            k=run_k if k is None else k,
            weights=self.manifest.get("weights"),
            by=by,
        )

    def target_persons(self, by: str | None = None) -> pd.DataFrame:
        """คนจนเป้าหมาย (the TPMAP rule) of the whole run, or per group of `af(by=...)` with
        the same key column, so the two counts can be printed side by side."""
        if by is None:
            return pd.DataFrame(
                {"target_persons": [int(self.manifest["row_counts"]["target_persons"])]}
            )
        if by in af_mod.AREA_GROUPS:
            df = self.register(by)[["area_code", "target_persons"]]
            return df.rename(columns={"area_code": af_mod.AREA_GROUPS[by][0]}).reset_index(
                drop=True
            )
        if by != "life_stage":
            raise EngineError(f"unknown group {by!r} (known: {', '.join(af_mod.GROUPS)})")
        stages = [s.code for s in self.catalogue.life_stages]
        p = self.persons()
        counts = (
            p.aggregate(
                **{s: (p.is_target_person & p[f"ls_{s}"]).cast("int64").sum() for s in stages}
            )
            .to_pandas()
            .iloc[0]
        )
        return pd.DataFrame(
            {
                "life_stage": stages,
                "target_persons": [0 if pd.isna(counts[s]) else int(counts[s]) for s in stages],
            }
        )

    def households(self, con: Any | None = None) -> ir.Table:
        return _read_parquet(self.path / "households.parquet", con)

    def persons(self, con: Any | None = None) -> ir.Table:
        """Members of target households (all members if the run was asked for them)."""
        return _read_parquet(self.path / "persons.parquet", con)


def _read_parquet(path: Path, con: Any | None) -> ir.Table:
    # Spark writes a directory of part files where DuckDB writes one file.
    target = str(path / "*.parquet") if path.is_dir() else str(path)
    return (con or ibis.duckdb.connect()).read_parquet(target)


def open_run(path: str | Path) -> Run:
    """The finished run at `path`. A run that names its indicator set is refused
    (`CatalogueMismatch`, or `CatalogueError` for a set or version not here) unless this installation has that set's file for the recorded
    version with the recorded SHA-256: its numbers are never read under other rules."""
    run = _read_run(Path(path))
    if "indicator_set_id" in run.manifest:
        try:
            run.catalogue  # noqa: B018  (loads and checks the recorded catalogue)
        except CatalogueError as e:  # a mismatch, or a set/version this installation lacks
            raise type(e)(f"run {run.path}: {e}") from e
    return run


def _read_run(p: Path) -> Run:
    f = p / "manifest.json"
    if not f.exists():
        raise RunNotFound(f"no engine run at {p} (manifest.json missing)")
    return Run(p, json.loads(f.read_text(encoding="utf-8")))


def latest_run(runs_dir: str | Path) -> Run | None:
    """The run with the highest survey year under `runs_dir` (one directory per year)."""
    root = Path(runs_dir)
    if not root.is_dir():
        return None
    found = []
    for d in root.iterdir():
        if (d / "manifest.json").exists():
            run = _read_run(d)
            found.append((run.survey_year, run.manifest.get("created_at", ""), run))
    if not found:
        return None
    return open_run(max(found, key=lambda t: (t[0], t[1]))[2].path)


def compare(
    before: Result | Run,
    after: Result | Run,
    level: str | None = None,
    readings: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Area totals of escaped / still / newly deprived between two survey years.

    อยู่รอด and ยั่งยืน follow the later year's readings, or `readings` when given."""
    con = ibis.duckdb.connect()
    a = before.households if isinstance(before, Result) else before.households(con)
    b = after.households if isinstance(after, Result) else after.households(con)
    cat = after.catalogue.with_readings(readings)
    return compare_mod.compare_areas(compare_mod.compare_households(a, b, cat), cat, level)


def outcome_subjects(cat: Catalogue) -> list[str]:
    """The subjects `outcomes` reports on, in order: indicator codes, dimension codes, and
    "target" (the target status as a whole)."""
    return [name for name, _ in compare_mod.subjects(cat)]


def outcomes(
    before: Result | Run,
    after: Result | Run,
    readings: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Each household of the earlier survey followed into the later one (by `hh_id`): one
    row per household with `hh_id`, `village_code` (the earlier year's), one status column
    per subject of `outcome_subjects` named `s_<subject>` (escaped, still, newly, never, or
    left when it is not in the later survey) and `stage`, the later year's stage word
    (survives อยู่รอด, sufficient พอเพียง, sustainable ยั่งยืน, "" none; `compare.STAGES`).

    Both years must be computed with the same indicators (EngineError otherwise); the stage
    words follow the later year's readings, or `readings` when given. Rows sorted by hh_id.
    """
    codes_a = [i.code for i in before.catalogue.indicators]
    codes_b = [i.code for i in after.catalogue.indicators]
    if codes_a != codes_b or before.catalogue.id != after.catalogue.id:
        raise EngineError(
            f"the two runs have different indicator sets ({before.catalogue.name} and "
            f"{after.catalogue.name}): their households cannot be compared"
        )
    con = ibis.duckdb.connect()
    a = before.households if isinstance(before, Result) else before.households(con)
    b = after.households if isinstance(after, Result) else after.households(con)
    cat = after.catalogue.with_readings(readings)
    df = compare_mod.household_outcomes(a, b, cat).to_pandas()
    df["hh_id"] = df["hh_id"].astype(str)
    df["village_code"] = df["village_code"].astype(str)
    return df.sort_values("hh_id").reset_index(drop=True)


# ---------------------------------------------------------------- surveyed persons by PIN

SURVEYED_PERSON_COLUMNS = (
    "hh_id",
    "member_no",
    "pin",
    "title",
    "first_name",
    "last_name",
    "subdistrict_code",
    "village_no",
    "house_no",
    "house_code",
)


def _input_relation(con: Any, path: Path, table: str, wanted: tuple[str, ...]) -> Any:
    """A DuckDB relation over one input file with `wanted` columns (null where absent).

    Parquet is scanned in place, so a national member file costs one column scan; CSV and
    XLSX go through the engine's own reader, which knows every encoding and spelling the
    survey offices use, and are then queried from Arrow.
    """
    from cheepao.engine import contract

    if path.suffix == ".parquet" or path.is_dir():
        glob = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
        rel = con.read_parquet(glob)
    else:
        rel = con.from_arrow(readers.read(path, contract.TABLES[table]).table)
    have = {c.lower(): c for c in rel.columns}
    exprs = [
        f'CAST("{have[c]}" AS VARCHAR) AS {c}' if c in have else f"CAST(NULL AS VARCHAR) AS {c}"
        for c in wanted
    ]
    return rel.project(", ".join(exprs))


def find_surveyed_persons(run: Run, pins: list[str]) -> pd.DataFrame:
    """Every person of the run's survey inputs (targets or not) whose PIN is in `pins`.

    The registry holds target households only, but a household found in the field may have
    been surveyed and judged not poor: those people are in the survey files the run was
    computed from (manifest `inputs`), so they are looked up there. PINs are compared as
    digits only (a CSV may write 1-2345-67890-12-3). Raises `RunNotFound` when an input file
    has gone, because a silent empty answer would pass a duplicate unnoticed.
    """
    import duckdb

    wanted = sorted({"".join(ch for ch in str(p) if ch.isdigit()) for p in pins} - {""})
    if not wanted:
        return pd.DataFrame(columns=list(SURVEYED_PERSON_COLUMNS))
    inputs = run.manifest.get("inputs") or {}
    files = {
        name: [Path(item["path"]) for item in inputs.get(name, [])]
        for name in ("households", "members")
    }
    for path in (*files["households"], *files["members"]):
        if not path.exists():
            raise RunNotFound(f"survey input {path} of run {run.path} is missing")
    year = str(run.survey_year)
    con = duckdb.connect()
    try:
        m_cols = ("survey_year", "hh_id", "member_no", "pin", "title", "first_name", "last_name")
        found = []
        for i, path in enumerate(files["members"]):
            _input_relation(con, path, "members", m_cols).create_view(f"m{i}")
            digits = "regexp_replace(pin, '[^0-9]', '', 'g')"
            hits = con.sql(
                f"SELECT * FROM m{i} WHERE (survey_year IS NULL OR survey_year = ?) "
                f"AND (pin IN (SELECT unnest(?)) OR (NOT regexp_full_match(pin, '[0-9]*') "
                f"AND {digits} IN (SELECT unnest(?))))",
                params=[year, wanted, wanted],
            )
            found.append(hits.df())
        members = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
        if members.empty:
            return pd.DataFrame(columns=list(SURVEYED_PERSON_COLUMNS))
        members["pin"] = members["pin"].str.replace(r"[^0-9]", "", regex=True)
        hh_ids = sorted(set(members["hh_id"]))
        h_cols = (
            "survey_year",
            "hh_id",
            "subdistrict_code",
            "village_no",
            "house_no",
            "house_code",
        )
        homes = []
        for i, path in enumerate(files["households"]):
            _input_relation(con, path, "households", h_cols).create_view(f"h{i}")
            homes.append(
                con.sql(
                    "SELECT hh_id, subdistrict_code, village_no, house_no, house_code "
                    f"FROM h{i} WHERE (survey_year IS NULL OR survey_year = ?) "
                    "AND hh_id IN (SELECT unnest(?))",
                    params=[year, hh_ids],
                ).df()
            )
        households = pd.concat(homes, ignore_index=True).drop_duplicates("hh_id")
    finally:
        con.close()
    out = members.drop(columns=["survey_year"]).merge(households, on="hh_id", how="left")
    out["member_no"] = pd.to_numeric(out["member_no"], errors="coerce").astype("Int64")
    out["village_no"] = pd.to_numeric(out["village_no"], errors="coerce").astype("Int64")
    return out[list(SURVEYED_PERSON_COLUMNS)].sort_values(["pin", "hh_id"], ignore_index=True)
