"""Indicator sets are versioned side by side, and a run is read only with the very file it
was computed with (ADR 0019).

`catalogues/<set>/<version>.yaml` keeps every version; `catalogues/SHA256SUMS` lists the hash
of each released file, so a released version edited in place fails here; a run records the
set, version and SHA-256, and `open_run` refuses a run whose file on this installation is
not that one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from cheepao.engine import api, catalogue, pipeline
from cheepao.engine.catalogue import CatalogueError, CatalogueMismatch
from cheepao.engine.tests.factories import household, member, tables

V1_SHA = "5e023589acb7264ed541fad314160352cdef5cc6f6818fbde079dddd6cdc8118"


def _released() -> dict[str, str]:
    lines = catalogue.RELEASED.read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines if line)}


def test_every_catalogue_file_is_released_and_unchanged():
    """A released version is never edited in place: a change is a new file with the next
    version number, and its line in catalogues/SHA256SUMS."""
    on_disk = {
        str(p.relative_to(catalogue.CATALOGUE_DIR)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(catalogue.CATALOGUE_DIR.glob("*/*.yaml"))
    }
    assert on_disk, "no catalogue files found"
    assert sorted(catalogue.CATALOGUE_DIR.glob("*.yaml")) == [], "a set lives in its folder"
    released = _released()
    changed = {n for n in on_disk if n in released and released[n] != on_disk[n]}
    assert not changed, f"released catalogue versions edited in place: {sorted(changed)}"
    assert set(on_disk) == set(released), "a new version needs its line in SHA256SUMS"


def test_versions_are_kept_side_by_side_and_loaded_by_id_and_version():
    assert catalogue.versions("tpmap_mpi_17") == (1, 2)
    newest = catalogue.load()
    assert (newest.id, newest.version) == ("tpmap_mpi_17", 2)
    assert catalogue.load("tpmap_mpi_17") is newest
    v1 = catalogue.load("tpmap_mpi_17", 1)
    assert (v1.version, v1.sha256) == (1, V1_SHA)  # the file as it was before the readings
    assert v1.readings == () and v1.name == "tpmap_mpi_17@v1"
    assert catalogue.load("tpmap_mpi_17@v1") is v1 and catalogue.load("tpmap_mpi_17@1") is v1
    assert newest.sha256 == _released()["tpmap_mpi_17/2.yaml"]
    # version 2 only named the readings: the defaults compute what version 1 did
    assert newest.indicators == v1.indicators and newest.critical == v1.critical
    assert api.catalogue(version=1) is v1


@pytest.mark.parametrize(
    ("name", "version", "message"),
    [
        ("tpmap_mpi_17", 3, r"has no version 3 \(versions: 1, 2\)"),
        ("tpmap_mpi_17", "two", "version must be a number"),
        ("tpmap_mpi_17@v1", 2, "names version 1, not 2"),
        ("tpmap_mpi_99", None, r"no indicator set 'tpmap_mpi_99' \(sets: tpmap_mpi_17\)"),
    ],
)
def test_an_unknown_set_or_version_is_refused(name, version, message):
    with pytest.raises(CatalogueError, match=message):
        catalogue.load(name, version)


def test_a_file_must_say_the_set_and_version_its_path_names(tmp_path, monkeypatch):
    (tmp_path / "tpmap_mpi_17").mkdir()
    shutil.copy(catalogue.path_of("tpmap_mpi_17", 2), tmp_path / "tpmap_mpi_17" / "3.yaml")
    monkeypatch.setattr(catalogue, "CATALOGUE_DIR", tmp_path)
    with pytest.raises(CatalogueError, match="says it is tpmap_mpi_17 version 2"):
        catalogue.load("tpmap_mpi_17", 3)


# ------------------------------------------------------------------ runs


def _survey(tmp_path: Path) -> tuple[Path, Path]:
    h, m = tables([household("A"), household("B")], [member("A", 1, 40), member("B", 1, 70)])
    pq.write_table(h, tmp_path / "households.parquet")
    pq.write_table(m, tmp_path / "members.parquet")
    return tmp_path / "households.parquet", tmp_path / "members.parquet"


@pytest.fixture
def own_catalogues(tmp_path, monkeypatch) -> Path:
    """A copy of the catalogues folder, as an installation that could be edited."""
    folder = tmp_path / "catalogues"
    shutil.copytree(catalogue.CATALOGUE_DIR, folder)
    monkeypatch.setattr(catalogue, "CATALOGUE_DIR", folder)
    return folder


def test_a_run_records_and_reads_back_its_own_version(tmp_path):
    h, m = _survey(tmp_path)
    manifest = pipeline.run_compute(h, m, tmp_path / "v1", indicator_set="tpmap_mpi_17@v1")
    assert (manifest["indicator_set_id"], manifest["indicator_set_version"]) == ("tpmap_mpi_17", 1)
    assert manifest["catalogue_sha256"] == V1_SHA
    run = api.open_run(tmp_path / "v1")
    assert (run.catalogue.version, run.catalogue.sha256) == (1, V1_SHA)  # not the newest
    pipeline.run_compute(h, m, tmp_path / "v2")
    newest = api.open_run(tmp_path / "v2")
    assert newest.catalogue.version == 2 and newest.manifest["indicator_set"] == "tpmap_mpi_17@v2"


def test_a_run_whose_catalogue_was_edited_after_it_is_refused(tmp_path, own_catalogues):
    h, m = _survey(tmp_path)
    pipeline.run_compute(h, m, tmp_path / "run")
    assert api.open_run(tmp_path / "run").catalogue.version == 2
    released = own_catalogues / "tpmap_mpi_17" / "2.yaml"
    text = released.read_text(encoding="utf-8")
    released.write_text(text.replace("k: 1/3", "k: 1/4"), encoding="utf-8")  # edited in place
    with pytest.raises(CatalogueMismatch, match=r"version 2 on this installation .* is not the"):
        api.open_run(tmp_path / "run")
    with pytest.raises(CatalogueMismatch, match="is not the file the run was computed with"):
        api.latest_run(tmp_path)


def test_a_run_that_claims_another_hash_or_none_is_refused(tmp_path):
    h, m = _survey(tmp_path)
    pipeline.run_compute(h, m, tmp_path / "run")
    path = tmp_path / "run" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for change, message in (
        ({"catalogue_sha256": V1_SHA}, "is not the file the run was computed with"),
        ({"indicator_set_version": 1, "catalogue_sha256": "0" * 64}, "version 1 on this"),
        ({"indicator_set_version": 7}, "has no version 7"),
        ({"catalogue_sha256": None}, "does not record the id, version and sha256"),
    ):
        path.write_text(json.dumps({**manifest, **change}), encoding="utf-8")
        with pytest.raises(CatalogueError, match=message):
            api.open_run(tmp_path / "run")
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert api.open_run(tmp_path / "run").catalogue.version == 2


def test_the_cli_computes_a_named_version_and_refuses_a_run_it_cannot_check(tmp_path):
    from cheepao.cli import main

    h, m = _survey(tmp_path)
    runner = CliRunner()
    args = ["compute", "--households", str(h), "--members", str(m)]
    result = runner.invoke(
        main, [*args, "--out", str(tmp_path / "run"), "--indicator-set", "tpmap_mpi_17@v1"]
    )
    assert result.exit_code == 0, result.output
    assert (
        json.loads((tmp_path / "run" / "manifest.json").read_text())["indicator_set_version"] == 1
    )
    path = tmp_path / "run" / "manifest.json"
    path.write_text(
        json.dumps({**json.loads(path.read_text()), "catalogue_sha256": "f" * 64}), encoding="utf-8"
    )
    result = runner.invoke(main, ["register", "--run", str(tmp_path / "run")])
    assert result.exit_code == 1
    assert "is not the file the run was computed with" in result.output


def test_a_set_kept_outside_the_catalogues_is_read_from_its_path_and_checked(tmp_path):
    """A province's own set (`cheepao compute --indicator-set my/set.yaml`): the run records
    its path, and is refused once that file is not the one it was computed with."""
    own = tmp_path / "own.yaml"
    own.write_text(
        catalogue.path_of("tpmap_mpi_17", 1)
        .read_text(encoding="utf-8")
        .replace("id: tpmap_mpi_17", "id: ubon_17"),
        encoding="utf-8",
    )
    h, m = _survey(tmp_path)
    pipeline.run_compute(h, m, tmp_path / "run", indicator_set=str(own))
    run = api.open_run(tmp_path / "run")
    assert (run.catalogue.id, run.catalogue.version) == ("ubon_17", 1)
    own.write_text(own.read_text(encoding="utf-8").replace("version: 1", "version: 2"))
    with pytest.raises(CatalogueMismatch, match="is version 2 of ubon_17, not version 1"):
        api.open_run(tmp_path / "run")
