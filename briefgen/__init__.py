"""briefgen: a briefing website from news articles and the facts curated from them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .corpus import CorpusError, Problem, load_corpus, read_history, validate
from .model import Briefing
from .site.render import render_site

__all__ = ["Briefing", "CorpusError", "Problem", "build", "check", "load_corpus", "render_site", "validate"]
__version__ = "0.1.0"


def check(corpus: Path | str) -> Briefing:
    """Load and validate a corpus. Raises CorpusError with every problem."""
    return validate(load_corpus(corpus))


def build(corpus: Path | str, templates: Path | str | None = None, *, history: bool = False) -> dict[str, str]:
    """The Markdown pages of a corpus, as {path: text}, and with ``history`` the changes that the
    corpus folder's git history records, as the plugin and ``briefgen build`` show them. Raises
    CorpusError with every problem."""
    raw = load_corpus(corpus)
    briefing = validate(raw)
    if history:
        briefing = dataclasses.replace(briefing, history=read_history(Path(corpus), raw))
    return render_site(briefing, Path(templates) if templates else None)
