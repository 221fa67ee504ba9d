"""Reading a corpus folder: what a load reads again under serve, and where its problems stand."""

from __future__ import annotations

from pathlib import Path

from briefgen.corpus import load_corpus
from briefgen.corpus.problems import FileProblem, Problems
from briefgen.corpus.read import _entity_files
from briefgen.speed.cache import ReadCache

from .conftest import BASE, WriteCorpus

NOT_UTF8 = "article file 'articles/wire-1.txt' is not UTF-8 (byte 38, line 2) (save it as UTF-8)"


def test_an_unreadable_article_is_not_read_again_and_is_reported_where_sources_yaml_names_it_now(
        write_corpus: WriteCorpus) -> None:
    root = write_corpus({"articles/wire-1.txt": b"Alice Smith met Bob Jones in Paris\ncaf\xe9\n"})
    article = root / "articles" / "wire-1.txt"
    cache = ReadCache()
    assert [str(p) for p in load_corpus(root, cache).problems] == [f"sources.yaml:2: {NOT_UTF8}"]
    assert article in cache.read

    # sources.yaml edited above the record: the article is as it was, its line is not
    (root / "sources.yaml").write_text("# the wire\n" + (root / "sources.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    again = load_corpus(root, cache)
    assert [str(p) for p in again.problems] == [f"sources.yaml:3: {NOT_UTF8}"]
    assert article not in cache.read

    article.write_text("Alice Smith met Bob Jones in Paris\n", encoding="utf-8")
    fixed = load_corpus(root, cache)
    assert fixed.problems == () and fixed.articles == {"articles/wire-1.txt": "Alice Smith met Bob Jones in Paris\n"}


def test_a_file_problem_is_collected_at_the_file_and_line_it_names_or_at_the_line_given() -> None:
    problems = Problems()
    with problems.reading("facts/people/x.yaml"):
        raise FileProblem(4, "mapping values are not allowed here", "quote the value")
    with problems.reading("sources.yaml", 7):
        raise FileProblem(2, "article file 'a.txt' is not UTF-8", "save it as UTF-8")
    with problems.reading("sources.yaml"):
        pass
    assert [str(p) for p in problems] == [
        "facts/people/x.yaml:4: mapping values are not allowed here (quote the value)",
        "sources.yaml:7: article file 'a.txt' is not UTF-8 (save it as UTF-8)",
    ]


def test_a_corpus_without_problems_reads_every_file_once(write_corpus: WriteCorpus) -> None:
    root = write_corpus()
    cache = ReadCache()
    raw = load_corpus(root, cache)
    assert raw.problems == ()
    assert sorted(p.relative_to(root).as_posix() for p in cache.read) == sorted(BASE)
    load_corpus(root, cache)
    assert cache.read == []


def test_the_entity_files_are_those_a_recursive_glob_finds_in_its_order(tmp_path: Path) -> None:
    """Listed from the folders' listings alone: every file, folder, link and hidden name counts as
    ``Path.rglob`` and ``Path.is_file`` count them."""
    facts = tmp_path / "facts"
    for name in ("people/b.yaml", "people/a.yml", "people/.hidden.yaml", "people/notes.txt", "people/x/deep.yaml",
                 "people/.git/c.yaml", "places/z.yaml", "elsewhere/linked.yaml", "elsewhere/in-dir/d.yaml"):
        (facts / name).parent.mkdir(parents=True, exist_ok=True)
        (facts / name).write_text("name: X\n", encoding="utf-8")
    (facts / "people" / "dir.yaml").mkdir()
    (facts / "people" / "link.yaml").symlink_to(facts / "elsewhere" / "linked.yaml")
    (facts / "people" / "broken.yaml").symlink_to(facts / "nowhere.yaml")
    (facts / "people" / "linked-dir").symlink_to(facts / "elsewhere" / "in-dir")

    expected = []
    for child in sorted(p for p in facts.iterdir() if p.name in ("people", "places")):
        for path in sorted(child.rglob("*"), key=lambda p: p.parts):
            if not path.name.startswith(".") and path.is_file() and path.suffix in (".yaml", ".yml"):
                expected.append((path, path.parent == child))
    problems = Problems()
    found = _entity_files(tmp_path, problems)
    assert [(Path(path), True) for path, _ in found] == [e for e in expected if e[1]]
    nested = [p.where for p in problems.found() if "nested folder" in p.message]
    assert nested == [path.relative_to(tmp_path).as_posix() for path, direct in expected if not direct]
