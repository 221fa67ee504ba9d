"""The corpus: files -> Briefing. The folder is walked and read (``read``, with the hardened
YAML loader of ``safeyaml``), its records shaped (``schema``) and checked (``validate``), every
problem reported as a ``Problem``; the folder's git history read into what each date changed
(``history``)."""

from .history import HistoryReader, read_history
from .problems import CorpusError, Problem
from .read import RawCorpus, RawDocument, load_corpus
from .schema import json_schemas
from .validate import build_briefing, validate

__all__ = ["CorpusError", "HistoryReader", "Problem", "RawCorpus", "RawDocument", "build_briefing", "json_schemas", "load_corpus",
           "read_history", "validate"]
