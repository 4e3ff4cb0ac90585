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
    compiled: list[Callable[[Any], bool]] = []

    def record_ok(obj: Any) -> bool:
        if not compiled:  # built on first use: a record type may name one declared after it
            compiled.append(_compiled(cls))
        return compiled[0](obj)

    return record_ok


# --- one generated function per record type ----------------------------------------------
# The rules above, written out as one function per record type (``_source``): each field's
# test inline, a nested record's by a direct call of its own generated function. A line of a
# stripped document is one call instead of ~8 closure calls (same tests, same order); a
# type without an inline form calls the predicate ``_build`` made for it.

_COMPILED: dict[type, Callable[[Any], bool]] = {}


def _record_name(tp: type, env: dict[str, Any]) -> str:
    name = f"_rec{len(env)}"
    env[name] = _compiled(tp)
    return name


def _inline(tp: Any, v: str, env: dict[str, Any]) -> str:
    """A Python expression of ``v`` that is ``passes(tp)(v)``; names it needs go into ``env``."""
    if tp is Any:
        return "True"
    if dataclasses.is_dataclass(tp):
        return f"{_record_name(tp, env)}({v})"
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        alts = [a for a in args if a is not type(None)]
        if type(None) in args and len(alts) == 1:
            return f"({v} is None or {_inline(alts[0], v, env)})"
    elif origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        if dataclasses.is_dataclass(item):
            return f"(isinstance({v}, list) and all(map({_record_name(item, env)}, {v})))"
    elif origin is dict or tp is dict:
        return f"isinstance({v}, dict)"
    elif tp is int:
        return f"(type({v}) is int or (isinstance({v}, int) and not isinstance({v}, bool)))"
    elif tp is str:
        return f"isinstance({v}, str)"
    elif tp is float:
        return f"(isinstance({v}, (int, float)) and not isinstance({v}, bool))"
    elif tp is type(None):
        return f"{v} is None"
    name = f"_fn{len(env)}"  # anything else: the predicate built above
    env[name] = passes(tp)
    return f"{name}({v})"


def _source(cls: type, env: dict[str, Any]) -> str:
    hints = typing.get_type_hints(cls)
    body = ["def record_ok(obj):", "    if not isinstance(obj, dict):", "        return False"]
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        body += [f"    if {f.name!r} in obj:", f"        v = obj[{f.name!r}]",
                 f"        if not {_inline(hints[f.name], 'v', env)}:", "            return False"]
        if required:
            body += ["    else:", "        return False"]
    body.append('    return "id" not in obj or (isinstance(obj["id"], str) and bool(obj["id"]))')
    return "\n".join(body) + "\n"


def _compiled(cls: type) -> Callable[[Any], bool]:
    fn = _COMPILED.get(cls)
    if fn is None:
        env: dict[str, Any] = {}
        exec(compile(_source(cls, env), f"<record check {cls.__name__}>", "exec"), env)  # noqa: S102
        fn = _COMPILED[cls] = env["record_ok"]
    return fn
