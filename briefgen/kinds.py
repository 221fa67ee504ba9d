"""The kinds of entity, in one table: everything else reads its kinds from here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = ["BY_FOLDER", "KIND", "KINDS", "Kind", "KindId", "folders_hint"]

KindId = Literal["person", "organization", "place", "event"]


@dataclass(frozen=True)
class Kind:
    """A kind of entity: its id (an entity's ``type``), the folder of its files under facts/ and
    of its pages, its section's title, and its schema.org type."""

    id: KindId
    folder: str
    title: str
    schema_type: str


# In the order of the navigation, the home page and the graph's legend.
KINDS: tuple[Kind, ...] = (
    Kind("person", "people", "People", "Person"),
    Kind("organization", "organizations", "Organizations", "Organization"),
    Kind("place", "places", "Places", "Place"),
    Kind("event", "events", "Events", "Event"),
)
KIND: Mapping[str, Kind] = MappingProxyType({k.id: k for k in KINDS})
BY_FOLDER: Mapping[str, Kind] = MappingProxyType({k.folder: k for k in KINDS})


def folders_hint(prefix: str = "") -> str:
    """The kinds' folders as a hint reads them: "people, organizations, places or events"."""
    names = [prefix + k.folder for k in KINDS]
    return ", ".join(names[:-1]) + " or " + names[-1]
