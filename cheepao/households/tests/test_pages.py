"""The registry pages through HTTP: scope per role, search, the village register's filters
and pages, the household folder and its audit trail. Expected figures are computed from
the engine run's own files (pandas), never from the database the pages read."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from cheepao.audit.models import AuditEvent
from cheepao.conftest import RUN_YEAR
from cheepao.engine import api as engine
from cheepao.households import selectors, services
from cheepao.households.models import Household
from cheepao.households.pii import format_pin, mask_pin

pytestmark = pytest.mark.django_db

DIMENSIONS = ("health", "living", "education", "income", "access")


@pytest.fixture
def run(runs_dir):
    """The run's target households and members as the engine wrote them."""
    r = engine.open_run(runs_dir / str(RUN_YEAR))
    hh = r.households().to_pandas()
    persons = r.persons().to_pandas()
    return hh[hh.is_target].reset_index(drop=True), persons[persons.is_target].reset_index(
        drop=True
    )


def _busiest(codes) -> str:
    """The code seen most often (ties: the lowest code)."""
    n = codes.value_counts()
    return min(n[n == n.max()].index)


@pytest.fixture
def sub(run) -> str:
    """The subdistrict with the most target households in the run: 340120 in the tiny
    Ubon run (five; four fail education, one income; none is critical)."""
    hh, _ = run
    return _busiest(hh.subdistrict_code)


def _signed_in(client, make_user, sign_in, role, area=""):
    user = make_user(role, area)
    sign_in(client, user)
    return user


def _figure(html: str, label: str) -> int:
    """The number shown next to a <dt> label on the start page."""
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>([\d,]+)</dd>", html)
    assert match, f"{label!r} not on the page"
    return int(match.group(1).replace(",", ""))


def _pk(hh_id: str) -> int:
    return Household.objects.get(hh_id=hh_id).pk


# ---------------------------------------------------------------- start page and scope


def test_anonymous_visitors_are_sent_to_sign_in(client, registry):
    for url in ("/registry/", "/registry/search/", "/registry/village/34010501/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/?next=/registry/")


@pytest.mark.parametrize(
    ("role", "area"), [("national", ""), ("province", "34"), ("district", "3401")]
)
def test_whole_run_seen_from_national_province_and_its_district(
    client, make_user, sign_in, registry, run, role, area
):
    hh, persons = run
    _signed_in(client, make_user, sign_in, role, area)
    html = client.get("/registry/").content.decode()
    assert _figure(html, "ครัวเรือนเป้าหมาย") == len(hh) == 29
    assert _figure(html, "คนจนเป้าหมาย") == int(persons.is_target_person.sum())
    assert _figure(html, "กลุ่มเป้าหมายวิกฤต (ตกเกณฑ์ 3 มิติขึ้นไป)") == int(hh.is_critical.sum())
    for d in DIMENSIONS:
        label = registry.catalogue.dimension(d).th
        assert _figure(html, f"ตกเกณฑ์{label}") == int(hh[f"dim_{d}"].sum())
    assert f"ปีสำรวจ {RUN_YEAR}" in html
    # the rules by title, version and profile description, never their ids
    assert f"{registry.catalogue.title_th} ฉบับที่ 2" in html
    assert "คนจนเป้าหมายทุกคนที่ตกเกณฑ์" in html
    assert "tpmap_mpi_17" not in html


def test_district_start_page_lists_its_subdistricts_with_counts(
    client, make_user, sign_in, registry, run
):
    hh, _ = run
    _signed_in(client, make_user, sign_in, "district", "3401")
    html = client.get("/registry/").content.decode()
    for code, n in hh.groupby("subdistrict_code").size().items():
        row = re.search(rf'href="/registry/area/{code}/">[^<]+</a></th>\s*<td>(\d+)</td>', html)
        assert row and int(row.group(1)) == n, code
    sub = hh.subdistrict_code.value_counts().index[0]
    html = client.get(f"/registry/area/{sub}/").content.decode()
    for village, n in hh[hh.subdistrict_code == sub].groupby("village_code").size().items():
        row = re.search(
            rf'href="/registry/village/{village}/">[^<]+</a></th>\s*<td>(\d+)</td>', html
        )
        assert row and int(row.group(1)) == n, village
    assert f'href="/registry/subdistrict/{sub}/"' in html


