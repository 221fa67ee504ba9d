#!/usr/bin/env python3
"""Benchmark briefgen against plain MkDocs on synthetic corpora of growing size.

    .venv/bin/python benchmarks/bench.py [--sizes 100,1000,10000] [--repeat N] [--work DIR]

For each size M (entities; the corpus has 10*M claims and M/10 sources, see
generate.py) it measures, wall-clock with time.perf_counter:

- briefgen's own stages, called directly in a fresh Python process:
  briefgen.corpus.load_corpus, briefgen.corpus.validate, briefgen.site.render.render_site;
  their peak RSS (getrusage), and in a second run the peak of Python allocations
  (tracemalloc, which slows the run, so it is not timed);
- the full `mkdocs build` with the briefgen plugin (the repository's mkdocs.yml pointed
  at the generated corpus);
- the baseline: `briefgen build CORPUS --out DIR`, the portable folder, then a full
  `mkdocs build` of it, with no briefgen plugin: same pages, theme, features, search,
  extensions, validation and nav of section pages, briefgen's CSS and JS, so that both builds
  do the same work. The ratio plugin/baseline is MkDocs plus briefgen over MkDocs alone;
- per-entity times, peak memory of every subprocess (os.wait4), the size of
  site/search/search_index.json and the median size of a built entity page.

Each measurement runs once, or --repeat N times keeping the best. Nothing is asserted:
the figures are printed as a table (and written as JSON with --json).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefgen.kinds import KINDS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent  # the venv's bin: mkdocs and briefgen live next to python
ENTITY_FOLDERS = tuple(k.folder for k in KINDS)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


# -- running and measuring a subprocess ------------------------------------------------

@dataclass
class Run:
    seconds: float
    cpu: float  # the child's user + system CPU seconds: less sensitive than wall time to other load
    peak_mb: float  # the child's peak resident set size
    code: int
    out: str
    err: str

    @property
    def ok(self) -> bool:
        return self.code == 0


def run(cmd: list[str], cwd: Path, timeout: float | None = None) -> Run:
    """Run cmd, timing it wall-clock and reading its own peak RSS from wait4.

    Every line of its standard error is stamped with the seconds since the start, so that
    MkDocs's --verbose log shows where a build spends its time (see build_phases).
    """
    out_path = cwd / ".bench-stdout"
    err_lines: list[str] = []
    with out_path.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.PIPE, env=ENV, start_new_session=True)

        def pump() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                err_lines.append(f"{time.perf_counter() - start:10.3f} {line.decode('utf-8', 'replace').rstrip()}")

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        timer = None
        timed_out = threading.Event()
        if timeout:
            def kill() -> None:
                timed_out.set()
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # the child's own process group only
            timer = threading.Timer(timeout, kill)
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if timer is not None:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        reader.join(timeout=60)
    code = -999 if timed_out.is_set() else proc.returncode
    result = Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code,
                 out_path.read_text("utf-8", "replace"), "\n".join(err_lines))
    out_path.unlink()
    return result


def build_phases(log: str, total: float = 0.0) -> dict[str, Any]:
    """Where an `mkdocs build --verbose` spent its time, from its stamped log.

    setup: start-up, config, plugins' on_pre_build (briefgen's whole load/validate/render
    for the plugin build), files and nav; convert: Markdown to HTML of every page;
    write: theme templates and writing each page; finish: anchor validation and
    on_post_build (the search index). total is the run's wall time: a stopped build's last
    page ran until then.
    """
    marks: dict[str, float] = {}
    converted: list[tuple[float, str]] = []  # (start, page)
    written: list[tuple[float, str]] = []
    last = 0.0
    for line in log.splitlines():
        stamp, _, text = line.strip().partition(" ")
        try:
            t = float(stamp)
        except ValueError:
            continue
        last = t
        text = text.strip()
        for key, needle in (("read", "Reading markdown pages."), ("copy", "Copying static assets."),
                            ("build", "Building markdown pages."), ("done", "Documentation built in")):
            if needle in text and key not in marks:
                marks[key] = t
        if "Reading: " in text:
            converted.append((t, text.split("Reading: ", 1)[1].strip()))
        elif "Building page " in text:
            written.append((t, text.split("Building page ", 1)[1].strip()))
    built = len(written)
    last = max(last, total)

    def slowest(starts: list[tuple[float, str]], end: float) -> list[str]:
        if not starts:
            return []
        ends = [t for t, _ in starts[1:]] + [end]
        top = sorted(((e - t, page) for (t, page), e in zip(starts, ends, strict=True)), reverse=True)[:3]
        return [f"{page} {sec:.1f} s" for sec, page in top]

    phases: dict[str, Any] = {
        "pages_converted": len(converted), "pages_built": built, "log_end_s": last,
        "slowest": slowest(converted, marks.get("copy", last)),
        # a page's time here is its theme template, the search plugin's indexing of its HTML and its writing
        "slowest_write": slowest(written, marks.get("done", last)),
        "last_line": log.strip().splitlines()[-1][:200] if log.strip() else "",
    }
    if "read" in marks:
        phases["setup_s"] = marks["read"]
        phases["convert_s"] = marks.get("copy", last) - marks["read"]
    if "build" in marks:
        phases["write_s"] = (marks.get("done", last) if built else last) - marks["build"]
    return phases


def best(runs: list[Run]) -> Run:
    ok = [r for r in runs if r.ok]
    return min(ok, key=lambda r: r.seconds) if ok else runs[-1]


def describe_failure(what: str, r: Run, timeout: float | None) -> str:
    if r.code == -999:
        return f"{what}: stopped after the timeout of {timeout:.0f} s"
    lines = [x for x in (r.err or r.out).strip().splitlines() if "DEBUG" not in x]
    tail = "\n".join(lines[-15:])
    return f"{what}: exit {r.code}\n{tail}"


# -- the two MkDocs configurations -----------------------------------------------------

class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, resolving MkDocs's !ENV tag as MkDocs would in this environment."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = items[:-1], items[-1]
    for name in names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)


def base_config() -> dict[str, Any]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_ConfigLoader)  # a SafeLoader
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    return config


def plugin_config(corpus: Path) -> dict[str, Any]:
    config = base_config()
    plugins = []
    for p in config.get("plugins", []):
        if isinstance(p, dict) and "briefgen" in p:
            p = {"briefgen": {**(p["briefgen"] or {}), "corpus": str(corpus)}}
        plugins.append(p)
    if not any(isinstance(p, dict) and "briefgen" in p for p in plugins):
        plugins.append({"briefgen": {"corpus": str(corpus)}})
    config["plugins"] = plugins
    return config


def write_config(folder: Path, config: dict[str, Any]) -> None:
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")


# -- sizes of the built site -----------------------------------------------------------

def site_sizes(site: Path) -> dict[str, float]:
    index = site / "search" / "search_index.json"
    pages = [p.stat().st_size for f in ENTITY_FOLDERS for p in (site / f).glob("*/index.html")]
    return {
        "search_index_mb": index.stat().st_size / 1e6 if index.is_file() else float("nan"),
        "entity_html_kb": statistics.median(pages) / 1e3 if pages else float("nan"),
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6,
    }


def markdown_sizes(docs: Path) -> dict[str, Any]:
    entity = [p.stat().st_size for f in ENTITY_FOLDERS for p in (docs / f).glob("*.md") if p.name != "index.md"]
    every = [(p.stat().st_size, p.relative_to(docs).as_posix()) for p in docs.rglob("*.md")]
    largest = max(every) if every else (0, "")
    return {
        "entity_md_kb": statistics.median(entity) / 1e3 if entity else float("nan"),
        "markdown_mb": sum(s for s, _ in every) / 1e6,
        "largest_page": f"{largest[1]} ({largest[0] / 1e6:.1f} MB)",
    }


# -- briefgen's own stages, in a fresh process -----------------------------------------

def stages_worker(corpus: Path, trace: bool, profile: Path | None) -> None:
    """Time load, validate and render; print the figures as JSON (hidden subcommand)."""
    import resource

    from briefgen.corpus import load_corpus
    from briefgen.corpus.validate import validate
    from briefgen.site.render import render_site

    profiler: Any = None
    if profile is not None:
        try:
            from pyinstrument import Profiler
            profiler = Profiler(interval=0.005)
        except ImportError:
            import cProfile
            profiler = cProfile.Profile()
        profiler.enable() if not hasattr(profiler, "start") else profiler.start()
    if trace:
        import tracemalloc
        tracemalloc.start()
    def cpu() -> float:  # this process's and its children's: pages may be rendered by forked processes
        return time.process_time() + sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f)
                                         for f in ("ru_utime", "ru_stime"))

    c0 = cpu()
    t0 = time.perf_counter()
    raw = load_corpus(corpus)
    t1 = time.perf_counter()
    briefing = validate(raw)
    t2 = time.perf_counter()
    pages = render_site(briefing)
    t3 = time.perf_counter()
    result: dict[str, Any] = {
        "load": t1 - t0, "validate": t2 - t1, "render": t3 - t2, "own": t3 - t0, "own_cpu": cpu() - c0,
        "pages": len(pages), "claims": len(briefing.claims), "sources": len(briefing.sources),
        "entities": len(briefing.entities), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "text_mb": briefing.text_size / 1e6,
    }
    if trace:
        import tracemalloc
        result["traced_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    if profiler is not None and profile is not None:
        if hasattr(profiler, "stop"):
            session = profiler.stop()
            session.save(str(profile.with_suffix(".pyisession")))
            profile.with_suffix(".txt").write_text(profiler.output_text(unicode=False, color=False, show_all=False), "utf-8")
            # the functions by their own time, hottest first: the hotspots
            from pyinstrument.renderers import ConsoleRenderer
            flat = ConsoleRenderer(unicode=False, color=False, flat=True).render(session)
            profile.with_name(profile.name + "-flat.txt").write_text(flat, "utf-8")
            profile.with_suffix(".html").write_text(profiler.output_html(), "utf-8")
        else:
            import io
            import pstats
            profiler.disable()
            for key in ("cumulative", "tottime"):
                buf = io.StringIO()
                pstats.Stats(profiler, stream=buf).sort_stats(key).print_stats(60)
                profile.with_name(f"{profile.name}.{key}.txt").write_text(buf.getvalue(), "utf-8")
            profiler.dump_stats(str(profile.with_suffix(".pstats")))
    print(json.dumps(result))


# -- `mkdocs serve --dirty`, in a fresh process ----------------------------------------

def serve_worker(folder: Path, entity: Path, clean: Path) -> None:
    """A site served as `mkdocs serve --dirty` serves it: the first build, then a rebuild after
    each of a few one-file edits to an entity, each timed from the save to the rebuilt site;
    at the end (the file as it was) whether the served site is the clean build in ``clean``.
    Prints the figures as JSON (hidden subcommand)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = folder / "served"
    shutil.rmtree(site, ignore_errors=True)

    def rebuild() -> float:
        start = time.perf_counter()
        config = load_config(str(folder / "mkdocs.yml"), site_dir=str(site))
        build(config, serve_url=config.site_url, dirty=True)
        return time.perf_counter() - start

    config = load_config(str(folder / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    plugin = config.plugins["briefgen"]
    result: dict[str, Any] = {"serve_first_s": rebuild()}
    text = entity.read_text("utf-8")
    try:
        for i, (what, edited, _) in enumerate(serve_edits(text)):
            entity.write_text(edited, "utf-8")
            stat = entity.stat()
            os.utime(entity, ns=(stat.st_atime_ns, stat.st_mtime_ns + (i + 1) * 1_000_000_000))
            seconds = rebuild()
            result.setdefault("serve_edits", []).append(
                {"edit": what, "s": seconds, "built": len(set(plugin.pages) - plugin.dirty.skipped)})
    finally:
        entity.write_text(text, "utf-8")

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    served, built = tree(site), tree(clean)
    result["serve_exact"] = served == built
    result["serve_differ"] = sorted(k for k in {*served, *built} if served.get(k) != built.get(k))[:5]
    print(json.dumps(result))


def serve_edits(text: str) -> list[tuple[str, str, str | None]]:
    """One-file edits to an entity: what each is, the file's text after it, and a phrase that
    its page then shows (None: the page as it was)."""
    return [("a description", text.replace("\ndescription: ", "\ndescription: Now said to be a ", 1), "Now said to be a"),
            ("a claim's text", text.replace("\n- text: ", "\n- text: As reported, ", 1), "As reported, "),
            ("the file as it was", text, None)]


def save_to_reload(folder: Path, entity: Path, timeout: float | None) -> dict[str, Any]:
    """The README's `mkdocs serve --dirty`, run as a curator runs it: for each edit, the time from
    the save to the moment the server tells the browser to reload (its livereload long poll
    answers with a newer version of the site), and whether the page then shows the edit."""
    import re
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/{entity.parent.name}/{entity.stem}/"

    def get(address: str, seconds: float = 70) -> str | None:
        try:
            with urllib.request.urlopen(address, timeout=seconds) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            return None

    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dirty", "-a", f"127.0.0.1:{port}"], cwd=folder,
                              env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    text = entity.read_text("utf-8")
    result: dict[str, Any] = {"reloads": []}
    try:
        start = time.perf_counter()
        while (page := get(url)) is None:
            if server.poll() is not None or (timeout and time.perf_counter() - start > timeout):
                raise RuntimeError("mkdocs serve --dirty did not serve the page")
            time.sleep(0.5)
        result["served_first_s"] = time.perf_counter() - start
        edits = serve_edits(text)
        for i, (what, edited, shown) in enumerate(edits):
            found = re.search(r"livereload\(([0-9]+), ([0-9]+)\)", page)
            assert found is not None, "the served page has no livereload script"
            epoch = int(found[1])
            time.sleep(1.0)  # a save at a later second than the last, whatever the clock's grain
            entity.write_text(edited, "utf-8")
            saved = time.perf_counter()
            while int(get(f"{base}/livereload/{epoch}/{found[2]}") or epoch) <= epoch:
                if time.perf_counter() - saved > 600:
                    raise RuntimeError(f"no reload after {what}")
            seconds = time.perf_counter() - saved
            page = get(url) or ""
            marker = shown or edits[i - 1][2] or ""
            result["reloads"].append({"edit": what, "s": seconds, "shown": (marker in page) == (shown is not None)})
    finally:
        entity.write_text(text, "utf-8")
        server.terminate()
        server.wait()
    return result


def floor_folder(baseline: Path, floor: Path) -> None:
    """MkDocs's floor for the baseline's pages: the same paths, mkdocs.yml and assets, each page
    one line (its first heading), so that only the pages' content differs."""
    shutil.copytree(baseline, floor, ignore=shutil.ignore_patterns("site"))
    for page in (floor / "docs").rglob("*.md"):
        heading = next((line for line in page.read_text("utf-8").splitlines() if line.startswith("# ")), "# Page")
        page.write_text(heading + "\n", "utf-8")


# -- one size ---------------------------------------------------------------------------

def bench_size(m: int, args: argparse.Namespace) -> dict[str, Any]:
    from generate import generate

    work: Path = args.work / f"m{m}"
    corpus = work / "corpus"
    work.mkdir(parents=True, exist_ok=True)
    r: dict[str, Any] = {"size": m, "failures": [], "load_average": []}

    def say(text: str) -> None:
        print(f"[{m:>6} entities] {text}", file=sys.stderr, flush=True)

    def measure(what: str, cmd: list[str], cwd: Path) -> Run:
        r["load_average"].append(os.getloadavg()[0])
        result = run(cmd, cwd, args.timeout)
        if not result.ok:
            r["failures"].append(describe_failure(what, result, args.timeout))
            say(f"{what} FAILED")
        return result

    start = time.perf_counter()
    counts = generate(corpus, m, seed=args.seed)
    r["generate_s"] = time.perf_counter() - start
    r.update(counts)
    say(f"corpus: {counts['entities']} entities, {counts['claims']} claims, {counts['sources']} sources "
        f"({r['generate_s']:.1f} s)")

    # (a) briefgen's own stages, each run in a fresh process
    me = [sys.executable, str(Path(__file__).resolve()), "_stages", str(corpus)]
    runs: list[tuple[Run, dict[str, Any]]] = []
    for _ in range(0 if args.skip_stages else args.repeat):
        run_ = measure("briefgen stages", me, work)
        if not run_.ok:
            break
        runs.append((run_, json.loads(run_.out.strip().splitlines()[-1])))
    if runs:
        for key in ("load", "validate", "render", "own", "own_cpu", "text_mb"):
            r[key] = min(figures[key] for _, figures in runs)
        r["pages"] = runs[0][1]["pages"]
        r["own_rss_mb"] = min(run_.peak_mb for run_, _ in runs)
        say(f"briefgen: load {r['load']:.2f} s, validate {r['validate']:.2f} s, render {r['render']:.2f} s")
        if args.tracemalloc:
            traced = measure("briefgen stages with tracemalloc", [*me, "--tracemalloc"], work)
            if traced.ok:
                r["own_traced_mb"] = json.loads(traced.out.strip().splitlines()[-1])["traced_mb"]
        if m in args.profile:
            profile = args.work / f"profile-{m}"
            if measure("briefgen stages with a profiler", [*me, "--profile", str(profile)], work).ok:
                say(f"profile written to {profile}.txt")
                r["profile"] = str(profile)
    if args.only_briefgen:
        return r

    # the two sites: (b) the plugin reads the corpus; (c) the baseline reads briefgen's Markdown from docs/
    plugin, baseline = work / "plugin", work / "baseline"
    for folder in (plugin, baseline):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    (plugin / "docs").mkdir()
    write_config(plugin, plugin_config(corpus.resolve()))
    # the portable folder: the same pages, briefgen's assets, and a mkdocs.yml without the plugin
    cli = measure("briefgen build", [str(BIN / "briefgen"), "build", str(corpus.resolve()), "--out", str(baseline)], work)
    if cli.ok:
        r["cli_build_s"], r["cli_rss_mb"] = cli.seconds, cli.peak_mb
        r.update(markdown_sizes(baseline / "docs"))

    # the builds alternate, plugin then baseline then floor, so that all meet the same conditions
    kinds = [("plugin", plugin, "mkdocs build with the plugin")]
    if cli.ok:
        floor = work / "floor"
        shutil.rmtree(floor, ignore_errors=True)
        floor_folder(baseline, floor)
        kinds += [("baseline", baseline, "baseline mkdocs build"), ("floor", floor, "floor mkdocs build")]
    results: dict[str, list[Run]] = {kind: [] for kind, _, _ in kinds}
    what_of = {kind: what for kind, _, what in kinds}
    for _ in range(args.repeat):
        for kind, folder, what in kinds:
            if results[kind] and not results[kind][-1].ok:
                continue
            results[kind].append(measure(what, [str(BIN / "mkdocs"), "build", "--verbose"], folder))
            # the stamped log stays next to the build, for a closer look at where the time went
            (work / f"{kind}-build-{len(results[kind])}.log").write_text(results[kind][-1].err, "utf-8")
            if results[kind][-1].ok:
                say(f"{what}: {results[kind][-1].seconds:.1f} s (CPU {results[kind][-1].cpu:.1f} s)")
    for kind, folder, _ in kinds:
        ok = [x for x in results[kind] if x.ok]
        if results[kind]:
            # the phases of the fastest run, or how far a failed (or stopped) run got
            chosen = min(ok, key=lambda x: x.seconds) if ok else results[kind][-1]
            phases = build_phases(chosen.err, chosen.seconds)
            r.update({f"{kind}_{k}": v for k, v in phases.items()})
            if not ok:
                say(f"{what_of[kind]} got as far as {phases['pages_converted']:,} pages converted and "
                    f"{phases['pages_built']:,} written in {phases['log_end_s']:.0f} s; slowest: {phases['slowest']}; "
                    f"last log line: {phases['last_line']}")
        if ok:
            r[f"{kind}_s"] = min(x.seconds for x in ok)
            r[f"{kind}_cpu"] = min(x.cpu for x in ok)
            r[f"{kind}_rss_mb"] = min(x.peak_mb for x in ok)
            r.update({f"{kind}_{k}": v for k, v in site_sizes(folder / "site").items()})
    if "plugin_s" in r and "baseline_s" in r:
        r["ratio"] = r["plugin_s"] / r["baseline_s"]
        r["ratio_cpu"] = r["plugin_cpu"] / r["baseline_cpu"]
    if "plugin_s" in r and "floor_s" in r:
        r["ratio_floor"] = r["plugin_s"] / r["floor_s"]
    if "plugin_search_index_mb" in r and "text_mb" in r:
        r["index_ratio"] = r["plugin_search_index_mb"] / r["text_mb"]
    if "plugin_s" in r and args.serve:
        people = sorted((corpus / "facts" / "people").glob("*.yaml"))
        entity = people[len(people) // 2]
        served = measure("mkdocs serve --dirty", [*me[:2], "_serve", str(plugin), str(entity), str(plugin / "site")], work)
        if served.ok:
            r.update(json.loads(served.out.strip().splitlines()[-1]))
            r["serve_edit_s"] = max(e["s"] for e in r["serve_edits"])
            r["serve_ratio"] = r["serve_edit_s"] / r["plugin_s"]
            say(f"serve --dirty: first build {r['serve_first_s']:.1f} s, after an edit "
                + ", ".join(f"{e['s']:.2f} s ({e['edit']}, {e['built']} pages built)" for e in r["serve_edits"])
                + f"; served site = clean build: {r['serve_exact']}")
        try:
            r.update(save_to_reload(plugin, entity, args.timeout))
            r["reload_s"] = max(e["s"] for e in r["reloads"])
            r["reload_ratio"] = r["reload_s"] / r["plugin_s"]
            say("mkdocs serve --dirty, save to reload: "
                + ", ".join(f"{e['s']:.2f} s ({e['edit']}, shown: {e['shown']})" for e in r["reloads"]))
        except (RuntimeError, AssertionError) as e:
            r["failures"].append(f"mkdocs serve --dirty: {e}")
    if not args.keep:
        for folder in (plugin / "site", baseline / "site", work / "floor" / "site", plugin / "served"):
            shutil.rmtree(folder, ignore_errors=True)
    return r


# -- the table --------------------------------------------------------------------------

ROWS: tuple[tuple[str, str, str], ...] = (
    # (label, key, format); a key "x/entity" is x divided by the number of entities, in ms
    ("entities", "entities", "{:,}"),
    ("claims (incl. overview)", "claims", "{:,}"),
    ("sources", "sources", "{:,}"),
    ("pages generated", "pages", "{:,}"),
    ("Markdown generated (MB)", "markdown_mb", "{:.1f}"),
    ("largest page", "largest_page", "{}"),
    ("briefgen load (s)", "load", "{:.2f}"),
    ("briefgen validate (s)", "validate", "{:.2f}"),
    ("briefgen render (s)", "render", "{:.2f}"),
    ("briefgen own total (s)", "own", "{:.2f}"),
    ("  own CPU time (s)", "own_cpu", "{:.2f}"),
    ("  own per entity (ms)", "own/entity", "{:.2f}"),
    ("  own peak RSS (MB)", "own_rss_mb", "{:.0f}"),
    ("  own peak tracemalloc (MB)", "own_traced_mb", "{:.0f}"),
    ("mkdocs build + plugin (s)", "plugin_s", "{:.1f}"),
    ("  CPU time (s)", "plugin_cpu", "{:.1f}"),
    ("  setup, incl. briefgen (s)", "plugin_setup_s", "{:.1f}"),
    ("  Markdown to HTML (s)", "plugin_convert_s", "{:.1f}"),
    ("  templates, write, search (s)", "plugin_write_s", "{:.1f}"),
    ("  per entity (ms)", "plugin_s/entity", "{:.2f}"),
    ("  peak RSS (MB)", "plugin_rss_mb", "{:.0f}"),
    ("briefgen build --out docs (s)", "cli_build_s", "{:.1f}"),
    ("baseline mkdocs build (s)", "baseline_s", "{:.1f}"),
    ("  CPU time (s)", "baseline_cpu", "{:.1f}"),
    ("  setup (s)", "baseline_setup_s", "{:.1f}"),
    ("  Markdown to HTML (s)", "baseline_convert_s", "{:.1f}"),
    ("  templates, write, search (s)", "baseline_write_s", "{:.1f}"),
    ("  per entity (ms)", "baseline_s/entity", "{:.2f}"),
    ("  peak RSS (MB)", "baseline_rss_mb", "{:.0f}"),
    ("RATIO plugin / baseline (wall)", "ratio", "{:.2f}x"),
    ("RATIO plugin / baseline (CPU)", "ratio_cpu", "{:.2f}x"),
    ("floor mkdocs build, one-line pages (s)", "floor_s", "{:.1f}"),
    ("RATIO plugin / floor (target 3x)", "ratio_floor", "{:.2f}x"),
    ("serve --dirty, first build (s)", "serve_first_s", "{:.1f}"),
    ("serve --dirty, one-file edit (s)", "serve_edit_s", "{:.2f}"),
    ("RATIO edit / clean build (target 0.05)", "serve_ratio", "{:.3f}"),
    ("served site = clean build", "serve_exact", "{}"),
    ("mkdocs serve --dirty, save to reload (s)", "reload_s", "{:.2f}"),
    ("RATIO reload / clean build (target 0.05)", "reload_ratio", "{:.3f}"),
    ("corpus text (MB)", "text_mb", "{:.2f}"),
    ("search index, plugin (MB)", "plugin_search_index_mb", "{:.1f}"),
    ("RATIO index / corpus text (target 3x)", "index_ratio", "{:.1f}x"),
    ("search index, baseline (MB)", "baseline_search_index_mb", "{:.1f}"),
    ("entity page .md, median (KB)", "entity_md_kb", "{:.1f}"),
    ("entity page .html, median (KB)", "plugin_entity_html_kb", "{:.1f}"),
    ("built site, plugin (MB)", "plugin_site_mb", "{:.0f}"),
    ("max 1-min load average", "max_load", "{:.1f}"),
)


def cell(r: dict[str, Any], key: str, fmt: str) -> str:
    if key == "max_load":
        return f"{max(r['load_average']):.1f}" if r.get("load_average") else "-"
    if key.endswith("/entity"):
        value = r.get(key.removesuffix("/entity"))
        value = None if value is None else 1000 * value / r["entities"]
    else:
        value = r.get(key)
    return "-" if value is None else fmt.format(value)


def table(results: list[dict[str, Any]]) -> str:
    head = ["", *(f"M={r['size']:,}" for r in results)]
    rows = [[label, *(cell(r, key, fmt) for r in results)] for label, key, fmt in ROWS]
    # scaling: per-entity time of each size over that of the size before it
    for label, key in (("plugin per-entity vs previous", "plugin_s"), ("baseline per-entity vs previous", "baseline_s"),
                       ("own per-entity vs previous", "own")):
        line = [label]
        for prev, r in zip([None, *results], results, strict=False):
            if prev is None or key not in prev or key not in r:
                line.append("-")
            else:
                line.append(f"{(r[key] / r['entities']) / (prev[key] / prev['entities']):.2f}x")
        rows.append(line)
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def code_state() -> str:
    """The commit measured, whether the tree had changes, and the versions that matter."""
    from importlib.metadata import version

    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = " + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    versions = ", ".join(f"{p} {version(p)}" for p in ("mkdocs", "mkdocs-material", "markdown", "jinja2"))
    return f"briefgen {commit}{dirty}; {versions}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_stages":
        worker = argparse.ArgumentParser()
        worker.add_argument("corpus", type=Path)
        worker.add_argument("--tracemalloc", action="store_true")
        worker.add_argument("--profile", type=Path)
        w = worker.parse_args(argv[1:])
        stages_worker(w.corpus, w.tracemalloc, w.profile)
        return 0
    if argv and argv[0] == "_serve":
        serve_worker(Path(argv[1]), Path(argv[2]), Path(argv[3]))
        return 0

    parser = argparse.ArgumentParser(description="Benchmark briefgen against plain MkDocs on synthetic corpora.")
    parser.add_argument("--sizes", default="100,1000,10000",
                        help="entity counts, comma-separated (default 100,1000,10000)")
    parser.add_argument("--repeat", type=int, default=1, help="run each measurement N times and keep the best")
    parser.add_argument("--seed", type=int, default=0, help="the corpus generator's seed")
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefgen-bench"),
                        help="scratch folder for corpora and builds (default /tmp/briefgen-bench)")
    parser.add_argument("--keep", action="store_true", help="keep the built sites")
    parser.add_argument("--timeout", type=float, help="stop any one build after this many seconds")
    parser.add_argument("--no-tracemalloc", dest="tracemalloc", action="store_false",
                        help="skip the extra run that measures briefgen's Python allocations")
    parser.add_argument("--profile", default="", help="sizes at which to profile briefgen's stages (pyinstrument "
                        "if installed, else cProfile), e.g. 1000,10000; output in the work folder")
    parser.add_argument("--only-briefgen", action="store_true", help="measure briefgen's own stages only, no MkDocs")
    parser.add_argument("--skip-stages", action="store_true", help="skip the measure of briefgen's own stages")
    parser.add_argument("--no-serve", dest="serve", action="store_false",
                        help="skip the measure of `mkdocs serve --dirty` (a first build and three rebuilds)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.replace(",", " ").split()]
    args.profile = {int(s) for s in args.profile.replace(",", " ").split()}
    args.repeat = max(1, args.repeat)
    args.work = args.work.resolve()
    sys.path.insert(0, str(HERE))

    results = []
    print(f"briefgen benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, Python "
          f"{sys.version.split()[0]}, best of {args.repeat}", flush=True)
    print(f"code: {code_state()}; load average at start {os.getloadavg()[0]:.1f}", flush=True)
    for m in args.sizes:
        try:
            results.append(bench_size(m, args))
        except Exception:  # keep the figures of the other sizes
            import traceback
            results.append({"size": m, "entities": m, "failures": [traceback.format_exc()]})
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), "utf-8")
    print()
    print(table(results))
    for r in results:
        for kind in ("plugin", "baseline"):
            if r.get(f"{kind}_slowest"):
                print(f"\nM={r['size']:,}, {kind} build, slowest pages to convert: {'; '.join(r[f'{kind}_slowest'])}"
                      f"\n    slowest pages to write (template + search index + write): {'; '.join(r[f'{kind}_slowest_write'])}")
    for r in results:
        for failure in r["failures"]:
            print(f"\nM={r['size']:,}: {failure}")
    return 1 if any(r["failures"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
