"""The area read model (ADR 0020): built at load equal to the engine's register of the run,
cell for cell; refreshed after certified changes for the areas they touched, equal to a plain
count of the registry's rows; built in a few grouped queries whatever the number of areas."""

from __future__ import annotations

import re
from datetime import timedelta

import pandas as pd
import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.utils import timezone

from cheepao.audit.models import AuditEvent
from cheepao.cli import main
from cheepao.conftest import RUN_YEAR
from cheepao.core.context import Context
from cheepao.engine import api as engine
from cheepao.households import areas, services
from cheepao.households.models import AreaSummary, Household, Problem, RegistryYear

pytestmark = pytest.mark.django_db

COUNT_COLUMNS = [
    "target_households",
    "welfare_card_holders",
    "members",
    "dim_health",
    "dim_living",
    "dim_education",
    "dim_income",
    "dim_access",
    "target_persons",
]


def _same_register(registry: RegistryYear, run: engine.Run) -> None:
    for level in engine.REGISTER_LEVELS:
        ours = areas.register_counts(registry, level)
        theirs = run.register(level)
        assert list(ours.columns) == list(theirs.columns), level
        pd.testing.assert_frame_equal(
            ours.reset_index(drop=True),
            theirs.reset_index(drop=True),
            check_dtype=False,
            obj=f"register of level {level}",
        )


def test_load_builds_the_summary_equal_to_the_run_s_register_cell_for_cell(registry, runs_dir):
    run = engine.open_run(runs_dir / str(RUN_YEAR))
    _same_register(registry, run)
    # Villages without a target household are listed with zeros, as the run lists them.
    zeros = run.register("village")
    assert (zeros.target_households == 0).any()
    # The country's row is the run's total; critical households are those of the run.
    country = areas.summary_of(registry, "")
    totals = run.register("province")[COUNT_COLUMNS].sum()
    assert country.target_households == totals.target_households
    assert country.target_persons == totals.target_persons
    hh = run.households().to_pandas()
    assert country.critical == int((hh.is_target & hh.is_critical).sum())
    assert country.run_created_at == run.manifest["created_at"] == registry.run_created_at
    assert country.certified_changes == 0 and country.last_change_at is None
    assert AuditEvent.objects.filter(
        object_type="households.registryyear", action="update", changes__areas__gt=0
    ).exists()


