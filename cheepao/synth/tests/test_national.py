"""The national scale: per-province files sized by population, district by district.

A full national run (12.8 M households) takes minutes, so these tests run the national
scale at a twentieth of its size (the `households_total` knob) on two small provinces,
and one small province at full size.
"""

from __future__ import annotations

import dataclasses

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from cheepao.cli import main
from cheepao.engine import contract
from cheepao.synth import SCALES, SynthError, generate, output, sizes

NATIONAL = SCALES["national"]
# a twentieth of the country: provinces keep their shares, villages their layout
REDUCED = dataclasses.replace(NATIONAL, households_total=sizes.NATIONAL_HOUSEHOLDS // 20)
PROVINCES = ["38", "58"]  # Bueng Kan, Mae Hong Son


@pytest.fixture(scope="module")
def reduced(tmp_path_factory):
    out = tmp_path_factory.mktemp("national")
    summary = generate(out, provinces=PROVINCES, scale=REDUCED, seed=1, years=[2567, 2568])
    return out, summary


def test_one_file_per_province_per_table_and_year(reduced):
    out, summary = reduced
    expected = [
        f"{y}/{t}/{p}.parquet"
        for y in (2567, 2568)
        for t in ("households", "members")
        for p in PROVINCES
    ]
    assert [p.relative_to(out).as_posix() for p in summary.files] == expected
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(
        expected
    )


def test_files_read_back_with_the_contract_types(reduced):
    out, _ = reduced
    for table in (contract.HOUSEHOLDS, contract.MEMBERS):
        for p in PROVINCES:
            schema = pq.read_schema(out / "2568" / table.name / f"{p}.parquet")
            assert schema.names == table.names
            for c in table.columns:
                assert schema.field(c.name).type == c.arrow, c.name
            meta = pq.ParquetFile(out / "2568" / table.name / f"{p}.parquet").metadata
            assert meta.row_group(0).column(0).compression == "ZSTD"


def test_provinces_sized_by_population_and_people_per_household(reduced):
    out, summary = reduced
    for p in PROVINCES:
        h = pq.read_table(out / "2568" / "households" / f"{p}.parquet")
        m = pq.read_table(out / "2568" / "members" / f"{p}.parquet", columns=["hh_id"])
        target = sizes.province_households(p, REDUCED.households_total)
        assert 0.9 * target < h.num_rows < 1.1 * target
        assert {s[:2] for s in h.column("subdistrict_code").to_pylist()} == {p}
        assert 2.6 < m.num_rows / h.num_rows < 3.0
    # shares: Bueng Kan has about 1.5 times the people of Mae Hong Son
    ratio = summary.households[2568] / sizes.province_households("58", REDUCED.households_total)
    assert 2.3 < ratio < 2.7


def test_a_province_alone_is_its_slice_of_the_country(reduced, tmp_path):
    """Same bytes alone, serially, as in the two-province run, and with two workers."""
    out, _ = reduced
    generate(tmp_path / "alone", provinces=["58"], scale=REDUCED, seed=1, years=[2567, 2568])
    generate(
        tmp_path / "workers",
        provinces=PROVINCES,
        scale=REDUCED,
        seed=1,
        years=[2567, 2568],
        workers=2,
    )
    for y in ("2567", "2568"):
        for t in ("households", "members"):
            whole = (out / y / t / "58.parquet").read_bytes()
            assert (tmp_path / "alone" / y / t / "58.parquet").read_bytes() == whole
            for p in PROVINCES:
                assert (tmp_path / "workers" / y / t / f"{p}.parquet").read_bytes() == (
                    out / y / t / f"{p}.parquet"
                ).read_bytes()


def test_row_groups_are_filled_across_districts(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "ROW_GROUP_ROWS", 2_000)
    generate(tmp_path, provinces=["58"], scale=REDUCED, seed=1, years=[2568])
    meta = pq.ParquetFile(tmp_path / "2568" / "members" / "58.parquet").metadata
    rows = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert len(rows) > 1
    assert min(rows[:-1]) >= 2_000, "every row group but the last is full"


def test_several_workers_need_a_partitioned_scale(tmp_path):
    with pytest.raises(SynthError, match="partitioned"):
        generate(tmp_path, provinces=PROVINCES, scale="tiny", years=[2568], workers=2)


def test_cli_full_size_province(tmp_path):
    """Mae Hong Son at full national size through the CLI, in a couple of seconds."""
    r = CliRunner().invoke(
        main,
        ["generate", "--province", "58", "--scale", "national", "--years", "2568",
         "--out", str(tmp_path)],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    h = pq.read_metadata(tmp_path / "2568" / "households" / "58.parquet").num_rows
    m = pq.read_metadata(tmp_path / "2568" / "members" / "58.parquet").num_rows
    assert abs(h / sizes.province_households("58") - 1) < 0.05
    assert 2.7 < m / h < 2.95
    assert f"{h:,} households / {m:,} persons" in r.output
