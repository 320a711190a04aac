"""Every spreadsheet the platform writes, with formula payloads in whatever people can type.

Names, house numbers, occupations, area names, audit summaries, rejected values of an
uploaded file and the file's own name are seeded with texts that a spreadsheet would run:
`=`, `+`, `-`, `@`, a tab or a carriage return first, and a DDE call. Each export is then
opened as a file: an XLSX holds no formula element (`<f>`) and shows the text as typed; a
CSV holds no cell that starts with one of those characters (OWASP: a leading quote).

`test_every_download_of_the_platform_is_in_this_sweep` keeps the list honest: a new URL that
serves a .csv or .xlsx fails it until it is added here.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from cheepao.cli import main
from cheepao.engine import geography
from cheepao.engine.cells import FORMULA_TRIGGERS
from cheepao.engine.tests.factories import household, member, tables
from cheepao.jobs.models import Job

DDE = "=cmd|' /C calc'!A0"
PAYLOADS = ("=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", DDE)
# A number the platform itself wrote (a count, a row number) may be negative: it is a
# typed number, not text, and no spreadsheet runs it.
NUMBER = re.compile(r"-?\d+(\.\d+)?")

# Every URL of the platform that serves a spreadsheet, and the test below that opens it.
DOWNLOADS = {
    "households:village_export": "test_village_workbook_of_form_1",
    # Files made by background jobs (the audit log's export), taken by their maker.
    "jobs:download": "test_audit_export",
    "imports:template": "test_list_import_template_and_rejects",
    "imports:rejects_csv": "test_list_import_template_and_rejects",
    "dashboards:register_download": "test_public_register_downloads",
    "dashboards:summary_download": "test_public_registry_register_downloads",
    "plans:area_xlsx": "test_plans_rollup_workbook",
    "opendata:level_file": "test_open_data_files",
    # The monthly report (reports, ADR 0034), a job's file taken through the reports page.
    "reports:download": "test_monthly_report_workbook",
}


# ---------------------------------------------------------------- opening the files


def csv_cells(data: bytes) -> list[str]:
    """Every cell of a CSV export; fails on a cell a spreadsheet would read as a formula."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    bad = [c for c in cells if c.startswith(FORMULA_TRIGGERS) and not NUMBER.fullmatch(c)]
    assert not bad, f"CSV cells that a spreadsheet would run: {bad}"
    return cells


