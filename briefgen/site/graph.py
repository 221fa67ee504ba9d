"""The relationship graph drawn at build time as inline SVG: no script, no network.

Layouts are deterministic: nodes are placed in sorted order with a fixed seed and the
coordinates rounded, so the same corpus always gives the same picture.
"""

from __future__ import annotations

import functools
import html
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..kinds import KINDS
from ..model import Briefing, Edge
from ..speed.memo import of_the_last

__all__ = ["Drawing", "drawn", "neighbourhood", "svg", "whole_graph"]

_ORDER = {k.id: n for n, k in enumerate(KINDS)}
WIDTH, HEIGHT, MARGIN = 1100, 760, 80


@dataclass(frozen=True)
class Drawing:
    """Nodes placed on a canvas, the edges between them, and what was left out."""

    nodes: tuple[tuple[str, float, float], ...]  # (entity id, x, y)
    edges: tuple[Edge, ...]
    width: int
    height: int
    total: int  # entities that have a connection at all
    centre: str | None = None


def _degrees(edges: tuple[Edge, ...]) -> dict[str, int]:
    degree: defaultdict[str, int] = defaultdict(int)
    for e in edges:
        k = len(e.claims)
        degree[e.a] += k
        degree[e.b] += k
    return dict(degree)


LIMIT = 120  # the entities the whole graph draws at most


Drawn = tuple[tuple[str, ...], tuple[Edge, ...], int]


@of_the_last(2)
def drawn(briefing: Briefing, limit: int = LIMIT) -> Drawn:
    """What the whole graph draws: the connected entities, at most ``limit`` of them (the most
    connected), in sorted order; the edges between them; and how many entities are connected."""
    degree = _degrees(briefing.edges)
    chosen = set(sorted(degree, key=lambda n: (-degree[n], n))[:limit])
    return tuple(sorted(chosen)), tuple(e for e in briefing.edges if e.a in chosen and e.b in chosen), len(degree)


def whole_graph(briefing: Briefing, limit: int = LIMIT) -> Drawing:
    """The connected entities, at most ``limit`` of them (the most connected), laid out by force."""
    chosen, edges, total = drawn(briefing, limit)
    if not chosen:
        return Drawing((), (), WIDTH, 160, 0)
    nodes = _layout(chosen, tuple((e.a, e.b) for e in edges))
    return Drawing(nodes, edges, WIDTH, HEIGHT, total)


# Under serve, an edit that changes what connections say but not who is connected to whom keeps
# the layout, the slowest part of the graph's page.
@functools.lru_cache(maxsize=4)
def _layout(order: tuple[str, ...], pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, float, float], ...]:
    """The nodes placed by force, from the nodes in sorted order and the pairs connected."""
    import networkx as nx  # imported here: only graph pages need it

    g = nx.Graph()
    g.add_nodes_from(order)
    g.add_edges_from(pairs)
    k = 2.2 / math.sqrt(len(order))
    pos = nx.spring_layout(g, seed=20160325, iterations=300, k=k, weight=None) if len(order) > 1 else {
        order[0]: (0.0, 0.0)}
    xs = _spread([float(pos[n][0]) for n in order])
    ys = _spread([float(pos[n][1]) for n in order])
    return tuple(
        (n, round(MARGIN + x * (WIDTH - 2 * MARGIN), 1), round(MARGIN + y * (HEIGHT - 2 * MARGIN), 1))
        for n, x, y in zip(order, xs, ys, strict=True)
    )


def _spread(values: list[float]) -> list[float]:
    """Coordinates scaled to 0..1, half by value and half by rank.

    Force layouts crowd hubs into the middle; blending in the rank evens the crowding
    out while keeping who is near whom.
    """
    lo, hi = min(values), max(values)
    if hi == lo:
        return [0.5] * len(values)
    ranks = {i: r for r, i in enumerate(sorted(range(len(values)), key=lambda i: (values[i], i)))}
    n = max(len(values) - 1, 1)
    return [0.5 * (v - lo) / (hi - lo) + 0.5 * ranks[i] / n for i, v in enumerate(values)]


