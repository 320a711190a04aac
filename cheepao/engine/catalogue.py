"""Indicator sets as data: load a versioned catalogue file and answer questions about it.

The rules for who is poor change by decree (a new threshold, an extra indicator, a
province's own set), so they live in YAML files under `catalogues/`, not in code. This
module only parses and checks a file; `indicators.py` turns the rules into expressions.

Every version of a set stays, side by side: `catalogues/<set>/<version>.yaml` (ADR 0019).
A released version is never edited; a change is a new file with the next number, and
`catalogues/SHA256SUMS` lists the hash of every released file (a test holds the files to
it). `load(set, version)` reads one version (the newest when none is named); a run records
the set, version and SHA-256 it used, and `recorded()` gives a run or the registry back that
very file, refusing (`CatalogueMismatch`) when this installation's file for that version is
not the one the run was computed with.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from cheepao.engine import contract, rules
from cheepao.engine.rules import Applies, Rule

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogues"
DEFAULT_SET = "tpmap_mpi_17"
#: `sha256sum` lines of every released catalogue file ("<hash>  <set>/<version>.yaml").
RELEASED = CATALOGUE_DIR / "SHA256SUMS"
_SET_ID = re.compile(r"[a-z0-9_]+")
_VERSIONED = re.compile(r"(?P<id>[a-z0-9_]+)@v?(?P<version>\d+)")

# Flags the engine derives from contract columns; rules may name them like columns.
DERIVED_PERSON = (
    "has_income",
    "has_work_income",
    "full_time_student",
    "dependent_disabled",
    "born_in_survey_year",
)
DERIVED_HOUSEHOLD = ("income_per_person",)


class CatalogueError(ValueError):
    """The catalogue file itself is wrong (a rule names an unknown column, ...)."""


class CatalogueMismatch(CatalogueError):
    """The indicator set a run (or a registry) says it used is not the file this
    installation has for that set and version: its rules may differ from those the numbers
    were computed with, so nothing may be read or loaded with it."""


@dataclass(frozen=True)
class Dimension:
    code: str
    th: str
    en: str
    lead_agencies: tuple[str, ...]
    partner_agencies: tuple[str, ...]


@dataclass(frozen=True)
class Indicator:
    code: str
    dimension: str
    unit: str  # "person" or "household"
    short_th: str
    th: str
    en: str
    why_th: str
    bmn: int | None
    passes: Rule
    applies: Applies

    @property
    def column(self) -> str:
        """Name of the deprivation flag column in engine outputs."""
        return f"d_{self.code}"

    @property
    def answers(self) -> tuple[str, ...]:
        """The columns (contract answers or derived flags) this indicator's rule reads."""
        return rules.answers_of(self.passes)


@dataclass(frozen=True)
class LifeStage:
    code: str
    th: str
    en: str
    age_min: int
    age_max: int | None


@dataclass(frozen=True)
class TargetProfile:
    name: str
    th: str
    requires: tuple[str, ...]
    en: str = ""


@dataclass(frozen=True)
class DimensionRule:
    """A rule over a household's dimensions: `at_least` n of all of them, or `all` of the
    named ones. `holds` takes the set of dimensions the rule counts (failing or passing)."""

    kind: str  # "at_least" or "all"
    n: int = 0
    dimensions: tuple[str, ...] = ()

    def holds(self, dims: set[str] | frozenset[str]) -> bool:
        if self.kind == "at_least":
            return len(dims) >= self.n
        return all(d in dims for d in self.dimensions)


@dataclass(frozen=True)
class Sustainable:
    """ยั่งยืน: a target of the earlier year that passes `passes` in the years named by `years`
    ("both": the earlier and the later survey; "later": the later survey only)."""

    passes: DimensionRule
    years: str


@dataclass(frozen=True)
class Choice:
    """One way of reading an ambiguous definition, and what it sets in the catalogue."""

    code: str
    th: str
    en: str
    sets: dict[str, Any]  # {"indicators": {code: {applies|passes: ...}}, "critical": ...}


