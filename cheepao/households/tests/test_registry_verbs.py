"""The registry's verbs (households/services.py), the only writers of Household, Member,
Problem and the household history: what each changes, the event it tells, and, for each
refusal, that nothing changed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from cheepao.conftest import RUN_YEAR
from cheepao.core.context import Channel, Context
from cheepao.core.errors import Conflict, Invalid
from cheepao.engine import api as engine
from cheepao.households import history, services
from cheepao.households.models import (
    AppendOnly,
    Household,
    HouseholdEvent,
    Member,
    Problem,
    RegistryYear,
    Source,
)

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Everything the verbs write, as comparable values."""
    return {
        "households": list(Household.objects.order_by("pk").values()),
        "members": Member.objects.count(),
        "problems": list(Problem.objects.order_by("pk").values("pk", "indicator", "status")),
        "events": list(HouseholdEvent.objects.order_by("pk").values("pk", "kind", "data")),
    }


@pytest.fixture
def worker(make_user):
    return make_user("province", "34", first_name="สมใจ", last_name="รักดี")


@pytest.fixture
def ctx(worker):
    return Context.cli(worker)


@pytest.fixture
def household(registry):
    """A loaded household with at least two open problems."""
    for h in Household.objects.filter(registry=registry).order_by("pk"):
        if h.problems.filter(status=Problem.Status.OPEN).count() >= 2:
            return h
    pytest.fail("no household with two problems")


def _open(household) -> list[str]:
    return sorted(
        household.problems.filter(status=Problem.Status.OPEN).values_list("indicator", flat=True)
    )


def _not_open(household, registry) -> str:
    codes = [i.code for i in registry.catalogue.indicators]
    return next(c for c in codes if c not in _open(household))


# ---------------------------------------------------------------- registry_load


def test_the_load_tells_each_household_it_entered_the_registry(registry):
    events = HouseholdEvent.objects.filter(kind=history.LOADED)
    assert events.count() == Household.objects.count() == registry.households
    for event in events.select_related("household")[:10]:
        household = event.household
        assert event.data == {"year": RUN_YEAR, "indicators": event.data["indicators"]}
        assert sorted(event.data["indicators"]) == _open(household)
        assert event.actor is None and event.channel == Channel.CLI  # manage.py load_registry
    # A second load adds no household, so no event either.
    before = HouseholdEvent.objects.count()
    services.registry_load(ctx=Context.cli(), run=registry.run_path)
    assert HouseholdEvent.objects.count() == before


# ---------------------------------------------------------------- history_record


def test_history_record_writes_who_and_how_and_refuses_an_unknown_kind(household, ctx):
    event = services.history_record(
        ctx=ctx, household=household, kind=history.PROBLEMS_SOLVED, indicators=["H1"]
    )
    assert (event.actor, event.actor_name, event.channel) == (ctx.actor, "สมใจ รักดี", "cli")
    assert event.data == {"indicators": ["H1"]}
    before = snapshot()
    with pytest.raises(Invalid) as refused:
        services.history_record(ctx=ctx, household=household, kind="no_such_kind")
    assert refused.value.code == "households.history_kind_unknown"
    assert snapshot() == before


