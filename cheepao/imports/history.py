"""A household found on an imported list, as its history tells it (households.history):
matched when the list was uploaded, or linked to it by a reviewer."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from cheepao.households.history import define
from cheepao.imports.models import ListKind

LISTED = define(
    "imports.listed",
    N_("found on a list (%(list_kind)s): “%(name)s”, row %(rows)s"),
    list_kind=ListKind,
    name="text",
    rows="text",
)
LINKED = define(
    "imports.linked",
    N_("linked by a reviewer to row %(rows)s of a list (%(list_kind)s): “%(name)s”"),
    list_kind=ListKind,
    name="text",
    rows="text",
)
