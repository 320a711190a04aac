"""What list imports add to the registry's pages (households.extensions), registered from
`ImportsConfig.ready()`: the folder says which lists (ThaiQM, vulnerable groups, …) the
household was found on."""

from __future__ import annotations

from typing import Any

from cheepao.households import extensions
from cheepao.households.models import Household
from cheepao.imports import selectors


def folder_fact(household: Household, user: Any) -> dict[str, Any] | None:
    entries = list(selectors.household_lists(household))
    return {"entries": entries} if entries else None


def register() -> None:
    extensions.folder_sections.register(
        "imports.lists",
        order=20,
        place="facts",
        template="imports/registry/folder_fact.html",
        context=folder_fact,
    )
