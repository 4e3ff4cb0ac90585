"""Checking a decoded JSON object against its record type (``check_record``), as the
record classes of ``topics.records`` declare it: required fields present, every known
field of the declared JSON type, ids non-empty strings. The validators are built once
per type (records are checked on every intermediate message, so no typing
introspection per value); ``topics.record_passes`` answers the same question without
messages first.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Callable

from topics.record_passes import passes


class RecordError(ValueError):
    """A decoded object that is not a record of the expected type (the message says where)."""


def _bad(where: str, want: str, value: Any) -> RecordError:
    return RecordError(f"{where} must be {want}, got {type(value).__name__}")


_COMPILED: dict[Any, Callable[[Any, str], None]] = {}


def _checker(tp: Any) -> Callable[[Any, str], None]:
    """A validator for values of the JSON shape of ``tp``, built once per type (records are
    checked on every intermediate message, so no typing introspection per value)."""
    fn = _COMPILED.get(tp)
    if fn is None:
        fn = _COMPILED[tp] = _build_checker(tp)
    return fn


def _build_checker(tp: Any) -> Callable[[Any, str], None]:
    if tp is Any:
        return lambda value, where: None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        nullable = type(None) in args
        alts = [_checker(a) for a in args if a is not type(None)]

        def check_union(value, where):
            if value is None and nullable:
                return
            error = None
            for alt in alts:
                try:
                    alt(value, where)
                    return
                except RecordError as exc:
                    error = exc
            raise error if error is not None else _bad(where, "null", value)

        return check_union
    if tp is type(None):
        def check_none(value, where):
            if value is not None:
                raise _bad(where, "null", value)
        return check_none
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        item_check = _checker(item)
        fast_str = item is str

        def check_list(value, where):
            if not isinstance(value, list):
                raise _bad(where, "a list", value)
            for i, v in enumerate(value):
                if not (fast_str and type(v) is str):
                    item_check(v, f"{where}[{i}]")

        return check_list
    if origin is dict or tp is dict:
        def check_dict(value, where):
            if not isinstance(value, dict):
                raise _bad(where, "an object", value)
        return check_dict
    if dataclasses.is_dataclass(tp):
        return lambda value, where: check_record(value, tp, where)
    if tp is int:
        def check_int(value, where):
            if not isinstance(value, int) or isinstance(value, bool):
                raise _bad(where, "int", value)
        return check_int
    if tp is float:
        def check_float(value, where):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise _bad(where, "float", value)
        return check_float

    def check_plain(value, where):
        if not isinstance(value, tp):
            raise _bad(where, getattr(tp, "__name__", str(tp)), value)
    return check_plain


_FIELDS: dict[type, list[tuple[str, bool, Callable[[Any, str], None]]]] = {}


def _record_fields(cls: type) -> list[tuple[str, bool, Callable[[Any, str], None]]]:
    spec = _FIELDS.get(cls)
    if spec is None:
        hints = typing.get_type_hints(cls)
        spec = _FIELDS[cls] = [
            (f.name, f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
             _checker(hints[f.name]))
            for f in dataclasses.fields(cls)
        ]
    return spec


def check_record(obj: Any, cls: type, where: str | None = None) -> None:
    """Check a decoded object against its record type, as declared: required fields
    present, every known field of the declared JSON type, ids non-empty strings. Raises
    ``RecordError``. Unknown keys are allowed (producers may add fields)."""
    if passes(cls)(obj):
        return  # a record that passes: the checks below would find nothing, slower
    where = where or cls.__name__
    if not isinstance(obj, dict):
        raise RecordError(f"{where} must be an object, got {type(obj).__name__}")
    for name, required, check in _record_fields(cls):
        if name not in obj:
            if required:
                raise RecordError(f"{where}.{name} is missing")
            continue
        check(obj[name], f"{where}.{name}")
    if "id" in obj and not (isinstance(obj["id"], str) and obj["id"]):
        raise RecordError(f"{where}.id must be a non-empty string")
