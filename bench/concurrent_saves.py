"""Concurrent ศจพ.1 saves on the embedded SQLite default (issue 9 item 14).

    .venv/bin/python bench/concurrent_saves.py [--phones 12] [--workers 3] [--rounds 5]

Generates the tiny synthetic survey of province 34, computes it, and for each round makes
a fresh site database (an SQLite file; a new PostgreSQL database when DATABASE_URL points
at PostgreSQL, e.g. under scripts/with-postgres), signs in one phone per household,
starts gunicorn with `--workers` sync workers (DEBUG off) and lets every phone submit
form ศจพ.1 in the same instant. Prints, per round, the answers by status, the seconds
from the release to the last answer, and how many verifications were saved.
Results in docs/benchmarks.md ("Concurrent saves").
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402

from cheepao.cli import main as cli  # noqa: E402
from cheepao.config.tests import livesite  # noqa: E402


def engine_run(base: Path) -> Path:
    runner = CliRunner()
    survey, run = base / "survey", base / "runs" / "2568"
    for args in (
        [
            "generate",
            "--province",
            "34",
            "--scale",
            "tiny",
            "--years",
            "2568",
            "--out",
            str(survey),
        ],
        ["compute", "--input", str(survey / "2568"), "--out", str(run)],
    ):
        result = runner.invoke(cli, args, catch_exceptions=False)
        if result.exit_code:
            raise SystemExit(result.output)
    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--phones", type=int, default=12)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    rounds = []
    with tempfile.TemporaryDirectory(prefix="cheepao-concurrent-") as tmp:
        base = Path(tmp)
        run = engine_run(base)
        for n in range(args.rounds):
            where = base / f"round{n}"
            where.mkdir()
            with livesite.site_database(where) as url:
                phones = livesite.prepare(url, run, args.phones)
                with livesite.gunicorn(url, workers=args.workers) as port:
                    answers, seconds = livesite.submit_at_once(port, phones)
                saved = livesite.verifications(url)
            statuses = collections.Counter(a.status for a in answers)
            rounds.append(
                {
                    "answers": dict(sorted(statuses.items())),
                    "seconds": round(seconds, 2),
                    "saved": len(saved),
                }
            )
            print(json.dumps(rounds[-1]), flush=True)
    lost = sum(args.phones - r["saved"] for r in rounds)
    errors = sum(v for r in rounds for k, v in r["answers"].items() if k >= 500)
    print(
        f"{args.rounds} rounds of {args.phones} phones, {args.workers} workers: "
        f"{errors} server errors, {lost} forms not saved, "
        f"slowest round {max(r['seconds'] for r in rounds)} s"
    )


if __name__ == "__main__":
    main()
