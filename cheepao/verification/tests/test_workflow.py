"""The workflow and deadlines are data, checked when read."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from cheepao.verification import workflow as wf


def _data():
    return yaml.safe_load(wf.WORKFLOW_FILE.read_text(encoding="utf-8"))


def test_deadlines_of_the_manual_for_a_survey_year():
    # The manual's round: 31 ธ.ค. 2564, 10 ม.ค. 2565, 15 ม.ค. 2565.
    due = {d.step: d.due(2564) for d in wf.workflow().deadlines}
    assert due == {
        "verify": date(2021, 12, 31),
        "certify": date(2022, 1, 10),
        "approve": date(2022, 1, 15),
    }


def test_days_left_overdue_and_done():
    statuses = wf.deadline_statuses(2568, {"verify": True}, today=date(2026, 1, 12))
    by_step = {s.step: s for s in statuses}
    assert by_step["verify"].done and not by_step["verify"].overdue
    assert by_step["certify"].overdue and by_step["certify"].days_overdue == 2
    assert not by_step["approve"].overdue and by_step["approve"].days_left == 3


def test_a_rounds_own_dates_take_the_place_of_the_manuals():
    statuses = wf.deadline_statuses(
        2568, {}, today=date(2026, 12, 4), dates={"verify": date(2027, 1, 3)}
    )
    by_step = {s.step: s for s in statuses}
    assert by_step["verify"].due == date(2027, 1, 3) and by_step["verify"].days_left == 30
    assert by_step["certify"].due == date(2026, 1, 10) and by_step["certify"].overdue


def test_steps_as_in_the_manual():
    steps = wf.workflow().steps
    assert (
        steps["certify"].from_states == {"submitted"} and steps["certify"].permission == "certify"
    )
    assert steps["return"].comment_required and steps["return"].to == "returned"
    assert (
        steps["approve"].from_states == {"certified"} and steps["approve"].permission == "approve"
    )
    assert wf.workflow().editable_states == {"draft", "returned"}


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("steps", "certify", "permission"), "certifyy", "unknown permission"),
        (("steps", "approve", "to"), "done", "unknown batch state"),
        (("submit", "area_lengths"), [4], "village"),
        (("deadlines", 0, "day"), 32, "day is out of range"),
        (("demo_days", "certify"), 5, "in the order of the steps"),
        (("demo_days",), {"verify": 30}, "every deadline's step"),
    ],
)
def test_a_broken_file_fails_loudly(path, value, message):
    data = _data()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises((wf.WorkflowError, ValueError), match=message):
        wf.parse(data)