def test_history_is_append_only(household, ctx):
    event = services.history_record(
        ctx=ctx, household=household, kind=history.PROBLEMS_SOLVED, indicators=["H1"]
    )
    event.kind = history.PROBLEMS_ADDED
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        HouseholdEvent.objects.filter(pk=event.pk).update(kind="x")
    with pytest.raises(AppendOnly):
        HouseholdEvent.objects.filter(pk=event.pk).delete()
    if connection.vendor == "postgresql":  # the database refuses too
        for sql in (
            "UPDATE households_householdevent SET kind = 'x' WHERE id = %s",
            "DELETE FROM households_householdevent WHERE id = %s",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
                c.execute(sql, [event.pk])
    assert HouseholdEvent.objects.get(pk=event.pk).kind == history.PROBLEMS_SOLVED


def test_history_record_many_writes_one_event_per_household(registry, ctx):
    households = list(Household.objects.order_by("pk")[:3])
    n = services.history_record_many(
        ctx=ctx,
        kind=history.PROBLEMS_SOLVED,
        events=[
            (households[0], {"indicators": ["H1"]}),
            (households[1].pk, {}),
            (households[2], {}),
        ],
        indicators=["L1"],
    )
    assert n == 3
    written = {
        e.household_id: e.data for e in HouseholdEvent.objects.filter(kind="problems_solved")
    }
    assert written == {
        households[0].pk: {"indicators": ["H1"]},
        households[1].pk: {"indicators": ["L1"]},
        households[2].pk: {"indicators": ["L1"]},
    }


# ---------------------------------------------------------------- problems_apply


def test_problems_apply_adds_removes_solves_recounts_and_tells_it(household, registry, ctx):
    first, second = _open(household)[:2]
    new = _not_open(household, registry)
    done = services.problems_apply(
        ctx=ctx, household=household, add=[new], remove=[first], origin=Problem.Origin.FIELD
    )
    assert (done.added, done.removed, done.solved) == ([new], [first], [])
    assert household.problems.get(indicator=first).status == Problem.Status.REMOVED
    added = household.problems.get(indicator=new)
    assert (added.status, added.origin) == (Problem.Status.OPEN, Problem.Origin.FIELD)
    household.refresh_from_db()
    dims = set(household.problems.filter(status="open").values_list("dimension", flat=True))
    assert household.n_dims == len(dims)
    assert household.is_critical == registry.catalogue.critical.holds(dims)
    kinds = list(household.events.order_by("-id").values_list("kind", "data")[:2])
    assert kinds == [
        ("problems_added", {"origin": "field", "indicators": [new]}),
        ("problems_removed", {"indicators": [first]}),
    ]

    # Solving one, and asking again for what is already so, changes only what is not.
    done = services.problems_apply(ctx=ctx, household=household, add=[new], solve=[second, first])
    assert (done.added, done.removed, done.solved) == ([], [], [second])
    assert household.problems.get(indicator=second).status == Problem.Status.SOLVED
    assert household.events.order_by("-id").first().data == {"indicators": [second]}

    # A problem taken away opens again when it is added back, with its new origin.
    done = services.problems_apply(
        ctx=ctx, household=household, add=[first], origin=Problem.Origin.IMPORT
    )
    assert done.added == [first]
    assert household.problems.get(indicator=first).origin == Problem.Origin.IMPORT


def test_problems_apply_that_changes_nothing_writes_nothing(household, ctx):
    before = snapshot()
    done = services.problems_apply(ctx=ctx, household=household, add=_open(household)[:1])
    assert not done.changed
    assert snapshot() == before


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"add": ["Z9"]}, "households.indicator_unknown"),
        ({"remove": ["H1", "nope"]}, "households.indicator_unknown"),
        ({"add": ["{open}"], "remove": ["{open}"]}, "households.problem_twice"),
        ({"remove": ["{open}"], "solve": ["{open}"]}, "households.problem_twice"),
        ({"add": ["{new}"], "origin": "rumour"}, "households.origin_unknown"),
    ],
)
def test_problems_apply_refusals_change_nothing(household, registry, ctx, kwargs, code):
    values = {"{open}": _open(household)[0], "{new}": _not_open(household, registry)}
    kwargs = {
        k: [values.get(c, c) for c in v] if isinstance(v, list) else v for k, v in kwargs.items()
    }
    before = snapshot()
    with pytest.raises(Invalid) as refused:
        services.problems_apply(ctx=ctx, household=household, **kwargs)
    assert refused.value.code == code
    assert snapshot() == before


# ---------------------------------------------------------------- household_status_set


def test_household_status_set_changes_and_tells_it_once(household, ctx):
    assert services.household_status_set(
        ctx=ctx, household=household, status=Household.Status.MOVED
    ) == ("active", "moved")
    household.refresh_from_db()
    assert household.status == Household.Status.MOVED
    event = household.events.order_by("-id").first()
    assert (event.kind, event.data) == ("status_changed", {"before": "active", "after": "moved"})
    with translation.override("th"):
        assert event.text == "เปลี่ยนสถานะจาก “อยู่ในทะเบียน” เป็น “ย้ายที่อยู่”"
    with translation.override("en"):
        assert event.text == "status changed from “in the registry” to “moved away”"

    before = snapshot()
    assert (
        services.household_status_set(ctx=ctx, household=household, status=Household.Status.MOVED)
        is None
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("status", "code"),
    [("gone", "households.status_unknown"), ("pending", "households.status_pending")],
)
def test_household_status_set_refusals_change_nothing(household, ctx, status, code):
    before = snapshot()
    with pytest.raises(Invalid) as refused:
        services.household_status_set(ctx=ctx, household=household, status=status)
    assert refused.value.code == code
    assert snapshot() == before


# ---------------------------------------------------------------- household_create_pending


def _engine_rows(registry, hh_id: str) -> tuple[dict, list[dict]]:
    """One household of the run as the engine computed it, as pandas gives it (the form
    ศจพ.2 path: numpy scalars, NaN, Timestamps)."""
    run = engine.open_run(registry.run_path)
    hh = run.households().to_pandas()
    persons = run.persons().to_pandas()
    row = hh[hh.hh_id == hh_id].iloc[0].to_dict()
    people = persons[persons.hh_id == hh_id].sort_values("member_no").to_dict("records")
    return row, people


