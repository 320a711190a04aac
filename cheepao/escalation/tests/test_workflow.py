"""The clocks' catalogue: calendar days and working days (weekends and the year's public
holidays), the checks on a version, and the released version's hash."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from cheepao.escalation import workflow as wf

BKK = zoneinfo.ZoneInfo("Asia/Bangkok")


def at(y, m, d, h=10) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, tzinfo=BKK)


def test_the_shipped_version_is_released_and_read():
    flow = wf.workflow("v1")
    assert wf.current_version() == "v1" and "v1.yaml" in wf.released()
    assert list(flow.steps) == ["district", "province", "provincial_agency"]
    assert flow.step("district").escalates and flow.step("district").next == "province"
    assert not flow.step("province").escalates
    assert flow.step("provincial_agency").after_return == "district"
    assert flow.starting_on("case_opened").name == "district"


def test_calendar_days_count_every_day():
    flow = wf.workflow("v1")
    # 30 calendar days from Friday 3 April 2026 (Songkran and weekends count).
    assert flow.due(flow.step("district"), at(2026, 4, 3)) == at(2026, 5, 3)


def test_working_days_skip_weekends_and_holidays():
    flow = wf.workflow("v1")
    province = flow.step("province")  # 7 working days
    # Thursday 9 April 2026: Fri 10 (1), Songkran 13-15 holidays, 16 (2), 17 (3),
    # 20 (4), 21 (5), 22 (6), 23 (7).
    assert flow.due(province, at(2026, 4, 9)) == at(2026, 4, 23)
    # Monday 7 September 2026, no holiday: Wednesday 16 September (7 working days).
    assert flow.due(province, at(2026, 9, 7)) == at(2026, 9, 16)
    # Started on a Saturday: the count starts on Monday.
    assert flow.due(province, at(2026, 9, 5)) == at(2026, 9, 15)
    assert not flow.working_day(datetime.date(2026, 12, 31))
    assert flow.working_day(datetime.date(2027, 1, 1))  # a year not listed: Mon-Fri only


def _spec(**district) -> dict:
    step = {
        "level": "district", "days": 30, "count": "calendar", "starts_on": "case_opened",
        "ends_on": "escalated", "overdue": "escalate", "next": "province",
        "reason": "late", **district,
    }  # fmt: skip
    return {"steps": {"district": step}}


@pytest.mark.parametrize(
    "change",
    [
        {"days": 0},
        {"days": "30"},
        {"count": "lunar"},
        {"level": "village"},
        {"overdue": "escalate", "next": ""},
        {"reason": ""},
        {"next": "district"},
        {"starts_on": "referred"},
        {"waits": {"Bad Code": "x"}},
        {"colour": "red"},
    ],
)
def test_a_wrong_step_is_refused(change):
    with pytest.raises(wf.WorkflowError):
        wf.parse(_spec(**change))


def test_holidays_must_be_dates_of_their_year():
    data = _spec()
    data["holidays"] = {2026: [datetime.date(2025, 1, 1)]}
    with pytest.raises(wf.WorkflowError):
        wf.parse(data)
    with pytest.raises(wf.WorkflowError):
        wf.parse({"steps": {}})  # no district clock


def test_an_edited_release_is_refused(tmp_path, settings):
    (tmp_path / "v1.yaml").write_bytes((wf.WORKFLOW_DIR / "v1.yaml").read_bytes() + b"\n# edit\n")
    (tmp_path / "SHA256SUMS").write_text((wf.WORKFLOW_DIR / "SHA256SUMS").read_text())
    settings.ESCALATION_WORKFLOW_DIR = str(tmp_path)
    with pytest.raises(wf.WorkflowError):
        wf.workflow("v1")
