"""Fast pickling of the model's values, which come back from forked processes."""

from __future__ import annotations

import operator

__all__ = ["by_fields"]

_FIELDS: dict[type, operator.attrgetter[tuple[object, ...]]] = {}


def by_fields(self: object) -> tuple[type, tuple[object, ...]]:
    """A ``__reduce__`` that pickles a slotted class as a call of it with its fields: several
    times faster to load than the state that slotted dataclasses pickle by default."""
    cls = self.__class__
    fields = _FIELDS.get(cls)
    if fields is None:  # every class that uses it has two fields or more: attrgetter gives a tuple
        fields = _FIELDS[cls] = operator.attrgetter(*cls.__slots__)  # type: ignore[attr-defined]
    return cls, fields(self)
