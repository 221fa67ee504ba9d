"""The last site deleted alongside a clean build (speed/sweep.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from briefgen.speed.sweep import Sweep

from .conftest import SEEDS
from .site import mkdocs_build, site_config


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_build_over_the_last_site_gives_the_site_a_build_into_an_empty_folder_gives(tmp_path: Path) -> None:
    """What the last build left goes (a page no longer generated, a folder of it), hidden entries
    stay as MkDocs leaves them, and no folder of old files is left, nor one that a build stopped
    midway left."""
    config = site_config(SEEDS, tmp_path / "cfg")
    fresh, site = tmp_path / "fresh", tmp_path / "site"
    assert mkdocs_build(config, fresh).returncode == 0
    assert mkdocs_build(config, site).returncode == 0
    (site / "people" / "gone").mkdir()
    (site / "people" / "gone" / "index.html").write_text("<p>an entity since removed</p>", encoding="utf-8")
    (site / ".nojekyll").write_text("", encoding="utf-8")
    (site / ".briefgen-old-stopped" / "people").mkdir(parents=True)  # a build stopped midway
    result = mkdocs_build(config, site)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(site)) == sorted([*os.listdir(fresh), ".nojekyll"])
    assert (site / ".nojekyll").read_text(encoding="utf-8") == ""
    (site / ".nojekyll").unlink()
    assert _tree(site) == _tree(fresh)


def test_the_entries_mkdocs_deletes_are_moved_aside_and_deleted_by_another_process(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "people").mkdir(parents=True)
    (site / "people" / "a.html").write_text("a", encoding="utf-8")
    (site / "index.html").write_text("i", encoding="utf-8")
    (site / ".git").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "kept.txt").write_text("k", encoding="utf-8")
    (site / "linked").symlink_to(outside, target_is_directory=True)  # MkDocs's cleaning leaves it
    sweep = Sweep()
    sweep.start(str(site))
    assert sorted(os.listdir(site)) == sorted([".git", "linked", *(Path(f).name for f in sweep.folders)])
    assert sweep.process is not None and sweep.process.pid != os.getpid()
    sweep.finish()
    assert sorted(os.listdir(site)) == [".git", "linked"]
    assert (outside / "kept.txt").read_text(encoding="utf-8") == "k"


def test_a_site_folder_that_is_not_there_or_holds_nothing_to_delete_starts_no_process(tmp_path: Path) -> None:
    sweep = Sweep()
    sweep.start(str(tmp_path / "none"))
    assert sweep.process is None
    (tmp_path / "hidden" / ".git").mkdir(parents=True)
    sweep.start(str(tmp_path / "hidden"))
    assert sweep.process is None and os.listdir(tmp_path / "hidden") == [".git"]


def test_a_dirty_build_deletes_nothing(tmp_path: Path) -> None:
    config = site_config(SEEDS, tmp_path / "cfg")
    site = tmp_path / "site"
    assert mkdocs_build(config, site).returncode == 0
    (site / "kept.html").write_text("<p>kept</p>", encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "--dirty", "--no-strict", "-f", str(config), "-d", str(site)]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                            check=False)
    assert result.returncode == 0, result.stderr
    assert (site / "kept.html").exists()
    assert not [n for n in os.listdir(site) if n.startswith(".briefgen-old-")]
