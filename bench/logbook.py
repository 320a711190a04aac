"""The Logbook and routing at national scale on PostgreSQL (issue 12, "Done when"): Logbook
writes at 20 concurrent writers, the household Logbook page and an agency inbox over HTTP,
and the monthly statistics of the whole country.

  PATH=$PWD/.venv/bin:$PATH scripts/with-postgres python bench/logbook.py
  PATH=$PWD/.venv/bin:$PATH scripts/with-postgres python bench/logbook.py --scale 0.02 \
      --write-seconds 10 --seconds 15   # a small trial

1. Set-up, all generated in SQL (INSERT ... SELECT over generate_series; no service is
   called, so it takes minutes, not hours): the synthetic national registry, teams and
   assignments of bench/mentoring.py (618,300 households, 2,035,850 members, 780,276
   problems, 60 % of households in the care of teams); `--ministries` agency offices (Bodies
   of kind agency with `ministry` set) in every district, one per district per ministry, each
   with a programme for the dimensions its ministry leads; `--entries` Logbook entries
   (default 2,000,000) over the households in care, in rounds: a need from the registry,
   help, a visit, help, help, a summary, a visit, help ... (about 3 acts of help per helped
   household, each from the district office of the ministry leading its dimension, two
   thirds under its programme, dated over the last year); ~3 % corrections (a third of them
   withdrawals); one household in care with `--big-household` entries, one with
   `--small-household`; for every entry its household history event and its audit row (as
   `help_record` writes them, so the indexes are as large as real). `--cases` routing
   cases (default 300,000) on the registry problems of households in care, owned by the
   lead ministry's district office: open (70 %), solved on a help entry (25 %), closed (5 %);
   one referral each in every state (pending, accepted, rejected, done, revoked); a running
   clock for every open case, a stopped one for the others; 2 % escalated to the province;
   plus `--inbox` (default 2,000) referrals to one provincial office of the health ministry
   (the busy inbox), half of them through an escalation assigned to it. History events and
   audit rows for cases and referrals too. ANALYZE.
2. Writes: `--writers` (default 20) processes (`--threads` for threads in one process),
   each with its own database connection and a mentor account of its own team, call
   `logbook.services.help_record` on the team's households for `--write-seconds` after
   `--write-warmup`: writes/s and p50/p95/p99 per call (target >= 1,000/s, p95 <= 20 ms).
   Then one write profiled in-process (`--profile-writes` calls): SQL queries per write and
   the time in the access check, the checks of the values, the entry INSERT, the history
   event and the audit row.
3. Pages over HTTP (gunicorn, production settings, DEBUG off, `--workers` x 4 threads):
   `--users` signed-in people for `--seconds` after `--warmup` with `--think` seconds on a
   page: a third the mentors of the big household, a third of the small one, opening its
   Logbook `/logbook/household/<pk>/`; a third accounts of the busy agency opening
   `/routing/inbox/` (target p95 <= 200 ms). A page that does not answer 200 before the run
   (404: not merged yet) is skipped with a message.
4. `manage.py helpstats_compute --all` timed (target <= 60 s), skipped with a message if the
   command does not exist yet.

`--scale` multiplies the registry, entries, cases and inbox sizes (0.02 for a trial on a busy
machine). Writes bench/results/logbook-<stamp>.json. Needs PostgreSQL (refuses SQLite).
Figures in docs/benchmarks.md ("The Logbook and routing at national size").
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import multiprocessing
import os
import platform
import pstats
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

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
from bench.mentoring import analyze, arr, insert_select, lit, load_care, load_registry, sql, step

# The ministry leading each dimension's help (plans/agencies.yaml, first lead of the
# dimension's indicators), and the others that have district offices.
MINISTRIES = [
    "กระทรวงสาธารณสุข",
    "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
    "กระทรวงศึกษาธิการ",
    "กระทรวงแรงงาน",
    "กระทรวงมหาดไทย (พช.)",
    "กระทรวงเกษตรและสหกรณ์",
    "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม",
]
LEAD = {"health": 0, "living": 1, "education": 2, "income": 3, "access": 1}
PARTS = ["need", "help", "visit", "help", "help", "summary", "visit", "help"]
HELPS = ["goods", "money", "utilities", "training", "scholarship", "referral", "other"]
REFERRAL_STATES = ["pending", "accepted", "accepted", "done", "done", "rejected", "revoked"]


# ---------------------------------------------------------------- 1. set-up


def load_agencies(args: argparse.Namespace) -> dict:
    """One agency office per district per ministry, a programme each; the busy provincial
    office; a bench user who registered the programmes."""
    from cheepao.accounts.models import Body, User
    from cheepao.logbook.models import Programme

    t = time.perf_counter()
    ministries = MINISTRIES[: args.ministries]
    sql(
        "CREATE TEMP TABLE bench_ministry AS SELECT i - 1 AS m, name "
        "FROM unnest(%s::text[]) WITH ORDINALITY AS t(name, i)",
        (ministries,),
    )
    bodies = insert_select(
        Body,
        {
            "name": "m.name || ' สำนักงานอำเภอ ' || d.code",
            "kind": "'agency'",
            "area_code": "d.code",
            "sector": "'government'",
            "ministry": "m.name",
        },
        "FROM geo_district d CROSS JOIN bench_ministry m ORDER BY d.code, m.m",
    )
    admin = User.objects.create(
        username="bench-district", role="district", area_code="1001", must_change_password=False
    )
    programmes = insert_select(
        Programme,
        {
            "name": "'โครงการแก้จนของ ' || b.name",
            "agency_id": "b.id",
            "area_code": "b.area_code",
            "dimensions": "to_jsonb(coalesce(l.dims, ARRAY[]::text[]))",
            "indicators": "'[]'::jsonb",
            "budget_year": "2569",
            "budget": "1000000",
            "registered_by_id": str(admin.pk),
        },
        "FROM accounts_body b JOIN bench_ministry m ON m.name = b.ministry LEFT JOIN ("
        "  SELECT (%s::int[])[i] AS m, array_agg(dim) AS dims"
        "  FROM unnest(%s::text[]) WITH ORDINALITY AS t(dim, i) GROUP BY 1) l ON l.m = m.m "
        "WHERE b.kind = 'agency'",
        (list(LEAD.values()), list(LEAD)),
    )
    # Per district and dimension: the lead ministry's office and its programme.
    sql(
        "CREATE TEMP TABLE bench_agency AS SELECT b.area_code AS district, d.dim, b.id, "
        "b.name, p.id AS programme_id FROM accounts_body b "
        "JOIN bench_ministry m ON m.name = b.ministry "
        "JOIN unnest(%s::text[], %s::int[]) AS d(dim, m) ON d.m = m.m "
        "JOIN logbook_programme p ON p.agency_id = b.id WHERE b.kind = 'agency'",
        (list(LEAD), list(LEAD.values())),
    )
    sql("CREATE INDEX ON bench_agency (district, dim)")
    sql("ANALYZE bench_agency")  # autovacuum never analyses temporary tables
    step(f"{bodies:,} agency offices, {programmes:,} programmes", t)
    return {"agencies": bodies, "programmes": programmes}


ENTRY_COLUMNS = {
    "household_id": "x.household_id",
    "village_code": "x.village_code",
    "part": "x.part",
    "occurred_on": "x.occurred_on",
    "received_at": "least(now(), x.occurred_on + time '09:00' + (mod(x.g, 5) || ' hours')::interval"
    " + (CASE WHEN mod(x.g, 10) = 0 THEN interval '3 days' ELSE interval '0' END))",
    "recorded_by_id": "x.user_id",
    "recorded_by_name": "x.username",
    "giver": "CASE x.part WHEN 'help' THEN coalesce(ag.name, x.username) "
    "WHEN 'visit' THEN x.username ELSE '' END",
    "agency_id": "CASE WHEN x.part = 'help' THEN ag.id END",
    "programme_id": "CASE WHEN x.part = 'help' AND mod(x.g, 3) > 0 THEN ag.programme_id END",
    "dimension": "CASE WHEN x.part IN ('help', 'need') THEN x.dimension ELSE '' END",
    "indicator": "CASE WHEN x.part IN ('help', 'need') THEN x.indicator ELSE '' END",
    "help_kind": f"CASE WHEN x.part = 'help' THEN ({arr(HELPS)})[1 + mod(x.g, 7)] ELSE '' END",
    "source": "CASE WHEN x.part = 'need' THEN "
    "(CASE WHEN mod(x.g, 4) = 0 THEN 'field' ELSE 'registry' END) ELSE '' END",
    "value": "CASE WHEN x.part = 'help' AND mod(x.g, 7) IN (0, 1, 4) "
    "THEN round((100 + random() * 4900)::numeric, 2) END",
    "note": "CASE x.part WHEN 'help' THEN '' "
    "WHEN 'need' THEN 'ขาดรายได้ประจำ ต้องการอาชีพเสริม' "
    "WHEN 'visit' THEN 'เยี่ยมบ้าน ครอบครัวอยู่ครบ ปลูกผักสวนครัวแล้ว' "
    "ELSE 'มีรายได้เพิ่มขึ้นจากการขายผัก หนี้นอกระบบลดลง' END",
    "photo": "''",
    "withdraws": "false",
}


def insert_entries(source: str, params: tuple = ()) -> int:
    """Entries from `source`, a FROM clause giving x(g, k, household_id, village_code,
    district, user_id, username, dimension, indicator); the part is the k-th of PARTS."""
    from cheepao.logbook.models import Entry

    return insert_select(
        Entry,
        ENTRY_COLUMNS,
        f"FROM (SELECT s.*, ({arr(PARTS)})[1 + mod(s.k, {len(PARTS)})] AS part, "
        f"current_date - mod(s.g * 37 + s.k * 13, 360)::int AS occurred_on FROM ({source}) s) x "
        "LEFT JOIN bench_agency ag ON ag.district = x.district AND ag.dim = x.dimension",
        params,
    )


def load_logbook(args: argparse.Namespace) -> dict:
    """The entries, corrections, history events and audit rows."""
    from cheepao.audit.models import AuditEvent
    from cheepao.households.models import HouseholdEvent
    from cheepao.logbook.models import Entry

    t = time.perf_counter()
    # The households in care, their mentor (who records) and their first problem.
    sql(
        "CREATE TEMP TABLE bench_lb AS SELECT (row_number() OVER (ORDER BY a.household_id) - 1)"
        "::int AS i, a.household_id, h.village_code, h.district_code AS district, "
        "u.id AS user_id, u.username, coalesce(p.dimension, 'income') AS dimension, "
        "coalesce(p.indicator, 'I1') AS indicator "
        "FROM mentoring_assignment a JOIN mentoring_teammember tm ON tm.id = a.mentor_id "
        "JOIN accounts_user u ON u.id = tm.user_id "
        "JOIN households_household h ON h.id = a.household_id "
        "LEFT JOIN (SELECT DISTINCT ON (household_id) household_id, dimension, indicator "
        "  FROM households_problem ORDER BY household_id, id) p ON p.household_id = a.household_id "
        "WHERE a.ended_at IS NULL"
    )
    sql("CREATE INDEX ON bench_lb (i)")
    sql("ANALYZE bench_lb")
    n_lb = sql("SELECT count(*) FROM bench_lb")[0][0]
    t = step(f"{n_lb:,} households in care with their mentor and first problem", t)
    # The busy households: the last two in care get many entries of their own.
    entries = insert_entries(
        "SELECT g, g / %s AS k, b.* FROM generate_series(0, %s - 1) g "
        "JOIN bench_lb b ON b.i = mod(g, %s) WHERE b.i < %s - 2",
        (n_lb, args.entries, n_lb, n_lb),
    )
    for i, n in ((n_lb - 1, args.big_household), (n_lb - 2, args.small_household)):
        entries += insert_entries(
            "SELECT g, g AS k, b.* FROM generate_series(0, %s - 1) g JOIN bench_lb b ON b.i = %s",
            (n, i),
        )
    big, small = (
        sql("SELECT household_id FROM bench_lb WHERE i = %s", (i,))[0][0]
        for i in (n_lb - 1, n_lb - 2)
    )
    t = step(f"{entries:,} entries over {n_lb:,} households in care", t)
    base = {c: "e." + c for c in ENTRY_COLUMNS}
    corrections = insert_select(
        Entry,
        base
        | {
            "received_at": "least(now(), e.received_at + interval '2 days')",
            "corrects_id": "e.id",
            "withdraws": "mod(e.id, 99) = 0",
            "value": "CASE WHEN e.value IS NOT NULL AND mod(e.id, 99) > 0 "
            "THEN e.value + 100 ELSE e.value END",
        },
        "FROM logbook_entry e WHERE mod(e.id, 33) = 0 AND e.corrects_id IS NULL",
    )
    t = step(f"{corrections:,} corrections (a third withdrawals)", t)
    events = insert_select(
        HouseholdEvent,
        {
            "household_id": "e.household_id",
            "kind": "CASE WHEN e.withdraws THEN 'logbook.withdrawn' "
            "WHEN e.corrects_id IS NOT NULL THEN 'logbook.corrected' ELSE 'logbook.' || e.part END",
            "at": "e.received_at",
            "actor_id": "e.recorded_by_id",
            "actor_name": "e.recorded_by_name",
            "channel": "'web'",
            "data": "CASE WHEN e.corrects_id IS NOT NULL THEN "
            "jsonb_build_object('date', e.occurred_on::text) "
            "WHEN e.part = 'help' THEN jsonb_build_object('help', e.help_kind, 'giver', e.giver, "
            "'value', coalesce(to_char(e.value, 'FM999,999,990.00'), '–'), "
            "'indicator', jsonb_build_array(e.indicator)) "
            "WHEN e.part = 'need' THEN jsonb_build_object('source', e.source, "
            "'indicator', jsonb_build_array(e.indicator), 'note', e.note) "
            "WHEN e.part = 'visit' THEN jsonb_build_object('giver', e.giver, 'note', e.note) "
            "ELSE jsonb_build_object('note', e.note) END",
        },
        "FROM logbook_entry e",
    )
    t = step(f"{events:,} history events", t)
    text = "Logbook %(part)s of %(date)s recorded for household %(household)s"
    audits = insert_select(
        AuditEvent,
        {
            "at": "e.received_at",
            "actor_id": "e.recorded_by_id",
            "actor_username": "e.recorded_by_name",
            "action": "'create'",
            "object_type": "'logbook.entry'",
            "object_id": "e.id::text",
            "area_code": "e.village_code",
            "summary": "'Logbook ' || e.part || ' of ' || e.occurred_on || "
            "' recorded for household ' || h.hh_id",
            "message": f"jsonb_build_object('text', {lit(text).replace('%', '%%')}, 'args', jsonb_build_object("
            "'part', e.part, 'date', e.occurred_on::text, 'household', h.hh_id))",
            "changes": "jsonb_strip_nulls(jsonb_build_object('uid', e.uid::text, "
            "'household', e.household_id, 'part', e.part, "
            "'occurred_on', e.occurred_on::text, 'agency', e.agency_id, "
            "'programme', e.programme_id, 'dimension', nullif(e.dimension, ''), "
            "'indicator', nullif(e.indicator, ''), 'help_kind', nullif(e.help_kind, ''), "
            "'value', e.value::text, 'giver', nullif(e.giver, ''), 'note', nullif(e.note, ''), "
            "'corrects', e.corrects_id))",
            "channel": "'web'",
        },
        "FROM logbook_entry e JOIN households_household h ON h.id = e.household_id",
    )
    step(f"{audits:,} audit rows", t)
    return {
        "entries": entries + corrections,
        "corrections": corrections,
        "households_in_care": n_lb,
        "big_household": big,
        "small_household": small,
        "history_events": events,
        "audit_rows": audits,
    }


def load_routing(args: argparse.Namespace) -> dict:
    """Cases on registry problems, referrals in every state, clocks, escalations; the busy
    provincial office's inbox; their history events and audit rows."""
    from cheepao.accounts.models import Body
    from cheepao.audit.models import AuditEvent
    from cheepao.escalation.models import Clock, Escalation
    from cheepao.households.models import HouseholdEvent
    from cheepao.routing.models import Case, Referral

    t = time.perf_counter()
    sql(
        "CREATE TEMP TABLE bench_case AS SELECT q.id AS problem_id, q.household_id, "
        "q.dimension, q.indicator, b.village_code, b.district, b.user_id, "
        "(row_number() OVER (ORDER BY q.id) - 1)::int AS n "
        "FROM households_problem q JOIN bench_lb b ON b.household_id = q.household_id "
        "ORDER BY q.id LIMIT %s",
        (args.cases,),
    )
    # 70 % open, 25 % solved on the household's first help entry, 5 % closed.
    state = "CASE WHEN mod(c.n, 20) < 14 THEN 'open' WHEN mod(c.n, 20) < 19 THEN 'solved' ELSE 'closed' END"
    sql(
        "CREATE TEMP TABLE bench_first_help AS SELECT household_id, min(id) AS id "
        "FROM logbook_entry WHERE part = 'help' GROUP BY 1"
    )
    sql("ALTER TABLE bench_first_help ADD PRIMARY KEY (household_id)")
    sql("ANALYZE bench_case")
    sql("ANALYZE bench_first_help")
    t = step("cases to open, first help entries", t)
    solved_entry = "fh.id"
    cases = insert_select(
        Case,
        {
            "household_id": "c.household_id",
            "village_code": "c.village_code",
            "dimension": "c.dimension",
            "indicator": "c.indicator",
            "problem_id": "c.problem_id",
            "note": "''",
            "owner_id": "ag.id",
            "owner_default": "true",
            "catalogue_version": "'1'",
            "state": f"CASE WHEN {state} = 'solved' AND {solved_entry} IS NULL THEN 'open' "
            f"ELSE {state} END",
            "opened_at": "now() - ((30 + mod(c.n, 300)) || ' days')::interval",
            "opened_by_id": "c.user_id",
            "solved_at": f"CASE WHEN {state} = 'solved' THEN now() - interval '10 days' END",
            "solved_by_id": f"CASE WHEN {state} = 'solved' THEN c.user_id END",
            "solved_entry_id": f"CASE WHEN {state} = 'solved' THEN {solved_entry} END",
            "closed_reason": f"CASE WHEN {state} = 'closed' THEN 'ย้ายออกนอกพื้นที่' ELSE '' END",
        },
        "FROM bench_case c JOIN bench_agency ag ON ag.district = c.district "
        "AND ag.dim = c.dimension LEFT JOIN bench_first_help fh ON fh.household_id = c.household_id",
    )
    t = step(f"{cases:,} cases", t)
    states = f"({arr(REFERRAL_STATES)})"
    rstate = f"CASE WHEN c.state = 'open' THEN {states}[1 + mod(c.id, 3)] WHEN c.state = 'solved' THEN 'done' ELSE {states}[6 + mod(c.id / 20, 2)] END"
    referrals = insert_select(
        Referral,
        {
            "case_id": "c.id",
            "village_code": "c.village_code",
            "agency_id": "c.owner_id",
            "level": "'district'",
            "state": rstate,
            "note": "'ขอความช่วยเหลือตามตัวชี้วัด ' || c.indicator",
            "follow_up_on": "(c.opened_at + interval '30 days')::date",
            "sent_at": "c.opened_at",
            "sent_by_id": "c.opened_by_id",
            "decided_at": f"CASE WHEN {rstate} IN ('accepted', 'rejected', 'done') "
            "THEN c.opened_at + interval '3 days' END",
            "reason": f"CASE WHEN {rstate} = 'rejected' THEN 'ไม่อยู่ในภารกิจ' ELSE '' END",
            "done_at": f"CASE WHEN {rstate} = 'done' THEN c.opened_at + interval '20 days' END",
            "done_entry_id": f"CASE WHEN {rstate} = 'done' THEN c.solved_entry_id END",
        },
        "FROM routing_case c",
    )
    t = step(f"{referrals:,} referrals", t)
    # The busy inbox: the health ministry's provincial office of the province with most
    # open cases, referred (province level) `--inbox` open cases of that province.
    province = sql(
        "SELECT left(village_code, 2) FROM routing_case WHERE state = 'open' "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    )[0][0]
    busy = Body.objects.create(
        name=f"สำนักงานสาธารณสุขจังหวัด {province}",
        kind="agency",
        area_code=province,
        sector="government",
        ministry=MINISTRIES[0],
    )
    inbox = insert_select(
        Referral,
        {
            "case_id": "c.id",
            "village_code": "c.village_code",
            "agency_id": str(busy.pk),
            "level": "'province'",
            "state": f"{states}[1 + mod(c.id, 3)]",
            "note": "'ส่งต่อระดับจังหวัด'",
            "follow_up_on": "current_date + mod(c.id, 40)::int - 20",
            "sent_at": "now() - (mod(c.id, 60) || ' days')::interval",
            "sent_by_id": "c.opened_by_id",
            "decided_at": "CASE WHEN mod(c.id, 3) > 0 THEN now() - interval '1 day' END",
        },
        "FROM (SELECT * FROM routing_case WHERE state = 'open' AND village_code LIKE %s "
        "ORDER BY id LIMIT %s) c",
        (province + "%", args.inbox),
    )
    # Escalations: half the busy inbox (assigned to it) and 2 % of the other open cases.
    escalations = insert_select(
        Escalation,
        {
            "case_id": "r.case_id",
            "village_code": "r.village_code",
            "from_level": "'district'",
            "to_level": "'province'",
            "reason": "'เกินกำลังอำเภอ ต้องการงบประมาณจังหวัด'",
            "automatic": "mod(r.id, 2) = 0",
            "escalated_at": "r.sent_at - interval '1 day'",
            "assigned_agency_id": str(busy.pk),
            "assigned_at": "r.sent_at",
            "assigned_by_id": "r.sent_by_id",
            "referral_id": "r.id",
        },
        "FROM routing_referral r WHERE r.agency_id = %s AND mod(r.id, 2) = 0",
        (busy.pk,),
    )
    escalations += insert_select(
        Escalation,
        {
            "case_id": "c.id",
            "village_code": "c.village_code",
            "from_level": "'district'",
            "to_level": "'province'",
            "reason": "'เกินกำหนดเวลาของอำเภอ'",
            "automatic": "true",
            "escalated_at": "c.opened_at + interval '30 days'",
        },
        "FROM routing_case c WHERE c.state = 'open' AND mod(c.id, 50) = 7 AND NOT EXISTS "
        "(SELECT 1 FROM escalation_escalation x WHERE x.case_id = c.id)",
    )
    clocks = insert_select(
        Clock,
        {
            "case_id": "c.id",
            "village_code": "c.village_code",
            "step": "CASE WHEN x.id IS NULL THEN 'district' ELSE 'province' END",
            "workflow_version": "'1'",
            "started_at": "coalesce(x.escalated_at, c.opened_at)",
            "due_at": "coalesce(x.escalated_at, c.opened_at) + interval '30 days'",
            "paused_at": "CASE WHEN mod(c.id, 17) = 0 AND c.state = 'open' THEN now() END",
            "pause_reason": "CASE WHEN mod(c.id, 17) = 0 AND c.state = 'open' "
            "THEN 'waiting_household' ELSE '' END",
            "stopped_at": "CASE WHEN c.state = 'open' THEN NULL ELSE coalesce(c.solved_at, now()) END",
        },
        "FROM routing_case c LEFT JOIN escalation_escalation x ON x.case_id = c.id",
    )
    t = step(
        f"busy inbox {inbox:,} referrals (province {province}), {escalations:,} escalations, "
        f"{clocks:,} clocks",
        t,
    )
    events = insert_select(
        HouseholdEvent,
        {
            "household_id": "c.household_id",
            "kind": "'routing.' || ev.kind",
            "at": "ev.at",
            "actor_id": "c.opened_by_id",
            "actor_name": "'bench'",
            "channel": "'web'",
            "data": "jsonb_build_object('indicator', jsonb_build_array(c.indicator))",
        },
        "FROM routing_case c CROSS JOIN LATERAL (VALUES ('opened', c.opened_at), "
        "('referred', c.opened_at), ('solved', c.solved_at)) ev(kind, at) "
        "WHERE ev.at IS NOT NULL",
    )
    audits = insert_select(
        AuditEvent,
        {
            "at": "r.sent_at",
            "actor_id": "r.sent_by_id",
            "actor_username": "'bench'",
            "action": "'create'",
            "object_type": "'routing.referral'",
            "object_id": "r.id::text",
            "area_code": "r.village_code",
            "summary": "'referral ' || r.id || ' sent'",
            "message": "'{}'::jsonb",
            "changes": "jsonb_build_object('state', r.state, 'agency', r.agency_id)",
            "channel": "'web'",
        },
        "FROM routing_referral r",
    )
    audits += insert_select(
        AuditEvent,
        {
            "at": "c.opened_at",
            "actor_id": "c.opened_by_id",
            "actor_username": "'bench'",
            "action": "'create'",
            "object_type": "'routing.case'",
            "object_id": "c.id::text",
            "area_code": "c.village_code",
            "summary": "'case ' || c.id || ' opened'",
            "message": "'{}'::jsonb",
            "changes": "jsonb_build_object('state', c.state, 'owner', c.owner_id)",
            "channel": "'web'",
        },
        "FROM routing_case c",
    )
    step(f"{events:,} history events, {audits:,} audit rows", t)
    counts = dict(sql("SELECT state, count(*) FROM routing_referral GROUP BY 1 ORDER BY 1"))
    return {
        "cases": cases,
        "referrals": referrals + inbox,
        "referrals_by_state": counts,
        "busy_agency": busy.pk,
        "busy_inbox_referrals": inbox,
        "escalations": escalations,
        "clocks": clocks,
        "history_events": events,
        "audit_rows": audits,
    }