def xlsx_cells(data: bytes) -> list[str]:
    """Every text cell of a workbook; fails on any formula element in any sheet."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, f"a formula in {name}"
    wb = load_workbook(io.BytesIO(data))
    return [
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]


def shows(cells: list[str], text: str, *, csv_file: bool) -> bool:
    """`text` reached the file: in a CSV behind its neutralising quote, in a workbook as
    typed (a line break inside a cell may come back as LF)."""
    if csv_file:
        return any(c == "'" + text or c.endswith(text) for c in cells)
    return any(text.replace("\r", "") in c.replace("\r", "") for c in cells)


def carries_a_payload(cells: list[str]) -> bool:
    """Some text of the file holds a payload (so the test data reached it)."""
    return any(p.strip() in c for c in cells for p in PAYLOADS)


def shows_every_payload(cells: list[str], *, csv_file: bool, trimmed: bool = False) -> None:
    """Every payload is in the file (`trimmed`: as read back from an uploaded file, whose
    readers trim the spaces, tabs and line ends around a value)."""
    wanted = {p.strip() if trimmed else p for p in PAYLOADS}
    missing = [p for p in wanted if not shows(cells, p, csv_file=csv_file)]
    assert not missing, f"payloads that never reached the file (test data broken?): {missing}"


# ---------------------------------------------------------------- the list is complete


def _downloads(patterns, prefix: str = "") -> set[str]:
    found = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            found |= _downloads(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and re.search(r"csv|xlsx|download", str(p.pattern)):
            found.add(f"{prefix}{p.name}")
    return found


def test_every_download_of_the_platform_is_in_this_sweep():
    assert _downloads(get_resolver().url_patterns) == set(DOWNLOADS)
    tests = {name for name in globals() if name.startswith("test_")}
    assert set(DOWNLOADS.values()) <= tests


# ---------------------------------------------------------------- the engine and its CLI


def _named_areas(real):
    """geography.areas with every area name behind one of the payloads."""

    def areas(level: str) -> pd.DataFrame:
        df = real(level).copy()
        for column in ("name_th", "name_en"):
            df[column] = [f"{PAYLOADS[i % len(PAYLOADS)]}{t}" for i, t in enumerate(df[column])]
        return df

    return areas


def _survey(directory: Path, year: int) -> Path:
    """Households in several districts of Ubon, every name a payload; and rows the
    validator refuses, each refused value a payload."""
    directory.mkdir(parents=True)
    subs = ["340101", "340201", "340301", "340401", "340501", "340701", "340801"]
    hh = [
        household(f"H{i}", subdistrict=s, year=year, income=20000, house_no=PAYLOADS[i])
        for i, s in enumerate(subs)
    ]
    mm = [
        member(f"H{i}", 1, 40, year=year, first_name=p, last_name=p, welfare_card=True)
        for i, p in enumerate(PAYLOADS)
    ]
    h, m = (t.to_pandas() for t in tables(hh, mm))
    bad_h = h.iloc[:1].copy().astype(object)
    bad_h["hh_id"], bad_h["subdistrict_code"] = "BAD", DDE
    bad_m = m.iloc[: len(PAYLOADS)].copy().astype(object)
    bad_m["hh_id"] = [f"H{i}" for i in range(len(PAYLOADS))]
    bad_m["member_no"] = 2
    bad_m["sex"] = list(PAYLOADS)
    for name, good, bad in (("households", h, bad_h), ("members", m, bad_m)):
        pd.concat([good.astype(object), bad]).to_csv(
            directory / f"{name}.csv", index=False, lineterminator="\r\n"
        )
    return directory


@pytest.fixture(scope="module")
def payload_runs(tmp_path_factory):
    """Two runs (2567, 2568) computed by the real CLI from the payload survey."""
    root = tmp_path_factory.mktemp("payloads")
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(geography, "areas", _named_areas(geography.areas))
        for year in (2567, 2568):
            src = _survey(root / "survey" / str(year), year)
            res = runner.invoke(
                main, ["compute", "--input", str(src), "--out", str(root / "runs" / str(year))]
            )
            assert res.exit_code == 0, res.output
    return root


def test_run_directory_files(payload_runs):
    run = payload_runs / "runs" / "2568"
    files = sorted(run.glob("*.csv")) + sorted(run.glob("*.xlsx"))
    assert {f.name for f in files} >= {
        "rejects.csv",
        "register_district.csv",
        "register_village.xlsx",
    }
    for f in files:
        if f.suffix == ".csv":
            csv_cells(f.read_bytes())
        else:
            xlsx_cells(f.read_bytes())
    shows_every_payload(csv_cells((run / "rejects.csv").read_bytes()), csv_file=True, trimmed=True)
    district = csv_cells((run / "register_district.csv").read_bytes())
    assert any(c.startswith("'=") for c in district)  # the area names are there, quoted
    assert any(c.startswith("=") for c in xlsx_cells((run / "register_district.xlsx").read_bytes()))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_cli_register_output(payload_runs, tmp_path, suffix):
    out = tmp_path / f"register{suffix}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(geography, "areas", _named_areas(geography.areas))
        res = CliRunner().invoke(
            main,
            [
                "register",
                *("--run", str(payload_runs / "runs" / "2568"), "--level", "village"),
                *("--within", "34", "--output", str(out)),
            ],
        )
    assert res.exit_code == 0, res.output
    cells = csv_cells(out.read_bytes()) if suffix == ".csv" else xlsx_cells(out.read_bytes())
    assert carries_a_payload(cells)  # in the village names


def test_cli_validate_rejects(payload_runs, tmp_path):
    src = payload_runs / "survey" / "2568"
    out = tmp_path / "rejects.csv"
    res = CliRunner().invoke(
        main,
        [
            "validate",
            *("--households", str(src / "households.csv")),
            *("--members", str(src / "members.csv"), "--rejects", str(out)),
        ],
    )
    assert res.exit_code == 1, res.output  # some rows were refused
    shows_every_payload(csv_cells(out.read_bytes()), csv_file=True, trimmed=True)


def test_cli_compare_output(payload_runs, tmp_path):
    out = tmp_path / "compare.csv"
    runs = payload_runs / "runs"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(geography, "areas", _named_areas(geography.areas))
        res = CliRunner().invoke(
            main,
            [
                "compare",
                *("--before", str(runs / "2567"), "--after", str(runs / "2568")),
                *("--level", "district", "--output", str(out)),
            ],
        )
    assert res.exit_code == 0, res.output
    assert carries_a_payload(csv_cells(out.read_bytes()))


# ---------------------------------------------------------------- the platform's downloads


@pytest.mark.django_db
def test_public_register_downloads(client, payload_runs, settings):
    settings.CHEEPAO_RUNS_DIR = payload_runs / "runs"
    for level in ("province", "district", "subdistrict", "village"):
        for fmt in ("csv", "xlsx"):
            url = reverse("dashboards:register_download", args=["2568", level, fmt])
            response = client.get(url)
            assert response.status_code == 200, url
            data = b"".join(response.streaming_content)
            cells = csv_cells(data) if fmt == "csv" else xlsx_cells(data)
            assert carries_a_payload(cells), url


@pytest.mark.django_db
def test_public_registry_register_downloads(client, payload_runs, settings):
    """The register of a survey year loaded into the registry, made from its area summary
    on request: the area names (payloads here) are text, never formulas."""
    from django.core.management import call_command

    settings.CHEEPAO_RUNS_DIR = payload_runs / "runs"
    call_command("load_registry", "--run", str(payload_runs / "runs" / "2568"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(geography, "areas", _named_areas(geography.areas))
        for level in ("province", "district", "subdistrict", "village"):
            for fmt in ("csv", "xlsx"):
                url = reverse("dashboards:summary_download", args=["2568", level, fmt])
                response = client.get(url)
                assert response.status_code == 200, url
                cells = (
                    csv_cells(response.content) if fmt == "csv" else xlsx_cells(response.content)
                )
                assert carries_a_payload(cells), url


def _village_with_payloads() -> str:
    """A village of the loaded registry whose households, people and area names are all
    payloads; returns its code."""
    from django.db.models import Count

    from cheepao.geo.models import District, Subdistrict
    from cheepao.households.models import Household, Member

    # The village with the most households (34011611, two, in the tiny registry; ties: the
    # lowest code). The form shows one person per household (its head): each household's
    # house number and all its people take four payloads in turn, so two households carry
    # all seven whoever their heads are.
    code = (
        Household.objects.values("village_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "village_code")
        .first()["village_code"]
    )
    households = list(Household.objects.filter(village_code=code).order_by("pk"))
    assert 4 * len(households) >= len(PAYLOADS)
    for i, h in enumerate(households):
        h.house_no = PAYLOADS[4 * i % len(PAYLOADS)]
        h.save(update_fields=["house_no"])
        for m in Member.objects.filter(household=h):
            m.title = PAYLOADS[(4 * i + 1) % len(PAYLOADS)]
            m.first_name = PAYLOADS[(4 * i + 2) % len(PAYLOADS)]
            m.last_name = DDE
            m.occupation = PAYLOADS[(4 * i + 3) % len(PAYLOADS)]
            m.save(update_fields=["title", "first_name", "last_name", "occupation"])
    Subdistrict.objects.filter(code=code[:6]).update(name_th=DDE)
    District.objects.filter(code=code[:4]).update(name_th="@SUM(A1:A2)")
    return code


@pytest.mark.django_db
def test_village_workbook_of_form_1(client, make_user, sign_in, registry):
    code = _village_with_payloads()
    user = make_user("subdistrict", code[:6], first_name='=HYPERLINK("http://x")', last_name="-")
    sign_in(client, user)
    response = client.get(reverse("households:village_export", args=[code]))
    assert response.status_code == 200
    cells = xlsx_cells(response.content)
    shows_every_payload(cells, csv_file=False)
    assert any(c.startswith("จัดทำโดย =HYPERLINK") for c in cells)


@pytest.mark.django_db
def test_plans_rollup_workbook(client, make_user, sign_in, registry):
    """The development plan of a village: agency names (a catalogue may name anything) and
    the maker's name are text, never a formula."""
    import datetime

    from cheepao.households.models import Household
    from cheepao.plans.models import Plan, PlanItem

    h = Household.objects.filter(registry=registry).order_by("village_code", "pk").first()
    plan = Plan.objects.create(household=h, workflow_version="v1", status="approved")
    for i, p in enumerate(PAYLOADS):
        PlanItem.objects.create(
            plan=plan,
            position=i,
            dimension="income",
            own_action=p,
            agency=p,
            help_kind="other",
            due=datetime.date(2026, 1, 1),
            horizon="short",
        )
    user = make_user("subdistrict", h.subdistrict_code, first_name="=HYPERLINK(1)", last_name="-")
    sign_in(client, user)
    response = client.get(reverse("plans:area_xlsx", args=[h.village_code]))
    assert response.status_code == 200
    cells = xlsx_cells(response.content)
    shows_every_payload(cells, csv_file=False)
    assert any("=HYPERLINK(1)" in c for c in cells)


