"""A folder of versioned YAML catalogues: `<folder>/v1.yaml`, `v2.yaml`, ... side by side.

The apps keep their rules as data this way (the verification workflow, ADR 0022; the plan's
workflow and stage catalogue, ADR 0025): a record keeps the version it started under, new
records start under the newest, and a released version is never edited in place. This
module is the one reader of such a folder; each app gives it the function that turns a
version's YAML into its own objects (and checks them).

- The folder is `settings.<setting>` when set (tests point it at a folder of their own),
  else the app's shipped folder.
- `versions()` are the file names `v<N>` oldest first, by number (v2 before v10).
- `load(version)` reads `<version>.yaml`, hands the parsed YAML, the version and the sha256
  of its bytes to the app's function, and keeps the result until the file changes.
- A folder with a `SHA256SUMS` file (`sha256sum` lines, "<hash>  v1.yaml") holds released
  versions: a version it does not list, or whose bytes hash otherwise, is refused when read,
  and `check()` (run on the shipped folder at import) also refuses a listed file that is
  missing, so an edited release fails at start-up, not in the middle of a meeting.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml
from django.conf import settings

T = TypeVar("T")

SUMS = "SHA256SUMS"


class VersionedFolder(Generic[T]):
    """The versions of one catalogue; refusals raise `error` (the app's own ValueError)."""

    def __init__(
        self,
        default: Path,
        build: Callable[[Any, str, str], T],
        *,
        setting: str = "",
        error: type[Exception] = ValueError,
        what: str = "catalogue",
        pattern: str = r"v(\d+)",
    ) -> None:
        self.default = Path(default)
        self.build = build  # (parsed YAML, version, sha256) -> the app's object
        self.setting = setting
        self.error = error
        self.what = what
        self.pattern = re.compile(pattern)
        self._cache: dict[tuple, T] = {}

    @property
    def folder(self) -> Path:
        configured = getattr(settings, self.setting, None) if self.setting else None
        return Path(configured or self.default)

    def _order(self, version: str) -> tuple[int, str]:
        found = self.pattern.fullmatch(version)
        return (int(found.group(1)) if found else -1, version)

    def versions(self, folder: Path | None = None) -> tuple[str, ...]:
        """The versions in the folder, oldest first ("v1", "v2", ..., "v10")."""
        folder = Path(folder or self.folder)
        names = [p.stem for p in folder.glob("*.yaml") if self.pattern.fullmatch(p.stem)]
        return tuple(sorted(names, key=self._order))

    def current(self) -> str:
        """The newest version (the one new records start under)."""
        found = self.versions()
        if not found:
            raise self.error(f"no {self.what} in {self.folder}")
        return found[-1]

    def released(self, folder: Path | None = None) -> dict[str, str] | None:
        """{file name: sha256} of the folder's SHA256SUMS, None when it has none."""
        sums = Path(folder or self.folder) / SUMS
        if not sums.is_file():
            return None
        lines = sums.read_text(encoding="utf-8").splitlines()
        out = {}
        for line in lines:
            if not line.strip():
                continue
            digest, sep, name = line.partition("  ")
            if not sep:
                raise self.error(f"{sums}: a line is '<sha256>  <file>', not {line!r}")
            out[name.lstrip("*")] = digest
        return out

    def load(self, version: str | None = None, folder: Path | None = None) -> T:
        """The catalogue of `version` (the newest when None); kept until its file changes."""
        folder = Path(folder or self.folder)
        version = version or (self.versions(folder) or [""])[-1]
        if not version:
            raise self.error(f"no {self.what} in {folder}")
        path = folder / f"{version}.yaml"
        if not self.pattern.fullmatch(version) or not path.is_file():
            raise self.error(f"no such {self.what} version {version!r}")
        path = path.resolve()
        sums = folder / SUMS
        key = (path, _stamp(path), _stamp(sums))
        found = self._cache.get(key)
        if found is not None:
            return found
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        released = self.released(folder)
        if released is not None and released.get(path.name) != digest:
            raise self.error(
                f"{self.what} {version}: its sha256 is not the one {SUMS} lists for "
                f"{path.name} (a released version is never edited: add a new version)"
            )
        try:
            data = yaml.safe_load(raw.decode("utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            raise self.error(f"{self.what} {version}: {exc}") from exc
        result = self.build(data, version, digest)
        self._cache[key] = result
        return result

    def check(self, folder: Path | None = None) -> None:
        """Read every version of the folder (a wrong one raises) and, when it has a
        SHA256SUMS, refuse a listed version whose file is gone."""
        folder = Path(folder or self.folder)
        for version in self.versions(folder):
            self.load(version, folder)
        released = self.released(folder)
        if released is not None:
            missing = sorted(set(released) - {p.name for p in folder.glob("*.yaml")})
            if missing:
                raise self.error(f"{self.what}: {SUMS} lists {missing}, not in {folder}")


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)
