"""core.catalogues.VersionedFolder: the one reader of a folder of versioned YAML catalogues
(the verification workflow, the plan's workflow and stages)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from cheepao.core.catalogues import VersionedFolder


class Wrong(ValueError):
    pass


def _folder(tmp_path: Path, built: list | None = None, **kw) -> VersionedFolder:
    def build(data, version, sha256):
        if built is not None:
            built.append(version)
        return {"data": data, "version": version, "sha256": sha256}

    return VersionedFolder(tmp_path, build, error=Wrong, what="rules", **kw)


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()


def test_versions_are_ordered_by_number_and_the_newest_is_current(tmp_path):
    for name in ("v10", "v2", "v1", "draft", "v3-old"):
        _write(tmp_path / f"{name}.yaml", "a: 1\n")
    (tmp_path / "v4.txt").write_text("a: 1\n")
    folder = _folder(tmp_path)
    assert folder.versions() == ("v1", "v2", "v10")
    assert folder.current() == "v10"
    assert folder.load()["version"] == "v10"


def test_a_pattern_may_allow_a_suffix(tmp_path):
    for name in ("v2", "v1", "v2-escalation"):
        _write(tmp_path / f"{name}.yaml", "a: 1\n")
    folder = _folder(tmp_path, pattern=r"v(\d+)(?:[-_.a-z0-9]*)")
    assert folder.versions() == ("v1", "v2", "v2-escalation")


def test_load_gives_the_parsed_yaml_its_version_and_sha256(tmp_path):
    digest = _write(tmp_path / "v1.yaml", "steps:\n  submit: ส่ง\n")
    found = _folder(tmp_path).load("v1")
    assert found == {"data": {"steps": {"submit": "ส่ง"}}, "version": "v1", "sha256": digest}


@pytest.mark.parametrize("version", ["v3", "v1/../v1", "../v1", "x", "v1.yaml"])
def test_an_unknown_version_is_refused(tmp_path, version):
    _write(tmp_path / "v1.yaml", "a: 1\n")
    with pytest.raises(Wrong, match="no such rules version"):
        _folder(tmp_path).load(version)


def test_an_empty_folder_has_no_current_version(tmp_path):
    with pytest.raises(Wrong, match="no rules in"):
        _folder(tmp_path).current()
    with pytest.raises(Wrong, match="no rules in"):
        _folder(tmp_path).load()


def test_broken_yaml_is_refused_with_the_app_error(tmp_path):
    _write(tmp_path / "v1.yaml", "a: [1\n")
    with pytest.raises(Wrong, match="rules v1"):
        _folder(tmp_path).load("v1")


def test_a_released_version_changed_in_place_is_refused(tmp_path):
    digest = _write(tmp_path / "v1.yaml", "a: 1\n")
    (tmp_path / "SHA256SUMS").write_text(f"{digest}  v1.yaml\n")
    folder = _folder(tmp_path)
    assert folder.released() == {"v1.yaml": digest}
    assert folder.load("v1")["data"] == {"a": 1}
    _write(tmp_path / "v1.yaml", "a: 2\n")
    with pytest.raises(Wrong, match="sha256 is not the one SHA256SUMS lists"):
        folder.load("v1")
    with pytest.raises(Wrong, match="sha256"):
        folder.check()


def test_a_version_missing_from_sha256sums_is_refused(tmp_path):
    digest = _write(tmp_path / "v1.yaml", "a: 1\n")
    (tmp_path / "SHA256SUMS").write_text(f"{digest}  v1.yaml\n")
    _write(tmp_path / "v2.yaml", "a: 2\n")
    with pytest.raises(Wrong, match="SHA256SUMS"):
        _folder(tmp_path).load("v2")


def test_check_refuses_a_listed_version_whose_file_is_gone(tmp_path):
    digest = _write(tmp_path / "v1.yaml", "a: 1\n")
    (tmp_path / "SHA256SUMS").write_text(f"{digest}  v1.yaml\n{'0' * 64}  v2.yaml\n")
    folder = _folder(tmp_path)
    with pytest.raises(Wrong, match=r"lists \['v2.yaml'\]"):
        folder.check()


def test_a_folder_without_sha256sums_is_not_checked(tmp_path):
    _write(tmp_path / "v1.yaml", "a: 1\n")
    folder = _folder(tmp_path)
    assert folder.released() is None
    folder.check()
    _write(tmp_path / "v1.yaml", "a: 22\n")
    assert folder.load("v1")["data"] == {"a": 22}


def test_a_version_is_read_once_until_its_file_changes(tmp_path):
    path = tmp_path / "v1.yaml"
    _write(path, "a: 1\n")
    built: list[str] = []
    folder = _folder(tmp_path, built)
    first = folder.load("v1")
    assert folder.load("v1") is first and folder.load() is first
    assert built == ["v1"]
    _write(path, "a: 10\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert folder.load("v1")["data"] == {"a": 10}
    assert built == ["v1", "v1"]


def test_the_folder_comes_from_the_setting_when_set(settings, tmp_path):
    shipped, other = tmp_path / "shipped", tmp_path / "other"
    shipped.mkdir()
    other.mkdir()
    _write(shipped / "v1.yaml", "a: 1\n")
    _write(other / "v1.yaml", "a: 2\n")
    _write(other / "v2.yaml", "a: 3\n")
    folder = VersionedFolder(shipped, lambda d, v, s: d, setting="CHEEPAO_TEST_RULES_DIR")
    assert folder.versions() == ("v1",)
    settings.CHEEPAO_TEST_RULES_DIR = str(other)
    assert folder.versions() == ("v1", "v2") and folder.load() == {"a": 3}
    assert folder.versions(shipped) == ("v1",)