@pytest.mark.django_db
def test_audit_export(client, make_user, sign_in):
    from cheepao.audit.services import audit_record
    from cheepao.core.context import Context

    typist = make_user("district", "3401", username="=cmd")
    for p in PAYLOADS:
        audit_record(
            ctx=Context.cli(typist),
            action="update",
            object_type="households.household",
            object_id=p,
            area_code="34010101",
            summary=p,
            changes={"note": p},
        )
    national = make_user("national", "")
    sign_in(client, national)
    client.post(reverse("audit:export"), {"username": "=cmd"})
    job = Job.objects.get(kind="audit.export")
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    cells = csv_cells(b"".join(response.streaming_content))
    shows_every_payload(cells, csv_file=True)
    assert "'=cmd" in cells


@pytest.mark.django_db
def test_monthly_report_workbook(client, make_user, sign_in, geography):
    from datetime import date

    from django.utils import timezone

    from cheepao.geo.models import Province
    from cheepao.snapshots.models import AreaMonth

    month = date(2026, 11, 1)
    codes = list(Province.objects.order_by("code").values_list("code", flat=True)[: len(PAYLOADS)])
    for code, p in zip(codes, PAYLOADS, strict=True):
        Province.objects.filter(code=code).update(name_th=p)
    for code in ["", *codes]:
        AreaMonth.objects.create(
            month=month,
            level="province" if code else "country",
            area_code=code,
            targets=3,
            built_at=timezone.now(),
            closed_at=timezone.now() if not code else None,
            closed_by_name=DDE if not code else "",
        )
    national = make_user("national", "", first_name="=HYPERLINK(1)", last_name="-")
    sign_in(client, national)
    client.post(
        reverse("reports:request"),
        {"kind": "monthly", "area": "", "month": "2569-11", "fmt": "xlsx"},
    )
    job = Job.objects.get(kind="reports.monthly")
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200
    cells = xlsx_cells(b"".join(response.streaming_content))
    shows_every_payload(cells, csv_file=False)
    assert any("=HYPERLINK(1)" in c for c in cells)


