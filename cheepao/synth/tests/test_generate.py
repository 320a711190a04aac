"""The synthetic survey keeps the data contract and behaves like the real survey."""

from __future__ import annotations

import hashlib
import itertools
import re

import geothai
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from stdnum.th import pin as thpin

from cheepao.engine import catalogue as catalogue_mod
from cheepao.engine import contract
from cheepao.synth import SCALES, Scale, SynthError, generate, geo, parse_years

YEARS = (2567, 2568)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny")
    summary = generate(out, provinces=["34"], scale="tiny", seed=1, years=YEARS)
    tables = {
        y: (
            pq.read_table(out / str(y) / "households.parquet"),
            pq.read_table(out / str(y) / "members.parquet"),
        )
        for y in YEARS
    }
    return out, summary, tables


def table_digest(t: pa.Table) -> str:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, t.schema) as w:
        w.write_table(t.combine_chunks())
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()


def dir_digest(out) -> str:
    h = hashlib.sha256()
    for y in YEARS:
        for name in ("households", "members"):
            h.update(table_digest(pq.read_table(out / str(y) / f"{name}.parquet")).encode())
    return h.hexdigest()


def test_same_arguments_same_data_other_seed_other_data(tiny, tmp_path):
    out, _, _ = tiny
    generate(tmp_path / "a", provinces=["34"], scale="tiny", seed=1, years=YEARS)
    generate(tmp_path / "b", provinces=["34"], scale="tiny", seed=2, years=YEARS)
    assert dir_digest(tmp_path / "a") == dir_digest(out)
    assert dir_digest(tmp_path / "b") != dir_digest(out)


def test_a_province_does_not_depend_on_its_companions(tiny, tmp_path):
    _, _, tables = tiny
    generate(tmp_path, provinces=["10", "34"], scale="tiny", seed=1, years=YEARS)
    members = pq.read_table(tmp_path / "2568" / "members.parquet").to_pandas()
    ubon = members[members.hh_id.str.startswith("34")].reset_index(drop=True)
    assert ubon.equals(tables[2568][1].to_pandas())
    assert members.hh_id.str.startswith("10").any()


@pytest.mark.parametrize("table", [contract.HOUSEHOLDS, contract.MEMBERS])
def test_exact_contract_columns_and_types(tiny, table):
    _, _, tables = tiny
    for y in YEARS:
        t = tables[y][0 if table is contract.HOUSEHOLDS else 1]
        assert t.schema.names == table.names
        for c in table.columns:
            assert t.schema.field(c.name).type == c.arrow, c.name


def test_required_columns_filled_and_domains_kept(tiny):
    _, _, tables = tiny
    for table, t in zip((contract.HOUSEHOLDS, contract.MEMBERS), tables[2568], strict=True):
        df = t.to_pandas()
        for c in table.columns:
            col = df[c.name]
            if c.required:
                assert col.notna().all(), c.name
            present = col.dropna()
            if c.codes:
                assert set(present) <= set(c.codes), c.name
            if c.pattern:
                assert present.map(lambda v, p=c.pattern: re.fullmatch(p, v) is not None).all(), (
                    c.name
                )
            if c.min is not None:
                assert (present >= c.min).all(), c.name
            if c.max is not None:
                assert (present <= c.max).all(), c.name
    households = tables[2568][0].to_pandas()
    assert households.notna().all().all(), "every household answer and address is filled"


def test_pins_valid_and_unique(tiny):
    _, _, tables = tiny
    for y in YEARS:
        pins = tables[y][1].column("pin").to_pylist()
        assert len(set(pins)) == len(pins)
        assert all(p[0] in "12345678" for p in pins)
        for p in pins[::7]:
            assert thpin.is_valid(p), p


def test_geography_is_real(tiny):
    _, _, tables = tiny
    first = sorted(d.code for d in geothai.districts("34"))[0]
    known = {s.code for s in geothai.subdistricts(first)}
    h = tables[2568][0].to_pandas()
    assert set(h.subdistrict_code) == known, "tiny covers every subdistrict of the first district"
    villages = h.groupby("subdistrict_code").village_no.agg(["min", "max", "nunique"])
    assert (villages["min"] == 1).all()
    assert villages["max"].between(6, 14).all()
    assert (villages["max"] == villages["nunique"]).all()
    assert (h.hh_id.str[:6] == h.subdistrict_code).all()
    assert (h.hh_id.str[6:8].astype(int) == h.village_no).all()
    assert h.hh_id.str.fullmatch(r"\d{8}-\d{5}").all()
    assert h.hh_id.is_unique
    assert h.house_code.str.fullmatch(r"\d{11}").all() and h.house_code.is_unique
    assert h.house_no.str.fullmatch(r"\d+(/\d+)?").all()


def _inside(lon: float, lat: float, geometry: dict) -> bool:
    """Plain even-odd test written independently of geo.Shape."""
    polys = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    inside = False
    for poly in polys:
        for ring in poly:
            for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
    return inside


