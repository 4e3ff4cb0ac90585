"""The record checks of ``topics.records`` as yes/no questions, without error messages.

``check_record`` builds a "where" path (``StrippedDocument.lines[12].reason``) for every
field of every line so that a failure can say where it is; on the records that pass (all
but a few) that costs more than the checks themselves. ``passes(tp)`` answers the same
question, rule for rule (same types, same required fields, same id rule), in one call per
value; ``check_record`` asks it first and runs the message-building checks only for a
record that fails, so the errors are unchanged.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Callable


_CACHE: dict[Any, Callable[[Any], bool]] = {}


def passes(tp: Any) -> Callable[[Any], bool]:
    """A predicate: does a decoded JSON value have the shape ``check_record`` wants for ``tp``?"""
    fn = _CACHE.get(tp)
    if fn is None:
        fn = _CACHE[tp] = _build(tp)
    return fn


def _build(tp: Any) -> Callable[[Any], bool]:
    if dataclasses.is_dataclass(tp):
        return _record(tp)
    if tp is Any:
        return lambda value: True
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        nullable = type(None) in args
        alts = tuple(passes(a) for a in args if a is not type(None))
        if nullable and len(alts) == 1:  # "T | None", the common case: one call, no generator
            (alt,) = alts
            return lambda value: value is None or alt(value)
        return lambda value: (value is None and nullable) or any(alt(value) for alt in alts)
    if tp is type(None):
        return lambda value: value is None
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        item_ok = passes(item)
        if item is str:
            return lambda value: isinstance(value, list) and all(type(v) is str or item_ok(v) for v in value)
        return lambda value: isinstance(value, list) and all(map(item_ok, value))
    if origin is dict or tp is dict:
        return lambda value: isinstance(value, dict)
    if tp is int:
        return lambda value: type(value) is int or (isinstance(value, int) and not isinstance(value, bool))
    if tp is str:
        return lambda value: isinstance(value, str)
    if tp is float:
        return lambda value: isinstance(value, (int, float)) and not isinstance(value, bool)
    return lambda value: isinstance(value, tp)


def _record(cls: type) -> Callable[[Any], bool]:
    spec: list[tuple[str, bool, Callable[[Any], bool]]] = []

    def record_ok(obj: Any) -> bool:
        if not spec:  # filled on first use: a record type may name one declared after it
            hints = typing.get_type_hints(cls)
            spec.extend((f.name, f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
                         passes(hints[f.name])) for f in dataclasses.fields(cls))
        if not isinstance(obj, dict):
            return False
        for name, required, ok in spec:
            if name in obj:
                if not ok(obj[name]):
                    return False
            elif required:
                return False
        return "id" not in obj or (isinstance(obj["id"], str) and bool(obj["id"]))

    return record_ok
