"""Records against the schema: each value of a YAML file given the shape its model says, and
a problem, at the value's line, for every type or key that is wrong."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from .problems import Problem, Problems, did_you_mean
from .read import RawDocument

__all__ = ["kind_of", "parse", "records_of"]


def _path(loc: Sequence[Any]) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _model_at(model: type[BaseModel], loc: Sequence[Any]) -> type[BaseModel]:
    """The schema model that holds the key at the end of loc."""
    for step in loc[:-1]:
        if isinstance(step, int):
            continue
        field = model.model_fields.get(str(step))
        if field is None:
            break
        found = _find_model(field.annotation)
        if found is None:
            break
        model = found
    return model


def _find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _find_model(arg)
        if found is not None:
            return found
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def kind_of(value: Any) -> str:
    """What a YAML value is, as a problem names it: "a number", "text", "a list"..."""
    names = {bool: "true/false", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "a mapping", type(None): "empty"}
    for t, name in names.items():
        if isinstance(value, t):
            return name
    return type(value).__name__


def _schema_problem(doc: RawDocument, prefix: Sequence[Any], model: type[BaseModel], err: Any) -> Problem:
    loc = (*prefix, *err["loc"])
    path, kind, value = _path(err["loc"]), err["type"], err.get("input")
    key = loc[-1] if loc else ""
    line = doc.line(*loc)
    if kind == "missing":
        where = f" in {_path(err['loc'][:-1])}" if len(err["loc"]) > 1 else ""
        return Problem(doc.file, line, f"missing required key '{key}'{where}", f"add '{key}:'")
    if kind == "extra_forbidden":
        allowed = list(_model_at(model, err["loc"]).model_fields)
        hint = did_you_mean(str(key), allowed) or "allowed keys: " + ", ".join(allowed)
        return Problem(doc.file, line, f"unknown key '{key}'", hint)
    if kind == "string_type":
        return Problem(doc.file, line, f"'{path}' must be text, not {kind_of(value)} ({_shown(value)})",
                       "put the value in quotes")
    if kind == "bool_type":
        return Problem(doc.file, line, f"'{path}' must be true or false, not {_shown(value)}", "write true or false")
    if kind in ("list_type", "too_short") and not isinstance(value, str):
        return Problem(doc.file, line, f"'{path}' must be a list with at least one item, not {kind_of(value)}",
                       "write each item on its own line, starting with '- '")
    if kind == "invalid_key":
        line = doc.line(*prefix, *err["loc"][:-1], value)
        return Problem(doc.file, line, f"a key must be text, not {kind_of(value)} ({_shown(value)})",
                       "write keys as words, like 'name:'")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        subject = f"'{path}'" if path else "each record"
        return Problem(doc.file, line, f"{subject} must be a mapping of keys to values, not {kind_of(value)} ({_shown(value)})",
                       "write it as 'key: value' lines")
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        choices = re.findall(r"'([^']+)'", expected)
        same = [c for c in choices if c.casefold() == str(value).casefold()]
        fallback = ("grade the source on the Admiralty scale, A (completely reliable) to F (reliability cannot be judged)"
                    if path.endswith("reliability") else f"use one of {expected}")
        hint = f"did you mean '{same[0]}'?" if same else did_you_mean(str(value), choices) or fallback
        return Problem(doc.file, line, f"'{path}' is {_shown(value)}, which is not one of {expected}", hint)
    if kind in ("string_too_short", "string_pattern_mismatch") and path.endswith("url"):
        return Problem(doc.file, line, f"'{path}' must be an http:// or https:// address, not {_shown(value)}",
                       "give the article's web address, or leave url out")
    if kind in ("string_too_short", "string_pattern_mismatch"):
        return Problem(doc.file, line, f"'{path}' is empty", "write a value, or leave the key out if it is optional")
    if kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
        return Problem(doc.file, line, f"'{path}': {message}", "write the date as YYYY, YYYY-MM or YYYY-MM-DD")
    return Problem(doc.file, line, f"'{path}': {err['msg']}", "see the corpus format in the README")


def parse(doc: RawDocument, prefix: Sequence[Any], model: type[BaseModel], data: Any, problems: Problems) -> Any:
    """The data as the model, or None with a problem for each wrong type or key."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        problems.extend(_schema_problem(doc, prefix, model, err) for err in e.errors())
        return None


def records_of(doc: RawDocument | None, problems: Problems, shape: type, hint: str) -> Iterator[Any]:
    """The document's data, once, if it has the shape (a list, or a mapping); else a problem."""
    if doc is None:
        return
    if doc.data is None:
        problems.add(doc.file, 1, "file is empty", hint)
    elif not isinstance(doc.data, shape):
        what = "a list" if shape is list else "a mapping of keys to values"
        problems.add(doc.file, 1, f"file must be {what}, not {kind_of(doc.data)}", hint)
    else:
        yield doc.data
