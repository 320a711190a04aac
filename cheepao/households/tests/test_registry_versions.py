"""A registry is one run of one catalogue version; runs are never merged (ADR 0019).

A second run of a loaded survey year (recomputed, here under the next catalogue version)
is refused unless it is loaded as the year's next registry version; a run whose catalogue
is not the file it recorded is refused; the same run loads again into its own version.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.core.errors import Conflict, Invalid
from cheepao.engine import api as engine
from cheepao.engine import pipeline
from cheepao.engine.tests.fixtures import survey as s
from cheepao.households import selectors, services
from cheepao.households.models import Household, Member, Problem, RegistryYear

pytestmark = pytest.mark.django_db

V1_SHA = "5e023589acb7264ed541fad314160352cdef5cc6f6818fbde079dddd6cdc8118"


def _run(tmp_path, name: str, hh_ids: list[str], indicator_set: str) -> str:
    """A run of survey year 2568: every household listed is a target (30,000 baht a year
    for one person fails I3); `KEEP` is a household that is not."""
    folder = tmp_path / f"{name}-survey"
    folder.mkdir()
    hh = [s.household(h, income_main="30000") for h in hh_ids]
    hh.append(s.household("KEEP", income_main="200000"))
    mb = [s.member(h, 1, 40) for h in [*hh_ids, "KEEP"]]
    hp = s.write_csv(folder / "households.csv", engine.contract.HOUSEHOLDS, hh)
    mp = s.write_csv(folder / "members.csv", engine.contract.MEMBERS, mb)
    pipeline.run_compute(hp, mp, tmp_path / name, indicator_set=indicator_set)
    return str(tmp_path / name)


def _state() -> tuple:
    return (
        list(RegistryYear.objects.values_list("survey_year", "version", "run_path", "manifest")),
        Household.objects.count(),
        Member.objects.count(),
        Problem.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def two_runs(tmp_path):
    """Run A of 2568 under catalogue version 1 (loaded), run B of the same year recomputed
    under version 2 with one household more."""
    a = _run(tmp_path, "a", ["A1", "A2"], "tpmap_mpi_17@v1")
    b = _run(tmp_path, "b", ["A1", "A2", "B3"], "tpmap_mpi_17@v2")
    services.registry_load(ctx=Context.cli(), run=a)
    return a, b


def test_a_registry_reads_the_catalogue_version_it_was_loaded_from(two_runs):
    registry = RegistryYear.objects.get()
    assert (registry.version, registry.indicator_set_version) == (1, "1")
    assert registry.indicator_set_sha256 == V1_SHA
    # the registry's rules are version 1's file, not the newest set
    assert (registry.catalogue.version, registry.catalogue.sha256) == (1, V1_SHA)


def test_another_run_of_a_loaded_year_is_refused_and_changes_nothing(two_runs):
    a, b = two_runs
    before = _state()
    with pytest.raises(Conflict) as refused:
        services.registry_load(ctx=Context.cli(), run=b)
    assert refused.value.code == "registry.year_loaded"
    assert refused.value.params == {"year": "2568", "version": 1, "loaded": a}
    with translation.override("th"):
        assert refused.value.message == (
            f"ปีสำรวจ 2568 มีอยู่ในทะเบียนแล้ว (ฉบับที่ 1 จากผลการคำนวณ {a}) "
            "ผลการคำนวณอีกชุดของปีเดียวกันจะไม่ถูกรวมเข้าไป ขอให้ท่านนำเข้าเป็นทะเบียนฉบับใหม่ของปีนั้น "
            "(load_registry --new-version) หรือนำเข้าผลการคำนวณชุดเดิม"
        )
    assert _state() == before
    with pytest.raises(CommandError, match=r"\[registry\.year_loaded\]"):
        call_command("load_registry", "--run", b)
    assert _state() == before
    assert set(Household.objects.values_list("hh_id", flat=True)) == {"A1", "A2"}


def test_a_new_registry_version_stands_beside_the_first_never_merged(two_runs, capsys):
    a, b = two_runs
    first = RegistryYear.objects.get()
    first_households = set(Household.objects.filter(registry=first).values_list("pk", flat=True))

    call_command("load_registry", "--run", b, "--new-version")
    assert "survey year 2568 (registry version 2): 3 households" in capsys.readouterr().out
    second = RegistryYear.objects.get(version=2)
    assert (second.survey_year, second.indicator_set_version) == (2568, "2")
    assert second.catalogue.version == 2
    # each version has its own households; version 1 is as it was
    assert set(Household.objects.filter(registry=first).values_list("pk", flat=True)) == (
        first_households
    )
    assert sorted(Household.objects.filter(registry=second).values_list("hh_id", flat=True)) == [
        "A1",
        "A2",
        "B3",
    ]
    assert (first.households, second.households) == (2, 3)
    load = AuditEvent.objects.filter(action="load").latest("id")
    assert load.changes["version"] == 2 and load.changes["indicator_set"] == "tpmap_mpi_17@v2"
    # pages read the newest version of a year unless asked for another
    assert selectors.registry_latest() == second
    assert selectors.registry_get(2568) == second
    assert selectors.registry_get("2568", "1") == first
    assert selectors.registry_get("2568", "9") == second

    # the same run loads again into its own version, adding nothing
    before = _state()
    again = services.registry_load(ctx=Context.cli(), run=b)
    assert (again.version, again.households_created, again.households_present) == (2, 0, 3)
    assert services.registry_load(ctx=Context.cli(), run=a).version == 1
    assert _state()[1:4] == before[1:4]
    # and is never made a version twice
    assert services.registry_load(ctx=Context.cli(), run=b, new_version=True).version == 2
    assert RegistryYear.objects.count() == 2
    assert _state()[1:4] == before[1:4]


@pytest.mark.parametrize(
    "claims",
    [
        {"catalogue_sha256": V1_SHA},  # says version 2, hashes version 1's file
        {"indicator_set_version": 1, "catalogue_sha256": "0" * 64},
        {"indicator_set_version": 3},
        {"catalogue_sha256": None},
    ],
)
def test_a_run_whose_catalogue_is_not_the_one_it_claims_is_refused(tmp_path, claims):
    run = _run(tmp_path, "run", ["A1"], "tpmap_mpi_17")
    path = tmp_path / "run" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, **claims}), encoding="utf-8")
    before = _state()
    with pytest.raises(Invalid) as refused:
        services.registry_load(ctx=Context.cli(), run=run)
    assert refused.value.code == "registry.catalogue_differs"
    assert refused.value.params["run"] == run
    with translation.override("th"):
        assert refused.value.message.startswith(f"ผลการคำนวณ {run} ระบุว่าคำนวณด้วยชุดตัวชี้วัด")
    assert _state() == before
    with pytest.raises(CommandError, match=r"\[registry\.catalogue_differs\]"):
        call_command("load_registry", "--run", run, "--new-version")
    assert _state() == before


def test_the_start_page_shows_the_newest_version_and_names_both(
    two_runs, geography, client, make_user, sign_in
):
    _, b = two_runs
    services.registry_load(ctx=Context.cli(), run=b, new_version=True)
    sign_in(client, make_user("national"))
    html = client.get("/registry/").content.decode()
    assert 'aria-current="true">ปีสำรวจ 2568 ทะเบียนฉบับที่ 2</strong>' in html
    assert 'href="?year=2568&amp;version=1">ปีสำรวจ 2568 ทะเบียนฉบับที่ 1</a>' in html
    overview = selectors.area_overview(
        make_user("national"), selectors.registry_get("2568"), ""
    ).total
    assert overview.households == 3
    older = client.get("/registry/?year=2568&version=1").content.decode()
    assert 'aria-current="true">ปีสำรวจ 2568 ทะเบียนฉบับที่ 1</strong>' in older
    assert "?year=2568&amp;version=1" in older.split("</h1>", 1)[1]  # links keep the version


# ---------------------------------------------------------------- the national load page


@pytest.fixture
def national_page(two_runs, tmp_path, settings, client, make_user, sign_in, geography):
    """The national "load a survey year" page over the runs directory holding runs A (loaded)
    and B of the same year."""
    settings.CHEEPAO_RUNS_DIR = tmp_path
    user = make_user("national")
    sign_in(client, user)
    return user


def test_the_load_page_offers_a_new_version_off_by_default(national_page, client):
    html = client.get("/registry/load/").content.decode()
    assert '<input type="checkbox" name="new_version" value="1" id="new-version"' in html
    assert 'id="new-version" aria-describedby' in html  # not checked
    assert "นำเข้าเป็นทะเบียนฉบับใหม่" in html
    assert "ทั้งสองชุดจะไม่ถูกรวมกัน" in html


def test_the_load_page_refuses_another_run_of_a_loaded_year_before_queuing(
    national_page, client, two_runs
):
    from cheepao.jobs.models import Job

    a, _ = two_runs
    before = _state()
    response = client.post("/registry/load/", {"run": "b"})
    assert response.status_code == 409
    html = response.content.decode()
    assert f"ปีสำรวจ 2568 มีอยู่ในทะเบียนแล้ว (ฉบับที่ 1 จากผลการคำนวณ {a})" in html
    assert 'value="b" checked' in html
    assert not Job.objects.exists()  # nothing queued
    assert _state() == before
    assert set(Household.objects.values_list("hh_id", flat=True)) == {"A1", "A2"}


def test_the_load_page_loads_a_new_version_when_asked(national_page, client):
    from cheepao.jobs.models import Job

    response = client.post("/registry/load/", {"run": "b", "new_version": "1"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert job.params == {"run": "b", "new_version": True}
    assert (job.state, job.result["households_created"]) == ("done", 3)
    first, second = RegistryYear.objects.order_by("version")
    assert (first.version, first.households, second.version, second.households) == (1, 2, 2, 3)
    assert sorted(Household.objects.filter(registry=second).values_list("hh_id", flat=True)) == [
        "A1",
        "A2",
        "B3",
    ]
    load = AuditEvent.objects.filter(action="load").latest("id")
    assert (load.actor, load.channel, load.changes["version"]) == (national_page, "task", 2)


def test_the_same_run_loads_again_from_the_page_without_the_box(national_page, client):
    from cheepao.jobs.models import Job

    response = client.post("/registry/load/", {"run": "a"})
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.state, job.result["households_present"]) == ("done", 2)
    assert RegistryYear.objects.count() == 1