@dataclass(frozen=True)
class Reading:
    """A definition the seeds allow to be read more than one way (ADR 0013): the seed's own
    words, the named choices and the default a run uses unless told otherwise."""

    code: str
    th: str
    en: str
    source: str
    seed_th: str
    default: str
    choices: tuple[Choice, ...]

    @property
    def stage(self) -> str:
        """ "compare" for the readings of the year-to-year status words (อยู่รอด, ยั่งยืน),
        "compute" for those that change a survey year's own results."""
        sets = self.choices[0].sets if self.choices else {}
        return "compare" if set(sets) & {"survives", "sustainable"} else "compute"

    def choice(self, code: str) -> Choice:
        for c in self.choices:
            if c.code == code:
                return c
        known = ", ".join(c.code for c in self.choices)
        raise CatalogueError(f"reading {self.code!r} has no choice {code!r} (choices: {known})")


@dataclass(frozen=True)
class Catalogue:
    id: str
    version: int
    title_th: str
    title_en: str
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    thresholds: dict[str, dict[str, Any]]
    target_profiles: dict[str, TargetProfile]
    target_min_dimensions: int
    life_stages: tuple[LifeStage, ...]
    default_k: Fraction
    bmn: tuple[dict[str, Any], ...]
    other_agencies: dict[str, tuple[str, ...]]
    source_path: str
    sha256: str
    readings: tuple[Reading, ...] = ()
    # what the readings in force set (filled by `with_readings`, the loader applies defaults)
    chosen: dict[str, str] = field(default_factory=dict)
    critical: DimensionRule = DimensionRule("at_least", 3)
    survives: DimensionRule = DimensionRule("all", 0, ("income", "living", "health"))
    sustainable: Sustainable = Sustainable(
        DimensionRule("all", 0, ("income", "living", "health")), "both"
    )

    @property
    def name(self) -> str:
        return f"{self.id}@v{self.version}"

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    def dimension(self, code: str) -> Dimension:
        for d in self.dimensions:
            if d.code == code:
                return d
        raise KeyError(code)

    def indicators_of(self, dimension: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.dimension == dimension)

    def threshold(self, name: str, survey_year: int | None = None) -> float:
        t = self.thresholds[name]
        by_year = t.get("by_survey_year") or {}
        if survey_year is not None and int(survey_year) in by_year:
            return by_year[int(survey_year)]
        return t["default"]

    def thresholds_for(self, survey_year: int | None, overrides: dict[str, float] | None = None):
        values = {name: self.threshold(name, survey_year) for name in self.thresholds}
        values.update(overrides or {})
        return values

    def default_weights(self) -> dict[str, Fraction]:
        """1/D per dimension, split equally among the dimension's indicators."""
        n_dim = len(self.dimensions)
        weights: dict[str, Fraction] = {}
        for d in self.dimensions:
            inds = self.indicators_of(d.code)
            for i in inds:
                weights[i.code] = Fraction(1, n_dim) / len(inds)
        return weights

    def reading(self, code: str) -> Reading:
        for r in self.readings:
            if r.code == code:
                return r
        known = ", ".join(r.code for r in self.readings) or "none"
        raise CatalogueError(f"unknown reading {code!r} (readings: {known})")

    def readings_in_force(self) -> list[tuple[Reading, Choice]]:
        """Each reading with the choice this catalogue object applies, catalogue order."""
        return [(r, r.choice(self.chosen.get(r.code, r.default))) for r in self.readings]

    def non_default_readings(self) -> dict[str, str]:
        return {r.code: c.code for r, c in self.readings_in_force() if c.code != r.default}

    def with_readings(self, choices: Mapping[str, str] | None = None) -> Catalogue:
        """This indicator set read with `choices` ({reading: choice}); the readings not named
        keep the choice of this object (a loaded set: the defaults).

        Unknown readings or choices raise `CatalogueError` before anything is computed.
        """
        wanted = {r.code: self.chosen.get(r.code, r.default) for r in self.readings}
        for code, choice in (choices or {}).items():
            self.reading(code).choice(choice)  # raises for unknown names
            wanted[code] = choice
        if wanted == self.chosen:
            return self
        return _apply_readings(self, wanted)

    def profile(self, name: str) -> TargetProfile:
        try:
            return self.target_profiles[name]
        except KeyError:
            known = ", ".join(sorted(self.target_profiles))
            raise CatalogueError(f"unknown target profile {name!r} (known: {known})") from None