def neighbourhood(briefing: Briefing, entity: str, limit: int = 24) -> Drawing:
    """An entity in the middle and its connections around it, grouped by type."""
    edges = list(briefing.edges_of.get(entity, ()))
    edges.sort(key=lambda e: (-len(e.claims), e.b if e.a == entity else e.a))
    edges = edges[:limit]

    def other(e: Edge) -> str:
        return e.b if e.a == entity else e.a

    def order(e: Edge) -> tuple[int, str, str]:
        o = briefing.entity[other(e)]
        return _ORDER[o.type], o.name.casefold(), o.id

    edges.sort(key=order)
    width, height = 720, 420 if len(edges) > 6 else 300
    ring = _ring(len(edges), width, height)
    nodes = [(entity, width / 2, height / 2), *((other(e), x, y) for e, (x, y) in zip(edges, ring, strict=True))]
    return Drawing(tuple(nodes), tuple(edges), width, height, len(edges), centre=entity)


@functools.lru_cache(maxsize=256)
def _ring(n: int, width: int, height: int) -> tuple[tuple[float, float], ...]:
    """n places on an ellipse around the middle of the canvas, clockwise from the top."""
    cx, cy = width / 2, height / 2
    rx, ry = width / 2 - 150, height / 2 - 40
    return tuple(
        (round(cx + rx * math.cos(2 * math.pi * i / n - math.pi / 2), 1),
         round(cy + ry * math.sin(2 * math.pi * i / n - math.pi / 2), 1))
        for i in range(n)
    )


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


@functools.lru_cache(maxsize=1 << 16)
def _node_label(name: str, type: str) -> tuple[str, str]:
    """A node's tooltip and its label, escaped."""
    return html.escape(f"{name} ({type})"), html.escape(_short(name))


def _edge_title(edge: Edge, briefing: Briefing) -> str:
    claims = "; ".join(c.plain for c in edge.claims[:5]) + ("; …" if len(edge.claims) > 5 else "")
    return html.escape(f"{briefing.entity[edge.a].name} — {briefing.entity[edge.b].name}: {claims}")


def svg(drawing: Drawing, briefing: Briefing, href: Callable[[str], str], title: str,
        edge_titles: dict[tuple[str, str], str] | None = None) -> str:
    """The drawing as one inline <svg> element with a caption; every node a link.

    ``edge_titles`` keeps the tooltips of edges across calls: an edge is drawn on the pages of
    both its ends.
    """
    e = html.escape
    edge_titles = {} if edge_titles is None else edge_titles
    where = {n: (str(x), str(y)) for n, x, y in drawing.nodes}  # each coordinate formatted once
    lines = [
        # No role="img": an image's children are hidden from assistive technology, and these are
        # links. Left out of the search index: the lines' titles repeat claims shown as text.
        f'<figure class="bg-graph" data-search-exclude><svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {drawing.width} {drawing.height}" aria-label="{e(title)}" class="bg-graph__svg">',
        '<g class="bg-graph__edges">',
    ]
    for edge in drawing.edges:
        (x1, y1), (x2, y2) = where[edge.a], where[edge.b]
        label = edge_titles.get((edge.a, edge.b))
        if label is None:
            label = edge_titles[(edge.a, edge.b)] = _edge_title(edge, briefing)
        width = min(1 + len(edge.claims), 5)
        ends = f'x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"'
        lines.append(
            f'<g class="bg-edge"><title>{label}</title><line {ends} class="bg-edge__hit"/>'
            f'<line {ends} class="bg-edge__line" stroke-width="{width}"/></g>'
        )
    lines.append('</g><g class="bg-graph__nodes">')
    for n, _, y in drawing.nodes:
        ent = briefing.entity[n]
        r = 12 if n == drawing.centre else 7
        ty = y - r - 5 if y < drawing.height / 2 or n == drawing.centre else y + r + 14
        tip, label = _node_label(ent.name, ent.type)
        sx, sy = where[n]
        lines.append(
            # xlink:href, not href: Material's instant navigation sets .href on every link with a
            # relative href, which an SVG link does not allow (a page error, and no navigation).
            f'<a xlink:href="{e(href(ent.page))}" class="bg-node bg-node--{ent.type}">'
            f"<title>{tip}</title>"
            f'<circle cx="{sx}" cy="{sy}" r="{r}"/>'
            f'<text x="{sx}" y="{round(ty, 1)}" text-anchor="middle">{label}</text></a>'
        )
    lines.append("</g></svg>")
    lines.append(_LEGEND)
    return "\n".join(lines)


_LEGEND = '<figcaption class="bg-legend">' + "".join(
    f'<span class="bg-legend__item"><span class="bg-legend__swatch bg-node--{k.id}"></span>{k.id.capitalize()}</span>'
    for k in KINDS
) + "</figcaption></figure>"
