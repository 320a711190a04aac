"""Lists made from the loaded registry, for the import tests."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.th import pin as th_pin

from cheepao.households.models import Household

HEADER = [
    "pin",
    "house_code",
    "first_name",
    "last_name",
    "subdistrict_code",
    "village_no",
    "house_no",
]


def valid_pin(body: str) -> str:
    """A PIN with a correct check digit from its first 12 digits."""
    return body + th_pin.calc_check_digit(body)


def wrong_check_digit(pin: str) -> str:
    return pin[:12] + str((int(pin[12]) + 1) % 10)


def csv_bytes(rows: list[list], header: list[str] = HEADER, bom: bool = False) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def upload(content: bytes, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def two_households() -> tuple[Household, Household]:
    """Two registry households with a house code and a member with a PIN, in different
    villages."""
    found: list[Household] = []
    for h in Household.objects.exclude(house_code="").order_by("hh_id"):
        if h.members.exclude(pin="").exists() and all(
            h.village_code != f.village_code for f in found
        ):
            found.append(h)
        if len(found) == 2:
            return found[0], found[1]
    raise AssertionError("the test registry needs two households with PINs")


def person_row(h: Household, *, pin: str = "", house_code: str = "") -> list:
    m = h.members.exclude(pin="").order_by("member_no").first()
    return [
        pin,
        house_code,
        m.first_name,
        m.last_name,
        h.subdistrict_code,
        h.village_no,
        h.house_no,
    ]


def first_pin(h: Household) -> str:
    return h.members.exclude(pin="").order_by("member_no").first().pin


def refusal(client, response) -> str:
    """What the uploader reads about a refused list, wherever it is refused: on the upload
    form (400) when the refusal needs no reading (not CSV/XLSX by its bytes, too large, no
    registry), else on the page of the background job that read it, which failed, stored
    nothing and offers to upload again. Returns that page's HTML."""
    from django.urls import reverse

    from cheepao.jobs.models import Job

    if response.status_code == 400:
        html = response.content.decode()
        assert 'id="id_file-error"' in html
        return html
    assert response.status_code == 302, response.status_code
    job = Job.objects.order_by("-created_at").first()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.state) == ("imports.list_import", "failed"), (job.state, job.result)
    assert job.error_code.startswith("imports."), job.error_code
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{reverse("imports:upload")}"' in html  # "start again"
    assert 'role="alert"' in html
    return html
