"""What feature apps add to the registry's pages, registered instead of imported.

The registry (`households`) is the base app: verification, new households, list imports
and every later app (plans, the Logbook, routing) build on it, so it must not import them
(an import contract in pyproject.toml checks it). A feature app that wants a place on the
registry's pages registers it here from its `AppConfig.ready()`:

- `folder_sections`: a part of the household folder (a fact line, a button, a section);
- `area_actions`: a button on the area register (village / subdistrict list);
- `register_filters`: a filter of the area register (a form field and the `Q` it means);
- `register_columns`: a column of the area register (a heading and a cell per household);
- `map_pin_kind`: what colours a household's pin on the maps (one app provides it);
- `household_actions`: an action on households that a feature app brings (a mentor's
  `care` for the households assigned to them, a district's `assign`), with the reach
  that narrows it beyond the account's area. The household policy reads them, so the
  access sweep covers them like the registry's own actions.

The registry's own pages ask these registries and render what they return; a registry
that nobody filled leaves its place empty. Each entry has an `order` (lower first) so the
page does not depend on the order the apps happen to be loaded in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: The places of the household folder a section may take: a line of the facts at the
#: top, a button under them, or a section of the page below the warning about personal
#: data.
FOLDER_PLACES = ("facts", "actions", "main")
#: The pin of a household no provider classifies.
NOT_CLASSIFIED = _("not classified yet")


class Registry:
    """Named entries, kept in `order`; registering the same key again replaces the entry
    (Django may run `ready()` twice in one process, e.g. in tests)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._entries: dict[str, Any] = {}

    def add(self, entry: Any) -> Any:
        self._entries[entry.key] = entry
        return entry

    def remove(self, key: str) -> None:
        """Take an entry out (tests that register one of their own clean up with it)."""
        self._entries.pop(key, None)

    def all(self) -> list[Any]:
        return sorted(self._entries.values(), key=lambda e: (e.order, e.key))

    def get(self, key: str) -> Any | None:
        return self._entries.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._entries


# ---------------------------------------------------------------- the household folder


@dataclass(frozen=True)
class FolderSection:
    """A part of the folder. `context(household, user)` returns the template's context, or
    None when the section has nothing to show for this household and this account (the
    household has already been checked: the account may view it)."""

    key: str
    order: int
    place: str
    template: str
    context: Callable[[Any, Any], Mapping[str, Any] | None]


@dataclass(frozen=True)
class ShownSection:
    key: str
    template: str
    context: Mapping[str, Any]


class FolderSections(Registry):
    def register(
        self,
        key: str,
        *,
        order: int,
        template: str,
        context: Callable[[Any, Any], Mapping[str, Any] | None],
        place: str = "main",
    ) -> FolderSection:
        if place not in FOLDER_PLACES:
            raise ValueError(f"a folder section goes in one of {FOLDER_PLACES}, not {place!r}")
        return self.add(FolderSection(key, order, place, template, context))

    def shown(self, household: Any, user: Any) -> dict[str, list[ShownSection]]:
        """The sections to render for this household and account, by place."""
        out: dict[str, list[ShownSection]] = {place: [] for place in FOLDER_PLACES}
        for section in self.all():
            context = section.context(household, user)
            if context is not None:
                out[section.place].append(ShownSection(section.key, section.template, context))
        return out


folder_sections = FolderSections("folder section")


# ---------------------------------------------------------------- the area register


@dataclass(frozen=True)
class AreaAction:
    """A button above an area's register. `context(user, code)` returns the template's
    context, or None when the account has no such action there."""

    key: str
    order: int
    template: str
    context: Callable[[Any, str], Mapping[str, Any] | None]


class AreaActions(Registry):
    def register(
        self,
        key: str,
        *,
        order: int,
        template: str,
        context: Callable[[Any, str], Mapping[str, Any] | None],
    ) -> AreaAction:
        return self.add(AreaAction(key, order, template, context))

    def shown(self, user: Any, code: str) -> list[ShownSection]:
        out = []
        for action in self.all():
            context = action.context(user, code)
            if context is not None:
                out.append(ShownSection(action.key, action.template, context))
        return out


area_actions = AreaActions("area action")


@dataclass(frozen=True)
class RegisterFilter:
    """A filter of the register: `field()` makes its form field (a `ChoiceField` whose ''
    choice means "all"), `q(value)` the condition over `Household` for a valid value."""

    key: str
    order: int
    field: Callable[[], forms.Field]
    q: Callable[[str], Q]


