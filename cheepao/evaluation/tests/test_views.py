"""The evaluation pages over HTTP: the right account sees its area's figures, another
area is the same 404 as a missing one, the report downloads (safe cells, made by/when)
and is audited; nothing changes on a refusal."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.evaluation.models import Evaluation, Outcome
from cheepao.evaluation.services import evaluation_compute


@pytest.fixture
def ev(known_help):
    return evaluation_compute(
        ctx=Context.cli(), registry=known_help["registry"], after_run_path=known_help["after"]
    )


def _state():
    return list(Evaluation.objects.values()), Outcome.objects.count()


def test_the_province_page(ev, client, sign_in, make_user):
    sign_in(client, make_user("province", "34"))
    r = client.get(reverse("evaluation:index"))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="eval-followed">8<' in html
    assert 'id="eval-escaped">3 (42.9 %)<' in html
    assert 'id="eval-sufficient">3<' in html and 'id="eval-sustainable">1<' in html
    assert 'id="eval-caveat"' in html
    assert "ความสัมพันธ์" in html  # the caveat, in Thai by default
    assert "สำนักงาน พ" in html and "โครงการ ก" in html
    assert "8,000" in html


def test_english(ev, client, sign_in, make_user):
    sign_in(client, make_user("province", "34"))
    client.cookies["django_language"] = "en"
    r = client.get(reverse("evaluation:index"))
    assert "Association, not proof" in r.content.decode()


def test_a_district_page_and_another_districts_404(ev, client, sign_in, make_user):
    sign_in(client, make_user("district", "3401"))
    r = client.get(reverse("evaluation:index"))
    assert r.status_code == 200
    assert 'id="eval-followed">6<' in r.content.decode()
    assert client.get(reverse("evaluation:area", args=["34010101"])).status_code == 200
    before = _state()
    audit = AuditEvent.objects.count()
    for code in ("3402", "34", "34020101", "99", "x"):
        assert client.get(reverse("evaluation:area", args=[code])).status_code == 404, code
        assert (
            client.get(reverse("evaluation:area", args=[code]) + "?format=xlsx").status_code == 404
        )
    assert _state() == before
    assert AuditEvent.objects.count() == audit


def test_an_agency_account_gets_404(ev, client, sign_in, make_user):
    sign_in(client, make_user("agency", "34"))
    assert client.get(reverse("evaluation:index")).status_code == 404


def test_the_report_xlsx(ev, client, sign_in, make_user, known_help):
    from openpyxl import load_workbook

    # A name a person typed that looks like a formula stays text.
    p = known_help["p"]
    p.name = "=HYPERLINK(1)"
    p.save(update_fields=["name"])
    user = make_user("province", "34", first_name="สมศรี", last_name="ทดสอบ")
    sign_in(client, user)
    before = AuditEvent.objects.filter(action="export").count()
    r = client.get(reverse("evaluation:index") + "?format=xlsx")
    assert r.status_code == 200
    assert r["Content-Disposition"].endswith('cheepao_evaluation_2567_2568_34.xlsx"')
    ws = load_workbook(io.BytesIO(r.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[2][:2] == ["จัดทำโดย", "สมศรี ทดสอบ"]
    assert values[3][0] == "เมื่อ" and values[3][1]
    assert "ความสัมพันธ์" in values[4][0]
    flat = {str(v) for row in values for v in row if v is not None}
    assert "=HYPERLINK(1)" in flat
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"
    agency = next(row for row in values if row[0] == "=HYPERLINK(1)")
    assert agency[2:7] == [2, 1, 50, 8000, 8000]
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert event.actor_id == user.pk


def test_no_evaluation_yet(known_help, client, sign_in, make_user):
    sign_in(client, make_user("province", "34"))
    r = client.get(reverse("evaluation:index"))
    assert r.status_code == 200
    assert 'id="eval-none"' in r.content.decode()
    assert client.get(reverse("evaluation:index") + "?format=xlsx").status_code == 404


def _with_the_later_registry(w):
    from cheepao.households.services import registry_load

    registry_load(ctx=Context.cli(), run=str(w["after"]))


def test_a_province_starts_the_computing(known_help, client, sign_in):
    from cheepao.jobs.models import Job

    _with_the_later_registry(known_help)
    sign_in(client, known_help["maker"])
    html = client.get(reverse("evaluation:index")).content.decode()
    assert "2567 → 2568" in html and 'value="compute"' in html
    r = client.post(reverse("evaluation:index"), {"action": "compute"})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.kind == "evaluation.compute"
    assert job.params == {
        "registry": known_help["registry"].pk,
        "after_run": str(known_help["after"]),
    }


def test_a_district_may_not_start_it(known_help, client, sign_in, make_user):
    from cheepao.jobs.models import Job

    _with_the_later_registry(known_help)
    sign_in(client, make_user("district", "3401"))
    assert 'value="compute"' not in client.get(reverse("evaluation:index")).content.decode()
    before = _state()
    for url in (reverse("evaluation:index"), reverse("evaluation:area", args=["3401"])):
        assert client.post(url, {"action": "compute"}).status_code == 404
    assert Job.objects.count() == 0
    assert _state() == before


def test_nothing_to_compute_with_one_year(known_help, client, sign_in):
    from cheepao.jobs.models import Job

    sign_in(client, known_help["maker"])
    assert client.post(reverse("evaluation:index"), {"action": "compute"}).status_code == 404
    assert Job.objects.count() == 0
