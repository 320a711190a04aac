"""The kinds of a household's history and the sentence each is read as.

A household's history (`models.HouseholdEvent`) is what happened to the household as the
people who work with it tell it: loaded from the survey, verified, sent, certified,
approved, a problem added or solved, moved away. It is not the audit log (who read or
changed what, for the data protection officer): it is a domain record, written by the
registry's verbs and by feature services through `services.history_record`, in the same
transaction as the change it tells.

Each kind is data: an English sentence marked for translation (its Thai in the catalogue of
the app that defines it) and the shape of each of its arguments, which says how a stored
value (a code, an id) is shown in the reader's language:

    history.define("problems_added", gettext_noop("problems added (%(origin)s): %(indicators)s"),
                   origin=Problem.Origin, indicators="indicators")

An argument's shape is the name of a shape below ("indicators", "status", "area", "text",
"number"), a `TextChoices` class (its label), or a function (value, household) -> str.
The registry defines its own kinds here; a feature app defines its kinds in its own module
(e.g. `verification/history.py`), imported from its `AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from cheepao.core.thai import english

Shape = str | type[models.Choices] | Callable[[Any, Any], str]


@dataclass(frozen=True)
class Kind:
    code: str
    sentence: str  # English, marked with gettext_noop; %(name)s places
    args: Mapping[str, Shape]


KINDS: dict[str, Kind] = {}


def define(code: str, sentence: str, /, **args: Shape) -> str:
    """Register a kind of history event and return its code. One code, one sentence."""
    known = KINDS.get(code)
    if known is not None and (known.sentence, dict(known.args)) != (sentence, args):
        raise ValueError(f"history kind {code!r} is already defined otherwise")
    KINDS[code] = Kind(code, sentence, dict(args))
    return code


def _indicators(value: Any, household: Any) -> str:
    """Indicator codes as the folder names them: 'I3 รายได้เฉลี่ยต่อคนต่อปี' (code and short
    title in the page's language), in the order given; a dimension code (a need found in
    the field has no indicator) by the dimension's name."""
    if isinstance(value, str):
        value = [c.strip() for c in value.split(",") if c.strip()]
    codes = list(value or [])
    if not codes:
        return "–"
    try:
        cat = household.registry.catalogue
    except (ValueError, OSError):  # a catalogue this installation no longer has
        return ", ".join(codes)
    dimensions = {d.code: (d.en if english() else d.th) for d in cat.dimensions}
    out = []
    for code in codes:
        try:
            ind = cat.indicator(code)
        except (KeyError, ValueError):
            # A need found in the field is named by its dimension alone.
            out.append(dimensions.get(code, code))
            continue
        short = (ind.en if english() else ind.short_th) or ind.th
        out.append(f"{code} {short}".strip())
    return ", ".join(out)


def _status(value: Any, household: Any) -> str:
    from cheepao.households.models import Household

    return _choice(Household.Status, value)


def _area(value: Any, household: Any) -> str:
    from cheepao.geo.selectors import area_label

    return area_label(str(value or ""))


def _number(value: Any, household: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _text(value: Any, household: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _choice(choices: type[models.Choices], value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


SHAPES: dict[str, Callable[[Any, Any], str]] = {
    "indicators": _indicators,
    "status": _status,
    "area": _area,
    "number": _number,
    "text": _text,
}


def _show(shape: Shape, value: Any, household: Any) -> str:
    if isinstance(shape, str):
        return SHAPES[shape](value, household)
    if isinstance(shape, type) and issubclass(shape, models.Choices):
        return _choice(shape, value)
    return shape(value, household)


def sentence(kind: str, data: Mapping[str, Any], household: Any) -> str:
    """The event as a sentence in the active language, names instead of codes. A kind this
    installation does not define (any more) is shown by its code; a translation that does
    not fit its arguments falls back to the English sentence."""
    found = KINDS.get(kind)
    if found is None:
        return kind
    args = {name: _show(shape, data.get(name), household) for name, shape in found.args.items()}
    try:
        return gettext(found.sentence) % args
    except (KeyError, ValueError, TypeError):
        return found.sentence % args


# ---------------------------------------------------------------- the registry's own kinds


def _origin(value: Any, household: Any) -> str:
    from cheepao.households.models import Problem

    return _choice(Problem.Origin, value)


def _source(value: Any, household: Any) -> str:
    from cheepao.households.models import Source

    return _choice(Source, value)


LOADED = define(
    "loaded",
    N_("entered the target registry of survey year %(year)s, failing %(indicators)s"),
    year="text",
    indicators="indicators",
)
RECORDED_NEW = define(
    "recorded_new",
    N_(
        "recorded as a new household (%(source)s) with %(members)s members, failing "
        "%(indicators)s; awaiting certification"
    ),
    source=_source,
    members="number",
    indicators="indicators",
)
PROBLEMS_ADDED = define(
    "problems_added",
    N_("problems added (%(origin)s): %(indicators)s"),
    origin=_origin,
    indicators="indicators",
)
PROBLEMS_REMOVED = define(
    "problems_removed",
    N_("problems removed, not found when certified: %(indicators)s"),
    indicators="indicators",
)
PROBLEMS_SOLVED = define(
    "problems_solved", N_("problems solved: %(indicators)s"), indicators="indicators"
)
STATUS_CHANGED = define(
    "status_changed",
    N_("status changed from “%(before)s” to “%(after)s”"),
    before="status",
    after="status",
)
