"""The curator's tools: export, JSON Schema, progress on a terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from briefgen import build, check
from briefgen.corpus.schema import json_schemas
from briefgen.tools.cli import main
from briefgen.tools.export import CSV_COLUMNS

from .conftest import HARBOR, ROOT, SEEDS, SPILL, WriteCorpus

SHIPPED = ROOT / "briefgen" / "schemas"


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data.isoformat() if isinstance(data, dt.date) else data


def test_shipped_schemas_are_the_ones_the_validator_generates() -> None:
    for name, schema in json_schemas().items():
        assert json.loads((SHIPPED / name).read_text(encoding="utf-8")) == schema, f"run: briefgen schema --out {SHIPPED}"


@pytest.mark.parametrize("corpus", [SEEDS, HARBOR, SPILL], ids=["seeds", "harbor", "spill"])
def test_valid_corpora_satisfy_the_schemas(corpus: Path) -> None:
    schemas = json_schemas()
    jsonschema.validate(_plain(yaml.safe_load((corpus / "sources.yaml").read_text("utf-8"))), schemas["sources.schema.json"])
    jsonschema.validate(_plain(yaml.safe_load((corpus / "briefing.yaml").read_text("utf-8"))), schemas["briefing.schema.json"])
    for path in (corpus / "facts").rglob("*.yaml"):
        jsonschema.validate(_plain(yaml.safe_load(path.read_text("utf-8"))), schemas["entity.schema.json"])


def test_schema_rejects_what_the_validator_rejects() -> None:
    entity = json_schemas()["entity.schema.json"]
    for bad in ({"name": "x", "aliasses": []}, {"name": "x", "claims": [{"text": "t"}]},
                {"name": "x", "claims": [{"text": "t", "certainty": "sure", "cite": {"source": "s", "quote": "q"}}]},
                {"description": "no name"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, entity)


def test_export_json_has_entities_aliases_claims_and_quote_offsets(write_corpus: WriteCorpus,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = write_corpus()
    assert main(["export", str(root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    article = (root / "articles" / "wire-1.txt").read_text("utf-8")
    bob = next(e for e in data["entities"] if e["id"] == "bob-jones")
    assert [a["name"] for a in next(e for e in data["entities"] if e["id"] == "alice-smith")["aliases"]] == ["Ms. Smith", "Alice"]
    c = bob["claims"][0]["citations"][0]
    assert article[c["start"] : c["end"]] == "Jones “denied” it."
    assert bob["claims"][1]["certainty"] == "believed" and bob["claims"][1]["said_by"] == "officials"
    assert len(data["entities"]) == len(check(root).entities)


def test_export_csv_has_one_row_per_claim_and_citation(tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    assert main(["export", str(HARBOR), "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    briefing = check(HARBOR)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == sum(len(c.citations) for c in briefing.claims)
    texts = {s.id: s.text for s in briefing.sources}
    for row in rows:
        assert texts[row["source"]][int(row["start"]) : int(row["end"])]


def test_schema_rejects_a_grade_off_the_scale_and_an_empty_via() -> None:
    schemas = json_schemas()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "s", "file": "a.txt", "title": "t", "reliability": "G"}], schemas["sources.schema.json"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "claims": [{"text": "t", "cite": {"source": "s", "quote": "q", "via": ""}}]},
                            schemas["entity.schema.json"])


def test_export_json_counts_origins_and_names_vias_and_grades(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(SPILL), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {s["id"]: s["reliability"] for s in data["sources"]} == {
        "tribune-solvent-leak": "B", "valley-wire-solvent": "C", "riverwatch-worker": None}
    assert next(s for s in data["sources"] if s["id"] == "tribune-solvent-leak")["reliability_note"].startswith("Local daily")
    spill = next(e for e in data["entities"] if e["id"] == "alder-river-spill")
    leak = spill["claims"][0]
    assert leak["sources"] == 2 and len(leak["origins"]) == 1
    assert leak["origins"][0] == {"label": "Alder County press briefing", "via": "Alder County press briefing",
                                  "via_links": ["county-press-briefing"], "source": None,
                                  "sources": ["tribune-solvent-leak", "valley-wire-solvent"]}
    assert [c["via"] for c in leak["citations"]] == ["Alder County press briefing", "the county's press briefing"]
    assert [c["origin"] for c in leak["citations"]] == [0, 0]
    fish = spill["claims"][2]
    assert fish["origins"][0]["source"] == "tribune-solvent-leak" and fish["origins"][0]["label"] == "Kestrel Falls Tribune"
    stopped = spill["claims"][1]
    assert stopped["sources"] == 1 and [c["origin"] for c in stopped["citations"]] == [0, 1]


def test_export_csv_names_each_citations_via_grade_and_origin(tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    assert main(["export", str(SPILL), "--format", "csv", "--out", str(out)]) == 0
    rows = [r for r in csv.DictReader(io.StringIO(out.read_text("utf-8"))) if r["entity"] == "alder-river-spill"]
    leak = [r for r in rows if r["claim"] == "0"]
    assert [(r["source"], r["via"], r["source_reliability"], r["origin"], r["claim_sources"], r["claim_origins"])
            for r in leak] == [("tribune-solvent-leak", "Alder County press briefing", "B", "1", "2", "1"),
                               ("valley-wire-solvent", "the county's press briefing", "C", "1", "2", "1")]
    cause = [r for r in rows if r["claim"] == "4"]
    assert {r["source_reliability"] for r in cause} == {"", "C"}  # the blog is not graded


@pytest.mark.parametrize("corpus", [SEEDS, HARBOR], ids=["seeds", "harbor"])
def test_export_of_claims_without_via_counts_one_origin_per_source(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    assert main(["export", str(corpus), "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    plain = [r for r in rows if not any(x["via"] for x in rows if (x["entity"], x["claim"]) == (r["entity"], r["claim"]))]
    assert plain and all(r["claim_origins"] == r["claim_sources"] for r in plain)
    if corpus == HARBOR:
        assert len(plain) == len(rows) and not any(r["source_reliability"] for r in rows)


def test_progress_shows_on_a_terminal_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    piped = subprocess.run([sys.executable, "-m", "briefgen", "build", str(HARBOR), "--out", str(out)],
                           capture_output=True, text=True, check=True)
    assert piped.stderr == ""
    master, slave = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build", str(HARBOR), "--out", str(tmp_path / "out2")],
                          stdout=subprocess.PIPE, stderr=slave, check=True)
    os.close(slave)
    shown = os.read(master, 65536).decode()
    os.close(master)
    assert proc.returncode == 0
    pages = len(build(HARBOR, history=True))
    assert "checking 19/19" in shown and f"rendering {pages}/{pages}" in shown


def test_new_source_adds_a_record_with_a_proposed_id_and_title(write_corpus: WriteCorpus, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = write_corpus()
    article = tmp_path / "incoming.txt"
    article.write_text("Paris Talks Collapse\n\nThe talks in Paris collapsed on Tuesday.\n", encoding="utf-8")
    assert main(["new", "source", str(article), "--corpus", str(root)]) == 0
    assert "added source 'paris-talks-collapse'" in capsys.readouterr().out
    briefing = check(root)
    added = briefing.source["paris-talks-collapse"]
    assert added.title == "Paris Talks Collapse" and added.file == "articles/incoming.txt"
    assert (root / "articles" / "incoming.txt").read_bytes() == article.read_bytes()
    assert main(["new", "source", str(root / "articles" / "incoming.txt"), "--corpus", str(root)]) == 3


def test_new_source_title_from_the_file_name_keeps_its_capitals(write_corpus: WriteCorpus, tmp_path: Path) -> None:
    """An article whose first line is a sentence, not a headline, is titled from its file name."""
    root = write_corpus()
    article = tmp_path / "UN_envoy-meets-NATO.txt"
    article.write_text("The envoy met NATO officials in Paris on Tuesday.\n", encoding="utf-8")
    assert main(["new", "source", str(article), "--corpus", str(root)]) == 0
    assert [s.title for s in check(root).sources if s.file == "articles/UN_envoy-meets-NATO.txt"] == [
        "UN envoy meets NATO"]


@pytest.mark.parametrize(("kind", "name", "path"), [
    ("person", "Zoë Ørsted", "facts/people/zoe-orsted.yaml"),
    ("person", "كريم حداد", "facts/people/krim-hdad.yaml"),
    ("organization", "U.S. Department of State", "facts/organizations/us-department-of-state.yaml"),
    ("event", "The Paris meeting (2nd)", "facts/events/the-paris-meeting-2nd.yaml"),
])
def test_new_entity_creates_a_valid_file_under_a_readable_id(write_corpus: WriteCorpus, kind: str, name: str,
                                                             path: str) -> None:
    root = write_corpus()
    assert main(["new", kind, name, "--corpus", str(root)]) == 0
    entity = check(root).entity[Path(path).stem]
    assert entity.name == name and entity.type == kind


def test_new_entity_refuses_an_id_in_use(write_corpus: WriteCorpus, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_corpus()
    assert main(["new", "place", "Alice Smith", "--corpus", str(root)]) == 3
    assert "already used by facts/people/alice-smith.yaml" in capsys.readouterr().err
    assert main(["new", "place", "Alice Smith", "--id", "alice-smith-town", "--corpus", str(root)]) == 0
