"""`cheepao register`: print or export the summary register (ทะเบียนงบหน้า) of a run."""

from __future__ import annotations

from pathlib import Path

import click

from cheepao.cli import BadInput
from cheepao.cli import _explain as explain
from cheepao.cli._common import console, open_run, print_readings, rich_table, run_option

LEVELS = ("province", "district", "subdistrict", "village")


@click.command("register")
@run_option
@click.option("--level", type=click.Choice(LEVELS), default="district", show_default=True)
@click.option(
    "--within",
    default=None,
    metavar="CODE",
    help="Only areas inside this area code (e.g. 34, 3401, 340101).",
)
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to a .csv or .xlsx file instead of printing.",
)
def command(run_dir, level, within, lang, output):
    """The register per area with the seed's columns and a total row."""
    from cheepao.engine import geography
    from cheepao.engine import register as reg

    run = open_run(run_dir)
    cat = run.catalogue
    if within and not within.isdigit():
        raise click.BadParameter("an area code is digits only", param_hint="--within")
    df = run.register(level, within)
    if within and df.empty:
        raise BadInput(f"no {level} of this run lies inside area {within}")
    scope = geography.name_of(within)[0] if within else ""
    heading = reg.title(level, run.survey_year, scope)
    if output is None:
        # short labels on screen, Thai over English; the files keep the seed's full headers
        table = reg.presentable(df, level, cat, lang, short=True)
        table.columns = _bilingual_headers(cat, level)
        console.print(rich_table(table, title=heading, total_last=True))
        explain.print_lines(console, _legend(run, df, level))
        print_readings(cat, lang)
        return
    table = reg.presentable(df, level, cat, lang)
    suffix = output.suffix.lower()
    if suffix == ".csv":
        reg.write_csv(table, output)
    elif suffix == ".xlsx":
        reg.write_xlsx(table, output, heading, reg.reading_notes(cat, lang))
    else:
        raise click.BadParameter("use a .csv or .xlsx file name", param_hint="--output")
    console.print(f"{len(df):,} rows and the total written to {output}")


def _bilingual_headers(cat, level: str) -> list[str]:
    """The short screen headers of `presentable(..., short=True)`, each Thai over English."""
    from cheepao.engine import register as reg

    th, en = reg.headers_short(cat, "th"), reg.headers_short(cat, "en")
    return [
        explain.both("ที่", "No."),
        explain.AREA[level],
        *(explain.both(th[c], en[c]) for c in reg.count_columns(cat)),
    ]


def _legend(run, df, level: str) -> list[str]:
    """What the columns count, and the MPI-poor people of the same areas beside the TPMAP
    target persons, so that nobody reads one against the other as a bug."""
    from cheepao.engine import geography

    cat = run.catalogue
    n_dims = cat.target_min_dimensions
    k = explain.fraction(run.manifest["k"])
    af = run.af(by=level)
    key = geography.CODE_COLUMN[level]  # the AF table's key of this level
    shown = set(df["area_code"].astype(str))
    poor = int(af.loc[af[key].astype(str).isin(shown), "poor_persons"].sum())
    targets = int(df["target_persons"].sum())
    dims_th = ", ".join(d.th.removeprefix("ด้าน") for d in cat.dimensions)
    dims_en = ", ".join(d.en for d in cat.dimensions)
    return [
        "ความหมายของคอลัมน์ / What the columns count:",
        f"  ครัวเรือนเป้าหมาย = ครัวเรือนที่ตกเกณฑ์อย่างน้อย {n_dims} มิติ / Target households = "
        f"households failing at least {n_dims} {'dimension' if n_dims == 1 else 'dimensions'}",
        "  ถือบัตรสวัสดิการ = ผู้ถือบัตรสวัสดิการแห่งรัฐในบรรดาสมาชิกที่ตกเกณฑ์ของครัวเรือนเป้าหมาย "
        "/ Welfare card = state welfare card holders among the deprived members of target "
        "households",
        "  สมาชิก = สมาชิกทุกคนของครัวเรือนเป้าหมาย / Members = all members of target households",
        f"  {dims_th} = ครัวเรือนเป้าหมายที่ตกเกณฑ์มิตินั้น (หัวตารางในไฟล์ตามแบบรายงานเขียนว่า "
        f'"(MPI)") / {dims_en} = target households failing that dimension (the file headers '
        'of the seed\'s form say "(MPI)")',
        *explain.tpmap_targets(run, targets),
        *explain.mpi_poor(k, poor),
        "  ตัวเลขนี้ไม่อยู่ในทะเบียนงบหน้า: ดูรายละเอียดด้วย cheepao mpi / not a column of this "
        "register: see cheepao mpi",
        *explain.why_they_differ(run, k),
    ]