@pytest.mark.django_db
def test_list_import_template_and_rejects(client, make_user, sign_in, registry):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cheepao.imports.models import ListImport
    from cheepao.imports.tests.helpers import HEADER, csv_bytes

    sign_in(client, make_user("province", "34"))
    csv_cells(client.get(reverse("imports:template")).content)
    rows = [[p, "", p, p, p, p, p] for p in PAYLOADS]
    upload = SimpleUploadedFile("=list.csv", csv_bytes(rows, HEADER), content_type="text/csv")
    response = client.post(
        reverse("imports:upload"), {"kind": "thaiqm", "name": DDE, "file": upload}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    imp = ListImport.objects.get()
    response = client.get(reverse("imports:rejects_csv", args=[imp.pk]))
    assert response.status_code == 200
    cells = csv_cells(response.content)
    shows_every_payload(cells, csv_file=True, trimmed=True)
    assert cells[7] == "'=list.csv"  # the uploaded file's own name, first cell after the header


@pytest.mark.django_db
def test_open_data_files(client, geography):
    """The open data CSV of each level: area names (payloads here) are text, never formulas."""
    from django.core.cache import cache

    from cheepao.geo.models import District, Province, Subdistrict
    from cheepao.opendata.tests.conftest import TINY, make_rows

    make_rows(TINY)
    for model, code in ((Province, "34"), (District, "3401"), (Subdistrict, "340101")):
        model.objects.filter(code=code).update(name_th=PAYLOADS[0], name_en=DDE)
    cache.clear()  # publications are kept in the default cache
    for level in ("province", "district", "subdistrict"):
        url = reverse("opendata:level_file", args=["2569-11", level, "csv"])
        response = client.get(url)
        assert response.status_code == 200, url
        assert carries_a_payload(csv_cells(response.content)), url
    cache.clear()