def parse_fraction(value: str | float | int | Fraction) -> Fraction:
    """Weights and k are compared exactly: '1/3', '0.05' and 0.05 all become exact fractions."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(str(value).strip())


def _applies(spec: dict[str, Any] | None) -> Applies:
    spec = spec or {}
    age = spec.get("age") or [None, None]
    return Applies(
        age_min=age[0],
        age_max=age[1],
        where=spec.get("where"),
        exempt=tuple(spec.get("except") or ()),
    )


def _rule(spec: dict[str, Any]) -> Rule:
    if len(spec) != 1:
        raise CatalogueError(f"a rule has exactly one kind, got {sorted(spec)}")
    ((kind, args),) = spec.items()
    if kind not in rules.KINDS:
        raise CatalogueError(f"unknown rule kind {kind!r} (kinds: {', '.join(rules.KINDS)})")
    rule = Rule(kind, tuple(args or ()))
    problem = rules.shape_error(rule)
    if problem:
        raise CatalogueError(f"a rule {kind} {problem}, got {list(rule.args)}")
    return rule


def _dimension_rule(spec: Any, where: str) -> DimensionRule:
    if not isinstance(spec, dict) or len(spec) != 1:
        raise CatalogueError(f"{where}: expected {{at_least: N}} or {{all: [dimensions]}}")
    ((kind, arg),) = spec.items()
    if kind == "at_least":
        return DimensionRule("at_least", int(arg))
    if kind == "all":
        return DimensionRule("all", 0, tuple(arg))
    raise CatalogueError(f"{where}: unknown dimension rule {kind!r}")


def _sets(spec: dict[str, Any], where: str) -> dict[str, Any]:
    """What a reading's choice sets, parsed: indicator patches and household rules."""
    out: dict[str, Any] = {}
    unknown = set(spec) - {"th", "en", "indicators", "critical", "survives", "sustainable"}
    if unknown:
        raise CatalogueError(f"{where}: unknown keys {sorted(unknown)}")
    for code, patch in (spec.get("indicators") or {}).items():
        bad = set(patch) - {"applies", "passes"}
        if bad:
            raise CatalogueError(f"{where}: indicator {code} may set applies/passes, not {bad}")
        parsed: dict[str, Any] = {}
        if "applies" in patch:
            parsed["applies"] = _applies(patch["applies"])
        if "passes" in patch:
            parsed["passes"] = _rule(patch["passes"])
        out.setdefault("indicators", {})[code] = parsed
    for key in ("critical", "survives"):
        if key in spec:
            out[key] = _dimension_rule(spec[key], f"{where}: {key}")
    if "sustainable" in spec:
        sus = spec["sustainable"]
        years = sus.get("years")
        if years not in ("both", "later"):
            raise CatalogueError(f"{where}: sustainable years must be both or later")
        out["sustainable"] = Sustainable(
            _dimension_rule(sus.get("passes"), f"{where}: sustainable"), years
        )
    return out


def _targets(sets: dict[str, Any]) -> set[tuple[str, ...]]:
    """The places a choice writes to (every choice of a reading must write the same ones)."""
    out = {(k,) for k in sets if k != "indicators"}
    for code, patch in sets.get("indicators", {}).items():
        out |= {(code, f) for f in patch}
    return out


