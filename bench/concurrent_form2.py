"""Concurrent form ศจพ.2 saves (issue 10 item 3): how long a team waits for its save when
twenty teams save a new household in the same instant.

    .venv/bin/python bench/concurrent_form2.py [--phones 20] [--workers 4] [--rounds 3]
    PATH=$PWD/.venv/bin:$PATH scripts/with-postgres .venv/bin/python bench/concurrent_form2.py

Generates the tiny synthetic survey of province 34, computes it, and for each round makes
a fresh site database (an SQLite file; a new PostgreSQL database when DATABASE_URL points
at PostgreSQL), signs in one subdistrict team account per phone, starts gunicorn with
`--workers` sync workers (DEBUG off), and lets every phone save its own form ศจพ.2 (one
poor person, a national ID of its own) in the same instant. Prints, per round, the answers
by status and the seconds each phone waited for its answer; at the end p50 / p95 / max
over every answer of every round. A 503 is the "send again" page (the phone waited longer
than CHEEPAO_SQLITE_TIMEOUT for the write lock; its form is kept, nothing was saved). Results in docs/benchmarks.md ("Concurrent ศจพ.2 saves").
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import percentile  # noqa: E402
from bench.concurrent_saves import engine_run  # noqa: E402
from cheepao.config.tests import livesite  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--phones", type=int, default=20)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    database = os.environ.get("DATABASE_URL", "").split(":")[0] or "sqlite"
    waits: list[float] = []
    saved = statuses_total = 0
    errors = busy = 0
    with tempfile.TemporaryDirectory(prefix="cheepao-form2-") as tmp:
        base = Path(tmp)
        run = engine_run(base)
        for n in range(args.rounds):
            where = base / f"round{n}"
            where.mkdir()
            with livesite.site_database(where) as url:
                phones = livesite.prepare_new_households(url, run, args.phones)
                with livesite.gunicorn(url, workers=args.workers) as port:
                    answers, seconds = livesite.submit_at_once(port, phones)
                households = livesite.new_households(url)
            statuses = collections.Counter(a.status for a in answers)
            round_waits = sorted(a.seconds for a in answers)
            waits.extend(round_waits)
            saved += len(households)
            statuses_total += len(answers)
            busy += statuses.get(503, 0)
            errors += sum(v for k, v in statuses.items() if (k >= 500 and k != 503) or k == 0)
            print(
                json.dumps(
                    {
                        "round": n + 1,
                        "answers": dict(sorted(statuses.items())),
                        "saved": len(households),
                        "waits": [round(w, 2) for w in round_waits],
                        "last_answer": round(seconds, 2),
                    }
                ),
                flush=True,
            )
    print(
        f"{database}: {args.rounds} rounds of {args.phones} phones, {args.workers} workers: "
        f"{saved} of {statuses_total} households saved, {busy} 'send again' (503), "
        f"{errors} server errors; wait per answer "
        f"p50 {percentile(waits, 50):.2f} s, p95 {percentile(waits, 95):.2f} s, "
        f"max {max(waits):.2f} s, mean {statistics.mean(waits):.2f} s"
    )


if __name__ == "__main__":
    main()