def test_a_tpmap2562_registry_counts_welfare_card_holders_as_its_target_persons(
    engine_runs_dir, geography, tmp_path
):
    """The other target profile: the register's target persons are the card holders."""
    out = tmp_path / "tpmap2562"
    survey = engine_runs_dir.parent / "survey" / str(RUN_YEAR)
    args = ["compute", "--input", str(survey), "--out", str(out), "--profile", "tpmap2562"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    call_command("load_registry", "--run", str(out))
    registry = RegistryYear.objects.get(survey_year=RUN_YEAR)
    assert registry.profile == "tpmap2562"
    _same_register(registry, engine.open_run(out))
    country = areas.summary_of(registry, "")
    assert country.target_persons == country.welfare_card_holders > 0


def test_the_full_build_is_a_few_grouped_queries(registry, django_assert_max_num_queries):
    n_areas = AreaSummary.objects.filter(registry=registry).count()
    assert n_areas > 50
    with django_assert_max_num_queries(12):
        assert services.area_summary_build(ctx=Context.cli(), registry=registry) == n_areas


# ---------------------------------------------------------------- after certified changes


def _plain_counts(registry: RegistryYear) -> dict[str, areas.Counts]:
    """The register of every village counted household by household in Python: the
    definitions of `areas` written out, to hold the grouped queries to."""
    cat = registry.catalogue
    household_codes = {i.code for i in cat.indicators if i.unit == "household"}
    requires = cat.profile(registry.profile).requires
    out: dict[str, areas.Counts] = {}
    households = Household.objects.filter(registry=registry, status="active").prefetch_related(
        "members", "problems"
    )
    for h in households:
        c = out.setdefault(h.village_code, areas.Counts())
        open_now = {p.indicator: p.dimension for p in h.problems.all() if p.status == "open"}
        c.target_households += 1
        c.members += h.n_members
        c.critical += h.is_critical
        for d in set(open_now.values()):
            c.dimensions[d] = c.dimensions.get(d, 0) + 1
        for m in h.members.all():
            deprived = bool(household_codes & set(open_now)) or any(
                code in open_now for code in m.failing
            )
            if deprived:
                c.welfare_card_holders += m.welfare_card
                c.target_persons += all(getattr(m, flag) for flag in requires)
    return out


def _rows(registry: RegistryYear) -> dict[tuple[str, str], dict]:
    fields = [*areas.COUNTS, "dimensions"]
    return {
        (r.level, r.area_code): {f: getattr(r, f) for f in fields}
        for r in AreaSummary.objects.filter(registry=registry)
    }


def _changes(registry: RegistryYear) -> tuple[list[str], Household]:
    """Certified changes written the way approval writes them: a person-level problem
    certified away, a household-level one certified away, one added in the field, and an
    inclusion error removed from the registry. Returns the villages touched and the
    household removed."""
    cat = registry.catalogue
    person = {i.code for i in cat.indicators if i.unit == "person"}
    household_level = {i.code for i in cat.indicators if i.unit == "household"}
    touched = []
    p = (
        Problem.objects.filter(household__registry=registry, indicator__in=person, status="open")
        .order_by("pk")
        .first()
    )
    q = (
        Problem.objects.filter(
            household__registry=registry, indicator__in=household_level, status="open"
        )
        .exclude(household=p.household)
        .order_by("pk")
        .first()
    )
    for problem in (p, q):
        problem.status = Problem.Status.REMOVED
        problem.save(update_fields=["status"])
        services.household_refresh_counts(ctx=Context.cli(), household=problem.household)
        touched.append(problem.household.village_code)
    added_to = Household.objects.filter(registry=registry).exclude(pk=q.household_id).last()
    missing = sorted(household_level - set(added_to.problems.values_list("indicator", flat=True)))[
        0
    ]
    Problem.objects.create(
        household=added_to,
        indicator=missing,
        dimension=cat.indicator(missing).dimension,
        origin=Problem.Origin.FIELD,
    )
    services.household_refresh_counts(ctx=Context.cli(), household=added_to)
    removed = Household.objects.filter(registry=registry).exclude(village_code__in=touched).first()
    removed.status = Household.Status.REMOVED
    removed.save(update_fields=["status"])
    touched += [added_to.village_code, removed.village_code]
    return touched, removed


def test_refresh_after_certified_changes_counts_what_the_registry_now_holds(registry):
    before = _rows(registry)
    built_before = {
        (r.level, r.area_code): r.built_at for r in AreaSummary.objects.filter(registry=registry)
    }
    touched, removed = _changes(registry)
    at = timezone.now() - timedelta(minutes=1)
    change = areas.Change("verification.batch", "7", removed.subdistrict_code, at)
    done = services.area_summary_refresh(registry=registry, village_codes=touched, change=change)

    # The villages touched and every area above them, nothing else.
    above = {key for v in touched for key in areas.parent_codes(v)}
    assert set(done) == {("village", v) for v in touched} | above
    after = _rows(registry)
    for key, row in after.items():
        if key not in set(done):
            assert row == before[key], key
    untouched = AreaSummary.objects.filter(registry=registry).exclude(
        level__in=[level for level, _ in done], area_code__in=[code for _, code in done]
    )
    assert untouched.exists()
    assert all(r.built_at == built_before[(r.level, r.area_code)] for r in untouched)
    plain = _plain_counts(registry)
    dims = [d.code for d in registry.catalogue.dimensions]
    for v in touched:
        assert after[("village", v)] == plain.get(v, areas.Counts()).fields(dims), v
    # One household fewer at every level above the removed one.
    for level, code in [
        ("village", removed.village_code),
        *areas.parent_codes(removed.village_code),
    ]:
        assert (
            after[(level, code)]["target_households"]
            <= before[(level, code)]["target_households"] - 1
        )
    # The same figures as building the whole summary again from the rows.
    services.area_summary_build(ctx=Context.cli(), registry=registry)
    assert _rows(registry) == after

    # Each refreshed row names the change it reflects; the others still name none.
    for level, code in done:
        row = AreaSummary.objects.get(registry=registry, level=level, area_code=code)
        assert row.certified_changes == 1
        assert row.last_change["object_id"] == "7"
        assert row.last_change_at == at
    others = AreaSummary.objects.filter(registry=registry, level="village").exclude(
        area_code__in=touched
    )
    assert others.exists()
    assert not others.filter(certified_changes__gt=0).exists()


def test_every_village_counted_by_the_grouped_queries_as_by_hand(registry):
    _changes(registry)
    counted = areas.village_counts(registry)
    plain = _plain_counts(registry)
    assert set(counted) == set(plain)
    dims = [d.code for d in registry.catalogue.dimensions]
    for code, c in plain.items():
        assert counted[code].fields(dims) == c.fields(dims), code


def test_a_refresh_waits_for_the_commit_and_forgets_a_rollback(
    registry, django_capture_on_commit_callbacks
):
    village = Household.objects.filter(registry=registry).first().village_code
    before = areas.summary_of(registry, village).target_households

    def remove_one() -> None:
        Household.objects.filter(registry=registry, village_code=village).filter(
            pk=Household.objects.filter(registry=registry, village_code=village).first().pk
        ).update(status=Household.Status.REMOVED)
        services.area_summary_refresh_on_commit(registry=registry, village_codes=[village])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        remove_one()
        assert areas.summary_of(registry, village).target_households == before
    assert len(callbacks) == 1
    callbacks[0]()
    assert areas.summary_of(registry, village).target_households == before - 1


def test_a_registry_never_summarised_is_left_to_the_full_build(registry):
    AreaSummary.objects.filter(registry=registry).delete()
    village = Household.objects.filter(registry=registry).first().village_code
    assert services.area_summary_refresh(registry=registry, village_codes=[village]) == []
    assert not AreaSummary.objects.exists()
    assert not areas.summary_built(registry)
    call_command("build_area_summary", "--year", str(RUN_YEAR))
    assert areas.summary_built(registry)


# ---------------------------------------------------------------- the signed-in pages


def _table(html: str) -> list[list[str]]:
    start = html.index('id="register-caption"')
    table = html[html.rindex("<table", 0, start) : html.index("</table>", start)]
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells]
        for cells in (
            re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)
            for tr in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
        )
    ]


