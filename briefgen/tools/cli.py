"""The command line: check a corpus, or write its Markdown pages to a folder."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from .. import __version__
from ..corpus import CorpusError, RawCorpus, json_schemas, load_corpus, read_history, validate
from ..kinds import KINDS
from ..model import Briefing
from ..site.render import render_site
from .coverage import coverage
from .export import to_csv, to_json
from .project import ProjectError, init_project, portable_files
from .scaffold import ImportProblems, ScaffoldError, new_entity, new_sources

__all__ = ["OutputError", "main", "write_pages"]

MANIFEST = ".briefgen-manifest"
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_OUTPUT, EXIT_COVERAGE = 0, 1, 2, 3, 4  # argparse also exits 2 on wrong usage


class OutputError(Exception):
    """The output folder cannot be written without touching files briefgen did not write."""


def _default_corpus() -> Path:
    return Path("seeds") if Path("seeds/sources.yaml").is_file() else Path(".")


def write_pages(pages: Mapping[str, str], out: Path) -> None:
    """Write pages into out, replacing what an earlier run wrote there, all or nothing.

    out must be missing, empty, or an earlier output of this command; any other file in
    it is left alone and stops the run before anything is written.
    """
    out = out.resolve()
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"{out} exists and is not a folder")
        present = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() or p.is_symlink())
        manifest = out / MANIFEST
        ours = set(manifest.read_text("utf-8").splitlines()) | {MANIFEST} if manifest.is_file() else set()
        foreign = [p for p in present if p not in ours]
        if foreign:
            listed = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
            raise OutputError(f"{out} holds files briefgen did not write ({listed}); choose an empty or new folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as e:  # say, a parent of out is a file
        raise OutputError(f"cannot create {out}: {e.strerror} ({e.filename})") from None
    try:
        for path, text in pages.items():
            target = (staging / path).resolve()
            if not target.is_relative_to(staging.resolve()):
                raise OutputError(f"page path {path!r} leads outside the output folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        (staging / MANIFEST).write_text("".join(f"{p}\n" for p in sorted(pages)), encoding="utf-8")
        if out.exists():
            _swap(staging, out)
        else:
            os.replace(staging, out)
    except OSError as e:  # say, the disk is full; the staging folder is removed below
        raise OutputError(f"cannot write {out}: {e.strerror} ({e.filename})") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _swap(new: Path, out: Path) -> None:
    """Put the folder new in the place of the folder out; on any failure out is as it was."""
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    try:
        os.replace(out, old / "out")
        try:
            os.replace(new, out)
        except BaseException:
            os.replace(old / "out", out)
            raise
    except BaseException:
        if (old / "out").exists():  # out could not be put back: say where it is rather than lose it
            raise OutputError(f"cannot write {out}; its earlier content is in {old / 'out'}") from None
        old.rmdir()
        raise
    # The new output is in place: a leftover of the old one is no reason to fail the build.
    shutil.rmtree(old, ignore_errors=True)


class _Progress:
    """A one-line progress report on a terminal; silent when standard error is not one."""

    def __init__(self) -> None:
        self.active = sys.stderr.isatty()
        self.last = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.active or (done < total and now - self.last < 0.1):
            return
        self.last = now
        sys.stderr.write(f"\r{stage} {done:,}/{total:,}\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


def _new(corpus: Path, args: argparse.Namespace) -> int:
    try:
        if args.kind == "source":
            added = new_sources(corpus, [Path(v) for v in args.value])
            for a in added:
                print(f"added source '{a.id}' to {corpus / 'sources.yaml'}, titled: {a.title}")
                if a.page:
                    print(f"  text extracted from {a.origin} into {a.file}, the page kept as {a.page}")
                    print("  check the proposed title, outlet, author, published date and url, and the text")
                else:
                    print("  check the title, and add outlet, published, url and author if known")
        else:
            if len(args.value) != 1:
                print(f"briefgen: give one name for the {args.kind} (quote it if it has spaces)", file=sys.stderr)
                return EXIT_USAGE
            path = new_entity(corpus, args.kind, args.value[0], args.id)
            print(f"created {path}")
    except ImportProblems as e:
        print("briefgen: nothing was added:", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_OUTPUT if e.conflict else EXIT_PROBLEMS
    except ScaffoldError as e:
        print(f"briefgen: {e}", file=sys.stderr)
        return EXIT_OUTPUT
    return EXIT_OK


def _coverage(briefing: Briefing, minimum: float | None) -> int:
    total = cited = 0
    below = []
    for c in coverage(briefing):
        n = len(c.sentences)
        total, cited = total + n, cited + n - len(c.uncited)
        print(f"{c.source.id}: {n - len(c.uncited)} of {n} sentences cited ({c.percent:.1f}%)")
        for s in c.uncited:
            print(f"  not cited, paragraph {s.paragraph}: {s.text}")
        for m in c.mentions:
            print(f"  name not cited, paragraph {m.paragraph}: {m.text} ({m.entity})")
        if minimum is not None and c.percent < minimum:
            below.append(c.source.id)
    share = 100.0 * cited / total if total else 100.0
    print(f"all sources: {cited} of {total} sentences cited ({share:.1f}%)")
    if below:
        print(f"briefgen: below {minimum:g}%: {', '.join(below)}", file=sys.stderr)
        return EXIT_COVERAGE
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Check a briefing corpus, or write its Markdown pages to a folder.",
        epilog="Exit codes: 0 success; 1 the corpus has problems (all are listed), or a file given to new source; "
        "2 wrong usage; 3 a file or folder cannot be written (init, build --out, new); 4 coverage below --min.",
    )
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    corpus_help = "the corpus folder (default: ./seeds if it has sources.yaml, else .)"

    check = sub.add_parser("check", help="check every file, id, link, quote and date of a corpus")
    check.add_argument("corpus", nargs="?", type=Path, help=corpus_help)
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="json: a list of {file, line, message, hint} on standard output")

    cov = sub.add_parser("coverage", help="which sentences of each article no claim cites, and names left out")
    cov.add_argument("corpus", nargs="?", type=Path, help=corpus_help)
    cov.add_argument("--min", type=float, metavar="PERCENT",
                     help="exit 4 if any source has a smaller share of its sentences cited")

    export = sub.add_parser("export", help="the whole briefing as JSON, or one CSV row per claim and citation")
    export.add_argument("corpus", nargs="?", type=Path, help=corpus_help)
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("--out", type=Path, help="write to this file instead of standard output")

    init = sub.add_parser("init", help="start a briefing: a project folder that builds at once")
    init.add_argument("folder", type=Path, help="the project's folder: new or empty")
    init.add_argument("--title", required=True, help="the briefing's subject, which names the site")

    new = sub.add_parser("new", help="add a source record, or create an entity file with a proper id")
    new.add_argument("kind", choices=("source", *(k.id for k in KINDS)))
    new.add_argument("value", nargs="+", metavar="FILE|NAME",
                     help="source: article files (.txt), saved web pages (.html), WARC files or folders of them; "
                     "else the entity's name")
    new.add_argument("--corpus", type=Path, help=corpus_help)
    new.add_argument("--id", help="the entity's id, instead of one derived from its name")

    schema = sub.add_parser("schema", help="write the JSON Schemas of sources.yaml, entity files and briefing.yaml")
    schema.add_argument("--out", type=Path, required=True, help="folder to write the three .schema.json files to")

    build = sub.add_parser("build", help="write the site as a folder that MkDocs and Zensical build without the plugin")
    build.add_argument("corpus", nargs="?", type=Path, help=corpus_help)
    build.add_argument("--out", required=True, type=Path,
                       help="output folder (new, empty, or an earlier output): mkdocs.yml, docs/ and briefgen's assets")
    build.add_argument("--templates", type=Path, help="a folder of templates that override the default ones")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "schema":
        return _schema(args.out)
    if args.command == "init":
        return _init(args.folder, args.title)
    corpus = args.corpus or _default_corpus()
    if args.command == "new":
        return _new(corpus, args)
    as_json = args.command == "check" and args.format == "json"
    progress = _Progress()
    try:
        raw = load_corpus(corpus)
        briefing = validate(raw, progress)
    except CorpusError as e:
        progress.done()
        if as_json:
            print(json.dumps([p.as_dict() for p in e.problems], indent=2, ensure_ascii=False))
        else:
            print(f"{corpus}: {e.report()}", file=sys.stderr)
        return EXIT_PROBLEMS
    progress.done()
    if args.command == "check":
        counts = f"{len(briefing.entities)} entities, {len(briefing.claims)} claims, {len(briefing.sources)} sources"
        print("[]" if as_json else f"{corpus}: ok ({counts})")
        return EXIT_OK
    if args.command == "coverage":
        return _coverage(briefing, args.min)
    if args.command == "export":
        return _export(briefing, args.format, args.out)
    return _build(corpus, raw, briefing, args.templates, args.out, progress)


def _schema(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for name, data in json_schemas().items():
        (out / name).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {', '.join(json_schemas())} to {out}")
    return EXIT_OK


def _export(briefing: Briefing, format: str, out: Path | None) -> int:
    text = to_json(briefing) if format == "json" else to_csv(briefing)
    if out:
        out.write_text(text, encoding="utf-8", newline="")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _build(corpus: Path, raw: RawCorpus, briefing: Briefing, templates: Path | None, out: Path, progress: _Progress) -> int:
    briefing = dataclasses.replace(briefing, history=read_history(corpus, raw))
    if briefing.history.state == "shallow":
        print(f"briefgen: {briefing.history.note}", file=sys.stderr)
    pages = render_site(briefing, templates, progress=progress)
    progress.done()
    return _written(
        lambda: write_pages(portable_files(briefing, pages), out),
        f"{corpus}: wrote {len(pages)} pages to {out / 'docs'}, with {out / 'mkdocs.yml'}",
        f"  build it with: mkdocs build -f {out / 'mkdocs.yml'}   or: cd {out} && zensical build")


def _init(folder: Path, title: str) -> int:
    return _written(
        lambda: init_project(folder, title),
        f"started the briefing \u201c{title}\u201d in {folder}",
        f"  next: cd {folder}, add an article with `briefgen new source PAGE.html`, and run `mkdocs serve`")


def _written(write: Callable[[], object], *done: str) -> int:
    """Write, then say what was written; or say why nothing was."""
    try:
        write()
    except (OutputError, ProjectError) as e:
        print(f"briefgen: {e}", file=sys.stderr)
        return EXIT_OUTPUT
    print("\n".join(done))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