FIELDS = [
    f.attname
    for f in Household._meta.concrete_fields
    if f.attname
    not in ("id", "hh_id", "uid", "version", "source", "status", "created_at", "updated_at")
]
MEMBER_FIELDS = [
    f.attname for f in Member._meta.concrete_fields if f.attname not in ("id", "household_id")
]


def test_a_pending_household_from_engine_rows_is_mapped_as_the_load_maps_them(
    household, registry, ctx
):
    """The one mapping: the same engine rows give the same fields whether they arrive by
    the load (Arrow values) or by form ศจพ.2 (pandas values)."""
    row, people = _engine_rows(registry, household.hh_id)
    created = services.household_create_pending(
        ctx=ctx,
        registry=registry,
        hh_id="F2568-TEST1",
        village_code=household.village_code,
        household=row,
        members=people,
        member_answers=[{"savings": "12.50"}] + [{}] * (len(people) - 1),
    )
    created.refresh_from_db()
    assert (created.status, created.source) == (Household.Status.PENDING, Source.FIELD)
    for name in FIELDS:
        assert getattr(created, name) == getattr(household, name), name
    loaded = list(household.members.order_by("member_no").values(*MEMBER_FIELDS))
    made = list(created.members.order_by("member_no").values(*MEMBER_FIELDS))
    assert made[0]["answers"].pop("savings") == "12.50"
    assert made == loaded
    assert sorted(created.problems.values_list("indicator", "origin")) == [
        (code, "form2") for code in _open(household)
    ]
    (event,) = created.events.all()
    assert (event.kind, event.actor_name) == ("recorded_new", "สมใจ รักดี")
    assert event.data == {
        "source": "field",
        "members": len(people),
        "indicators": event.data["indicators"],
    }
    assert sorted(event.data["indicators"]) == _open(household)


@pytest.mark.parametrize(
    ("change", "error", "code"),
    [
        ({"hh_id": "{taken}"}, Conflict, "households.hh_id_taken"),
        ({"hh_id": ""}, Invalid, "households.hh_id_missing"),
        ({"village_code": "3401011"}, Invalid, "households.village_malformed"),
        ({"members": []}, Invalid, "households.no_members"),
        ({"members": "{twice}"}, Invalid, "households.member_no_twice"),
    ],
)
def test_household_create_pending_refusals_change_nothing(
    household, registry, ctx, change, error, code
):
    row, people = _engine_rows(registry, household.hh_id)
    kwargs = {
        "registry": registry,
        "hh_id": "F2568-TEST2",
        "village_code": household.village_code,
        "household": row,
        "members": people,
    }
    kwargs.update(change)
    if kwargs["hh_id"] == "{taken}":
        kwargs["hh_id"] = household.hh_id
    if kwargs["members"] == "{twice}":
        kwargs["members"] = [people[0], people[0]]
    before = snapshot()
    with pytest.raises(error) as refused:
        services.household_create_pending(ctx=ctx, **kwargs)
    assert refused.value.code == code
    assert snapshot() == before
    assert not RegistryYear.objects.exclude(pk=registry.pk).exists()


def test_household_refresh_counts_follows_the_open_problems(household, registry, ctx):
    Problem.objects.filter(household=household).delete()  # as if every problem were gone
    changed = services.household_refresh_counts(ctx=ctx, household=household)
    assert changed["n_dims"][1] == 0 and household.n_dims == 0
    household.refresh_from_db()
    assert (household.n_dims, household.is_critical) == (0, False)
    assert services.household_refresh_counts(ctx=ctx, household=household) == {}


# ---------------------------------------------------------------- no other writer


REGISTRY_MODELS = {"Household", "Member", "Problem", "RegistryYear", "HouseholdEvent"}
WRITES = {"create", "bulk_create", "update", "get_or_create", "update_or_create", "delete"}


def _chain_root(node):
    """The name a call chain starts from: `Problem` in Problem.objects.filter(...).update()."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else None


def test_no_other_app_writes_the_registry_tables():
    """Outside `households`, no app's code writes Household, Member, Problem, RegistryYear
    or HouseholdEvent through their managers: they call the registry's verbs."""
    root = Path(__file__).resolve().parents[2]
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] == "households" or "tests" in rel.parts or "migrations" in rel.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
                and "objects" in ast.unparse(node.func)
                and _chain_root(node.func) in REGISTRY_MODELS
            ):
                found.append(f"{rel}:{node.lineno} {ast.unparse(node.func)}")
    assert found == []