def _apply_readings(cat: Catalogue, wanted: Mapping[str, str]) -> Catalogue:
    indicators = {i.code: i for i in cat.indicators}
    rules: dict[str, Any] = {}
    for r in cat.readings:
        sets = r.choice(wanted[r.code]).sets
        for code, patch in sets.get("indicators", {}).items():
            indicators[code] = replace(indicators[code], **patch)
        rules.update({k: v for k, v in sets.items() if k != "indicators"})
    return replace(
        cat,
        indicators=tuple(indicators[i.code] for i in cat.indicators),
        chosen=dict(wanted),
        **rules,
    )


def _check_readings(cat: Catalogue) -> None:
    """`cat` as written (no reading applied yet): every choice must give a valid set."""
    codes = {i.code for i in cat.indicators}
    defaults = {r.code: r.default for r in cat.readings}
    base = {i.code: i for i in cat.indicators}
    for r in cat.readings:
        if not r.choices:
            raise CatalogueError(f"reading {r.code}: no choices")
        default = r.choice(r.default)
        targets = _targets(default.sets)
        if not targets:
            raise CatalogueError(f"reading {r.code}: its choices set nothing")
        for c in r.choices:
            if _targets(c.sets) != targets:
                raise CatalogueError(
                    f"reading {r.code}: choice {c.code} must set what the others set"
                )
            for code in c.sets.get("indicators", {}):
                if code not in codes:
                    raise CatalogueError(f"reading {r.code}.{c.code}: unknown indicator {code}")
            _check(_apply_readings(cat, {**defaults, r.code: c.code}))
        # the indicators section is the default reading, written out
        for code, patch in default.sets.get("indicators", {}).items():
            for fname, value in patch.items():
                if getattr(base[code], fname) != value:
                    raise CatalogueError(
                        f"reading {r.code}: the default {r.default} must match "
                        f"indicator {code}'s {fname} as written"
                    )


def _check(cat: Catalogue) -> None:
    hh_cols = set(contract.HOUSEHOLDS.names) | set(DERIVED_HOUSEHOLD)
    person_cols = set(contract.MEMBERS.names) | set(DERIVED_PERSON)
    dims = {d.code for d in cat.dimensions}
    for ind in cat.indicators:
        if ind.dimension not in dims:
            raise CatalogueError(f"{ind.code}: unknown dimension {ind.dimension!r}")
        cols = hh_cols if ind.unit == "household" else person_cols
        if ind.unit not in ("household", "person"):
            raise CatalogueError(f"{ind.code}: unit must be household or person")
        for c in rules.answers_of(ind.passes):
            if c not in cols:
                raise CatalogueError(f"{ind.code}: unknown column {c!r}")
        for t in rules.thresholds_of(ind.passes):
            if t not in cat.thresholds:
                raise CatalogueError(f"{ind.code}: unknown threshold {t!r}")
        for c in (ind.applies.where, *ind.applies.exempt):
            if c is not None and c not in person_cols:
                raise CatalogueError(f"{ind.code}: unknown member flag {c!r}")
    for d in dims:
        if not cat.indicators_of(d):
            raise CatalogueError(f"dimension {d!r} has no indicator")
    for p in cat.target_profiles.values():
        for c in p.requires:
            if c not in person_cols:
                raise CatalogueError(f"profile {p.name}: unknown member flag {c!r}")
    for name, rule in (
        ("critical", cat.critical),
        ("survives", cat.survives),
        ("sustainable", cat.sustainable.passes),
    ):
        for d in rule.dimensions:
            if d not in dims:
                raise CatalogueError(f"{name}: unknown dimension {d!r}")
        if rule.kind == "at_least" and not 1 <= rule.n <= len(dims):
            raise CatalogueError(f"{name}: at_least must be 1 to {len(dims)}")


def versions(set_id: str) -> tuple[int, ...]:
    """The versions of a set kept under `catalogues/<set_id>/`, oldest first."""
    if not _SET_ID.fullmatch(set_id):
        return ()
    folder = os.path.join(CATALOGUE_DIR, set_id)
    try:
        changed = os.stat(folder).st_mtime_ns  # a file added or removed changes it
    except OSError:
        return ()
    return _listing(folder, changed)