def test_the_start_page_prints_the_summary_register_of_the_areas_below(
    client, make_user, sign_in, registry, runs_dir
):
    run = engine.open_run(runs_dir / str(RUN_YEAR))
    sign_in(client, make_user("province", "34"))
    html = client.get("/registry/").content.decode()
    expected = engine.register_table(run.register("district", "34"), "district", run.catalogue)
    rows = _table(html)
    assert rows[0] == [str(c) for c in expected.columns]  # the seed's headers, ที่ and อำเภอ
    body = [[str(v) for v in r] for r in expected.itertuples(index=False, name=None)]
    assert [r[:2] for r in rows[1:]] == [r[:2] for r in body]
    assert [[int(c.replace(",", "")) for c in r[2:]] for r in rows[1:]] == [
        [int(c) for c in r[2:]] for r in body
    ]
    assert "ตัวเลขจากทะเบียนครัวเรือนเป้าหมาย ปีสำรวจ 2568 ซึ่งนำเข้าจากผลการคำนวณเมื่อ" in html
    assert 'href="/registry/area/3401/"' in html


def test_a_registry_without_its_summary_says_how_to_compute_it(
    client, make_user, sign_in, registry
):
    AreaSummary.objects.filter(registry=registry).delete()
    sign_in(client, make_user("province", "34"))
    html = client.get("/registry/").content.decode()
    assert "python manage.py build_area_summary --year 2568" in html
    assert 'id="register-caption"' not in html
    assert re.search(r"<dt>ครัวเรือนเป้าหมาย</dt><dd>0</dd>", html)
