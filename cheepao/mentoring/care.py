"""What other apps add to a mentor's "my households" list, registered instead of imported.

Mentoring does not import the family folder or the plan apps (they build on mentoring's
`care` action, not the other way round). An app that has something to say about each
household in a mentor's care registers it here from its `AppConfig.ready()`:

- `care_columns`: a line of each row (a heading, and `cells(households)` giving, for one
  page of households, the value per household id: one query for the page, never one per
  row; `template` renders one value with `value` and `household`);
- `care_filters`: a filter of the list (`label`, and `households()` giving a queryset of
  the household ids it keeps, e.g. those whose current plan was returned).

The list renders what was registered, in `order`; a registry nobody filled leaves the rows
as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cheepao.households.extensions import Cell, Registry


@dataclass(frozen=True)
class CareColumn:
    key: str
    order: int
    heading: Any
    template: str
    cells: Callable[[list[Any]], Mapping[int, Any]]


class CareColumns(Registry):
    def register(
        self,
        key: str,
        *,
        order: int,
        heading: Any,
        template: str,
        cells: Callable[[list[Any]], Mapping[int, Any]],
    ) -> CareColumn:
        return self.add(CareColumn(key, order, heading, template, cells))

    def cells(self, households: list[Any]) -> dict[int, list[Cell]]:
        """The registered columns' cells of one page of households, per household id."""
        columns = self.all()
        values = [column.cells(households) for column in columns]
        return {
            h.pk: [Cell(c.template, v.get(h.pk)) for c, v in zip(columns, values, strict=True)]
            for h in households
        }


@dataclass(frozen=True)
class CareFilter:
    key: str
    order: int
    label: Any
    households: Callable[[], Any]


class CareFilters(Registry):
    def register(
        self, key: str, *, order: int, label: Any, households: Callable[[], Any]
    ) -> CareFilter:
        return self.add(CareFilter(key, order, label, households))


care_columns = CareColumns("care column")
care_filters = CareFilters("care filter")
