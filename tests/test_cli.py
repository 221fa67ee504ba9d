"""The command line, run as a user runs it."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import build, check
from briefgen.site.jsonld import entity_data, script
from briefgen.tools.cli import MANIFEST, main

from .conftest import ROOT, WriteCorpus


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefgen", *args], capture_output=True, text=True, cwd=cwd, check=False)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by its path there, with its content."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_check_on_the_seeds_exits_zero() -> None:
    result = run("check", "seeds")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("seeds: ok (")


def test_check_defaults_to_the_seeds_folder() -> None:
    assert run("check").stdout.startswith("seeds: ok")


def test_check_lists_every_problem_and_exits_one(write_corpus: WriteCorpus) -> None:
    root = write_corpus({
        "facts/places/paris.yaml": "nme: Paris\n",
        "facts/people/bob-jones.yaml": "name: Bob\nclaims:\n  - text: '[[bob-jone]]'\n    cite: {source: wire-1, quote: x}\n",
    })
    result = run("check", str(root))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{root}: 4 problems in the corpus:"
    assert "  facts/people/bob-jones.yaml:3: wikilink [[bob-jone]] names no entity or source (did you mean 'bob-jones'?)" in lines
    assert "Traceback" not in result.stderr


def test_build_writes_the_same_markdown_as_the_plugin(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    """Under docs/, with each entity page's JSON-LD at its end (the plugin puts it into the head)."""
    root = write_corpus()
    out = tmp_path / "out"
    assert main(["build", str(root), "--out", str(out)]) == 0
    pages = build(root, history=True)
    entities = {e.page: e for e in check(root).entities}
    written = {p.relative_to(out / "docs").as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.md")}
    assert written == {path: text + (f"\n{script(entity_data(entities[path]))}\n" if path in entities else "")
                       for path, text in pages.items()}
    files = sorted(["mkdocs.yml", *(f"docs/{p}" for p in pages), "docs/assets/briefgen/briefgen.css",
                    "docs/assets/briefgen/briefgen.js"])
    assert (out / MANIFEST).read_text(encoding="utf-8").splitlines() == files


def test_build_replaces_its_own_earlier_output(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", str(write_corpus()), "--out", str(out)]) == 0
    root = write_corpus({"facts/places/paris.yaml": None, "facts/people/alice-smith.yaml": "name: Alice Smith\n"},
                        name="smaller")
    assert main(["build", str(root), "--out", str(out)]) == 0
    assert not (out / "docs" / "places" / "paris.md").exists()
    assert (out / "docs" / "people" / "alice-smith.md").is_file()


def test_build_refuses_a_folder_with_files_it_did_not_write(write_corpus: WriteCorpus, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["build", str(write_corpus()), "--out", str(out)]) == 3
    assert "notes.txt" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_failed_build_leaves_the_output_as_it_was(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", str(write_corpus()), "--out", str(out)]) == 0
    before = _files(out)
    broken = write_corpus({"facts/places/paris.yaml": "nme: Paris\n"}, name="broken")
    assert main(["build", str(broken), "--out", str(out)]) == 1
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "corpus", "out"]


def _failing_replace(monkeypatch: pytest.MonkeyPatch, *failing: int) -> None:
    """Make the given calls of os.replace (counted from 1) fail as a full disk would."""
    real, calls = os.replace, [0]

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls[0] += 1
        if calls[0] in failing:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("failing", [1, 2], ids=["moving the old output aside", "moving the new output in"])
def test_build_that_fails_while_swapping_folders_keeps_the_old_output(
        write_corpus: WriteCorpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", str(write_corpus()), "--out", str(out)]) == 0
    before = _files(out)
    renamed = write_corpus({"facts/places/paris.yaml": "name: Paris, France\n"}, name="renamed")
    _failing_replace(monkeypatch, failing)
    assert main(["build", str(renamed), "--out", str(out)]) == 3
    assert "No space left on device" in capsys.readouterr().err
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out", "renamed"]


def test_build_that_cannot_put_the_old_output_back_says_where_it_is(
        write_corpus: WriteCorpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", str(write_corpus()), "--out", str(out)]) == 0
    before = _files(out)
    _failing_replace(monkeypatch, 2, 3)
    assert main(["build", str(write_corpus(name="again")), "--out", str(out)]) == 3
    kept = Path(capsys.readouterr().err.rstrip().rsplit(" ", 1)[1])
    assert kept.parent.parent == tmp_path and kept.parent.name.startswith(".out.old.")
    assert _files(kept) == before


def test_help_documents_exit_codes() -> None:
    result = run("--help")
    assert "1 the corpus has problems" in result.stdout and "3 a file or folder cannot be written" in result.stdout


def test_missing_corpus_folder_is_a_problem(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "corpus folder does not exist" in result.stderr
