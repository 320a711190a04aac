"""`cheepao mpi`: Alkire-Foster H, A, M0 and indicator contributions of a run."""

from __future__ import annotations

import json

import click
import pandas as pd

from cheepao.cli import BadInput
from cheepao.cli import _explain as explain
from cheepao.cli._common import console, open_run, print_readings, rich_table, run_option

GROUPS = ("province", "district", "subdistrict", "village", "life_stage")


@click.command("mpi")
@run_option
@click.option("--k", default=None, help="Poverty cutoff, e.g. 1/3 or 0.4 (default: the run's).")
@click.option(
    "--by",
    type=click.Choice(GROUPS),
    default=None,
    help="Decompose by an area level or life stage.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON records instead of tables.")
def command(run_dir, k, by, as_json):
    """The Alkire-Foster table, whole run or decomposed, beside the TPMAP target persons of
    the same people, with what each count means."""
    from cheepao.engine.af import AFError

    run = open_run(run_dir)
    try:
        df = run.af(by=by, k=k)
    except (AFError, ValueError, ZeroDivisionError) as e:
        raise BadInput(f"--k {k}: {e}") from e
    if as_json:
        click.echo(json.dumps(df.to_dict("records"), ensure_ascii=False, indent=1, default=str))
        return
    k_shown = explain.fraction(df["k"].iloc[0] if len(df) else (k or run.manifest["k"]))
    print_readings(run.catalogue)
    console.print(
        rich_table(
            _headline(run, df, by, k_shown),
            title=f"ความยากจนหลายมิติ (Alkire-Foster) ปี {run.survey_year} · k = {k_shown}\n"
            f"Multidimensional poverty (Alkire-Foster), survey year {run.survey_year}",
        )
    )
    poor = int(df["poor_persons"].sum()) if by is None else None
    targets = int(run.target_persons()["target_persons"].iloc[0]) if by is None else None
    explain.print_lines(
        console,
        [
            *explain.mpi_poor(k_shown, poor),
            *explain.tpmap_targets(run, targets),
            *explain.why_they_differ(run, k_shown),
        ],
    )
    if by is None and len(df):
        console.print(rich_table(_contributions(run, df.iloc[0]), title=CONTRIBUTIONS_TITLE))


CONTRIBUTIONS_TITLE = "ตัวชี้วัดที่ทำให้เกิดความยากจน (ส่วนร่วมใน M0)\nIndicator contributions to M0"


def _group_labels(run, by: str, codes: pd.Series) -> list[str]:
    """The group of each row as people name it: area code and name, or the life stage."""
    if by == "life_stage":
        stages = {s.code: f"{s.th} / {s.en}" for s in run.catalogue.life_stages}
        return [stages.get(c, c) for c in codes]
    from cheepao.engine import geography

    named = geography.with_area_names(pd.DataFrame({"area_code": codes.astype(str)}), by)
    return [f"{c} {n}" for c, n in zip(named.area_code, named.area_name_th, strict=True)]


def _headline(run, df: pd.DataFrame, by: str | None, k: str) -> pd.DataFrame:
    """H, A and M0 beside the people they count, and the TPMAP count of the same group."""
    keys = [c for c in df.columns if c.endswith("_code") or c == "life_stage"]
    table = df[[*keys, "persons", "poor_persons", "H", "A", "M0"]].copy()
    targets = run.target_persons(by)
    if keys:
        table = table.merge(targets, on=keys, how="left")
        table["target_persons"] = table["target_persons"].fillna(0).astype("int64")
        table[keys[0]] = _group_labels(run, by, table[keys[0]])
    else:
        table["target_persons"] = targets["target_persons"].iloc[0]
    return table.rename(
        columns={
            **{
                key: explain.LIFE_STAGE if key == "life_stage" else explain.AREA[by] for key in keys
            },
            "persons": explain.PERSONS,
            "poor_persons": f"คนจนตาม MPI ที่ k = {k}\nMPI-poor at k = {k}",
            "H": explain.H,
            "A": explain.A,
            "M0": explain.M0,
            "target_persons": explain.TARGET_PERSONS,
        }
    )


def _contributions(run, row: pd.Series) -> pd.DataFrame:
    from cheepao.engine.af import Weights

    cat = run.catalogue
    weights = Weights.of(cat, run.manifest.get("weights")).fractions
    indicators = cat.indicators
    return pd.DataFrame(
        {
            explain.INDICATOR: [f"{i.code} {i.short_th}" for i in indicators],
            explain.DIMENSION: [
                f"{cat.dimension(i.dimension).th.removeprefix('ด้าน')} / "
                f"{cat.dimension(i.dimension).en}"
                for i in indicators
            ],
            explain.WEIGHT: [explain.fraction(weights[i.code]) for i in indicators],
            explain.CENSORED: [float(row[f"ch_{i.code}"]) for i in indicators],
            explain.CONTRIBUTION: [float(row[f"pct_{i.code}"]) for i in indicators],
        }
    )
