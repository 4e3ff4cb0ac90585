"""A record read from a decoded object in the encoder's own shape, in one pass.

``decode_record`` checks a decoded object (``check_record``: one generated test per record
type, ``record_passes``) and then builds the record (``from_dict``): two passes over every
line of a stripped page. ``reader(cls)`` does both in one pass for an object exactly as the
encoder writes one (an object with every field and nothing else, each value of the exact
JSON type its field declares, the same for nested records); anything else gives None and
the caller takes the two passes, so every error, and every record built from any other
shape, is theirs. What it accepts, the check accepts (the same type rules, narrowed to the
exact types JSON decoding gives, and the same id rule), and what it builds is ``from_dict``'s
record: the same values, positionally in field order (every field is an ``__init__``
parameter), nested lists of records built item by item.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from operator import itemgetter
from typing import Any, Callable

_READERS: dict[type, Callable[[Any], Any] | None] = {}


def reader(cls: type) -> Callable[[Any], Any] | None:
    """``cls``'s one-pass reader (record or None), or None when a field's type has no exact
    form here (the caller always takes the two passes)."""
    if cls not in _READERS:
        env: dict[str, Any] = {}
        src = _source(cls, env)
        if src is None:
            _READERS[cls] = None
        else:
            exec(compile(src, f"<record read {cls.__name__}>", "exec"), env)  # noqa: S102
            _READERS[cls] = env["read"]
    return _READERS[cls]


def _exact(tp: Any, v: str) -> str | None:
    """A test that ``v`` is of exactly the JSON type ``tp`` declares (a subset of what
    ``record_passes`` accepts), or None for a type read another way or not at all."""
    if tp is Any:
        return "True"
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        alts = [a for a in args if a is not type(None)]
        if type(None) in args and len(alts) == 1:
            inner = _exact(alts[0], v)
            return None if inner is None else f"({v} is None or {inner})"
        return None
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        if item is str:
            return f"(type({v}) is list and all([type(x) is str for x in {v}]))"
        return None
    if origin is dict or tp is dict:
        return f"type({v}) is dict"
    if tp is int:
        return f"type({v}) is int"
    if tp is str:
        return f"type({v}) is str"
    if tp is float:
        return f"(type({v}) is float or type({v}) is int)"
    return None


def _list_item(tp: Any) -> type | None:
    """The record class of a ``list[R]`` field, else None."""
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp) or (Any,)
        if dataclasses.is_dataclass(item):
            return item
    return None


def _fields(cls: type) -> list[tuple[str, Any]] | None:
    fs = dataclasses.fields(cls)
    if not fs or not all(f.init and not f.kw_only and f.name.isidentifier() for f in fs):
        return None
    hints = typing.get_type_hints(cls)
    return [(f.name, hints[f.name]) for f in fs]


def _tests(cls: type, names: list[str], env: dict[str, Any], prefix: str) -> list[str] | None:
    """The lines that return None unless the values bound to ``names`` are ``cls``'s fields of
    exactly their types; a ``list[R]`` field is rebound to its records (R read inline)."""
    lines: list[str] = []
    for name, (field, tp) in zip(names, _fields(cls) or []):
        item = _list_item(tp)
        if item is not None:
            fn = _list_reader(item, env)
            if fn is None:
                return None
            lines += [f"{prefix}if type({name}) is not list:", f"{prefix}    return None",
                      f"{prefix}{name} = {fn}({name})", f"{prefix}if {name} is None:", f"{prefix}    return None"]
            continue
        test = _exact(tp, name)
        if test is None:
            return None
        if field == "id":  # check_record's id rule: a non-empty string
            test = f"(type({name}) is str and {name} != '')"
        lines += [f"{prefix}if not {test}:", f"{prefix}    return None"]
    return lines


def _unpack(cls: type, obj: str, env: dict[str, Any], prefix: str) -> tuple[list[str], list[str]] | None:
    """Lines binding ``cls``'s field values from the object ``obj`` (None when it is not an
    object of exactly those keys), and the names bound."""
    fs = _fields(cls)
    if fs is None:
        return None
    key = f"_get{len(env)}"
    env[key] = itemgetter(*(n for n, _ in fs))
    names = [f"v{len(env)}_{i}" for i in range(len(fs))]
    tup = ", ".join(names) + ("," if len(names) == 1 else "")
    return [f"{prefix}if type({obj}) is not dict or len({obj}) != {len(fs)}:", f"{prefix}    return None",
            f"{prefix}try:", f"{prefix}    {tup} = {key}({obj})", f"{prefix}except KeyError:",
            f"{prefix}    return None"], names


def _list_reader(item: type, env: dict[str, Any]) -> str | None:
    """The name of a generated function reading a list of ``item`` records (or None)."""
    unpacked = _unpack(item, "x", env, "        ")
    if unpacked is None:
        return None
    head, names = unpacked
    tests = _tests(item, names, env, "        ")
    if tests is None:
        return None
    fn, cls = f"_list{len(env)}", f"_cls{len(env)}"
    env[cls] = item
    body = [f"def {fn}(v):", "    out = []", "    append = out.append", "    for x in v:", *head, *tests,
            f"        append({cls}({', '.join(names)}))", "    return out"]
    exec(compile("\n".join(body) + "\n", f"<record read list of {item.__name__}>", "exec"), env)  # noqa: S102
    return fn


def _source(cls: type, env: dict[str, Any]) -> str | None:
    unpacked = _unpack(cls, "obj", env, "    ")
    if unpacked is None:
        return None
    head, names = unpacked
    tests = _tests(cls, names, env, "    ")
    if tests is None:
        return None
    env["_cls"] = cls
    return "\n".join(["def read(obj):", *head, *tests, f"    return _cls({', '.join(names)})"]) + "\n"
