"""The relationship graph: deterministic layouts, neighbours by kind, and inert SVG."""

from __future__ import annotations

from briefgen import check
from briefgen.kinds import KINDS
from briefgen.model import Briefing, Citation, Claim, Entity, Segment
from briefgen.site.graph import neighbourhood, svg, whole_graph

from .conftest import HARBOR


def _linking(holder: str, *targets: str) -> Claim:
    return Claim(holder, tuple(Segment(t, t) for t in targets), (Citation("s", "q", 0, 1, "q-1"),))


def _star() -> Briefing:
    hub = Entity("hub", "person", "Hub <b>", claims=(_linking("hub", "zed", "acme", "rome"),))
    return Briefing("T", (), (), (hub, Entity("zed", "person", "Zed"), Entity("acme", "organization", "Acme"),
                                  Entity("rome", "place", "Rome")))


def test_a_neighbourhood_puts_the_entity_in_the_middle_and_its_neighbours_in_kind_order() -> None:
    drawing = neighbourhood(_star(), "hub")
    assert drawing.centre == "hub" and drawing.nodes[0][0] == "hub"
    assert [n for n, _, _ in drawing.nodes[1:]] == ["zed", "acme", "rome"]  # person, organization, place


def test_the_whole_graph_keeps_the_most_connected_and_counts_them_all() -> None:
    briefing = check(HARBOR)
    drawing = whole_graph(briefing, limit=3)
    assert len(drawing.nodes) == 3 and drawing.total > 3
    assert whole_graph(briefing) == whole_graph(briefing)  # the same layout every time


def test_the_svg_escapes_names_and_links_every_node() -> None:
    briefing = _star()
    out = svg(neighbourhood(briefing, "hub"), briefing, lambda path: "../" + path, "Connections of Hub <b>")
    assert "<b>" not in out and "Hub &lt;b&gt;" in out
    assert out.count("<a xlink:href=") == 4 and 'xlink:href="../places/rome.md"' in out
    assert all(f"bg-node--{k.id}" in out for k in KINDS)  # the legend names every kind