def setup(args: argparse.Namespace) -> dict:
    from django.core.management import call_command

    from cheepao.geo import services as geo

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    geo.geography_load()
    step("migrate + geography", t0)
    s = args.scale
    registry_args = argparse.Namespace(
        households=round(618_300 * s),
        members=round(2_035_850 * s),
        problems=round(780_276 * s),
        assigned=args.assigned,
        villages=1,
        page_villages=0,
    )
    out: dict[str, Any] = {}
    _big, out["registry"] = load_registry(registry_args)
    out["care"] = load_care(registry_args)
    t = time.perf_counter()
    analyze()  # the registry's statistics, for the plans of the INSERT ... SELECTs below
    step("ANALYZE", t)
    out["agencies"] = load_agencies(args)
    out["logbook"] = load_logbook(args)
    t = time.perf_counter()
    sql("ANALYZE logbook_entry")
    step("ANALYZE logbook_entry", t)
    out["routing"] = load_routing(args)
    t = time.perf_counter()
    analyze()
    step("ANALYZE", t)
    out["setup_seconds"] = round(time.perf_counter() - t0, 1)
    step("whole set-up", t0)
    out["table_sizes"] = dict(
        sql(
            "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class "
            "WHERE relname IN ('logbook_entry', 'households_householdevent', "
            "'audit_auditevent', 'routing_case', 'routing_referral') ORDER BY 1"
        )
    )
    return out