def test_gps_inside_the_household_subdistrict(tiny):
    import json

    _, _, tables = tiny
    features = json.loads(geo.SUBDISTRICTS_GEOJSON.read_text(encoding="utf-8"))["features"]
    geometry = {f["properties"]["scode"]: f["geometry"] for f in features}
    h = tables[2568][0].to_pandas()
    assert set(h.subdistrict_code) <= set(geometry)  # every tiny-province subdistrict has one
    for row in h.iloc[::5].itertuples():
        assert _inside(row.lon, row.lat, geometry[row.subdistrict_code]), row.hh_id
    # households of a village sit together: well within a few km of each other
    spread = h.groupby(["subdistrict_code", "village_no"])[["lat", "lon"]].std().max(axis=1)
    assert spread.median() < 0.02


def test_ray_test_handles_holes_and_islands():
    square = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]]
    island = [[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]
    shape = geo._shape({"type": "MultiPolygon", "coordinates": [[square, hole], [island]]})
    lon = np.array([0.5, 2.0, 3.5, 10.5, 7.0])
    lat = np.array([0.5, 2.0, 3.5, 10.5, 7.0])
    assert shape.contains(lon, lat).tolist() == [True, False, True, True, False]
    rng = np.random.default_rng(0)
    x, y = geo.sample_inside(shape, 500, rng)
    assert shape.contains(x, y).all()
    assert not ((x > 1) & (x < 3) & (y > 1) & (y < 3)).any()


def _applies(ind, m: pd.DataFrame) -> pd.Series:
    a = ind.applies
    out = pd.Series(True, index=m.index)
    if a.age_min is not None:
        out &= m.age >= a.age_min
    if a.age_max is not None:
        out &= m.age <= a.age_max
    derived = {
        "full_time_student": m.student_status == "full_time",
        "dependent_disabled": m.disabled & ~m.self_care,
    }
    if a.where is not None:
        out &= m[a.where].fillna(False).astype(bool)
    for flag in a.exempt:
        out &= ~derived[flag]
    return out


def test_answers_null_exactly_where_not_applicable(tiny):
    _, _, tables = tiny
    cat = catalogue_mod.load()
    for y in YEARS:
        m = tables[y][1].to_pandas()
        checked = 0
        for col, inds in catalogue_mod.applicable_members(cat).items():
            if contract.MEMBERS[col].required:
                continue
            asked = pd.Series(False, index=m.index)
            for ind in inds:
                asked |= _applies(ind, m)
            assert (m[col].notna() == asked).all(), (y, col)
            checked += 1
        assert checked >= 8
        assert m.newborn.notna().all() and m.m3_graduate.notna().all()
        assert not m.newborn[m.age > 0].any()
        assert not m.m3_graduate[(m.age < 15) | (m.age > 17)].any()
        women = (m.sex == "F") & m.age.between(15, 45)
        assert (m.pregnant.notna() == women).all()


def test_people_look_like_people(tiny):
    _, _, tables = tiny
    for y in YEARS:
        m = tables[y][1].to_pandas()
        sizes = m.groupby("hh_id").size()
        assert 2.5 <= sizes.mean() <= 3.1
        assert sizes.max() <= 9
        assert set(sizes.index) == set(tables[y][0].column("hh_id").to_pylist())
        heads = m[m.relation == "head"]
        assert heads.hh_id.is_unique and len(heads) == len(sizes)
        assert (m.groupby("hh_id").member_no.max() == sizes).all()
        assert (m[m.member_no == 1].relation == "head").all()
    m = tables[2567][1].to_pandas()
    child = m.age < 15
    assert (m.title[child & (m.sex == "M")] == "เด็กชาย").all()
    assert (m.title[child & (m.sex == "F")] == "เด็กหญิง").all()
    assert (m.title[~child & (m.sex == "M")] == "นาย").all()
    assert m.title[~child & (m.sex == "F")].isin(["นาง", "นางสาว"]).all()
    assert (m.age >= 60).mean() > 0.15 and (m.age < 15).mean() > 0.12
    assert 0.2 < m[m.age >= 18].welfare_card.mean() < 0.4
    ref = pd.Timestamp("2024-03-01")
    born = pd.to_datetime(m.birth_date)
    age = (
        ref.year - born.dt.year - ((born.dt.month > 3) | ((born.dt.month == 3) & (born.dt.day > 1)))
    )
    assert (age == m.age).all()


def test_same_households_and_people_next_year(tiny):
    _, _, tables = tiny
    h1, m1 = (t.to_pandas() for t in tables[2567])
    h2, m2 = (t.to_pandas() for t in tables[2568])
    kept = set(h1.hh_id) & set(h2.hh_id)
    assert len(kept) > 0.95 * len(h1)
    j = m1.merge(m2, on="pin", suffixes=("_1", "_2"))
    assert len(j) > 0.95 * len(m1)
    assert (j.hh_id_1 == j.hh_id_2).all()
    assert (j.birth_date_1 == j.birth_date_2).all()
    assert (j.age_2 == j.age_1 + 1).all()
    assert (j.first_name_1 == j.first_name_2).all()
    same = h1.merge(h2, on="hh_id", suffixes=("_1", "_2"))
    assert (same.house_code_1 == same.house_code_2).all()
    assert (same.lat_1 == same.lat_2).all()
    born = m2[~m2.pin.isin(m1.pin) & (m2.age == 0)]
    assert len(born) > 0, "babies were born"
    assert len(set(m1.pin) - set(m2.pin)) > 0, "some people died or left"


def test_year_over_year_has_escapes_stays_and_falls(tmp_path):
    from cheepao.engine import api

    generate(tmp_path, provinces=["34"], scale="small", seed=1, years=YEARS)
    status = {}
    for y in YEARS:
        r = api.compute(
            pq.read_table(tmp_path / str(y) / "households.parquet"),
            pq.read_table(tmp_path / str(y) / "members.parquet"),
        )
        hh = r.households.select(
            "hh_id", "is_target", "n_dims", *[f"dim_{d.code}" for d in r.catalogue.dimensions]
        ).to_pandas()
        status[y] = hh.set_index("hh_id")
    h1 = status[2567]
    share = h1.is_target.mean()
    assert 0.03 < share < 0.07
    targets = h1[h1.is_target]
    dims = {
        d: targets[f"dim_{d}"].mean() for d in ("health", "living", "education", "income", "access")
    }
    assert max(dims, key=dims.get) == "education"
    assert 0.5 < dims["education"] < 0.8
    assert dims["access"] < 0.03
    assert (targets.n_dims >= 3).mean() < 0.05
    both = h1.add_suffix("_1").join(status[2568].add_suffix("_2"), how="inner")
    escaped = (both.is_target_1 & ~both.is_target_2).sum()
    stayed = (both.is_target_1 & both.is_target_2).sum()
    fell = (~both.is_target_1 & both.is_target_2).sum()
    assert min(escaped, stayed, fell) > 0


def test_income_exactly_at_the_threshold_occurs(tmp_path):
    generate(tmp_path, provinces=["34"], scale="small", seed=3, years=[2568])
    h = pq.read_table(tmp_path / "2568" / "households.parquet").to_pandas()
    m = pq.read_table(tmp_path / "2568" / "members.parquet", columns=["hh_id"]).to_pandas()
    n = h.hh_id.map(m.groupby("hh_id").size())
    total = h.income_main + h.income_secondary + h.income_other + h.income_own_production
    assert ((total / n) == 38_000).sum() > 0


def test_partitioned_scale_writes_one_file_per_province(tmp_path):
    scale = Scale("t", "test", districts=1, households_per_village=3, partitioned=True)
    summary = generate(tmp_path, provinces=["34", "38"], scale=scale, seed=1, years=[2568])
    files = sorted(p.relative_to(tmp_path).as_posix() for p in summary.files)
    assert files == [
        f"2568/{t}/{p}.parquet" for t in ("households", "members") for p in ("34", "38")
    ]
    assert not list(tmp_path.rglob("*.part"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"provinces": ["99"]}, "unknown province"),
        ({"years": "2567,abc"}, "Buddhist Era"),
        ({"years": "2024"}, "did you mean 2567"),
        ({"years": "2568,2568"}, "repeat"),
        ({"scale": "galactic"}, "unknown scale"),
        ({"fmt": "xlsx"}, "unknown format"),
    ],
)
def test_bad_arguments(tmp_path, kwargs, message):
    args = {"provinces": ["34"], "scale": "tiny", "years": "2568"} | kwargs
    with pytest.raises(SynthError, match=message):
        generate(tmp_path, **args)
    assert not any(tmp_path.iterdir())


def test_parse_years_sorts():
    assert parse_years("2568, 2567") == [2567, 2568]


def test_cli_scale_names_match_the_table():
    from cheepao.cli import generate as cli_generate

    assert tuple(cli_generate.SCALE_NAMES) == tuple(SCALES)


def test_a_widowed_spouse_becomes_head_and_relations_follow():
    from cheepao.synth import evolve
    from cheepao.synth.population import REL

    before = ["head", "spouse", "parent", "parent_in_law", "child", "stepchild", "grandchild"]
    rel = np.array([REL[r] for r in before] * 2)
    hix = np.repeat([0, 1], len(before))
    after = evolve.spouse_takes_over(rel, hix, np.array([0]))
    names = list(REL)
    assert [names[r] for r in after[: len(before)]] == [
        "spouse",
        "head",
        "parent_in_law",
        "parent",
        "child",
        "child",
        "grandchild",
    ]
    assert (after[len(before) :] == rel[len(before) :]).all(), "other households untouched"
