"""Reading a corpus folder: what a load reads again under serve, and where its problems stand."""

from __future__ import annotations

from briefgen.corpus import load_corpus
from briefgen.corpus.problems import FileProblem, Problems
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