# ---------------------------------------------------------------- 2. writes


def writer_plan(n: int, avoid: list[int]) -> list[dict]:
    """`n` mentors of different teams (one per writer), each with its team's households;
    not the teams of the households whose Logbook page is measured."""
    from cheepao.mentoring.models import Assignment, TeamMember

    paged = Assignment.objects.filter(household_id__in=avoid).values("team_id")
    leads = list(
        TeamMember.objects.filter(is_lead=True, active=True, user__username__startswith="m-")
        .exclude(team_id__in=paged)
        .order_by("team_id")
        .values_list("user_id", "team_id")
    )
    rnd = random.Random(12)
    chosen = rnd.sample(leads, min(n, len(leads)))
    plans = []
    for user_id, team_id in chosen:
        households = list(
            Assignment.objects.filter(team_id=team_id, ended_at__isnull=True).values_list(
                "household_id", "household__subdistrict_code"
            )
        )
        plans.append({"user_id": user_id, "households": households})
    return plans


def _help_args(rnd: random.Random, household_id: int, agencies: dict) -> dict:
    import datetime

    dimension = rnd.choice(list(LEAD))
    agency = agencies.get(dimension)
    return {
        "household_id": household_id,
        "occurred_on": datetime.date.today() - datetime.timedelta(days=rnd.randrange(60)),
        "dimension": dimension,
        "help_kind": rnd.choice(HELPS),
        "agency": agency[0] if agency else None,
        "programme": agency[1] if agency and rnd.random() < 0.67 else None,
        "value": f"{rnd.randrange(100, 5000)}.00" if rnd.random() < 0.5 else None,
        "note": "มอบเมล็ดพันธุ์ผักและอบรมการปลูก",
    }


