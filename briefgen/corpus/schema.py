"""The corpus format as data: the shape of every YAML file, with types and allowed keys.

These models check types and keys only; cross-references (ids, sources, quotes) are
checked by the validator, which knows the whole corpus. The JSON Schema of the format
is generated from the same models.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    field_validator,
)

from ..dates import PartialDate, parse_date

__all__ = [
    "RELIABILITY",
    "AliasIn",
    "BriefingIn",
    "Certainty",
    "CiteIn",
    "ClaimIn",
    "DateIn",
    "EntityIn",
    "Reliability",
    "SourceIn",
    "json_schemas",
]

Certainty = Literal["confirmed", "reported", "believed", "alleged"]
# The Admiralty scale of a source's reliability, as intelligence and OSINT analysts grade sources.
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
Reliability = Literal["A", "B", "C", "D", "E", "F"]

DateIn = Annotated[
    PartialDate,
    PlainValidator(parse_date),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
            {"type": "integer", "minimum": 1, "maximum": 9999},
        ],
        "description": "YYYY, YYYY-MM or YYYY-MM-DD: the precision written is the precision shown",
    }),
]
Text = Annotated[str, Field(strict=True)]
NonEmpty = Annotated[str, Field(strict=True, min_length=1, pattern=r"\S")]
Url = Annotated[str, Field(strict=True, pattern=r"^https?://[^\s/]")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _one_or_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


def _ref(schema: Any) -> dict[str, Any]:
    """The first {"$ref": ...} inside a generated schema."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return {"$ref": schema["$ref"]}
        schema = list(schema.values())
    if isinstance(schema, list):
        for item in schema:
            found = _ref(item)
            if found:
                return found
    return {}


def _cite_schema(schema: dict[str, Any]) -> None:
    """In JSON Schema too, a cite is one {source, quote} or a list of them."""
    old = schema["properties"]["cite"]
    one = _ref(old)
    cite: dict[str, Any] = {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}],
                            "description": "one {source, quote} or a list of them"}
    if "null" in str(old):
        cite["anyOf"].append({"type": "null"})
    schema["properties"]["cite"] = cite


class CiteIn(_Model):
    """A citation: a quote, verbatim from a source's article."""

    source: NonEmpty = Field(description="id of the source in sources.yaml")
    quote: NonEmpty = Field(description="verbatim passage of the source's article")
    via: NonEmpty | None = Field(
        default=None,
        description="where the source says it got the passage: plain words (\"NBC News\", \"a senior U.S. official\") "
                    "or a wikilink [[id]]; cites with one origin corroborate as one",
    )


Cites = Annotated[list[CiteIn], Field(min_length=1)]


class AliasIn(_Model):
    """Another name of an entity, optionally with the source that used it."""

    model_config = ConfigDict(json_schema_extra=_cite_schema)

    name: NonEmpty
    cite: Cites | None = Field(default=None, description="one {source, quote} or a list")
    link: bool = Field(default=True, description="false keeps a short or ambiguous alias from being linked in article text")

    _cite_list = field_validator("cite", mode="before")(_one_or_list)


class ClaimIn(_Model):
    """One statement a source makes, with its citations."""

    model_config = ConfigDict(json_schema_extra=_cite_schema)

    text: NonEmpty = Field(description="plain text with wikilinks [[id]] or [[id|label]]")
    cite: Cites = Field(description="one {source, quote} or a list of them")
    topic: NonEmpty | None = Field(
        default=None, description="the question the claim answers; claims sharing it are accounts that differ"
    )
    certainty: Certainty = Field(default="reported", description="the hedge the source itself used")
    said_by: NonEmpty | None = Field(default=None, description="who the source attributes it to: a wikilink or plain words")
    date: DateIn | None = Field(default=None, description="when what it states happened")

    _cite_list = field_validator("cite", mode="before")(_one_or_list)


def _alias_schema(schema: dict[str, Any]) -> None:
    """In JSON Schema too, an alias is a plain name or a {name, cite, link} record."""
    aliases = schema["properties"]["aliases"]
    aliases["items"] = {"anyOf": [{"type": "string", "minLength": 1}, _ref(aliases["items"])]}


class EntityIn(_Model):
    """An entity file: facts/<type>/<id>.yaml."""

    model_config = ConfigDict(json_schema_extra=_alias_schema)

    name: NonEmpty
    description: Text | None = Field(default=None, description="one plain line, like Wikidata's")
    aliases: list[AliasIn] = Field(default_factory=list)
    date: DateIn | None = Field(default=None, description="events only: when it happened")
    claims: list[ClaimIn] = Field(default_factory=list)

    @field_validator("aliases", mode="before")
    @classmethod
    def _alias_records(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": v} if isinstance(v, str) else v for v in value]
        return value


class SourceIn(_Model):
    """One archived article, a record of sources.yaml."""

    id: NonEmpty
    file: NonEmpty = Field(description="path of the article text, relative to the corpus root")
    title: NonEmpty
    outlet: NonEmpty | None = None
    published: DateIn | None = None
    url: Url | None = Field(default=None, description="http(s) address of the article")
    author: NonEmpty | None = None
    reliability: Reliability | None = Field(
        default=None,
        description="the curator's Admiralty grade of the source: A completely reliable, B usually reliable, "
                    "C fairly reliable, D not usually reliable, E unreliable, F reliability cannot be judged",
    )
    reliability_note: NonEmpty | None = Field(default=None, description="why the source has its grade")


class BriefingIn(_Model):
    """briefing.yaml: the site's subject and its cited overview."""

    title: NonEmpty | None = None
    overview: list[ClaimIn] = Field(default_factory=list)


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each kind of corpus file, by file name, from the validator's models."""
    sources = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "briefgen sources.yaml",
        "description": "The archived articles of a briefing: one record each.",
        "type": "array",
        "items": SourceIn.model_json_schema(),
    }
    entity = {"$schema": "https://json-schema.org/draft/2020-12/schema", **EntityIn.model_json_schema(),
              "title": "briefgen entity file (facts/<type>/<id>.yaml)"}
    briefing = {"$schema": "https://json-schema.org/draft/2020-12/schema", **BriefingIn.model_json_schema(),
                "title": "briefgen briefing.yaml"}
    return {"sources.schema.json": sources, "entity.schema.json": entity, "briefing.schema.json": briefing}
