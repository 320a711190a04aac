"""One survey year from files to a finished run directory.

A run directory is the unit everything downstream reads (CLI, web app, registry load):

    manifest.json              inputs and their hashes, indicator set, thresholds, profile,
                               k and weights, row counts, rejects, timings
    rejects.csv                every input row the validator refused, with reasons
    households.parquet         one row per household: answers, flags, dimensions, AF score
    persons.parquet            one row per member: flags, personal dimensions, target person
    register_<level>.parquet   ทะเบียนงบหน้า per province/district/subdistrict/village
    register_<level>.csv/.xlsx the same with the seed's Thai headers and the total row
    af_total.parquet, af_<group>.parquet   Alkire-Foster tables at the run's k

Files are written to a temporary sibling directory and renamed into place at the end, so
a failed run never leaves a half-written directory that looks finished.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ibis

from cheepao import __version__
from cheepao.engine import af as af_mod
from cheepao.engine import api, geography
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


def run_compute(
    households: Path,
    members: Path,
    out: Path,
    *,
    indicator_set: str = catalogue_mod.DEFAULT_SET,
    profile: str = "default",
    thresholds: Mapping[str, float] | None = None,
    k: object | None = None,
    on_step: Callable[[str], None] = lambda step: None,
) -> dict[str, Any]:
    cat = catalogue_mod.load(indicator_set)
    cat.profile(profile)
    kf = af_mod.check_k(cat.default_k if k is None else k)
    timings: dict[str, float] = {}
    out = Path(out)
    tmp = out.with_name(f".{out.name}.partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        manifest = _compute_into(
            tmp, households, members, cat, profile, thresholds, kf, timings, on_step
        )
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _compute_into(tmp, households, members, cat, profile, thresholds, kf, timings, on_step):
    def step(name):
        on_step(name)
        timings[name] = time.perf_counter()

    def done(name):
        timings[name] = round(time.perf_counter() - timings[name], 3)

    step("validate")
    checked = validate_survey(households, members, catalogue=cat)
    write_rejects_csv(checked.rejects, tmp / "rejects.csv")
    years = sorted(set(checked.households.column("survey_year").to_pylist()))
    if len(years) != 1:
        raise InputError(
            f"{households}: expected one survey year, found {years or 'none'} in the valid rows"
        )
    year = int(years[0])
    done("validate")

    step("indicators")
    con = ibis.duckdb.connect()
    result = api.compute(
        checked.households,
        checked.members,
        catalogue=cat,
        profile=profile,
        thresholds=thresholds,
        survey_year=year,
        k=kf,
        con=con,
    )
    result.households.to_parquet(tmp / "households.parquet")
    done("indicators")

    step("persons")
    hh = con.read_parquet(str(tmp / "households.parquet"))
    persons = indicators_persons(result, hh)
    persons.to_parquet(tmp / "persons.parquet")
    pp = con.read_parquet(str(tmp / "persons.parquet"))
    done("persons")

    step("registers")
    scope = " ".join(
        sorted({geography.name_of(p)[0] for p in hh.province_code.to_pandas().unique()})
    )
    for level in api.REGISTER_LEVELS:
        df = register_mod.compute_register(hh, pp, cat, level)
        df.to_parquet(tmp / f"register_{level}.parquet", index=False)
        table = register_mod.presentable(df, level, cat)
        register_mod.write_csv(table, tmp / f"register_{level}.csv")
        register_mod.write_xlsx(
            table, tmp / f"register_{level}.xlsx", register_mod.title(level, year, scope)
        )
    done("registers")

    step("alkire-foster")
    weights = result.weights
    af_mod.alkire_foster(hh, pp, cat, k=kf, weights=weights.fractions).to_parquet(
        tmp / "af_total.parquet", index=False
    )
    for by in af_mod.GROUPS:
        af_mod.alkire_foster(hh, pp, cat, k=kf, weights=weights.fractions, by=by).to_parquet(
            tmp / f"af_{by}.parquet", index=False
        )
    done("alkire-foster")

    step("manifest")
    counts = (
        hh.aggregate(
            households=hh.count(),
            persons=hh.n_members.sum(),
            target_households=hh.is_target.cast("int64").sum(),
            critical_households=hh.is_critical.cast("int64").sum(),
        )
        .to_pandas()
        .iloc[0]
    )
    target_persons = int(pp.is_target_person.cast("int64").sum().to_pandas())
    tables = checked.summary.tables
    manifest = {
        "survey_year": year,
        "indicator_set": cat.name,
        "indicator_set_id": cat.id,
        "indicator_set_version": cat.version,
        "indicator_set_path": cat.source_path,
        "catalogue_sha256": cat.sha256,
        "thresholds": result.thresholds,
        "target_profile": profile,
        "k": str(kf),
        "weights": {c: str(w) for c, w in weights.fractions.items()},
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": {"cheepao": __version__, "backend": "duckdb", "ibis": ibis.__version__},
        "inputs": {
            "households": {"path": str(households), "sha256": file_hash(Path(households))},
            "members": {"path": str(members), "sha256": file_hash(Path(members))},
        },
        "row_counts": {
            "households_read": tables["households"].rows_read,
            "members_read": tables["members"].rows_read,
            "households": int(counts["households"]),
            "persons": int(counts["persons"]),
            "target_households": int(counts["target_households"]),
            "critical_households": int(counts["critical_households"]),
            "target_persons": target_persons,
        },
        "rejects": {
            "households": tables["households"].rows_rejected,
            "members": tables["members"].rows_rejected,
            "problems": dict(checked.summary.problems),
        },
        "timings_s": {},
    }
    done("manifest")
    manifest["timings_s"] = dict(timings)
    (tmp / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return manifest


def indicators_persons(result: api.Result, households_written):
    """Persons, joined to the household table already written (so it is computed once)."""
    from cheepao.engine import indicators as ind_mod

    return ind_mod.target_persons(
        result.persons_base, households_written, result.catalogue, result.profile
    )
