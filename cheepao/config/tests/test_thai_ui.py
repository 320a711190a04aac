"""Every page reads as Thai (issue 9, item 7): walked in Thai as each role and as a visitor,
no page shows English words, internal codes (`living`, `all_correct`, `tpmap_mpi_17`,
`default`), bare DOPA area codes (`34010711`) or the informal คุณ.

What may stay in Latin letters is listed in ALLOWED with the reason: names of things
(ThaiQM, TPMAP, PDPA, Google Authenticator …), the column names a list file must have (the
upload page documents them), and data people typed or were given (usernames, file names).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cheepao.accounts.models import User
from cheepao.households.models import Household, Problem
from cheepao.imports import contract as list_contract
from cheepao.imports.models import ListImport, ReviewItem
from cheepao.verification import services as verification
from cheepao.verification.tests.conftest import form_data

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
    "XLSX",
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
    # map credits
    "OpenStreetMap",
    "Leaflet",
}
# A list file's header row is typed by people: the upload page names its columns.
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


def problems(html: str, data_words: set[str]) -> list[str]:
    parser = _Text()
    parser.feed(html)
    found = []
    for piece in parser.pieces:
        text = MASKED_PIN.sub(" ", piece)
        for word in sorted(data_words, key=len, reverse=True):
            text = text.replace(word, " ")
        words = [w for w in LATIN_WORD.findall(text) if w not in ALLOWED and w not in LIST_COLUMNS]
        codes = AREA_CODE.findall(text)
        if words or codes or INFORMAL_YOU.search(text):
            found.append(piece[:200])
    return found


@pytest.fixture
def world(registry, make_user):
    """A subdistrict with field work in it: a verified and submitted village, a household
    found in the field, a list import with a row to review, and one account per role."""
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
    verification.verification_save(household=h, actor=users["subdistrict"], data=form_data(h))
    batch = verification.batch_submit(area_code=h.village_code, actor=users["subdistrict"])
    verification.batch_return(batch=batch, actor=users["district"], comment="ตรวจรายได้อีกครั้ง")
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
    return {"household": h, "batch": batch, "field": field, "import": imp, "users": users}


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
    field_work = [
        reverse("households:area", args=[h.subdistrict_code]),
        reverse("households:subdistrict", args=[h.subdistrict_code]),
        reverse("households:village", args=[h.village_code]),
        reverse("households:folder", args=[h.pk]),
        reverse("households:search") + f"?village={h.village_code}&first_name=สม",
        reverse("verification:form", args=[h.pk]),
        reverse("verification:area", args=[h.village_code]),
        reverse("verification:area", args=[h.subdistrict_code]),
        reverse("verification:batches"),
        reverse("verification:batch", args=[world["batch"].pk]),
        reverse("newhouseholds:index"),
        reverse("newhouseholds:detail", args=[world["field"].pk]),
    ]
    return {
        "subdistrict": registry + field_work + [reverse("newhouseholds:new")] + account + managed,
        "district": registry
        + field_work
        + [reverse("households:area", args=[h.district_code])]
        + account
        + managed,
        "province": [
            *registry,
            reverse("households:area", args=[h.province_code]),
            reverse("verification:batches"),
            reverse("verification:batch", args=[world["batch"].pk]),
            reverse("imports:list"),
            reverse("imports:upload"),
            reverse("imports:review"),
            reverse("imports:detail", args=[world["import"].pk]),
            *account,
        ],
        "national": [
            *registry,
            reverse("audit:search"),
            reverse("audit:search") + f"?area_prefix={h.subdistrict_code}",
            reverse("imports:list"),
            *account,
        ],
        "mentor": [
            *registry,
            reverse("households:village", args=[h.village_code]),
            reverse("households:folder", args=[h.pk]),
            reverse("accounts:password_change"),
        ],
        "agency": [reverse("households:home"), reverse("accounts:password_change")],
    }


PUBLIC = ["/", "/areas/34/", "/areas/3401/", "/areas/340101/", "/accounts/sign-in/", "/nope/"]


def test_every_page_reads_as_thai(world, client, sign_in, runs_dir):
    usernames = {u.username for u in User.objects.all()}
    data_words = usernames | {"thaiqm.csv", "F2568"}
    failures: dict[str, list[str]] = {}
    for path in PUBLIC:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        if found := problems(response.content.decode(), data_words):
            failures[f"visitor {path}"] = found
    for role, paths in _pages(world).items():
        sign_in(client, world["users"][role])
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (role, path, response.status_code)
            if found := problems(response.content.decode(), data_words):
                failures[f"{role} {path}"] = found
        client.logout()
    assert not failures, "\n".join(f"{page}: {found}" for page, found in failures.items())


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