@cache
def _listing(folder: str, changed: int) -> tuple[int, ...]:
    if not os.path.isdir(folder):
        return ()
    stems = (name.removesuffix(".yaml") for name in os.listdir(folder) if name.endswith(".yaml"))
    return tuple(sorted(int(stem) for stem in stems if stem.isdigit()))


def path_of(set_id: str, version: int | str | None = None) -> Path:
    """The file of one version of a set (the newest when `version` is None)."""
    known = versions(set_id)
    if not known:
        sets = ", ".join(sorted(p.name for p in CATALOGUE_DIR.iterdir() if p.is_dir()))
        raise CatalogueError(f"no indicator set {set_id!r} (sets: {sets or 'none'})")
    if version is None:
        return CATALOGUE_DIR / set_id / f"{known[-1]}.yaml"
    try:
        number = int(version)
    except (TypeError, ValueError):
        raise CatalogueError(f"indicator set version must be a number, not {version!r}") from None
    if number not in known:
        listed = ", ".join(str(v) for v in known)
        raise CatalogueError(
            f"indicator set {set_id!r} has no version {number} (versions: {listed})"
        )
    return CATALOGUE_DIR / set_id / f"{number}.yaml"


def _resolve(name: str, version: int | str | None) -> Path:
    """A set id ("tpmap_mpi_17", "tpmap_mpi_17@v1", "tpmap_mpi_17@1") or a YAML file."""
    found = _VERSIONED.fullmatch(name)
    if found:
        if version is not None and int(version) != int(found["version"]):
            raise CatalogueError(f"{name!r} names version {found['version']}, not {version}")
        return path_of(found["id"], found["version"])
    if _SET_ID.fullmatch(name):
        return path_of(name, version)
    path = Path(name)
    if not path.is_file():
        raise CatalogueError(f"no indicator set {name!r} ({path})")
    return path.resolve()


def load(
    name: str = DEFAULT_SET, version: int | str | None = None, *, sha256: str | None = None
) -> Catalogue:
    """Load `name` (a set id in `catalogues/`, "set@vN", or a path to a YAML file) at
    `version` (a set id only; the newest when None). With `sha256` (what a run recorded),
    refuse with `CatalogueMismatch` unless the file read has exactly that hash."""
    path = str(_resolve(name, version))  # absolute: CATALOGUE_DIR is, a path is resolved
    stat = os.stat(path)  # a file changed on disk is read again, never served from the cache
    cat = _load_file(path, stat.st_mtime_ns, stat.st_size)
    if version is not None and cat.version != int(version):
        raise CatalogueMismatch(
            f"{cat.source_path} is version {cat.version} of {cat.id}, not version {version}"
        )
    if sha256 is not None and sha256 != cat.sha256:
        raise CatalogueMismatch(
            f"indicator set {cat.id} version {cat.version} on this installation "
            f"({cat.source_path}, sha256 {cat.sha256[:12]}…) is not the file the run was "
            f"computed with (sha256 {str(sha256)[:12]}…): a released catalogue was edited "
            "in place, or the run comes from another copy of it. Compute the run again, or "
            "restore the file as it was released (catalogues/SHA256SUMS)"
        )
    return cat


def recorded(
    set_id: str, version: int | str | None, sha256: str | None, path: str | None = None
) -> Catalogue:
    """The indicator set exactly as a run recorded it (its manifest's
    `indicator_set_id`, `indicator_set_version`, `catalogue_sha256`, `indicator_set_path`):
    the set's own file for that version, or (a set kept outside `catalogues/`) the file at
    `path`. Refuses when the run recorded no version or hash, or when the file differs."""
    if not set_id or version in (None, "") or not sha256:
        raise CatalogueMismatch(
            f"the run does not record the id, version and sha256 of its indicator set "
            f"({set_id or 'no id'}), so its rules cannot be checked: compute it again"
        )
    if versions(set_id) or not path:
        return load(set_id, version, sha256=sha256)
    return load(path, version, sha256=sha256)


