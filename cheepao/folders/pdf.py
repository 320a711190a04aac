"""The family folder as a one-page A4 PDF in Thai (seed 003's "แบบสรุปข้อมูลครัวเรือน"),
drawn by WeasyPrint from a template with the Debian Thai fonts (fonts-thai-tlwg: Garuda,
Loma). The photos are the stored thumbnails, read through the storage API and embedded, so
the PDF needs no URL of the site and carries no camera metadata."""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cheepao.folders import selectors
from cheepao.folders.models import FamilyFolder
from cheepao.geo.selectors import area_label
from cheepao.households.models import Household

STYLE = Path(__file__).with_name("pdf.css")


def _data_uri(field) -> str:
    with field.open("rb") as f:
        return "data:image/jpeg;base64," + base64.b64encode(f.read()).decode("ascii")


def folder_html(
    household: Household, folder: FamilyFolder, *, user: Any = None, when: datetime | None = None
) -> str:
    """The page WeasyPrint draws, in Thai; it names who printed it and when (issue 13)."""
    photos = [
        {"kind": p.get_kind_display(), "src": _data_uri(p.thumb)}
        for p in selectors.photos_current(household)
    ]
    with translation.override("th"):
        return render_to_string(
            "folders/pdf.html",
            {
                "household": household,
                "folder": folder,
                "photos": photos,
                "area_label": area_label(household.village_code),
                "maker": (user.get_full_name() or user.username) if user is not None else "",
                "made": when or timezone.now(),
            },
        )


def folder_pdf(household: Household, folder: FamilyFolder, *, user: Any = None) -> bytes:
    from weasyprint import CSS, HTML  # imported here: pango is loaded only for a PDF

    html = folder_html(household, folder, user=user)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLE))])