def _agencies_of(district: str) -> dict:
    """The district's lead office and its programme per dimension."""
    from cheepao.accounts.models import Body
    from cheepao.logbook.models import Programme

    out = {}
    for dim, m in LEAD.items():
        body = Body.objects.filter(
            kind="agency", area_code=district, ministry=MINISTRIES[m]
        ).first()
        if body is not None:
            prog = Programme.objects.filter(agency=body).values_list("pk", flat=True).first()
            out[dim] = (body.pk, prog)
    return out


def write_loop(plan: dict, clock: Any, n: int, ready: Any = None) -> dict:
    """One writer: `help_record` over and over on its team's households, from the start time
    the parent sets in `clock` (start, measure from, stop) once every writer is ready."""
    from django.db import connection

    from cheepao.accounts.models import User
    from cheepao.core.context import Context
    from cheepao.logbook import services

    user = User.objects.get(pk=plan["user_id"])
    agencies = _agencies_of(plan["households"][0][1][:4])
    rnd = random.Random(n)
    ctx = Context.cli(user)
    timings, errors = [], []
    # One write before the start: each process loads the catalogues and warms its caches
    # on its own time, not in the measured window.
    services.help_record(ctx=ctx, **_help_args(rnd, plan["households"][0][0], agencies))
    if ready is not None:
        ready.put(n)
    clock["go"].wait()
    start_at, measure_from, stop_at = clock["times"][:]
    while time.time() < start_at:
        time.sleep(0.005)
    while True:
        now = time.time()
        if now >= stop_at:
            break
        household_id = rnd.choice(plan["households"])[0]
        kwargs = _help_args(rnd, household_id, agencies)
        t0 = time.perf_counter()
        try:
            services.help_record(ctx=ctx, **kwargs)
        except Exception as exc:  # reported; the run goes on
            errors.append(repr(exc)[:200])
            continue
        ms = (time.perf_counter() - t0) * 1000
        if now >= measure_from and time.time() <= stop_at:
            timings.append(ms)
    connection.close()
    return {"timings": timings, "errors": errors}