class RegisterFilters(Registry):
    def register(
        self,
        key: str,
        *,
        order: int,
        field: Callable[[], forms.Field],
        q: Callable[[str], Q],
    ) -> RegisterFilter:
        return self.add(RegisterFilter(key, order, field, q))


register_filters = RegisterFilters("register filter")


@dataclass(frozen=True)
class RegisterColumn:
    """A column of the register: `heading` (a lazy translation), and `cells(households)`,
    which returns, for one page of households, the value of the cell per household id
    (one query for the page, never one per row). `template` renders one cell with
    `value` (None for a household `cells` left out) and `household`."""

    key: str
    order: int
    heading: Any
    template: str
    cells: Callable[[list[Any]], Mapping[int, Any]]


class RegisterColumns(Registry):
    def register(
        self,
        key: str,
        *,
        order: int,
        heading: Any,
        template: str,
        cells: Callable[[list[Any]], Mapping[int, Any]],
    ) -> RegisterColumn:
        return self.add(RegisterColumn(key, order, heading, template, cells))


register_columns = RegisterColumns("register column")


@dataclass
class Cell:
    template: str
    value: Any


def register_cells(households: list[Any]) -> dict[int, list[Cell]]:
    """The registered columns' cells of one page of households, per household id."""
    columns = register_columns.all()
    values = [column.cells(households) for column in columns]
    return {
        h.pk: [
            Cell(column.template, v.get(h.pk)) for column, v in zip(columns, values, strict=True)
        ]
        for h in households
    }


# ---------------------------------------------------------------- actions on households


@dataclass(frozen=True)
class HouseholdAction:
    """An action on households brought by a feature app. `permission` is the permission of
    `accounts.roles` the action needs; `within(user, qs)` narrows the households inside the
    account's area to those it may act on (None: the area is the whole reach); `actors(qs)`
    narrows the accounts the area policy finds for one household (None: all of them).

    `beyond_area`: the reach is `within` alone, not limited to the account's area (a
    district may put a household of another village of the subdistrict in a village
    mentor's care). `widens`: the registry's own actions (e.g. "view") that reach, for an
    account that may take this action, the households this action reaches as well, so a
    mentor can open the folder of every household in their care."""

    key: str
    order: int
    permission: str
    within: Callable[[Any, Any], Any] | None = None
    actors: Callable[[Any, Any], Any] | None = None
    beyond_area: bool = False
    widens: tuple[str, ...] = ()


class HouseholdActions(Registry):
    def register(
        self,
        key: str,
        *,
        permission: str,
        within: Callable[[Any, Any], Any] | None = None,
        actors: Callable[[Any, Any], Any] | None = None,
        order: int = 100,
        beyond_area: bool = False,
        widens: tuple[str, ...] = (),
    ) -> HouseholdAction:
        if beyond_area and within is None:
            raise ValueError(f"household action {key!r}: a reach beyond the area needs `within`")
        return self.add(
            HouseholdAction(key, order, permission, within, actors, beyond_area, tuple(widens))
        )


household_actions = HouseholdActions("household action")


# ---------------------------------------------------------------- maps


@dataclass(frozen=True)
class PinKinds:
    """What colours a household's pin: `kinds(households)` gives each household id its
    kind (a key of `legend`), `legend` the kinds in order with their lazy labels; the kind
    '' is "not classified yet" and is always in the legend."""

    key: str
    kinds: Callable[[Iterable[Any]], Mapping[int, str]]
    legend: tuple[tuple[str, Any], ...] = field(default_factory=tuple)


class _PinKind:
    """The one provider of pin kinds (the last one registered); without one every pin is
    the same grey."""

    def __init__(self) -> None:
        self.provider: PinKinds | None = None

    def register(
        self,
        key: str,
        *,
        kinds: Callable[[Iterable[Any]], Mapping[int, str]],
        legend: tuple[tuple[str, Any], ...],
    ) -> PinKinds:
        self.provider = PinKinds(key, kinds, tuple(legend))
        return self.provider

    def of(self, households: Iterable[Any]) -> dict[int, str]:
        households = list(households)
        known = dict(self.provider.kinds(households)) if self.provider else {}
        allowed = {k for k, _label in self.legend()}
        return {h.pk: k if (k := known.get(h.pk, "")) in allowed else "" for h in households}

    def legend(self) -> list[tuple[str, Any]]:
        kinds = list(self.provider.legend) if self.provider else []
        return [*kinds, ("", NOT_CLASSIFIED)]


map_pin_kind = _PinKind()
