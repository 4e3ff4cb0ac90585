"""``loads``: ``orjson.loads`` with the same result and the same errors, but a large value
is parsed by the stdlib ``json`` when that gives the very same objects.

orjson parses into a document tree before it builds the Python objects: at its peak it
holds ~14x the size of the JSON (measured: 232 MB for a 16 MB value, the stdlib 55 MB with
the same objects), and a large page's intermediate records are that size. The stdlib
accepts a few things orjson does not or reads differently; each of them sends the value
back to orjson (so its result or its exact error is what the caller gets):

* the constants NaN, Infinity, -Infinity and numbers beyond the double range (orjson rejects);
* integers outside [-2^63, 2^64 - 1] (orjson reads them as floats);
* any escaped surrogate (``\\ud800``: orjson rejects a lone one);
* bytes that are not strict UTF-8, a byte order mark, any stdlib error;
* nesting deeper than orjson's limit (1,024) if the interpreter's recursion limit allows it.
"""
from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

import orjson

# Values from this size (bytes) go through the stdlib first: below it orjson's peak is
# small and it is ~2x faster.
LARGE_VALUE_BYTES = 1 << 20
_INT_MIN, _INT_MAX = -(1 << 63), (1 << 64) - 1  # orjson's integers; outside: floats
_ORJSON_MAX_DEPTH = 1024  # orjson rejects deeper nesting
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _NotTheSame(Exception):
    """The stdlib would read this value differently from orjson."""


def _int(s: str) -> int:
    v = int(s)
    if not _INT_MIN <= v <= _INT_MAX:
        raise _NotTheSame
    return v


def _float(s: str) -> float:
    v = float(s)
    if math.isinf(v):
        raise _NotTheSame
    return v


def _constant(s: str) -> Any:
    raise _NotTheSame


_DECODER = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant)


def loads(data: bytes | str) -> Any:
    """``orjson.loads(data)``: same objects, same exceptions."""
    if not isinstance(data, bytes) or len(data) < LARGE_VALUE_BYTES or sys.getrecursionlimit() > _ORJSON_MAX_DEPTH:
        return orjson.loads(data)
    try:
        text = data.decode("utf-8")
        if text.startswith("\ufeff") or _SURROGATE_ESCAPE.search(text):
            raise _NotTheSame
        return _DECODER.decode(text)
    except (_NotTheSame, ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError are ValueErrors
        pass
    return orjson.loads(data)
