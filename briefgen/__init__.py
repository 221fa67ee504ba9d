"""briefgen: a briefing website from news articles and the facts curated from them."""

from __future__ import annotations

from pathlib import Path

from .corpus import CorpusError, Problem, load_corpus, validate
from .model import Briefing
from .site.render import render_site

__all__ = ["Briefing", "CorpusError", "Problem", "build", "check", "load_corpus", "render_site", "validate"]
__version__ = "0.1.0"


def check(corpus: Path | str) -> Briefing:
    """Load and validate a corpus. Raises CorpusError with every problem."""
    return validate(load_corpus(corpus))


def build(corpus: Path | str, templates: Path | str | None = None) -> dict[str, str]:
    """The Markdown pages of a corpus, as {path: text}. Raises CorpusError with every problem."""
    return render_site(check(corpus), Path(templates) if templates else None)