def test_subdistrict_user_sees_only_its_subdistrict(client, make_user, sign_in, registry, run, sub):
    hh, _ = run
    assert sub != "340101"
    _signed_in(client, make_user, sign_in, "subdistrict", sub)
    html = client.get("/registry/").content.decode()
    assert _figure(html, "ครัวเรือนเป้าหมาย") == int((hh.subdistrict_code == sub).sum()) == 5
    html = client.get(f"/registry/subdistrict/{sub}/").content.decode()
    assert "ครัวเรือนที่ 1–5 จากทั้งหมด 5" in html
    # Its parent district and a neighbour subdistrict are not its to see.
    assert client.get("/registry/area/3401/").status_code == 404
    assert client.get("/registry/area/340101/").status_code == 404


def test_district_of_another_part_of_the_province_sees_none(client, make_user, sign_in, registry):
    _signed_in(client, make_user, sign_in, "district", "3402")
    html = client.get("/registry/").content.decode()
    assert _figure(html, "ครัวเรือนเป้าหมาย") == 0
    for h in Household.objects.all():
        assert client.get(f"/registry/household/{h.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()


def test_agency_officer_gets_a_page_not_an_error(client, make_user, sign_in, registry):
    _signed_in(client, make_user, sign_in, "agency", "34")
    response = client.get("/registry/")
    assert response.status_code == 200
    assert "ยังไม่มีเรื่องส่งต่อถึงท่าน" in response.content.decode()


def test_mentor_of_one_village_starts_at_its_register(client, make_user, sign_in, registry, run):
    hh, _ = run
    # the village with the most target households (two: 34011611 in the tiny run) and
    # another village of its subdistrict that has target households too
    village = _busiest(hh.village_code)
    neighbour = min(set(hh[hh.subdistrict_code == village[:6]].village_code) - {village})
    _signed_in(client, make_user, sign_in, "mentor", village)
    html = client.get("/registry/").content.decode()
    assert _figure(html, "ครัวเรือนเป้าหมาย") == int((hh.village_code == village).sum()) == 2
    assert f'href="/registry/village/{village}/"' in html
    assert client.get(f"/registry/village/{village}/").status_code == 200
    assert client.get(f"/registry/village/{neighbour}/").status_code == 404
    assert client.get(f"/registry/subdistrict/{village[:6]}/").status_code == 404


# ---------------------------------------------------------------- the village register


def _register_hh_ids(html: str) -> list[str]:
    return [
        Household.objects.get(pk=int(pk)).hh_id
        for pk in re.findall(r'<th scope="row"><a href="/registry/household/(\d+)/">', html)
    ]


def test_register_sorted_by_house_number_with_masked_pins(
    client, make_user, sign_in, registry, run
):
    hh, persons = run
    _signed_in(client, make_user, sign_in, "district", "3401")
    village = "34010501"
    html = client.get(f"/registry/village/{village}/").content.decode()
    expected = hh[hh.village_code == village].copy()
    expected["key"] = expected.house_no.map(selectors.house_number_key)
    assert _register_hh_ids(html) == list(expected.sort_values(["key", "hh_id"]).hh_id)
    in_village = persons[persons.village_code == village]
    heads = in_village[in_village.relation == "head"]
    for pin in heads.pin:
        assert mask_pin(pin) in html
    # No full PIN of anyone in the list, in any spelling.
    for pin in persons.pin:
        assert pin not in html and format_pin(pin) not in html


def test_house_numbers_read_as_numbers():
    numbers = ["10", "3/5", "", "2", "18/3", "3", "12"]
    assert sorted(numbers, key=selectors.house_number_key) == [
        "2",
        "3",
        "3/5",
        "10",
        "12",
        "18/3",
        "",
    ]


@pytest.mark.parametrize(
    ("params", "select"),
    [
        ("dimension=education", lambda hh: hh.dim_education),
        ("dimension=income", lambda hh: hh.dim_income),
        ("indicator=E1", lambda hh: hh.d_E1),
        ("indicator=I3", lambda hh: hh.d_I3),
        ("dimension=education&indicator=E2", lambda hh: hh.dim_education & hh.d_E2),
        ("critical=no", lambda hh: ~hh.is_critical),
        ("critical=yes", lambda hh: hh.is_critical),
        ("source=survey", lambda hh: hh.is_target),
        ("source=thaiqm", lambda hh: ~hh.is_target),
        ("status=active", lambda hh: hh.is_target),
    ],
)
def test_filters_give_the_run_s_counts(client, make_user, sign_in, registry, run, params, select):
    hh, _ = run
    _signed_in(client, make_user, sign_in, "district", "3401")
    for sub in ("340105", "340113"):
        in_sub = hh[hh.subdistrict_code == sub]
        expected = sorted(in_sub[select(in_sub)].hh_id)
        html = client.get(f"/registry/subdistrict/{sub}/?{params}").content.decode()
        assert sorted(_register_hh_ids(html)) == expected, (sub, params)


def test_status_and_critical_filters_follow_the_registry(
    client, make_user, sign_in, registry, run, sub
):
    """Status and criticality change in the registry after certification; the filters read
    the registry, so they follow."""
    hh, _ = run
    assert not hh[hh.subdistrict_code == sub].is_critical.any()  # none critical before
    _signed_in(client, make_user, sign_in, "subdistrict", sub)
    moved, critical = Household.objects.filter(subdistrict_code=sub).order_by("hh_id")[:2]
    Household.objects.filter(pk=moved.pk).update(status=Household.Status.MOVED)
    Household.objects.filter(pk=critical.pk).update(is_critical=True)
    url = f"/registry/subdistrict/{sub}/"
    assert _register_hh_ids(client.get(url + "?status=moved").content.decode()) == [moved.hh_id]
    assert len(_register_hh_ids(client.get(url + "?status=active").content.decode())) == 4
    assert _register_hh_ids(client.get(url + "?critical=yes").content.decode()) == [critical.hh_id]
    # The start page counts households in the registry only, from the area summary, which
    # the approval that changes them refreshes (here the changes were written directly).
    services.area_summary_refresh(
        registry=registry, village_codes=[moved.village_code, critical.village_code]
    )
    html = client.get("/registry/").content.decode()
    assert _figure(html, "ครัวเรือนเป้าหมาย") == 4
    assert _figure(html, "กลุ่มเป้าหมายวิกฤต (ตกเกณฑ์ 3 มิติขึ้นไป)") == 1


def test_bad_filter_values_are_refused_with_a_message_not_an_error(
    client, make_user, sign_in, registry, sub
):
    _signed_in(client, make_user, sign_in, "subdistrict", sub)
    response = client.get(f"/registry/subdistrict/{sub}/?dimension=wealth&critical=maybe&page=x")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("โปรดเลือกจากรายการที่มีให้") == 2
    assert len(_register_hh_ids(html)) == 5


def test_pages_of_fifty(client, make_user, sign_in, registry, run, sub, monkeypatch):
    """50 a page; with the page size made small, every page holds its share and together
    they hold every household exactly once, in order."""
    hh, _ = run
    _signed_in(client, make_user, sign_in, "district", "3401")
    assert selectors.PER_PAGE == 50
    html = client.get(f"/registry/subdistrict/{sub}/").content.decode()
    assert "hh-pages" not in html
    monkeypatch.setattr(selectors.register, "PER_PAGE", 3)
    first = client.get(f"/registry/subdistrict/{sub}/?dimension=education").content.decode()
    second = client.get(f"/registry/subdistrict/{sub}/?dimension=education&page=2").content.decode()
    in_sub = hh[(hh.subdistrict_code == sub) & hh.dim_education]
    assert len(in_sub) == 4
    assert len(_register_hh_ids(first)) == 3 and len(_register_hh_ids(second)) == 1
    assert sorted(_register_hh_ids(first) + _register_hh_ids(second)) == sorted(in_sub.hh_id)
    assert "ครัวเรือนที่ 1–3 จากทั้งหมด 4" in first
    assert "หน้า 2 จาก 2" in second
    assert 'href="?dimension=education&amp;page=2"' in first


def test_htmx_filter_returns_only_the_table(client, make_user, sign_in, registry, sub):
    _signed_in(client, make_user, sign_in, "subdistrict", sub)
    response = client.get(
        f"/registry/subdistrict/{sub}/?dimension=income",
        headers={"HX-Request": "true", "HX-Target": "register-results"},
    )
    html = response.content.decode()
    assert "<html" not in html and "<table" in html
    assert len(_register_hh_ids(html)) == 1
    boosted = client.get(
        f"/registry/subdistrict/{sub}/", headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert "<html" in boosted.content.decode()


def test_export_is_form_1_and_audited(client, make_user, sign_in, registry, run):
    hh, persons = run
    user = _signed_in(client, make_user, sign_in, "subdistrict", "340105")
    response = client.get("/registry/village/34010501/register.xlsx?dimension=education")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A1"].value == "แบบฟอร์มจัดทำทะเบียนบุคคล/ครัวเรือนเป้าหมาย : ศจพ. 1"
    assert user.username in ws["A4"].value
    header = [c.value for c in ws[6]]
    assert header[:3] == ["ที่", "บ้านเลขที่", "หมู่"]
    assert "เด็กแรกเกิด" in header and "ผู้พิการ" in header
    expected = hh[(hh.village_code == "34010501") & hh.dim_education]
    rows = [r for r in ws.iter_rows(min_row=7, values_only=True) if r[0] is not None]
    assert len(rows) == len(expected) == 1
    e1 = header.index("3-5 ปี เตรียม")
    assert rows[0][e1] == (1 if expected.iloc[0].d_E1 else None)
    event = AuditEvent.objects.get(action="export")
    assert event.actor == user and event.object_id == "34010501"
    assert event.changes == {"filters": {"dimension": "education"}}
    # No national ID in the workbook.
    cells = " ".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v)
    assert not any(pin in cells for pin in persons.pin)


# ---------------------------------------------------------------- search


def test_search_by_exact_pin_typed_with_hyphens(client, make_user, sign_in, registry, run):
    _, persons = run
    user = _signed_in(client, make_user, sign_in, "subdistrict", "340105")
    person = persons[persons.subdistrict_code == "340105"].iloc[0]
    response = client.get("/registry/search/", {"pin": format_pin(person.pin)})
    html = response.content.decode()
    assert _register_hh_ids(html) == [person.hh_id]
    assert mask_pin(person.pin) in html and person.pin not in html
    event = AuditEvent.objects.get(action="search")
    assert event.actor == user
    assert event.summary == f"search: pin={mask_pin(person.pin)}"
    assert person.pin not in str(event.changes) and person.pin not in event.summary
    assert event.changes["results"] == 1


def test_search_does_not_reach_outside_the_area(client, make_user, sign_in, registry, run):
    _, persons = run
    _signed_in(client, make_user, sign_in, "subdistrict", "340105")
    outside = persons[persons.subdistrict_code != "340105"].iloc[0]
    html = client.get("/registry/search/", {"pin": outside.pin}).content.decode()
    assert _register_hh_ids(html) == []
    assert "ไม่พบครัวเรือนในพื้นที่ของท่านที่ตรงกับการค้นหา" in html
    assert AuditEvent.objects.filter(action="search").count() == 1


def test_search_by_name(client, make_user, sign_in, registry, run):
    _, persons = run
    _signed_in(client, make_user, sign_in, "district", "3401")
    last = persons.last_name.value_counts().index[0]
    prefix = last[:3]
    expected = sorted(set(persons[persons.last_name.str.startswith(prefix)].hh_id))
    html = client.get("/registry/search/", {"last_name": prefix}).content.decode()
    assert sorted(_register_hh_ids(html)) == expected
    # First and last name must belong to the same person.
    person = persons.iloc[5]
    both = persons[
        persons.first_name.str.startswith(person.first_name)
        & persons.last_name.str.startswith(person.last_name)
    ]
    html = client.get(
        "/registry/search/", {"first_name": person.first_name, "last_name": person.last_name}
    ).content.decode()
    assert sorted(_register_hh_ids(html)) == sorted(set(both.hh_id))
    assert person.first_name in html


def test_search_by_house_number_and_village(client, make_user, sign_in, registry, run):
    hh, _ = run
    _signed_in(client, make_user, sign_in, "national")
    house = hh.iloc[0]
    expected = sorted(hh[hh.house_no == house.house_no].hh_id)
    html = client.get("/registry/search/", {"house_no": house.house_no}).content.decode()
    assert sorted(_register_hh_ids(html)) == expected
    html = client.get(
        "/registry/search/", {"house_no": house.house_no, "village": house.village_code}
    ).content.decode()
    assert _register_hh_ids(html) == sorted(
        hh[(hh.house_no == house.house_no) & (hh.village_code == house.village_code)].hh_id
    )


def test_search_refuses_bad_input_in_thai_and_records_nothing(client, make_user, sign_in, registry):
    _signed_in(client, make_user, sign_in, "subdistrict", "340105")
    html = client.get("/registry/search/", {"pin": "1-2345"}).content.decode()
    assert "เลขประจำตัวประชาชนมี 13 หลัก" in html
    html = client.get("/registry/search/", {"pin": "", "first_name": " "}).content.decode()
    assert "กรอกอย่างน้อยหนึ่งช่อง" in html
    assert client.get("/registry/search/").status_code == 200
    assert not AuditEvent.objects.filter(action="search").exists()


# ---------------------------------------------------------------- the household folder


def test_folder_shows_members_with_full_pins_and_writes_one_audit_row(
    client, make_user, sign_in, registry, run
):
    hh, persons = run
    user = _signed_in(client, make_user, sign_in, "subdistrict", "340105")
    row = hh[hh.subdistrict_code == "340105"].sort_values("hh_id").iloc[0]
    pk = _pk(row.hh_id)
    before = AuditEvent.objects.count()
    response = client.get(f"/registry/household/{pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type, event.object_id) == (
        "view",
        "households.household",
        str(pk),
    )
    assert event.actor == user and event.area_code == row.village_code
    assert event.ip == "127.0.0.1"
    for p in persons[persons.hh_id == row.hh_id].itertuples():
        assert format_pin(p.pin) in html
        assert f"{p.title}{p.first_name} {p.last_name}" in html
    assert row.house_code in html
    assert f"geo:{row.lat:.6f},{row.lon:.6f}" in html
    assert "openstreetmap.org/?mlat=" in html
    # The only scripts in the folder are the map's data (JSON, never run) and static
    # files: no inline code.
    scripts = re.findall(r"<script[^>]*>", html.split("<main", 1)[1])
    assert scripts and all('type="application/json"' in t or " src=" in t for t in scripts)


def test_folder_explains_each_failing_indicator(client, make_user, sign_in, registry, run):
    hh, persons = run
    cat = registry.catalogue
    _signed_in(client, make_user, sign_in, "national")
    # A person-level indicator: the member the engine flagged, and the answer.
    p = persons[persons.p_E1].iloc[0]
    html = client.get(f"/registry/household/{_pk(p.hh_id)}/").content.decode()
    why = html.split('id="indicator-E1"')[1].split("</li>\n      \n      <li")[0]
    assert cat.indicator("E1").why_th in why
    assert f"{p.title}{p.first_name} {p.last_name}, อายุ {p.age} ปี" in why
    assert "ได้รับการเตรียมความพร้อมก่อนวัยเรียน: <strong>ไม่ใช่</strong>" in why
    assert f"ตามชุดตัวชี้วัด {cat.title_th} ฉบับที่ 2" in html
    assert "tpmap_mpi_17" not in html and "เกณฑ์กลุ่มเป้าหมาย default" not in html
    # A household-level indicator: which of its answers were "no".
    h = hh[hh.d_H2].iloc[0]
    html = client.get(f"/registry/household/{_pk(h.hh_id)}/").content.decode()
    why = html.split('id="indicator-H2"')[1].split('id="indicator-H3"')[0]
    assert cat.indicator("H2").why_th in why
    for column in cat.indicator("H2").answers:
        assert (selectors.answer_label(column) in why) == (not h[column])
    # Income: the household's figure against the registry's threshold.
    h = hh[hh.d_I3].iloc[0]
    html = client.get(f"/registry/household/{_pk(h.hh_id)}/").content.decode()
    why = html.split('id="indicator-I3"')[1].split('id="indicator-A1"')[0]
    # shown to the satang (cut, never rounded up to the threshold it fails)
    assert f"{h.income_per_person:,.2f}".removesuffix(".00") in why
    assert "ต่ำกว่าเกณฑ์ 38,000" in why
    assert registry.thresholds["income_per_person_year"] == 38000


def test_folder_names_only_the_answers_that_made_the_rule_fail(
    client, make_user, sign_in, registry
):
    """The reasons are the engine's (`engine.explain`): an unanswered question never makes
    anyone poor, so it is not listed as a reason; only the "no" answers are."""
    _signed_in(client, make_user, sign_in, "national")
    household = Household.objects.filter(problems__indicator="H2").first()
    first, second, *rest = registry.catalogue.indicator("H2").answers
    household.answers = {
        **household.answers,
        first: False,
        second: None,
        **dict.fromkeys(rest, True),
    }
    household.save(update_fields=["answers"])
    html = client.get(f"/registry/household/{household.pk}/").content.decode()
    why = html.split('id="indicator-H2"')[1].split('id="indicator-H3"')[0]
    assert f"{selectors.answer_label(first)}: <strong>ไม่ใช่</strong>" in why
    assert selectors.answer_label(second) not in why and "ไม่มีคำตอบ" not in why


def test_folder_passing_and_failing_match_the_run(client, make_user, sign_in, registry, run):
    hh, _ = run
    _signed_in(client, make_user, sign_in, "province", "34")
    for h in hh.itertuples():
        html = client.get(f"/registry/household/{_pk(h.hh_id)}/").content.decode()
        failing = set(re.findall(r'<li class="is-failing" id="indicator-(\w+)">', html))
        assert failing == {c[2:] for c in hh.columns if c.startswith("d_") and getattr(h, c)}
    assert AuditEvent.objects.filter(action="view").count() == len(hh)


def test_folder_history_tells_what_happened_not_who_looked(client, make_user, sign_in, registry):
    from cheepao.audit.services import audit_record
    from cheepao.core.context import Context
    from cheepao.households import services

    user = _signed_in(client, make_user, sign_in, "subdistrict", "340105")
    household = Household.objects.filter(subdistrict_code="340105").first()
    worker = make_user("province", "34", first_name="สมใจ", last_name="รักดี")
    services.household_status_set(
        ctx=Context.cli(worker), household=household, status=Household.Status.MOVED
    )
    # An audit row is not history: the folder leaves it (and its own views) to the audit log.
    audit_record(
        ctx=Context.cli(user), action="update", obj=household, summary="status: moved away"
    )
    client.get(f"/registry/household/{household.pk}/")
    html = client.get(f"/registry/household/{household.pk}/").content.decode()
    history = html.split('id="history-heading"')[1].split("</section>")[0]
    lines = re.findall(r"<li>(.*?)</li>", history, re.S)
    assert len(lines) == 2
    # newest first, in Thai, with the account's name and the statuses in words
    assert "สมใจ รักดี · เปลี่ยนสถานะจาก “อยู่ในทะเบียน" in lines[0]
    assert "เป็น “ย้ายที่อยู่”" in lines[0]
    assert re.search(r"\d+ [ก-๙.]+ 25\d\d เวลา \d\d:\d\d น\.", lines[0])
    codes = " ".join(household.problems.order_by("indicator").values_list("indicator", flat=True))
    assert (
        lines[1]
        .split(" · ", 1)[1]
        .startswith(f"ระบบ · เข้าทะเบียนครัวเรือนเป้าหมาย ปีสำรวจ {registry.survey_year} ตกเกณฑ์ ")
    )
    assert all(code in lines[1] for code in codes.split())
    for english in ("moved", "active", "status: moved away", worker.username, user.username):
        assert english not in history, english


def test_folder_in_english(client, make_user, sign_in, registry, run):
    hh, _ = run
    _signed_in(client, make_user, sign_in, "national")
    client.cookies["django_language"] = "en"
    h = hh[hh.d_E1].iloc[0]
    html = client.get(f"/registry/household/{_pk(h.hh_id)}/").content.decode()
    assert "Head and members" in html and "Education" in html
    assert "Children aged 3-5 receive pre-school care" in html