@cache
def _load_file(name: str, mtime_ns: int, size: int) -> Catalogue:
    path = Path(name)
    set_dir = path.parent.parent.resolve() == Path(CATALOGUE_DIR).resolve()
    raw_bytes = path.read_bytes()
    raw = yaml.safe_load(raw_bytes)
    if set_dir and (raw.get("id") != path.parent.name or str(raw.get("version")) != path.stem):
        raise CatalogueError(
            f"{path}: says it is {raw.get('id')} version {raw.get('version')}; a file under "
            f"catalogues/ must be <set id>/<version>.yaml"
        )
    dims = tuple(
        Dimension(
            code=d["code"],
            th=d["th"],
            en=d["en"],
            lead_agencies=tuple(d.get("agencies", {}).get("lead", ())),
            partner_agencies=tuple(d.get("agencies", {}).get("partners", ())),
        )
        for d in raw["dimensions"]
    )
    inds = tuple(
        Indicator(
            code=i["code"],
            dimension=i["dimension"],
            unit=i["unit"],
            short_th=i["short_th"],
            th=i["th"],
            en=i["en"],
            why_th=i.get("why_th", ""),
            bmn=i.get("bmn"),
            passes=_rule(i["passes"]),
            applies=_applies(i.get("applies")),
        )
        for i in raw["indicators"]
    )
    survival = tuple(raw.get("survival_dimensions") or ("income", "living", "health"))
    cat = Catalogue(
        id=raw["id"],
        version=int(raw["version"]),
        title_th=raw.get("title_th", ""),
        title_en=raw.get("title_en", ""),
        dimensions=dims,
        indicators=inds,
        thresholds=raw["thresholds"],
        target_profiles={
            k: TargetProfile(k, v.get("th", ""), tuple(v.get("requires") or ()), v.get("en", ""))
            for k, v in raw["target_profiles"].items()
        },
        target_min_dimensions=int(raw.get("target_min_dimensions", 1)),
        life_stages=tuple(
            LifeStage(s["code"], s["th"], s["en"], s["age"][0], s["age"][1])
            for s in raw.get("life_stages", ())
        ),
        default_k=parse_fraction(raw.get("alkire_foster", {}).get("k", "1/3")),
        bmn=tuple(raw.get("bmn_38", ())),
        other_agencies={k: tuple(v) for k, v in (raw.get("other_agencies") or {}).items()},
        source_path=str(path),
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        # a set without readings states its rules directly (the readings below override)
        critical=DimensionRule("at_least", int(raw.get("critical_min_dimensions", 3))),
        survives=DimensionRule("all", 0, survival),
        sustainable=Sustainable(DimensionRule("all", 0, survival), "both"),
        readings=tuple(
            Reading(
                code=code,
                th=r.get("th", ""),
                en=r.get("en", ""),
                source=r.get("source", ""),
                seed_th=" ".join(str(r.get("seed_th", "")).split()),
                default=r["default"],
                choices=tuple(
                    Choice(c, v.get("th", ""), v.get("en", ""), _sets(v, f"{code}.{c}"))
                    for c, v in (r.get("choices") or {}).items()
                ),
            )
            for code, r in (raw.get("readings") or {}).items()
        ),
    )
    _check(cat)
    if not cat.readings:
        return cat
    _check_readings(cat)
    return _apply_readings(cat, {r.code: r.default for r in cat.readings})


def applicable_members(cat: Catalogue) -> dict[str, list[Indicator]]:
    """For each member answer column, the person indicators that ask it (for validation)."""
    out: dict[str, list[Indicator]] = {}
    for ind in cat.indicators:
        if ind.unit != "person":
            continue
        for c in ind.answers:
            if c in contract.MEMBERS.names:
                out.setdefault(c, []).append(ind)
    return out
