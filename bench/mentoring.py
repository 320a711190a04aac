"""Household development at national scale on PostgreSQL (issue 11): a 150-household village
assigned in one action, and the mentor and plan pages over HTTP with the national registry.

  PATH=$PWD/.venv/bin:$PATH scripts/with-postgres python bench/mentoring.py --also-no-think

1. Migrates an empty PostgreSQL database, loads the geography and generates, in SQL
   (INSERT ... SELECT over generate_series, one statement per table), a synthetic registry
   of the national target list's size (default 618,300 households, 2,035,850 members,
   780,276 open problems) spread at random over every real subdistrict of the geography in
   villages 1-15 (about 83 households a subdistrict, 6 a village, as the national run's
   4.8 % are), plus `--villages` villages of exactly 150 (village 20 of as many
   subdistricts) left unassigned for step 2. Then `--assigned` (default 60 %) of the other
   households are put in the care of teams of three (two civil servants with accounts, a
   student), 24 households a team, each assignment with its history event; the assigned
   households get folders (a third), plans (half: draft, sent, returned, approved, with
   2-6 items in several dimensions) and a mentor's contact in their history. ANALYZE.
2. Appoints a team in each 150-household village (`team_appoint`) and times
   `households_assign` of the village (cap 100: all 150 assigned, with their history and
   audit rows), p50/p95/max.
3. Starts gunicorn (production settings, DEBUG off, `--workers` x 4 threads) and runs
   `--users` signed-in people at once, each in its own thread with its own keep-alive
   connection, for `--seconds` after `--warmup`, pausing `--think` seconds on average on
   each page: two thirds are mentors (half of them from the 150-household villages, whose
   team has 150 households, half from the ordinary teams), each opening "my households"
   then the plan page of one of their households; one third are subdistrict teams, each
   opening the subdistrict's plan page (roll-up and plans waiting for review), a plan
   waiting for review, and the roll-up of one of its villages. `--also-no-think` repeats
   it with no pause (a stress test). Every page must answer 200. p50/p95/p99 per page.
4. Assigns `--page-villages` more 150-household villages through the assignment page
   (GET the form, POST it as the district) one after the other, p50/p95/max.

`--profile` first opens every page in-process (Django test client) a few times per user
and prints its SQL query count, SQL time and slowest query, to find what a slow page does.

Writes bench/results/mentoring-<stamp>.json. Needs PostgreSQL (refuses SQLite). Figures in
docs/benchmarks.md ("household development at national size").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    ROOT,
    Browser,
    drive,
    load_average,
    prepare_serving,
    require_postgres,
    serve,
    session_cookie,
    setup_django,
    summary,
)

BIG = 150  # households of a village assigned in one action
TEAM_LOAD = 24  # households of an ordinary team (12 a civil servant)
CATALOGUE = (
    "tpmap_mpi_17",
    "2",
    "478378edb9ed5e4aff435aceeeb3d7dee298cc819a6b6e5e58ea5836f56a03d6",
)
DIMENSIONS = {
    "health": ["H1", "H2", "H3", "H4"],
    "living": ["L1", "L2", "L3", "L4"],
    "education": ["E1", "E2", "E3", "E4"],
    "income": ["I1", "I2", "I3"],
    "access": ["A1", "A2"],
}
INDICATORS = [(i, d) for d, codes in DIMENSIONS.items() for i in codes]


def step(text: str, since: float) -> float:
    now = time.perf_counter()
    print(f"  {text}: {now - since:.1f} s (load {load_average()})", flush=True)
    return now


def insert_select(model: Any, values: dict[str, str], rest: str, params: tuple = ()) -> int:
    """INSERT INTO model's table SELECT ... `rest`: `values` are SQL expressions per column;
    every other column takes the field's default (uuid: gen_random_uuid(), auto_now: now(),
    nullable: NULL). Returns the rows inserted. `%` in SQL must be written `%%`."""
    from django.db import connection, models

    cols, exprs, defaults = [], [], []
    for f in model._meta.concrete_fields:
        if isinstance(f, models.AutoField):
            continue
        cols.append(connection.ops.quote_name(f.column))
        if f.column in values:
            exprs.append(values[f.column])
        elif isinstance(f, models.UUIDField):
            exprs.append("gen_random_uuid()")
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            exprs.append("now()")
        elif (
            isinstance(f, (models.CharField, models.TextField)) and f.blank and not f.has_default()
        ):
            exprs.append("''")
        elif f.has_default():
            exprs.append("%s")
            defaults.append(f.get_db_prep_save(f.get_default(), connection))
        elif f.null:
            exprs.append("NULL")
        else:
            raise KeyError(f"{model.__name__}.{f.column} needs a value")
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(exprs)} {rest}"
    with connection.cursor() as cursor:
        cursor.execute(sql, (*defaults, *params))
        return cursor.rowcount


def lit(text: str) -> str:
    """`text` as an SQL string literal (the bench's own constants only)."""
    return "'" + text.replace("'", "''") + "'"


def arr(texts: list[str]) -> str:
    return "ARRAY[" + ", ".join(lit(t) for t in texts) + "]::text[]"


def sql(statement: str, params: tuple = ()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def load_registry(args: argparse.Namespace) -> tuple[list[str], dict]:
    """The synthetic national registry; returns the 150-household villages."""
    from cheepao.geo.models import Subdistrict
    from cheepao.households.models import Household, Member, Problem, RegistryYear

    t = time.perf_counter()
    registry = RegistryYear.objects.create(
        survey_year=2568,
        run_path="bench (synthetic)",
        indicator_set_id=CATALOGUE[0],
        indicator_set_version=CATALOGUE[1],
        indicator_set_sha256=CATALOGUE[2],
        profile="tpmap",
    )
    subs = list(Subdistrict.objects.order_by("code").values_list("code", flat=True))
    n_big = args.villages + args.page_villages
    big_subs = subs[:: len(subs) // n_big][:n_big]
    big = [f"{s}20" for s in big_subs]
    ordinary = args.households - BIG * len(big)
    sql("SELECT setseed(0.4)")
    sql("CREATE TEMP TABLE bench_subs (i int PRIMARY KEY, code text)")
    sql(
        "INSERT INTO bench_subs SELECT i - 1, code FROM unnest(%s::text[]) WITH ORDINALITY AS t(code, i)",
        (subs,),
    )
    sql("CREATE TEMP TABLE bench_big (i int PRIMARY KEY, code text)")
    sql(
        "INSERT INTO bench_big SELECT i - 1, code FROM unnest(%s::text[]) WITH ORDINALITY AS t(code, i)",
        (big_subs,),
    )
    # Where each household lives: the ordinary ones at random over every subdistrict in
    # villages 1-15, then 150 in village 20 of each chosen subdistrict.
    sql(
        "CREATE TEMP TABLE bench_hh AS "
        "SELECT r.g AS n, s.code AS sub, r.village_no FROM ("
        "  SELECT g, floor(random() * %s)::int AS si, 1 + floor(random() * 15)::int AS village_no"
        "  FROM generate_series(0, %s - 1) g) r "
        "JOIN bench_subs s ON s.i = r.si "
        "UNION ALL "
        "SELECT %s + g, b.code, 20 FROM generate_series(0, %s - 1) g "
        "JOIN bench_big b ON b.i = g / %s",
        (len(subs), ordinary, ordinary, BIG * len(big), BIG),
    )
    village = "bench_hh.sub || lpad(bench_hh.village_no::text, 2, '0')"
    n = insert_select(
        Household,
        {
            "registry_id": str(registry.pk),
            "hh_id": "'B' || lpad(bench_hh.n::text, 8, '0')",
            "house_code": "lpad((10000000000 + bench_hh.n)::text, 11, '0')",
            "province_code": "left(bench_hh.sub, 2)",
            "district_code": "left(bench_hh.sub, 4)",
            "subdistrict_code": "bench_hh.sub",
            "village_no": "bench_hh.village_no",
            "village_code": village,
            "house_no": "(1 + mod(bench_hh.n, 400))::text || '/' || (1 + mod(bench_hh.n, 7))",
            "income_total": "round((20000 + random() * 60000)::numeric, 2)",
            "income_per_person": "round((8000 + random() * 30000)::numeric, 2)",
            "n_members": "0",
            "n_dims": "1 + mod(bench_hh.n, 3)",
            "is_critical": "mod(bench_hh.n, 46) = 0",
        },
        "FROM bench_hh ORDER BY bench_hh.n",
    )
    t = step(f"{n:,} households", t)
    first, last = sql("SELECT min(id), max(id) FROM households_household")[0]
    count = last - first + 1
    # Members: every household gets ⌊m/h⌋ members, the first m mod h one more.
    m = insert_select(
        Member,
        {
            "household_id": f"{first} + mod(g, {count})",
            "member_no": f"1 + g / {count}",
            "pin": "lpad((1000000000000 + g * 7)::text, 13, '0')",
            "title": "CASE WHEN mod(g, 2) = 0 THEN 'นาย' ELSE 'นาง' END",
            "first_name": "'สมชาย' || mod(g, 997)",
            "last_name": "'ใจดี' || mod(g, 1009)",
            "sex": "CASE WHEN mod(g, 2) = 0 THEN 'M' ELSE 'F' END",
            "birth_date": "date '1940-01-01' + mod(g * 37, 30000)",
            "age": "mod(g * 37, 30000) / 365",
            "relation": f"CASE WHEN g < {count} THEN 'head' ELSE 'child' END",
            "occupation": "'เกษตรกร'",
            "income_year": "round((random() * 40000)::numeric, 2)",
            "is_target_person": "mod(g, 2) = 0",
        },
        "FROM generate_series(0, %s - 1) g",
        (args.members,),
    )
    sql(
        "UPDATE households_household h SET n_members = c.n FROM "
        "(SELECT household_id, count(*) n FROM households_member GROUP BY 1) c "
        "WHERE c.household_id = h.id"
    )
    t = step(f"{m:,} members", t)
    # Problems: one per household, then a second for the first ones, never the same twice.
    codes = [i for i, _ in INDICATORS]
    dims = [d for _, d in INDICATORS]
    p = insert_select(
        Problem,
        {
            "household_id": f"{first} + mod(g, {count})",
            "indicator": f"({arr(codes)})[1 + mod(g + (g / {count}) * 5, {len(codes)})]",
            "dimension": f"({arr(dims)})[1 + mod(g + (g / {count}) * 5, {len(codes)})]",
        },
        "FROM generate_series(0, %s - 1) g",
        (args.problems,),
    )
    t = step(f"{p:,} problems", t)
    return big, {"households": n, "members": m, "problems": p}


def load_care(args: argparse.Namespace) -> dict:
    """Teams, members, accounts and assignments for a share of the ordinary households."""
    from cheepao.accounts.models import User
    from cheepao.households.models import HouseholdEvent
    from cheepao.mentoring.models import Assignment, MentorTeam, TeamMember

    t = time.perf_counter()
    share = round(args.assigned * 100)
    sql(
        "CREATE TEMP TABLE bench_care AS SELECT id AS household_id, subdistrict_code AS sub, "
        "village_code, (row_number() OVER w - 1) / %s AS team_no, "
        "mod(row_number() OVER w - 1, 2)::int AS k "
        "FROM households_household WHERE village_no < 20 AND mod(id * 7919, 100) < %s "
        "WINDOW w AS (PARTITION BY subdistrict_code ORDER BY village_code, id)",
        (TEAM_LOAD, share),
    )
    sql(
        "CREATE TEMP TABLE bench_team AS SELECT DISTINCT sub, team_no, "
        "'ทีมพี่เลี้ยง ' || sub || '/' || team_no AS name FROM bench_care"
    )
    teams = insert_select(
        MentorTeam,
        {
            "name": "bench_team.name",
            "subdistrict_code": "bench_team.sub",
            "district_code": "left(bench_team.sub, 4)",
            "order_no": "'1/2569'",
            "order_date": "date '2026-10-01'",
        },
        "FROM bench_team",
    )
    sql("ALTER TABLE bench_team ADD COLUMN team_id int")
    sql("UPDATE bench_team b SET team_id = t.id FROM mentoring_mentorteam t WHERE t.name = b.name")
    users = insert_select(
        User,
        {
            "password": "'!bench'",
            "username": "'m-' || bench_team.sub || '-' || bench_team.team_no || '-' || k",
            "first_name": "'ข้าราชการ'",
            "last_name": "bench_team.sub || '-' || bench_team.team_no || '-' || k",
            "role": "'mentor'",
            "area_code": "bench_team.sub",
            "must_change_password": "false",
            "date_joined": "now()",
        },
        "FROM bench_team CROSS JOIN generate_series(0, 1) k",
    )
    members = insert_select(
        TeamMember,
        {
            "team_id": "bench_team.team_id",
            "user_id": "u.id",
            "name": "'ข้าราชการ ' || u.last_name",
            "kind": "'civil_servant'",
            "is_lead": "k = 0",
        },
        "FROM bench_team CROSS JOIN generate_series(0, 1) k JOIN accounts_user u "
        "ON u.username = 'm-' || bench_team.sub || '-' || bench_team.team_no || '-' || k",
    )
    members += insert_select(
        TeamMember,
        {"team_id": "bench_team.team_id", "name": "'นักศึกษา'", "kind": "'student'"},
        "FROM bench_team",
    )
    t = step(f"{teams:,} teams, {users:,} mentor accounts, {members:,} members", t)
    assigned = insert_select(
        Assignment,
        {
            "household_id": "c.household_id",
            "team_id": "b.team_id",
            "mentor_id": "tm.id",
            "village_code": "c.village_code",
            "started_at": "now() - interval '60 days'",
        },
        "FROM bench_care c JOIN bench_team b ON b.sub = c.sub AND b.team_no = c.team_no "
        "JOIN accounts_user u ON u.username = 'm-' || c.sub || '-' || c.team_no || '-' || c.k "
        "JOIN mentoring_teammember tm ON tm.user_id = u.id",
    )
    events = insert_select(
        HouseholdEvent,
        {
            "household_id": "a.household_id",
            "kind": "'mentoring.assigned'",
            "at": "a.started_at",
            "actor_name": "'อำเภอ'",
            "channel": "'web'",
            "data": "jsonb_build_object('team', t.name, 'mentor', tm.name)",
        },
        "FROM mentoring_assignment a JOIN mentoring_mentorteam t ON t.id = a.team_id "
        "JOIN mentoring_teammember tm ON tm.id = a.mentor_id",
    )
    step(f"{assigned:,} assignments, {events:,} history events", t)
    return {"teams": teams, "accounts": users, "assignments": assigned}


def load_work() -> dict:
    """Folders, plans with items and the mentors' contacts, for the assigned households."""
    from cheepao.folders.models import FamilyFolder
    from cheepao.households.models import HouseholdEvent
    from cheepao.plans.models import Plan, PlanItem
    from cheepao.plans.workflow import workflow

    t = time.perf_counter()
    care = (
        "FROM mentoring_assignment a JOIN mentoring_teammember tm ON tm.id = a.mentor_id "
        "JOIN accounts_user u ON u.id = tm.user_id "
        "JOIN households_household h ON h.id = a.household_id WHERE a.ended_at IS NULL"
    )
    folders = insert_select(
        FamilyFolder,
        {
            "household_id": "a.household_id",
            "number": "1",
            "saved_by_id": "u.id",
            "saved_by_name": "tm.name",
            "saved_at": "now() - interval '30 days'",
            "head_name": "'หัวหน้าครัวเรือน'",
            "address": "h.house_no",
            "occupation": "'เกษตรกร'",
            "household_type": "'developable'",
            "wish": "'urgent'",
            "help_kinds": '\'["training", "money"]\'::jsonb',
            "funds": "'[\"village_fund\"]'::jsonb",
            "lat": "15.2 + random()",
            "lng": "104.8 + random()",
        },
        care + " AND mod(a.household_id, 3) = 0",
    )
    statuses = ["draft", "submitted", "submitted", "approved", "approved", "returned"]
    plans = insert_select(
        Plan,
        {
            "household_id": "a.household_id",
            "workflow_version": lit(workflow().version),
            "status": f"({arr(statuses)})[1 + mod(a.household_id / 2, 6)]",
            "goal": "'มีรายได้พอใช้จ่ายตลอดปี ไม่มีหนี้นอกระบบ'",
            "attitude": "'อยากพัฒนาตนเอง'",
            "skills": "'ปลูกผัก เลี้ยงไก่'",
            "land": "'ที่ดินทำกิน 3 ไร่'",
            "way_out": "'ปลูกผักสวนครัวขาย'",
            "target_stage": "'sufficient'",
            "created_by_id": "u.id",
            "updated_by_id": "u.id",
            "submitted_by_id": "CASE WHEN mod(a.household_id / 2, 6) > 0 THEN u.id END",
            "submitted_at": "CASE WHEN mod(a.household_id / 2, 6) > 0 THEN now() END",
        },
        care + " AND mod(a.household_id, 2) = 0",
    )
    helps = ["training", "money", "goods", "utilities", "referral", "scholarship", "other"]
    agencies = ["", "พัฒนาชุมชน", "เกษตรอำเภอ", "รพ.สต.", "อบต."]
    items = insert_select(
        PlanItem,
        {
            "plan_id": "p.id",
            "position": "k",
            "dimension": f"({arr(list(DIMENSIONS))})[1 + mod(p.id + k, 5)]",
            "indicator": "''",
            "own_action": "'ปลูกผักสวนครัวไว้กินและขาย'",
            "support": "'พี่เลี้ยงประสานเมล็ดพันธุ์'",
            "agency": f"({arr(agencies)})[1 + mod(p.id * 3 + k, 5)]",
            "help_kind": f"({arr(helps)})[1 + mod(p.id + k * 3, 7)]",
            "due": "date '2027-03-31' + k * 30",
            "horizon": "(ARRAY['short', 'medium', 'long'])[1 + mod(k, 3)]",
            "status": "CASE WHEN mod(p.id + k, 3) = 0 THEN 'done' ELSE 'continuing' END",
        },
        "FROM plans_plan p CROSS JOIN generate_series(0, 5) k WHERE k < 2 + mod(p.id, 5)",
    )
    contacts = insert_select(
        HouseholdEvent,
        {
            "household_id": "a.household_id",
            "kind": "'folders.saved'",
            "at": "now() - interval '30 days'",
            "actor_id": "u.id",
            "actor_name": "tm.name",
            "channel": "'web'",
            "data": "jsonb_build_object('number', 1)",
        },
        care + " AND mod(a.household_id, 3) = 0",
    )
    step(
        f"{folders:,} folders, {plans:,} plans, {items:,} items, {contacts:,} contacts",
        t,
    )
    return {"folders": folders, "plans": plans, "plan_items": items}


def analyze() -> None:
    """Statistics for the rows just inserted (as `registry_load` does)."""
    sql("ANALYZE")


def district_of(code: str):
    from cheepao.accounts.models import User

    user, _ = User.objects.get_or_create(
        username=f"d-{code[:4]}",
        defaults={"role": "district", "area_code": code[:4], "must_change_password": False},
    )
    return user


def appoint(village: str, n: int):
    """A team for a 150-household village: two civil servants with accounts and a student."""
    from cheepao.accounts.models import User
    from cheepao.core.context import Context
    from cheepao.mentoring import services

    people = [
        User.objects.create(
            username=f"big-{village}-{k}",
            role="mentor",
            area_code=village,
            must_change_password=False,
        )
        for k in range(2)
    ]
    return services.team_appoint(
        ctx=Context.cli(district_of(village)),
        subdistrict_code=village[:6],
        name=f"ทีม หมู่ 20 {village[:6]} ({n})",
        members=[
            {"user": people[0], "kind": "civil_servant", "is_lead": True},
            {"user": people[1], "kind": "civil_servant"},
            {"name": "นักศึกษา", "kind": "student"},
        ],
    )


def assign_by_service(villages: list[str]) -> dict:
    from cheepao.core.context import Context
    from cheepao.mentoring import services

    timings = []
    for n, village in enumerate(villages):
        team = appoint(village, n)
        start = time.perf_counter()
        result = services.households_assign(
            ctx=Context.cli(district_of(village)), team=team, village_code=village, cap=100
        )
        timings.append((time.perf_counter() - start) * 1000)
        assert result.assigned == BIG and result.unassigned == 0, result
    out = summary(timings)
    print(f"  households_assign, {len(villages)} villages of {BIG}: {out}", flush=True)
    return out


def make_users(n: int, big: list[str]) -> tuple[list[dict], dict]:
    """Mentors (half from the 150-household villages) and subdistrict teams, signed in."""
    from django.db.models import Count
    from django.urls import reverse

    from cheepao.accounts.models import User
    from cheepao.mentoring.models import Assignment, TeamMember
    from cheepao.plans.models import Plan

    n_mentors = max(1, round(n * 2 / 3))
    n_subs = max(1, n - n_mentors)
    rnd = random.Random(11)
    big_mentors = list(
        User.objects.filter(username__startswith="big-").order_by("username")[: n_mentors // 2]
    )
    ordinary = list(
        User.objects.filter(username__startswith="m-", role="mentor").values_list("pk", flat=True)
    )
    mentors = big_mentors + list(
        User.objects.filter(pk__in=rnd.sample(ordinary, n_mentors - len(big_mentors)))
    )
    users: list[dict] = []
    for person in mentors:
        teams = TeamMember.objects.filter(user=person, active=True).values("team_id")
        households = list(
            Assignment.objects.filter(team_id__in=teams, ended_at__isnull=True).values_list(
                "household_id", flat=True
            )
        )
        plan_urls = [reverse("plans:household", args=[h]) for h in households]

        def visit(r, plan_urls=plan_urls):
            return [
                ("my households", reverse("mentoring:mine")),
                ("plan (mentor)", r.choice(plan_urls)),
            ]

        users.append(
            {"n": len(users), "cookie": session_cookie(person), "visit": visit, "person": person}
        )
    # The subdistricts with the most plans waiting for review.
    busiest = list(
        Plan.objects.filter(is_current=True, status="submitted")
        .values("household__subdistrict_code")
        .annotate(n=Count("pk"))
        .order_by("-n")[:n_subs]
    )
    for row in busiest:
        code = row["household__subdistrict_code"]
        person, _ = User.objects.update_or_create(
            username=f"s-{code}",
            defaults={"role": "subdistrict", "area_code": code, "must_change_password": False},
        )
        waiting = list(
            Plan.objects.filter(
                is_current=True, status="submitted", household__subdistrict_code=code
            ).values_list("pk", "household__village_code")
        )
        area = reverse("plans:area", args=[code])

        def visit(r, area=area, waiting=waiting):
            plan_id, village = r.choice(waiting)
            return [
                ("subdistrict plans (review list)", area),
                ("plan (review)", reverse("plans:plan", args=[plan_id])),
                ("village roll-up", reverse("plans:area", args=[village])),
            ]

        users.append(
            {"n": len(users), "cookie": session_cookie(person), "visit": visit, "person": person}
        )
    sizes = {
        "mentors": len(mentors),
        "mentors_of_150": len(big_mentors),
        "subdistrict_teams": len(busiest),
        "waiting_plans_per_subdistrict": [r["n"] for r in busiest],
    }
    return users, sizes


def profile_pages(users: list[dict], rounds: int = 5) -> dict:
    """Each page in-process (Django test client, no web server), a few users of each kind:
    the SQL queries it runs, their time, and the slowest query, to find what a slow page
    spends its time on."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    found: dict[str, dict] = {}
    for user in users:
        client = Client()
        client.force_login(user["person"])
        rnd = random.Random(user["n"])
        for _ in range(rounds):
            for kind, url in user["visit"](rnd):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(url)
                    ms = (time.perf_counter() - t0) * 1000
                assert response.status_code == 200, (url, response.status_code)
                sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
                slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
                row = found.setdefault(
                    kind, {"ms": [], "queries": [], "sql_ms": [], "slowest": ("", 0.0)}
                )
                row["ms"].append(ms)
                row["queries"].append(len(queries.captured_queries))
                row["sql_ms"].append(sql_ms)
                if float(slowest["time"]) * 1000 > row["slowest"][1]:
                    row["slowest"] = (slowest["sql"][:400], float(slowest["time"]) * 1000, url)
    out = {
        kind: {
            "pages": len(r["ms"]),
            "ms": summary(r["ms"]),
            "queries_max": max(r["queries"]),
            "sql_ms_p50": round(sorted(r["sql_ms"])[len(r["sql_ms"]) // 2], 1),
            "slowest_query": r["slowest"],
        }
        for kind, r in found.items()
    }
    for kind, r in out.items():
        print(
            f"  in-process {kind}: p50 {r['ms']['p50_ms']} ms, p95 {r['ms']['p95_ms']} ms, "
            f"{r['queries_max']} queries (SQL p50 {r['sql_ms_p50']} ms); slowest "
            f"{r['slowest_query'][1]:.0f} ms: {r['slowest_query'][0][:200]}",
            flush=True,
        )
    return out


def assign_by_page(port: int, villages: list[str]) -> dict:
    """The district assigns each village through the assignment page: GET, then POST."""
    from django.urls import reverse

    timings = []
    teams = [(village, appoint(village, 1000 + n)) for n, village in enumerate(villages)]
    for village, team in teams:
        browser = Browser(port, session_cookie(district_of(village)))
        url = reverse("mentoring:assign", args=[team.pk])
        status, body, _, _ = browser.request("GET", url)
        assert status == 200, status
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        csrf = browser.cookies.get("csrftoken")
        form = urlencode({"csrfmiddlewaretoken": token, "village_code": village, "cap": 100})
        status, body, t0, t1 = browser.request(
            "POST",
            url,
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": browser.headers["Cookie"] + (f"; csrftoken={csrf}" if csrf else ""),
                "Referer": f"http://127.0.0.1:{port}{url}",
            },
        )
        browser.close()
        assert status == 302, (status, body[:500])
        timings.append((t1 - t0) * 1000)
    from cheepao.mentoring.models import Assignment

    placed = Assignment.objects.filter(village_code__in=villages, ended_at__isnull=True).count()
    assert placed == BIG * len(villages), placed
    out = summary(timings)
    print(f"  assignment page (POST), {len(villages)} villages of {BIG}: {out}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=618_300)
    ap.add_argument("--members", type=int, default=2_035_850)
    ap.add_argument("--problems", type=int, default=780_276)
    ap.add_argument("--assigned", type=float, default=0.6, help="share of households in care")
    ap.add_argument("--villages", type=int, default=30, help="150-household villages assigned")
    ap.add_argument("--page-villages", type=int, default=8, help="... through the page")
    ap.add_argument("--users", type=int, default=21)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--warmup", type=float, default=10)
    ap.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    ap.add_argument("--think", type=float, default=2.0, help="mean seconds on a page (0: none)")
    ap.add_argument("--also-no-think", action="store_true", help="then again with no pause")
    ap.add_argument(
        "--profile", action="store_true", help="first, each page in-process with its queries"
    )
    args = ap.parse_args()
    require_postgres("run under scripts/with-postgres")
    setup_django()
    from django.core.management import call_command

    from cheepao.geo import services as geo

    results: dict[str, Any] = {
        "machine": f"{platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}",
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "load_average_at_start": load_average(),
        "args": vars(args),
    }
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    geo.geography_load()
    t = step("migrate + geography", t0)
    big, results["registry"] = load_registry(args)
    results["care"] = load_care(args)
    analyze()
    t = step("registry, care, ANALYZE", t)
    service_villages, page_villages = big[: args.villages], big[args.villages :]
    results["assign_150_service_ms"] = assign_by_service(service_villages)
    results["work"] = load_work()
    analyze()
    results["load_seconds"] = round(time.perf_counter() - t0, 1)
    step("whole load", t0)
    users, results["users"] = make_users(args.users, big)
    if args.profile:
        results["in_process"] = profile_pages(users)
    prepare_serving()
    with serve(args.workers) as port:
        results["pages"] = drive(users, port, args.warmup, args.seconds, args.think)
        print(json.dumps(results["pages"], indent=2), flush=True)
        if args.also_no_think:
            results["pages_no_think"] = drive(users, port, args.warmup, args.seconds, 0.0)
            print(json.dumps(results["pages_no_think"], indent=2), flush=True)
        if page_villages:
            results["assign_150_page_ms"] = assign_by_page(port, page_villages)
    results["load_average_at_end"] = load_average()
    out = ROOT / "bench" / "results" / f"mentoring-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