def server_side_binding(on: bool) -> None:
    """psycopg's server-side binding (prepared statements after 5 runs of a query) for the
    connections opened from now on in this process: `--server-side-binding`, to measure
    what PostgreSQL's parse and plan cost the writes (the app's settings do not set it)."""
    from django.db import connections

    if on:
        connections.close_all()
        connections.databases["default"].setdefault("OPTIONS", {})["server_side_binding"] = True


def _process_writer(plan, go, times, n, ready, queue, binding) -> None:
    setup_django()
    server_side_binding(binding)
    queue.put(write_loop(plan, {"go": go, "times": times}, n, ready))


def run_writes(args: argparse.Namespace) -> dict:
    """`--writers` concurrent writers (processes, or threads with --threads)."""
    from django.db import connections

    plans = writer_plan(args.writers, args.avoid)
    connections.close_all()
    server_side_binding(args.server_side_binding and args.threads)
    results: list[dict] = []

    def start(times) -> None:
        now = time.time() + 0.5
        times[:] = [now, now + args.write_warmup, now + args.write_warmup + args.write_seconds]

    if args.threads:
        lock = threading.Lock()
        clock = {"go": threading.Event(), "times": [0.0, 0.0, 0.0]}

        def run(plan, n):
            out = write_loop(plan, clock, n)
            with lock:
                results.append(out)

        threads = [threading.Thread(target=run, args=(p, n)) for n, p in enumerate(plans)]
        for th in threads:
            th.start()
        start(clock["times"])
        clock["go"].set()
        for th in threads:
            th.join()
    else:
        mp = multiprocessing.get_context("spawn")
        queue, ready, go, times = mp.Queue(), mp.Queue(), mp.Event(), mp.Array("d", 3)
        procs = [
            mp.Process(
                target=_process_writer,
                args=(p, go, times, n, ready, queue, args.server_side_binding),
            )
            for n, p in enumerate(plans)
        ]
        for p in procs:
            p.start()
        for _ in procs:  # every writer has Django set up and its account and households
            ready.get()
        start(times)
        go.set()
        results = [queue.get() for _ in procs]
        for p in procs:
            p.join()
    timings = [ms for r in results for ms in r["timings"]]
    errors = [e for r in results for e in r["errors"]]
    out = summary(timings, args.write_seconds)
    out |= {
        "writers": len(plans),
        "how": ("threads" if args.threads else "processes")
        + (", server-side binding" if args.server_side_binding else ""),
        "errors": len(errors),
        "error_samples": errors[:5],
        "load_average": load_average(),
    }
    print(f"  help_record, {len(plans)} writers ({out['how']}): {out}", flush=True)
    return out


