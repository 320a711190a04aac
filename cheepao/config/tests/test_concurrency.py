"""Concurrent saves on several worker processes (issue 9 item 14): twelve phones submit
form ศจพ.1 in the same instant to gunicorn with three workers, on the embedded SQLite
default and on PostgreSQL. Every form lands; no answer is a server error."""

from __future__ import annotations

import pytest

from cheepao.config.tests import livesite
from cheepao.conftest import RUN_YEAR

pytestmark = [pytest.mark.database, pytest.mark.slow]


def test_twelve_verifications_submitted_at_once_all_land(engine_runs_dir, tmp_path):
    with livesite.site_database(tmp_path) as url:
        phones = livesite.prepare(url, engine_runs_dir / str(RUN_YEAR), 12)
        with livesite.gunicorn(url, workers=3) as port:
            answers, _ = livesite.submit_at_once(port, phones)
        assert [a.status for a in answers] == [302] * 12, [
            (a.status, a.body[:200]) for a in answers if a.status != 302
        ]
        assert [a.headers["location"] for a in answers] == [p.url for p in phones]
        saved = livesite.verifications(url)
    assert sorted(saved) == sorted(p.household_id for p in phones)


def test_a_lock_that_cannot_be_had_answers_send_again_with_the_form_kept(engine_runs_dir, tmp_path):
    """Another writer holds the lock longer than the site waits (1 s here): the phone gets
    a Thai "send again" page (503, not cached) holding every field it posted; nothing is
    saved; one tap on "send again" once the lock is free saves the form."""
    with livesite.site_database(tmp_path) as url:
        (phone,) = livesite.prepare(url, engine_runs_dir / str(RUN_YEAR), 1)
        with livesite.gunicorn(
            url, workers=2, CHEEPAO_SQLITE_TIMEOUT="1", PGOPTIONS="-c lock_timeout=1000"
        ) as port:
            form = livesite.open_form(port, phone)
            with livesite.write_lock(url):
                busy = livesite.request(port, "POST", phone.url, cookie=phone.cookie, form=form)
            assert livesite.verifications(url) == {}
            assert busy.status == 503, busy.body[:500]
            assert busy.headers["retry-after"] == "5"
            assert "no-store" in busy.headers["cache-control"]
            assert "ระบบกำลังบันทึกงานของผู้อื่นอยู่" in busy.body
            assert "ข้อมูลที่ท่านกรอกไม่สูญหาย" in busy.body
            assert f'<form method="post" action="{phone.url}"' in busy.body
            assert "Traceback" not in busy.body and "database is locked" not in busy.body
            kept = livesite.hidden_fields(busy.body)
            posted = [
                (k, v) for k, vs in form.items() for v in (vs if isinstance(vs, list) else [vs])
            ]
            assert sorted(kept) == sorted(posted)

            again = livesite.request(port, "POST", phone.url, cookie=phone.cookie, form=kept)
            assert again.status == 302
            assert again.headers["location"] == phone.url
        saved = livesite.verifications(url)
    assert list(saved) == [phone.household_id]
