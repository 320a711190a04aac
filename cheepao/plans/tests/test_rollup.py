"""The roll-up of an area's plans counts exactly the current approved and submitted plans'
items (drafts, returned plans and older versions are left out), by dimension, kind of help,
agency and village, households counted once per line."""

from __future__ import annotations

import pytest

from cheepao.core.context import Context
from cheepao.households.models import Household
from cheepao.plans import selectors, services
from cheepao.plans.tests.helpers import busiest_subdistrict, item, put_in_care

pytestmark = pytest.mark.django_db


def _plan(mentor, household, items, *, to):
    ctx = Context.cli(mentor)
    plan = services.plan_start(ctx=ctx, household_id=household.pk)
    plan = services.plan_save(ctx=ctx, plan_id=plan.pk, version=plan.version, data={"goal": "ก"})
    for data in items:
        services.item_add(ctx=ctx, plan_id=plan.pk, version=plan.version, data=data)
        plan.refresh_from_db()
    return plan


def _step(user, plan, step, comment=""):
    return services.plan_step(
        ctx=Context.cli(user), plan_id=plan.pk, step=step, version=plan.version, comment=comment
    )


def test_rollup_counts(registry, make_user):
    subdistrict = busiest_subdistrict(registry)  # five households or more, two villages or more
    homes = list(
        Household.objects.filter(registry=registry, subdistrict_code=subdistrict).order_by(
            "village_code", "pk"
        )[:5]
    )
    assert len({h.village_code for h in homes}) >= 2
    mentor = make_user("mentor", subdistrict)
    team = make_user("subdistrict", subdistrict)
    crew = None
    for h in homes:
        crew = put_in_care(h, mentor, team=crew)
    a, b, c, d, e = homes
    moi = "กระทรวงมหาดไทย (พช.)"
    # a: approved, two income items (one done) and one health item.
    pa = _plan(
        mentor,
        a,
        [
            item("income", "I3"),
            item("income", "I1", help_kind="training", agency=moi),
            item("health", "H4", agency=""),
        ],
        to="approved",
    )
    pa = _step(team, _step(mentor, pa, "submit"), "approve")
    first = pa.items.order_by("position").first()
    services.item_status_set(
        ctx=Context.cli(mentor), plan_id=pa.pk, version=pa.version, item_id=first.pk, status="done"
    )
    # b: submitted (waiting), one income item.
    pb = _plan(mentor, b, [item("income", "I3", help_kind="money")], to="submitted")
    _step(mentor, pb, "submit")
    # c: draft; d: returned; e: approved then revised (the new draft is current).
    _plan(mentor, c, [item("living", "L1")], to="draft")
    pd = _step(mentor, _plan(mentor, d, [item("living", "L1")], to=""), "submit")
    _step(team, pd, "return", "แก้ไข")
    pe = _plan(mentor, e, [item("education", "E2")], to="")
    pe = _step(team, _step(mentor, pe, "submit"), "approve")
    _step(mentor, pe, "revise")

    roll = selectors.rollup(
        subdistrict, dimensions=["health", "living", "education", "income", "access"]
    )
    assert (roll.plans_approved, roll.plans_waiting, roll.households) == (1, 1, 2)
    assert (roll.items, roll.items_waiting, roll.done) == (4, 1, 1)

    def lines(needs):
        return {
            n.key: (n.n_households, n.items, n.n_households_waiting, n.items_waiting, n.done)
            for n in needs
        }

    assert [n.key for n in roll.by_dimension] == ["health", "income"]
    assert lines(roll.by_dimension) == {"health": (1, 1, 0, 0, 0), "income": (2, 3, 1, 1, 1)}
    assert lines(roll.by_help) == {
        "goods": (1, 2, 0, 0, 1),
        "money": (1, 1, 1, 1, 0),
        "training": (1, 1, 0, 0, 0),
    }
    assert lines(roll.by_agency) == {moi: (2, 3, 1, 1, 1), "": (1, 1, 0, 0, 0)}
    by_village = lines(roll.by_village)
    assert sum(v[1] for v in by_village.values()) == 4
    assert by_village[a.village_code][0] >= 1
    # A village alone: only its own households.
    village = selectors.rollup(a.village_code)
    expected = sum(1 for h in (a, b) if h.village_code == a.village_code)
    assert village.households == expected and village.by_village == []


def test_a_subdistrict_page_names_its_villages_without_a_query_each(
    registry, make_user, client, sign_in
):
    """The subdistrict's roll-up names each village after the subdistrict looked up once:
    a plan in one more village adds a line, not a query (bench/mentoring.py, national size)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from cheepao.geo.selectors import area_label, areas_forget

    subdistrict = "340105"
    homes = list(
        Household.objects.filter(registry=registry, subdistrict_code=subdistrict).order_by(
            "village_code", "pk"
        )
    )
    first, other = homes[0], next(h for h in homes if h.village_code != homes[0].village_code)
    mentor = make_user("mentor", subdistrict)
    team = make_user("subdistrict", subdistrict)
    crew = put_in_care(first, mentor)
    put_in_care(other, mentor, team=crew)
    url = reverse("plans:area", args=[subdistrict])
    sign_in(client, team)

    def queries() -> tuple[int, list[str]]:
        areas_forget()  # each page looks its areas up afresh (geo.selectors keeps them)
        with CaptureQueriesContext(connection) as found:
            page = client.get(url)
        assert page.status_code == 200
        return len(found), [name for name, _ in page.context["village_lines"]]

    _step(mentor, _plan(mentor, first, [item("income", "I3")], to="submitted"), "submit")
    one, names = queries()
    assert len(names) == 1
    _step(mentor, _plan(mentor, other, [item("health", "H4")], to="submitted"), "submit")
    two, names = queries()
    # Named as before: "หมู่ที่ N ตำบล…", as area_label names a village on its own.
    assert names == [area_label(h.village_code) for h in (first, other)]
    assert names[0].startswith("หมู่ที่ ") and "ตำบล" in names[0]
    assert two == one