def _backend_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a process (a PostgreSQL backend) from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def profile_writes(args: argparse.Namespace) -> dict:
    """One writer in-process: SQL queries per `help_record` and where its time goes (the
    verb's steps timed by wrapping them in this process only; the app is not changed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cheepao.accounts.models import User
    from cheepao.core.context import Context
    from cheepao.logbook import services
    from cheepao.logbook.models import Entry

    plan = writer_plan(1, args.avoid)[0]
    server_side_binding(args.server_side_binding)
    user = User.objects.get(pk=plan["user_id"])
    agencies = _agencies_of(plan["households"][0][1][:4])
    spent: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*a, **kw):
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0

        return wrapper

    originals = {
        "_cared": services._cared,
        "_values": services._values,
        "_event": services._event,
        "audit_record": services.audit_record,
    }
    names = {
        "_cared": "access check (care)",
        "_values": "checks of the values",
        "_event": "history event",
        "audit_record": "audit row",
    }
    original_save = Entry.save
    for attr, fn in originals.items():
        setattr(services, attr, timed(names[attr], fn))
    Entry.save = timed("entry INSERT", original_save)
    rnd = random.Random(99)
    total, queries, per_write_sql = [], [], []
    try:
        for _ in range(args.profile_writes):
            household_id = rnd.choice(plan["households"])[0]
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                services.help_record(
                    ctx=Context.cli(user), **_help_args(rnd, household_id, agencies)
                )
                total.append((time.perf_counter() - t0) * 1000)
            queries.append(len(captured.captured_queries))
            per_write_sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        sample = [q["sql"][:160] for q in captured.captured_queries]
    finally:
        for attr, fn in originals.items():
            setattr(services, attr, fn)
        Entry.save = original_save
    # CPU per write, no wrappers: this process (Django, Python) and its PostgreSQL backend
    # (/proc of the backend's pid, same machine): what 2 cores can sustain, whatever the
    # other load on the machine.
    backend = sql("SELECT pg_backend_pid()")[0][0]
    cpu0, pg0, wall0 = time.process_time(), _backend_cpu(backend), time.perf_counter()
    for _ in range(args.profile_writes):
        household_id = rnd.choice(plan["households"])[0]
        services.help_record(ctx=Context.cli(user), **_help_args(rnd, household_id, agencies))
    cpu_ms = (time.process_time() - cpu0) * 1000 / args.profile_writes
    pg1 = _backend_cpu(backend)
    pg_ms = (pg1 - pg0) * 1000 / args.profile_writes if pg0 is not None and pg1 else None
    wall_ms = (time.perf_counter() - wall0) * 1000 / args.profile_writes
    # Where the Python time goes: the same writes again under cProfile.
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.profile_writes):
        household_id = rnd.choice(plan["households"])[0]
        services.help_record(ctx=Context.cli(user), **_help_args(rnd, household_id, agencies))
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(r"cheepao|django/db/models/(query|base|sql)", 30)
    stats.sort_stats("tottime").print_stats(15)
    n = len(total)
    out = {
        "writes": n,
        "ms_per_write": summary(total),
        "queries_per_write": max(queries),
        "sql_ms_per_write": round(sum(per_write_sql) / n, 2),
        "ms_per_write_by_step": {k: round(v * 1000 / n, 2) for k, v in spent.items()},
        "plain_wall_ms_per_write": round(wall_ms, 2),
        "python_cpu_ms_per_write": round(cpu_ms, 2),
        "postgres_cpu_ms_per_write": round(pg_ms, 2) if pg_ms is not None else None,
        "writes_per_s_2_cores_cpu_bound": round(2000 / (cpu_ms + (pg_ms or 0)))
        if cpu_ms + (pg_ms or 0)
        else None,
        "queries_of_one_write": sample,
        "cprofile": text.getvalue(),
    }
    shown = {k: v for k, v in out.items() if k != "cprofile"}
    print(f"  one writer in-process: {json.dumps(shown, ensure_ascii=False, indent=2)}", flush=True)
    print(out["cprofile"], flush=True)
    return out


# ---------------------------------------------------------------- 3. pages


def make_page_users(n: int, logbook: dict, routing: dict) -> list[dict]:
    """Mentors of the big and the small household (their Logbook page) and accounts of the
    busy agency (its inbox)."""
    from cheepao.accounts.models import Body, User
    from cheepao.logbook.models import Entry
    from cheepao.mentoring.models import Assignment, TeamMember

    kinds = []
    for household_id in (logbook["big_household"], logbook["small_household"]):
        entries = Entry.objects.filter(household_id=household_id).count()
        team = Assignment.objects.get(household_id=household_id, ended_at__isnull=True).team_id
        mentor = User.objects.get(
            pk=TeamMember.objects.filter(team_id=team, user__isnull=False)
            .values_list("user_id", flat=True)
            .first()
        )
        kinds.append(
            (f"Logbook page ({entries} entries)", f"/logbook/household/{household_id}/", mentor)
        )
    busy = Body.objects.get(pk=routing["busy_agency"])
    kinds.append(
        (f"agency inbox ({routing['busy_inbox_referrals']} referrals)", "/routing/inbox/", None)
    )
    users = []
    for i in range(n):
        kind, url, person = kinds[i % len(kinds)]
        if person is None:
            person, _ = User.objects.get_or_create(
                username=f"agency-{busy.pk}-{i}",
                defaults={
                    "role": "agency",
                    "body": busy,
                    "area_code": busy.area_code,
                    "must_change_password": False,
                },
            )
        users.append(
            {
                "n": i,
                "cookie": session_cookie(person),
                "kind": kind,
                "url": url,
                "visit": lambda r, kind=kind, url=url: [(kind, url)],
            }
        )
    return users


def run_pages(args: argparse.Namespace, logbook: dict, routing: dict) -> dict:
    users = make_page_users(args.users, logbook, routing)
    prepare_serving()
    out: dict[str, Any] = {}
    with serve(args.workers) as port:
        ready, skipped = [], {}
        for kind in dict.fromkeys(u["kind"] for u in users):
            first = next(u for u in users if u["kind"] == kind)
            browser = Browser(port, first["cookie"])
            status, _body, _, _ = browser.request("GET", first["url"])
            browser.close()
            if status == 200:
                ready.append(kind)
            else:
                skipped[kind] = f"{first['url']} answered {status}: skipped (page not merged yet?)"
                print(f"  SKIPPED {kind}: {skipped[kind]}", flush=True)
        users = [u for u in users if u["kind"] in ready]
        out["skipped"] = skipped
        if users:
            out["think"] = drive(users, port, args.warmup, args.seconds, args.think)
            print(json.dumps(out["think"], indent=2, ensure_ascii=False), flush=True)
            if args.also_no_think:
                out["no_think"] = drive(users, port, args.warmup, args.seconds, 0.0)
                print(json.dumps(out["no_think"], indent=2, ensure_ascii=False), flush=True)
    return out


# ---------------------------------------------------------------- 4. statistics


def run_stats() -> dict:
    from django.core.management import call_command, get_commands

    if "helpstats_compute" not in get_commands():
        message = "manage.py helpstats_compute does not exist (helpstats not merged yet): skipped"
        print(f"  SKIPPED monthly statistics: {message}", flush=True)
        return {"skipped": message}
    t0 = time.perf_counter()
    call_command("helpstats_compute", "--all")
    seconds = round(time.perf_counter() - t0, 1)
    print(f"  helpstats_compute --all: {seconds} s (load {load_average()})", flush=True)
    out: dict[str, Any] = {"seconds": seconds}
    if "snapshots_build" in get_commands():
        # The whole country's snapshot of this month (issue 13: <= 60 s), its statistics
        # computed again inside it as the build does.
        from django.utils import timezone

        from cheepao.helpstats.months import code, first_of

        month = code(first_of(timezone.localdate()))
        t0 = time.perf_counter()
        call_command("snapshots_build", "--month", month)
        snap = round(time.perf_counter() - t0, 1)
        print(f"  snapshots_build --month {month}: {snap} s (load {load_average()})", flush=True)
        out["snapshot_seconds"] = snap
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="x national size (0.02: a trial)")
    ap.add_argument("--assigned", type=float, default=0.6, help="share of households in care")
    ap.add_argument("--ministries", type=int, default=len(MINISTRIES))
    ap.add_argument("--entries", type=int, default=2_000_000, help="x scale")
    ap.add_argument("--cases", type=int, default=300_000, help="x scale")
    ap.add_argument("--inbox", type=int, default=2_000, help="busy agency's referrals")
    ap.add_argument("--big-household", type=int, default=400, help="entries")
    ap.add_argument("--small-household", type=int, default=40, help="entries")
    ap.add_argument("--writers", type=int, default=20)
    ap.add_argument("--threads", action="store_true", help="writers as threads, not processes")
    ap.add_argument(
        "--server-side-binding",
        action="store_true",
        help="writers' connections with psycopg server-side binding (prepared statements)",
    )
    ap.add_argument("--write-seconds", type=float, default=60)
    ap.add_argument("--write-warmup", type=float, default=5)
    ap.add_argument("--profile-writes", type=int, default=200, help="0: no profile")
    ap.add_argument("--users", type=int, default=21)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--warmup", type=float, default=10)
    ap.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    ap.add_argument("--think", type=float, default=2.0, help="mean seconds on a page (0: none)")
    ap.add_argument("--also-no-think", action="store_true", help="then again with no pause")
    ap.add_argument("--skip", default="", help="comma list of writes,pages,stats to leave out")
    args = ap.parse_args()
    args.entries = round(args.entries * args.scale)
    args.cases = round(args.cases * args.scale)
    skip = set(filter(None, args.skip.split(",")))
    require_postgres("run under scripts/with-postgres")
    setup_django()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per signed-in session
    results: dict[str, Any] = {
        "machine": f"{platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}",
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "load_average_at_start": load_average(),
        "args": vars(args),
    }
    results["setup"] = setup(args)
    logbook = results["setup"]["logbook"]
    args.avoid = [logbook["big_household"], logbook["small_household"]]
    if "stats" not in skip:
        results["stats"] = run_stats()
    if "writes" not in skip:
        results["writes"] = run_writes(args)
        if args.profile_writes:
            results["write_profile"] = profile_writes(args)
    if "pages" not in skip:
        results["pages"] = run_pages(args, results["setup"]["logbook"], results["setup"]["routing"])
    results["load_average_at_end"] = load_average()
    out = ROOT / "bench" / "results" / f"logbook-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
