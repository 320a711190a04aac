"""The plan's rules are data: the workflow (workflows/<version>.yaml) and the stage
catalogue (stages/<version>.yaml). Released files never change; every text has its Thai;
a changed YAML changes what the services do, with no change of code."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from cheepao.core import errors
from cheepao.core.context import Context
from cheepao.plans import services, stages, workflow
from cheepao.plans.stages import Facts
from cheepao.plans.tests.helpers import item

HERE = Path(__file__).resolve().parent.parent


def test_released_workflows_and_stages_are_unchanged():
    for folder in ("workflows", "stages"):
        lines = (HERE / folder / "SHA256SUMS").read_text().splitlines()
        released = dict(reversed(line.split("  ", 1)) for line in lines if line)
        assert set(released) == {p.name for p in (HERE / folder).glob("v*.yaml")}
        for name, digest in released.items():
            assert hashlib.sha256((HERE / folder / name).read_bytes()).hexdigest() == digest


def test_every_workflow_text_has_its_thai():
    flow = workflow.workflow("v1")
    with translation.override("th"):
        for step in flow.steps.values():
            for text in (step.label_text, step.button_text, step.done_message):
                assert text and not text.isascii(), (step.name, text)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["steps"]["approve"].update(permission="certify"), "permission"),
        (lambda d: d["steps"]["approve"].update(to="archived"), "unknown state"),
        (lambda d: d["steps"]["approve"].update(event="submitted"), "event of its own"),
        (lambda d: d["steps"]["approve"].update(history="%(batch)s"), "history may use"),
        (lambda d: d.update(editable_states=["gone"]), "editable_states"),
    ],
)
def test_a_wrong_workflow_is_refused_when_read(change, message):
    data = yaml.safe_load((HERE / "workflows" / "v1.yaml").read_text())
    change(data)
    with pytest.raises(workflow.WorkflowError, match=message):
        workflow.parse(data, version="v9")


@pytest.fixture
def workflow_v2(settings, tmp_path):
    """A v2 beside v1 in which returning a plan needs no comment."""
    shutil.copy(HERE / "workflows" / "v1.yaml", tmp_path / "v1.yaml")
    data = yaml.safe_load((HERE / "workflows" / "v1.yaml").read_text())
    data["steps"]["return"]["comment"] = "optional"
    for step in data["steps"].values():
        step["event"] = f"{step['event']}_next"
    (tmp_path / "v2.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    settings.PLANS_WORKFLOW_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_a_new_workflow_version_changes_the_steps(workflow_v2, cared):
    mentor, team = Context.cli(cared["mentor"]), Context.cli(cared["team"])
    plan = services.plan_start(ctx=mentor, household_id=cared["household"].pk)
    assert plan.workflow_version == "v2"
    plan = services.plan_save(ctx=mentor, plan_id=plan.pk, version=plan.version, data={"goal": "ก"})
    services.item_add(ctx=mentor, plan_id=plan.pk, version=plan.version, data=item("income"))
    plan.refresh_from_db()
    plan = services.plan_step(ctx=mentor, plan_id=plan.pk, step="submit", version=plan.version)
    plan = services.plan_step(ctx=team, plan_id=plan.pk, step="return", version=plan.version)
    assert plan.status == "returned" and plan.review_comment == ""
    from cheepao.households.models import HouseholdEvent

    assert HouseholdEvent.objects.filter(kind="plans.returned_next").count() == 1


# ---------------------------------------------------------------- the stage catalogue


def test_the_stage_rule_reads_the_dimensions_and_the_items():
    cat = stages.catalogue("v1")
    assert cat.propose(Facts({"income": ["I3"]}, 0, 0)).code == ""
    assert cat.propose(Facts({"education": ["E2"]}, 0, 2)).code == "survive"
    assert cat.propose(Facts({"education": ["E2"]}, 1, 2)).code == "sufficient"
    assert cat.propose(Facts({}, 2, 2)).code == "sustainable"
    proposal = cat.propose(Facts({"living": ["L1", "L2"]}, 1, 4))
    with translation.override("th"):
        lines = [line.text for _stage, lines in proposal.evidence for line in lines]
    assert lines[0] == "ยังมีปัญหาค้างในด้านความเป็นอยู่ (L1, L2)"
    assert "กิจกรรมตามแผนเสร็จแล้ว 1 จาก 4 (เกณฑ์อย่างน้อยร้อยละ 50)" in lines


@pytest.fixture
def stages_dir(settings, tmp_path):
    shutil.copy(HERE / "stages" / "v1.yaml", tmp_path / "v1.yaml")
    settings.PLANS_STAGES_DIR = tmp_path
    return tmp_path


def test_a_changed_catalogue_changes_the_proposal(stages_dir):
    facts = Facts({"education": ["E2"]}, 1, 4)
    assert stages.catalogue().propose(facts).code == "survive"  # 25% done, 50% needed
    data = yaml.safe_load((stages_dir / "v1.yaml").read_text())
    data["stages"][1]["rules"][1]["at_least"] = 0.25
    (stages_dir / "v2.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    proposal = stages.catalogue().propose(facts)
    assert (proposal.version, proposal.code) == ("v2", "sufficient")


@pytest.mark.parametrize(
    "rule, message",
    [
        ({"kind": "sunny_days"}, "unknown rule kind"),
        ({"kind": "passes_dimensions", "dimensions": ["wealth"]}, "dimensions among"),
        ({"kind": "items_done_share", "at_least": 2}, "at most 1"),
    ],
)
def test_a_wrong_stage_rule_is_refused_when_read(rule, message):
    data = yaml.safe_load((HERE / "stages" / "v1.yaml").read_text())
    data["stages"][0]["rules"] = [rule]
    with pytest.raises(stages.StageError, match=message):
        stages.parse(data, version="v9")


@pytest.mark.django_db
def test_the_confirmed_stage_is_the_proposal_of_the_catalogue(stages_dir, cared):
    """The team confirms what the catalogue proposes now; a YAML change moves it."""
    mentor, team = Context.cli(cared["mentor"]), Context.cli(cared["team"])
    plan = services.plan_start(ctx=mentor, household_id=cared["household"].pk)
    plan = services.plan_save(ctx=mentor, plan_id=plan.pk, version=plan.version, data={"goal": "ก"})
    services.item_add(ctx=mentor, plan_id=plan.pk, version=plan.version, data=item("income"))
    plan.refresh_from_db()
    plan = services.plan_step(ctx=mentor, plan_id=plan.pk, step="submit", version=plan.version)
    assert services.stage_propose(plan).code == ""  # fails two dimensions
    data = yaml.safe_load((stages_dir / "v1.yaml").read_text())
    data["stages"][0]["rules"] = [{"kind": "passes_dimensions", "dimensions": ["access"]}]
    (stages_dir / "v2.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    proposal = services.stage_propose(plan)
    failing = services.stage_facts(plan).failing
    expected = "" if failing.get("access") else "survive"
    assert proposal.code == expected
    with pytest.raises(errors.Conflict):
        services.stage_confirm(ctx=team, plan_id=plan.pk, stage="sustainable")
    found = services.stage_confirm(ctx=team, plan_id=plan.pk, stage=expected)
    assert (found.stage, found.catalogue_version) == (expected, "v2")
