"""One survey year from files to a finished run directory.

A run directory is the unit everything downstream reads (CLI, web app, registry load):

    manifest.json              inputs and their hashes, indicator set, thresholds, profile,
                               readings, k and weights, row counts, rejects, timings
    rejects.csv                every input row the validator refused, with reasons
    households.parquet         one row per household: answers, flags, dimensions, AF score
    persons.parquet            one row per member of a target household (or of every
                               household with persons="all"): flags, dimensions, target
    register_<level>.parquet   ทะเบียนงบหน้า per province/district/subdistrict/village
    register_<level>.csv/.xlsx the same with the seed's Thai headers and the total row
    af_total.parquet, af_<group>.parquet   Alkire-Foster tables at the run's k

Files are written to a temporary sibling directory and renamed into place at the end, so
a failed run never leaves a half-written directory that looks finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ibis

from cheepao import __version__
from cheepao.engine import af as af_mod
from cheepao.engine import api, backends, geography, summary
from cheepao.engine import catalogue as catalogue_mod
from cheepao.engine import register as register_mod
from cheepao.engine.validate import validate_survey, write_rejects_csv

INPUT_SUFFIXES = (".parquet", ".csv", ".xlsx")
STEPS = ("validate", "indicators", "persons", "registers", "alkire-foster", "manifest")


class InputError(ValueError):
    """Inputs missing or unreadable as a whole (row-level problems go to rejects instead)."""


def find_inputs(directory: Path) -> tuple[Path, Path]:
    """households.* and members.* inside `directory` (Parquet, CSV or XLSX)."""
    found = {}
    for name in ("households", "members"):
        for suffix in INPUT_SUFFIXES:
            p = directory / f"{name}{suffix}"
            if p.exists():
                found[name] = p
                break
        else:
            if (directory / name).is_dir():
                found[name] = directory / name
            else:
                raise InputError(f"{directory}: no {name}.parquet, {name}.csv or {name}.xlsx")
    return found["households"], found["members"]


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        with f.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def select_files(path: Path, provinces: tuple[str, ...]) -> list[Path]:
    """The input files to read: one file, or the per-province files of a directory.

    A national survey is one Parquet file per province (`households/34.parquet`), so a
    one-province recompute reads only that province's files.
    """
    path = Path(path)
    if not path.is_dir():
        return [path]
    files = sorted(p for p in path.iterdir() if p.suffix in INPUT_SUFFIXES)
    if provinces:
        by_stem = {p.stem: p for p in files}
        missing = [c for c in provinces if c not in by_stem]
        if missing:
            raise InputError(f"{path}: no file for province {', '.join(missing)}")
        files = [by_stem[c] for c in provinces]
    if not files:
        raise InputError(f"{path}: no .parquet, .csv or .xlsx files")
    return files


def run_compute(
    households: Path,
    members: Path,
    out: Path,
    *,
    indicator_set: str = catalogue_mod.DEFAULT_SET,
    profile: str = "default",
    thresholds: Mapping[str, float] | None = None,
    k: object | None = None,
    readings: Mapping[str, str] | None = None,
    engine: str = "duckdb",
    provinces: tuple[str, ...] = (),
    persons: str = "targets",
    trust_input: bool = False,
    on_step: Callable[[str], None] = lambda step: None,
) -> dict[str, Any]:
    """Compute one survey year into `out`.

    `persons="targets"` writes the members of target households only (what the registry
    and field work need); "all" writes every member, which at national scale costs as much
    as the rest of the run. `trust_input` skips validation for Parquet that was already
    validated (e.g. written by `cheepao validate --clean`); the manifest says so.
    """
    cat = catalogue_mod.load(indicator_set).with_readings(readings)
    cat.profile(profile)
    if persons not in ("targets", "all"):
        raise InputError(f"persons must be 'targets' or 'all', not {persons!r}")
    kf = af_mod.check_k(cat.default_k if k is None else k)
    out = Path(out)
    tmp = out.with_name(f".{out.name}.partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    job = _Job(
        tmp,
        Path(households),
        Path(members),
        cat,
        profile,
        dict(thresholds or {}),
        kf,
        engine,
        tuple(provinces),
        persons,
        trust_input,
        on_step,
    )
    try:
        try:
            manifest = job.run()
        finally:
            job.close()
        shutil.rmtree(tmp / ".spill", ignore_errors=True)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def connect(engine: str, workdir: Path):
    if engine == "duckdb":
        # Bounded memory: past the limit DuckDB spills to the run's own scratch space
        # instead of growing (national runs must fit a small machine).
        con = ibis.duckdb.connect(
            temp_directory=str(workdir / ".spill"),
            memory_limit=os.environ.get("CHEEPAO_DUCKDB_MEMORY", "6GB"),
        )
        con.raw_sql("SET enable_progress_bar = false")  # the CLI draws its own
        return con
    return backends.connect(engine)


class _Job:
    def __init__(
        self,
        tmp,
        households,
        members,
        cat,
        profile,
        thresholds,
        k,
        engine,
        provinces,
        persons,
        trust_input,
        on_step,
    ):
        self.tmp, self.households, self.members = tmp, households, members
        self.cat, self.profile, self.thresholds, self.k = cat, profile, thresholds, k
        self.engine, self.provinces, self.persons_mode = engine, provinces, persons
        self.trust_input, self.on_step = trust_input, on_step
        self.timings: dict[str, float] = {}
        self.con = None

    def close(self) -> None:
        if self.con is not None and self.engine == "duckdb":
            self.con.disconnect()

    def step(self, name: str) -> None:
        self.on_step(name)
        self.timings[name] = time.perf_counter()

    def done(self, name: str) -> None:
        self.timings[name] = round(time.perf_counter() - self.timings[name], 3)

    def _inputs(self):
        """Typed input tables on this job's connection, validated unless trusted."""
        hh_files = select_files(self.households, self.provinces)
        mb_files = select_files(self.members, self.provinces)
        self.input_files = {"households": hh_files, "members": mb_files}
        if self.trust_input:
            bad = [p for p in (*hh_files, *mb_files) if p.suffix != ".parquet"]
            if bad:
                raise InputError(f"{bad[0]}: only validated Parquet can be trusted")
            self.summary = None
            (self.tmp / "rejects.csv").write_text("", encoding="utf-8")
            return (
                backends.read_parquet(self.con, hh_files),
                backends.read_parquet(self.con, mb_files),
            )
        hh_src = hh_files[0] if len(hh_files) == 1 else self.households
        mb_src = mb_files[0] if len(mb_files) == 1 else self.members
        checked = validate_survey(hh_src, mb_src, catalogue=self.cat)
        write_rejects_csv(checked.rejects, self.tmp / "rejects.csv")
        self.summary = checked.summary
        return checked.households, checked.members

    def run(self) -> dict[str, Any]:
        tmp, cat = self.tmp, self.cat
        self.step("validate")
        self.con = con = connect(self.engine, tmp)
        h_in, m_in = self._inputs()
        h_t = backends.as_table(h_in, con)
        m_t = backends.as_table(m_in, con)
        if self.provinces and len(self.input_files["households"]) == 1:
            # one file holding several provinces: keep the asked ones
            h_t = h_t.filter(h_t.subdistrict_code[:2].isin(list(self.provinces)))
        years = sorted(int(y) for y in h_t.select("survey_year").distinct().to_pandas().survey_year)
        if len(years) != 1:
            raise InputError(
                f"{self.households}: expected one survey year, found {years or 'none'}"
                f"{'' if self.trust_input else ' in the valid rows'}"
            )
        year = years[0]
        self.done("validate")

        self.step("indicators")
        result = api.compute(
            h_t,
            m_t,
            catalogue=cat,
            profile=self.profile,
            thresholds=self.thresholds,
            survey_year=year,
            k=self.k,
            con=con,
        )
        result.households.to_parquet(tmp / "households.parquet")
        hh = con.read_parquet(str(tmp / "households.parquet"))
        self.done("indicators")

        self.step("persons")
        scope = hh if self.persons_mode == "all" else hh.filter(hh.is_target)
        persons = result.persons_of(scope)
        persons.to_parquet(tmp / "persons.parquet")
        pp = con.read_parquet(str(tmp / "persons.parquet"))
        self.done("persons")

        self.step("registers")
        # every register level, AF group and manifest count from one query (summary.py)
        sums = summary.area_sums(hh, pp, cat, af=(result.weights, self.k))
        codes = sums.province_code.drop_duplicates()
        scope_th = " ".join(sorted(geography.name_of(str(p))[0] for p in codes))
        for level in api.REGISTER_LEVELS:
            df = summary.register(sums, cat, level)
            df.to_parquet(tmp / f"register_{level}.parquet", index=False)
            table = register_mod.presentable(df, level, cat)
            register_mod.write_csv(table, tmp / f"register_{level}.csv")
            register_mod.write_xlsx(
                table,
                tmp / f"register_{level}.xlsx",
                register_mod.title(level, year, scope_th),
                register_mod.reading_notes(cat),
            )
        self.done("registers")

        self.step("alkire-foster")
        for by in (None, *af_mod.GROUPS):
            name = "af_total" if by is None else f"af_{by}"
            summary.alkire_foster(sums, cat, result.weights, self.k, by).to_parquet(
                tmp / f"{name}.parquet", index=False
            )
        self.done("alkire-foster")

        self.step("manifest")
        manifest = self._manifest(summary.rollup(sums, None).iloc[0], result, year)
        self.done("manifest")
        manifest["timings_s"] = dict(self.timings)
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        return manifest

    def _manifest(self, totals, result, year) -> dict[str, Any]:
        cat = self.cat
        s = self.summary
        inputs = {
            name: [{"path": str(p), "sha256": file_hash(p)} for p in files]
            for name, files in self.input_files.items()
        }
        return {
            "survey_year": year,
            "indicator_set": cat.name,
            "indicator_set_id": cat.id,
            "indicator_set_version": cat.version,
            "indicator_set_path": cat.source_path,
            "catalogue_sha256": cat.sha256,
            "thresholds": result.thresholds,
            "target_profile": self.profile,
            # the choice made for each of the set's readings (ADR 0013)
            "readings": dict(cat.chosen),
            "k": str(self.k),
            "weights": {c: str(w) for c, w in result.weights.fractions.items()},
            "provinces": list(self.provinces),
            "persons_written": self.persons_mode,
            "validated": not self.trust_input,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": {"cheepao": __version__, "backend": self.engine, "ibis": ibis.__version__},
            "inputs": inputs,
            "row_counts": {
                "households_read": s.tables["households"].rows_read if s else None,
                "members_read": s.tables["members"].rows_read if s else None,
                "households": int(totals["_households"]),
                "persons": int(totals["persons"]),
                "target_households": int(totals["target_households"]),
                "critical_households": int(totals["critical_households"]),
                "target_persons": int(totals["target_persons"]),
            },
            "rejects": {
                "households": s.tables["households"].rows_rejected if s else 0,
                "members": s.tables["members"].rows_rejected if s else 0,
                # kept and counted, with a national ID to correct (validate.KEEPS_ROW)
                "members_to_correct": s.tables["members"].rows_to_correct if s else 0,
                "problems": dict(s.problems) if s else {},
            },
            "timings_s": {},
        }
