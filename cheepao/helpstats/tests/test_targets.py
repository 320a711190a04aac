from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from cheepao.helpstats import months, targets


def figures(**kw):
    base = dict(
        recorded_to_date=0, helped_to_date=0, helped_fully_to_date=0, acts_to_date=0, targets=100
    )
    return SimpleNamespace(**{**base, **kw})


def test_the_shipped_catalogue_names_the_letters_targets():
    cat = targets.catalogue()
    assert [(t.code, t.at_least, t.by_month) for t in cat.targets] == [
        ("recorded", 75, 3),
        ("helped_half", 50, 9),
        ("helped_all", 100, 12),
        ("helped_fully", 80, 12),
        ("acts_per_household", 3, 12),
    ]


def test_each_target_is_met_not_yet_or_missed_by_its_month():
    march, april = date(2026, 3, 1), date(2026, 4, 1)
    state = {
        s.target.code: (s.value, s.state)
        for s in targets.standing(figures(recorded_to_date=74, acts_to_date=300), march)
    }
    assert state["recorded"] == (pytest.approx(74), "missed")
    assert state["helped_half"][1] == "not_yet"
    assert state["acts_per_household"] == (3, "met")
    state = {s.target.code: s.state for s in targets.standing(figures(recorded_to_date=75), april)}
    assert state["recorded"] == "met"  # reached late is reached
    assert [s.value for s in targets.standing(figures(targets=0), april)] == [None] * 5


def test_bad_catalogues_are_refused():
    with pytest.raises(targets.TargetsError):
        targets.parse({"targets": [{"code": "x"}]}, "v9")
    with pytest.raises(targets.TargetsError):
        targets.parse({"year_starts_month": 13, "targets": []}, "v9")


def test_months_in_buddhist_era():
    assert months.parse("2569-11") == date(2026, 11, 1)
    assert [months.parse(t) for t in ("2569-13", "2026-11", "11/2569", "")] == [None] * 4
    assert months.code(date(2026, 1, 1)) == "2569-01"
    assert months.between(date(2025, 11, 9), date(2026, 1, 31)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]


def test_the_deadline_month_is_missed_only_once_it_has_ended(monkeypatch):
    """On 5 December the December targets are not yet missed (the month is still running);
    from 1 January they are."""
    from django.utils import timezone

    december = date(2026, 12, 1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 12, 5))
    state = {s.target.code: s.state for s in targets.standing(figures(helped_to_date=90), december)}
    assert state["helped_all"] == "not_yet"
    assert state["recorded"] == "missed"  # March's target, long past
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2027, 1, 1))
    state = {s.target.code: s.state for s in targets.standing(figures(helped_to_date=90), december)}
    assert state["helped_all"] == "missed"
