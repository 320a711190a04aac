"""Every page reads as Thai (issue 9, item 7): walked in Thai as each role and as a visitor,
no page shows English words, internal codes (`living`, `all_correct`, `tpmap_mpi_17`,
`default`), bare DOPA area codes (`34010711`) or the informal คุณ.

What may stay in Latin letters is listed in ALLOWED with the reason: names of things
(ThaiQM, TPMAP, PDPA, Google Authenticator …), the column names a list file must have (on
the upload page only, which documents them), and data people typed or were given
(usernames, file names).
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cheepao.accounts.models import User
from cheepao.audit.models import AuditEvent
from cheepao.core.context import Context
from cheepao.households.models import Household, Problem
from cheepao.imports import contract as list_contract
from cheepao.imports.models import ListImport, ReviewItem
from cheepao.imports.tests.helpers import csv_bytes, upload, valid_pin, wrong_check_digit
from cheepao.imports.tests.helpers import person_row as list_row
from cheepao.jobs.models import Job
from cheepao.newhouseholds.models import DuplicateCase
from cheepao.newhouseholds.tests.helpers import member
from cheepao.newhouseholds.tests.helpers import post_data as new_household
from cheepao.verification import services as verification
from cheepao.verification.tests.conftest import form_data, marks_for
from cheepao.verification.tests.test_views import post_data

pytestmark = pytest.mark.django_db

ALLOWED = {
    # the product, the language switch, programs and standards named as such
    "Cheepao",
    "English",
    "ThaiQM",
    "TPMAP",
    "MPI",
    "Alkire",
    "Foster",
    "PDPA",
    "CSV",
    "JSON",
    "XLSX",
    "PDF",
    "UTF",
    "QR",
    "TOTP",
    "IP",
    "Google",
    "Microsoft",
    "Authenticator",
    "FreeOTP",
    # seed 004 writes these terms in English inside the Thai text: "คนตกหล่นจากระบบ
    # (Exclusion error)", "คนรั่วไหล (Inclusion error)"
    "Exclusion",
    "Inclusion",
    "error",
    # the letters (seeds 000-002) name TPMAP's "Logbook" so: "บันทึกลงใน TPMAP Logbook"
    "Logbook",
    # map credits
    "OpenStreetMap",
    "Leaflet",
}
# A list file's header row is typed by people: the upload page names its columns (and only
# that page may).
LIST_COLUMNS = {c.name for c in list_contract.LIST.columns} | {"thaiqm", "vulnerable", "list"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
AREA_CODE = re.compile(r"(?<![\d.,/:-])(?:\d{6}|\d{8})(?![\d.,/:-])")
MASKED_PIN = re.compile(r"\d-x{4}-x{5}-\d{2}-\d")
INFORMAL_YOU = re.compile(r"(?<!สรรพ)คุณ(?!ภาพ|สมบัติ|ค่า|ธรรม)")
SKIP = {"script", "style", "code", "template", "noscript"}
VOID = {"br", "meta", "link", "input", "img", "hr", "source", "area", "col", "wbr", "path"}
ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class _Text(HTMLParser):
    """The words a reader meets: text outside scripts and code, and the attributes a
    screen reader speaks."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.pieces: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
        self.pieces += [v for k, v in attrs if k in ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if not SKIP & set(self.stack) and data.strip():
            self.pieces.append(data.strip())


def problems(html: str, data_words: set[str], allowed: set[str] = ALLOWED) -> list[str]:
    parser = _Text()
    parser.feed(html)
    found = []
    for piece in parser.pieces:
        text = MASKED_PIN.sub(" ", piece)
        for word in sorted(data_words, key=len, reverse=True):
            text = text.replace(word, " ")
        words = [w for w in LATIN_WORD.findall(text) if w not in allowed]
        codes = AREA_CODE.findall(text)
        if words or codes or INFORMAL_YOU.search(text):
            found.append(piece[:200])
    return found


@pytest.fixture
def world(registry, make_user, sign_in):
    """A subdistrict with field work in it, reached the way people reach it (services and
    HTTP): a village verified, sent and returned, another one sent with a new household
    (ศจพ.2) and the team's note, the round's own deadlines, duplicate checks passed to the
    district by a team elsewhere (one decided), a list uploaded with rows matched, rejected
    and waiting, decided in bulk by the province and a district, and accounts reset, locked
    out and unlocked. The pages these steps answer with are kept in `seen`."""
    h = next(
        h
        for h in Household.objects.filter(registry=registry).order_by("village_code", "pk")
        if h.problems.filter(status=Problem.Status.OPEN).count() >= 2
    )
    names = {"first_name": "สมศรี", "last_name": "ใจดี"}
    users = {
        "national": make_user("national", "", username="chat", **names),
        "province": make_user("province", h.province_code, username="changwat", **names),
        "district": make_user("district", h.district_code, username="amphoe", **names),
        "subdistrict": make_user("subdistrict", h.subdistrict_code, username="tambon", **names),
        "mentor": make_user("mentor", h.village_code, username="phi-liang", **names),
        "agency": make_user("agency", h.province_code, username="nuai-ngan", **names),
    }
    seen: dict[str, tuple[int, str]] = {}

    def as_(role: str) -> Client:
        return sign_in(Client(), users[role])

    def keep(name: str, response) -> None:
        seen[name] = (response.status_code, response.content.decode())

    # The round's own dates (a decree moved them).
    today = timezone.localdate()
    verification.round_deadlines_set(
        registry=registry,
        dates={
            "verify": today + timedelta(days=30),
            "certify": today + timedelta(days=40),
            "approve": today + timedelta(days=45),
        },
        reason="หนังสือสั่งการจังหวัด ที่ อบ 0017/2568",
        ctx=Context.cli(users["national"]),
    )
    # Village 1: verified, sent and returned.
    verification.verification_save(
        household=h, ctx=Context.cli(users["subdistrict"]), data=form_data(h)
    )
    batch = verification.batch_submit(
        area_code=h.village_code, ctx=Context.cli(users["subdistrict"])
    )
    verification.batch_return(
        batch=batch, ctx=Context.cli(users["district"]), comment="ตรวจรายได้อีกครั้ง"
    )
    field = Household.objects.create(
        registry=registry,
        hh_id="F2568-00001",
        source="field",
        status="pending",
        province_code=h.province_code,
        district_code=h.district_code,
        subdistrict_code=h.subdistrict_code,
        village_no=h.village_no,
        village_code=h.village_code,
        house_no="9/1",
    )
    # The income rule refuses a mark against the income typed (I3).
    team = as_("subdistrict")
    marks = marks_for(h)
    refused = {**post_data(h), "income_year": "60000", "members_now": "3", "mark_I3": "wrong"}
    if "I3" not in marks:
        refused.update(income_year="1,000,000", added=["I3"])
    keep("ศจพ.1 refused by the income rule", team.post(_form_url(h), refused))
    # Village 2: a household found in the field (ศจพ.2) and a verified one, sent with a note.
    h2 = (
        Household.objects.filter(registry=registry, subdistrict_code=h.subdistrict_code)
        .exclude(village_code=h.village_code)
        .order_by("pk")
        .first()
    )
    form2 = new_household(
        registry, [member(income_year="12000")], subdistrict_code=h2.subdistrict_code
    )
    form2["village_no"] = str(h2.village_no)
    keep(
        "ศจพ.2 saved",
        team.post(reverse("newhouseholds:new"), {**form2, "action": "save"}, follow=True),
    )
    new = Household.objects.get(source="field", village_code=h2.village_code)
    verification.verification_save(
        household=h2, ctx=Context.cli(users["subdistrict"]), data=form_data(h2)
    )
    sent = verification.batch_submit(
        area_code=h2.village_code,
        ctx=Context.cli(users["subdistrict"]),
        comment="มีครัวเรือนใหม่หนึ่งหลัง",
    )
    # A team of another subdistrict types two national IDs of this one: the district decides.
    other = (
        Household.objects.filter(registry=registry, district_code=h.district_code)
        .exclude(subdistrict_code=h.subdistrict_code)
        .order_by("pk")
        .first()
    )
    users["elsewhere"] = make_user(
        "subdistrict", other.subdistrict_code, username="tambon-uen", **names
    )
    elsewhere = as_("elsewhere")
    pins = list(h.members.exclude(pin="").order_by("member_no").values_list("pin", flat=True))
    for pin in pins[:2]:
        form = new_household(registry, [member(pin=pin)], subdistrict_code=other.subdistrict_code)
        form["village_no"] = str(other.village_no)
        keep(
            f"ศจพ.2 preview {pin[:3]}",
            elsewhere.post(reverse("newhouseholds:new"), {**form, "action": "preview"}),
        )
    cases = list(DuplicateCase.objects.order_by("pk"))
    district = as_("district")
    keep(
        "duplicate check decided",
        district.post(
            reverse("newhouseholds:duplicate", args=[cases[0].pk]),
            {"decision": "same_person", "note": "บุคคลเดียวกับในทะเบียน"},
            follow=True,
        ),
    )
    # A list uploaded by the province: matched, rejected and waiting rows, decided in bulk.
    imp = ListImport.objects.create(
        kind="thaiqm",
        name="รายชื่อ ThaiQM ปี 2568",
        file_name="thaiqm.csv",
        file_sha256="0" * 64,
        area_code=h.province_code,
        registry=registry,
        rows_read=1,
        rows_queued=1,
    )
    ReviewItem.objects.create(
        list_import=imp,
        kind="thaiqm",
        row=2,
        reason=ReviewItem.Reason.values[0],
        data={
            "first_name": "สมศรี",
            "last_name": "ดีใจ",
            "village_no": h.village_no,
            "dimensions": ["living", "income"],
        },
        village_code=h.village_code,
    )
    province = as_("province")
    elsewhere_house = (
        Household.objects.filter(registry=registry).exclude(house_code="").exclude(pk=h.pk).first()
    )
    rows = [
        list_row(h, pin=pins[0]),
        list_row(h, pin=pins[1], house_code=elsewhere_house.house_code),
        list_row(h, pin=wrong_check_digit(pins[0])),
        *[list_row(h, pin=valid_pin(f"39000000000{i}")) for i in range(6)],
    ]
    keep(
        "list uploaded",
        province.post(
            reverse("imports:upload"),
            {"kind": "thaiqm", "name": "ThaiQM อุบลฯ", "file": upload(csv_bytes(rows), "list.csv")},
            follow=True,
        ),
    )
    uploaded = ListImport.objects.get(name="ThaiQM อุบลฯ")
    waiting = list(uploaded.reviews.filter(reason="not_found").order_by("row"))

    def bulk(client, action, items=(), query=None, **data):
        payload = {
            "action": action,
            "scope": "selected" if items else "filter",
            "query": urlencode(query or {}),
            "item": [str(i.pk) for i in items],
            **data,
        }
        return client.post(reverse("imports:review_bulk"), payload, follow=True)

    keep("bulk link by PIN", bulk(province, "link_pin", query={"match": "pin"}, expected=1))
    handed, back, rejected = waiting[0:2], waiting[2:3], waiting[3:5]
    keep("bulk to the district", bulk(province, "to_district", items=handed, expected=2))
    keep("bulk to the subdistrict", bulk(province, "to_subdistrict", items=back, expected=1))
    keep("bulk taken back", bulk(province, "take_back", items=back, expected=1))
    keep("bulk rejected", bulk(province, "reject", items=rejected, expected=2, note="ย้ายออก"))
    keep("bulk field visit (district)", bulk(district, "field_visit", items=handed, expected=2))
    keep(
        "a typed household to confirm",
        province.post(
            reverse("imports:decide", args=[waiting[5].pk]),
            {"decision": "link", "hh_id": h2.hh_id},
        ),
    )
    # Accounts: a password reset, a lockout and its unlocking, a deactivation.
    helper = make_user("mentor", h.village_code, username="phi-liang-song", **names)
    keep("password reset", district.post(reverse("accounts:reset_password", args=[helper.pk])))
    stranger = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        stranger.post(reverse("accounts:login"), {"username": helper.username, "password": "x"})
    keep(
        "locked out",
        stranger.post(reverse("accounts:login"), {"username": helper.username, "password": "x"}),
    )
    keep("locked account", district.get(reverse("accounts:detail", args=[helper.pk])))
    keep("unlocked", district.post(reverse("accounts:unlock", args=[helper.pk]), follow=True))
    keep(
        "deactivated", district.post(reverse("accounts:deactivate", args=[helper.pk]), follow=True)
    )
    return {
        "household": h,
        "sent_household": h2,
        "new_household": new,
        "batch": batch,
        "sent_batch": sent,
        "field": field,
        "import": imp,
        "uploaded": uploaded,
        "cases": cases,
        "users": users,
        "seen": seen,
    }


def _form_url(h) -> str:
    return reverse("verification:form", args=[h.pk])


def _pages(world) -> dict[str, list[str]]:
    h, users = world["household"], world["users"]
    mentor = users["mentor"]
    account = [
        reverse("accounts:list"),
        reverse("accounts:create"),
        reverse("accounts:password_change"),
    ]
    managed = [
        reverse("accounts:detail", args=[mentor.pk]),
        reverse("accounts:deactivate", args=[mentor.pk]),
        reverse("accounts:reset_password", args=[mentor.pk]),
    ]
    registry = [reverse("households:home"), reverse("households:search")]
    sent, new = world["sent_household"], world["new_household"]
    field_work = [
        reverse("households:area", args=[h.subdistrict_code]),
        reverse("households:subdistrict", args=[h.subdistrict_code]),
        reverse("households:village", args=[h.village_code]),
        reverse("households:folder", args=[h.pk]),
        reverse("households:folder", args=[sent.pk]),
        reverse("households:search") + f"?village={h.village_code}&first_name=สม",
        _form_url(h),
        _form_url(sent),
        _form_url(new),
        reverse("verification:area", args=[h.village_code]),
        reverse("verification:area", args=[sent.village_code]),
        reverse("verification:area", args=[h.subdistrict_code]),
        reverse("verification:batches"),
        reverse("verification:batch", args=[world["batch"].pk]),
        reverse("verification:batch", args=[world["sent_batch"].pk]),
        reverse("newhouseholds:index"),
        reverse("newhouseholds:detail", args=[world["field"].pk]),
        reverse("newhouseholds:detail", args=[new.pk]),
    ]
    review = reverse("imports:review")
    reviews = [
        review,
        review + "?status=all",
        review + "?status=decided",
        review + "?reason=not_found&match=none",
        review + "?match=pin&status=all",
        review + f"?area={h.subdistrict_code}&assigned=assigned&status=all",
    ]
    audit = reverse("audit:search")
    return {
        "subdistrict": registry
        + field_work
        + [reverse("newhouseholds:new")]
        + [reverse("plans:area", args=[c]) for c in (h.subdistrict_code, h.village_code)]
        + account
        + managed,
        "district": registry
        + field_work
        + [reverse("households:area", args=[h.district_code])]
        + [reverse("helpstats:month")]
        + [reverse("reports:index")]
        + [reverse("maps:map"), reverse("maps:area", args=[h.subdistrict_code])]
        + [reverse("helpstats:month"), reverse("snapshots:months")]
        + [reverse("newhouseholds:duplicates")]
        + [reverse("newhouseholds:duplicate", args=[c.pk]) for c in world["cases"]]
        + [review, review + "?status=all"]
        + [reverse("logbook:household", args=[h.pk]), reverse("logbook:programmes")]
        + account
        + managed,
        "elsewhere": [reverse("newhouseholds:index"), reverse("newhouseholds:new")],
        "province": [
            *registry,
            reverse("households:area", args=[h.province_code]),
            reverse("maps:map"),
            reverse("maps:map") + "?rate=acts_per_household",
            reverse("verification:batches"),
            reverse("verification:batch", args=[world["batch"].pk]),
            reverse("verification:batch", args=[world["sent_batch"].pk]),
            reverse("imports:list"),
            reverse("imports:upload"),
            reverse("imports:detail", args=[world["import"].pk]),
            reverse("imports:detail", args=[world["uploaded"].pk]),
            *reviews,
            *account,
            reverse("jobs:index"),
            *[reverse("jobs:detail", args=[j.pk]) for j in Job.objects.all()],
        ],
        "national": [
            *registry,
            audit,
            audit + f"?area_prefix={h.subdistrict_code}",
            *[audit + f"?action={a}" for a in AuditEvent.Action.values],
            reverse("imports:list"),
            *account,
            reverse("households:load"),
            reverse("jobs:index"),
        ],
        "mentor": [
            *registry,
            reverse("households:village", args=[h.village_code]),
            reverse("households:folder", args=[h.pk]),
            reverse("logbook:household", args=[h.pk]),
            reverse("accounts:password_change"),
        ],
        "agency": [
            reverse("households:home"),
            reverse("accounts:password_change"),
            reverse("logbook:programmes"),
        ],
    }


PUBLIC = ["/", "/areas/34/", "/areas/3401/", "/areas/340101/", "/accounts/sign-in/", "/nope/"]
#: What the steps of `world` answer with (the pages after a POST).
SEEN_STATUS = {"locked out": 429}


def _one_time_passwords(seen) -> set[str]:
    return {
        m
        for _status, html in seen.values()
        for m in re.findall(r'id="one-time-password">([^<]+)<', html)
    }


def test_every_page_reads_as_thai(world, client, sign_in, runs_dir):
    usernames = {u.username for u in User.objects.all()}
    data_words = (
        usernames
        | {"thaiqm.csv", "list.csv", "F2568"}
        # ids of households found in the field: the form's own id in base 32 (ADR 0021)
        | set(Household.objects.filter(source="field").values_list("hh_id", flat=True))
        | _one_time_passwords(world["seen"])
    )
    upload_page = reverse("imports:upload")
    failures: dict[str, list[str]] = {}
    for path in PUBLIC:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        if found := problems(response.content.decode(), data_words):
            failures[f"visitor {path}"] = found
    for step, (status, html) in world["seen"].items():
        assert status == SEEN_STATUS.get(step, 200), (step, status)
        if found := problems(html, data_words):
            failures[f"after: {step}"] = found
    for role, paths in _pages(world).items():
        sign_in(client, world["users"][role])
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (role, path, response.status_code)
            allowed = ALLOWED | LIST_COLUMNS if path == upload_page else ALLOWED
            if found := problems(response.content.decode(), data_words, allowed):
                failures[f"{role} {path}"] = found
        client.logout()
    assert not failures, "\n".join(f"{page}: {found}" for page, found in failures.items())


def test_the_steps_of_the_walk_did_what_they_say(world, client, sign_in):
    """The walk reads the pages of real work: each step of `world` took effect, so a page
    that reads as Thai is not simply one that shows nothing, and each kind of audit row the
    merged branches write is among those the audit pages show."""
    seen, h, users = world["seen"], world["household"], world["users"]
    sign_in(client, users["subdistrict"])
    form = client.get(_form_url(h)).content.decode()
    assert "data-income-rule" in form  # the I3 rule, shown as the income is typed
    area = client.get(reverse("verification:area", args=[h.village_code])).content.decode()
    assert "เหลืออีก 40 วัน" in area and "เหลืออีก 45 วัน" in area  # the round's own dates
    assert "data-locked" in client.get(_form_url(world["sent_household"])).content.decode()
    sign_in(client, users["district"])
    batch = reverse("verification:batch", args=[world["sent_batch"].pk])
    assert "มีครัวเรือนใหม่หนึ่งหลัง" in client.get(batch).content.decode()  # the team's note
    assert "ต่ำกว่าเกณฑ์" in seen["ศจพ.1 refused by the income rule"][1]
    assert world["sent_batch"].items.filter(household=world["new_household"]).exists()
    assert sorted(DuplicateCase.objects.values_list("status", flat=True)) == [
        "open",
        "same_person",
    ]
    uploaded = world["uploaded"]
    assert sorted(uploaded.reviews.values_list("status", flat=True)) == [
        "field_visit",
        "field_visit",
        "linked",
        "open",
        "open",
        "rejected",
        "rejected",
    ]
    assert uploaded.rejects.count() == 1
    assert 'id="one-time-password"' in seen["password reset"][1]
    assert not User.objects.get(username="phi-liang-song").is_active
    written = set(AuditEvent.objects.values_list("message__text", flat=True))
    for text in (
        "national ID lookup (%(purpose)s): %(pin)s",
        "duplicate check %(case)s passed to district %(district)s: %(key)s (%(source)s)",
        "duplicate check %(case)s decided: %(decision)s",
        "deadlines of the %(year)s round set: %(reason)s",
        "list row %(row)s handed to area %(area)s",
        "list row %(row)s taken back by the importing level",
        "list row %(row)s rejected with %(others)s other rows: %(note)s",
        "list row %(row)s kept as not in the registry (needs a ศจพ.2 visit), with %(others)s "
        "other rows",
        "on %(kind)s list '%(name)s' (row %(row)s, linked by its national ID by a reviewer)",
        "household %(hh_id)s shown to confirm a list row link",
        "list review page %(page)s: %(rows)s rows, %(households)s households",
    ):
        assert text in written, text


def test_form_errors_read_as_thai(world, client, sign_in):
    """Refused forms come back with Thai messages, Django's own ones included."""
    users = world["users"]
    usernames = {u.username for u in User.objects.all()}
    sign_in(client, users["district"])
    html = client.post(reverse("accounts:create"), {"username": "x" * 200}).content.decode()
    assert "โปรดกรอกข้อมูลช่องนี้" in html and "ยาวได้ไม่เกิน 150 ตัวอักษร" in html
    assert problems(html, usernames) == []
    sign_in(client, users["national"])
    html = client.get(reverse("audit:search"), {"area_prefix": "x"}).content.decode()
    assert problems(html, usernames) == []


def test_the_checker_finds_what_it_is_for():
    """The rules of this file, shown on the words the issue quotes."""
    assert problems("<p>มิติ living</p>", set()) == ["มิติ living"]
    assert problems("<td>34010711</td>", set()) == ["34010711"]
    assert problems("<p>ชุดตัวชี้วัด tpmap_mpi_17 v1 default</p>", set())
    assert problems("<p>ยังไม่มีเรื่องส่งต่อถึงคุณ</p>", set())
    assert problems('<input aria-label="Search">', set()) == ["Search"]
    ok = (
        "<p>ข้อมูลคุณภาพ ThaiQM</p><td>1-xxxx-xxxxx-54-9</td><td>081-234-5678</td>"
        "<p>ปี 2568 · 1,234 ครัวเรือน</p><script>var living = 1</script><code>pin</code>"
    )
    assert problems(ok, set()) == []


def test_no_template_prints_its_comments():
    """Django's `{# … #}` comment ends on its own line; one spread over several lines is
    printed on the page as text (it was, on every page with the readings box). Longer
    comments use `{% comment %}`."""
    from pathlib import Path

    from django.template.base import Lexer, TokenType

    root = Path(__file__).resolve().parents[2]
    printed = [
        f"{path.relative_to(root)}: {token.contents[:60]!r}"
        for path in sorted(root.glob("**/templates/**/*.html"))
        for token in Lexer(path.read_text(encoding="utf-8")).tokenize()
        if token.token_type == TokenType.TEXT and "{#" in token.contents
    ]
    assert printed == []


def test_a_message_has_one_thai_in_every_catalogue():
    """A message translated in two apps' catalogues must read the same in both: Django
    merges them and the first app listed wins, so a second Thai is never shown and only
    misleads whoever edits it (the merged branches left thirteen such pairs)."""
    import gettext
    from pathlib import Path

    from django.apps import apps

    catalogues = [Path(p) for p in settings.LOCALE_PATHS] + [
        Path(a.path) / "locale" for a in apps.get_app_configs() if a.name.startswith("cheepao.")
    ]
    seen: dict[str, dict[str, str]] = {}
    for folder in catalogues:
        mo = folder / "th" / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            with mo.open("rb") as f:
                for msgid, msgstr in gettext.GNUTranslations(f)._catalog.items():
                    if msgid:
                        seen.setdefault(str(msgid), {})[str(folder)] = str(msgstr)
    differ = {m: t for m, t in seen.items() if len(set(t.values())) > 1}
    assert differ == {}
