"""Loading an engine run into the registry, through the management command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from cheepao.audit.models import AuditEvent
from cheepao.engine import api as engine
from cheepao.households.models import Household, Member, Problem, RegistryYear

pytestmark = pytest.mark.django_db


def _load(run_dir) -> None:
    call_command("load_registry", "--run", str(run_dir))


def test_load_matches_the_run_and_a_second_load_adds_nothing(runs_dir, capsys):
    run_dir = runs_dir / "2568"
    run = engine.open_run(run_dir)
    hh = run.households().to_pandas()
    targets = hh[hh.is_target]
    persons = run.persons().to_pandas()
    persons = persons[persons.is_target]
    d_cols = [c for c in hh.columns if c.startswith("d_")]

    _load(run_dir)
    assert Household.objects.count() == len(targets)
    assert Member.objects.count() == len(persons)
    assert Problem.objects.count() == int(targets[d_cols].sum().sum())
    assert Member.objects.filter(is_target_person=True).count() == int(
        persons.is_target_person.sum()
    )
    registry = RegistryYear.objects.get()
    assert registry.survey_year == 2568
    assert registry.households == len(targets)
    assert registry.indicator_set_id == run.manifest["indicator_set_id"]
    assert AuditEvent.objects.filter(action="load").count() == 1

    # One household in full: flags → problems, members in order, counts as computed.
    row = targets.sort_values("hh_id").iloc[0]
    household = Household.objects.get(hh_id=row.hh_id)
    assert sorted(household.problems.values_list("indicator", flat=True)) == sorted(
        c[2:] for c in d_cols if row[c]
    )
    assert household.n_dims == row.n_dims
    assert household.village_code == row.village_code
    assert list(household.members.values_list("member_no", flat=True)) == sorted(
        persons[persons.hh_id == row.hh_id].member_no
    )

    before = (Household.objects.count(), Member.objects.count(), Problem.objects.count())
    _load(run_dir)
    assert (Household.objects.count(), Member.objects.count(), Problem.objects.count()) == before
    out = capsys.readouterr().out
    assert f"{len(targets):,} households were already in the registry" in out


def test_missing_run_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(CommandError, match=r"manifest\.json missing"):
        _load(tmp_path / "nowhere")
    assert RegistryYear.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_member_with_a_bad_national_id_is_loaded_counted_and_flagged(
    tmp_path, geography, client, make_user, sign_in
):
    """Issue 9 item 12, end to end: the survey's second member has a PIN with a wrong check
    digit. The member is kept (70,000 baht for two people: 35,000 each, I3), and the folder
    tells the team, in Thai, which ID to correct."""
    from decimal import Decimal

    from cheepao.engine import pipeline
    from cheepao.engine.tests.fixtures import survey as s

    hh = [s.household("BADPIN", income_main="70000")]
    mb = [s.member("BADPIN", 1, 40, seq=1), s.member("BADPIN", 2, 38, seq=2, pin="1101700230701")]
    hp = s.write_csv(tmp_path / "households.csv", engine.contract.HOUSEHOLDS, hh)
    mp = s.write_csv(tmp_path / "members.csv", engine.contract.MEMBERS, mb)
    manifest = pipeline.run_compute(hp, mp, tmp_path / "run")
    assert manifest["rejects"] == {
        "households": 0,
        "members": 0,
        "members_to_correct": 1,
        "problems": {"pin_check_digit": 1},
    }
    _load(tmp_path / "run")

    household = Household.objects.get(hh_id="BADPIN")
    assert household.n_members == 2
    assert household.income_per_person == Decimal("35000.00")
    assert list(household.problems.values_list("indicator", flat=True)) == ["I3"]
    assert household.needs_correction
    first, second = household.members.order_by("member_no")
    assert (first.data_problems, second.data_problems) == ([], ["pin_check_digit"])
    assert second.pin == "1101700230701"

    sign_in(client, make_user("national"))
    html = client.get(f"/registry/household/{household.pk}/").content.decode()
    assert "ข้อมูลที่ต้องแก้ไข" in html
    assert (
        f"สมาชิกลำดับที่ 2 {second.full_name}: หลักตรวจสอบของเลขประจำตัวประชาชนไม่ถูกต้อง น่าจะพิมพ์เลขผิด"
    ) in html
    assert "สมาชิกลำดับที่ 1" not in html
