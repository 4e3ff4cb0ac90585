"""Validate and normalise a raw input record (the first step of the strip stage).

Pure: bytes or dict in, ``RawDocument`` out, or ``BadInput`` with a reason.
"""
from __future__ import annotations

import dataclasses
import hashlib
import types
import typing
from typing import Any, Callable
from urllib.parse import urlsplit

import orjson

from topics.records import RawDocument
from workers.core.errors import BadInput

SUPPORTED_CONTENT_TYPES = ("text/plain", "text/html")
# Aliases a producer may send; anything else is ``unsupported_content_type``.
_CONTENT_TYPE_ALIASES = {
    "text/plain": "text/plain",
    "text": "text/plain",
    "text/x-wet": "text/plain",
    "text/html": "text/html",
    "html": "text/html",
    "application/xhtml+xml": "text/html",
}
_HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<body", b"<div", b"<p>", b"<meta", b"<title")


def decode_json_object(payload: bytes | str) -> dict[str, Any]:
    """Decode a Kafka value into a JSON object, or raise BadInput."""
    if isinstance(payload, (bytes, bytearray, memoryview)):
        data = bytes(payload)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput("invalid_utf8", f"value is not valid UTF-8 (byte {exc.start})") from None
    else:
        data = payload
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise BadInput("invalid_json", f"value is not valid JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise BadInput("not_an_object", f"value is JSON {type(obj).__name__}, expected an object")
    return obj


def sniff_content_type(content: str) -> str:
    head = content[:2048].lstrip().lower().encode("utf-8", "ignore")
    if any(head.startswith(tag) for tag in _HTML_SNIFF):
        return "text/html"
    if b"<html" in head or b"<body" in head or b"</p>" in head or b"</div>" in head:
        return "text/html"
    return "text/plain"


def derive_id(url: str | None, content: str) -> str:
    """Deterministic id: same url and content, same id."""
    h = hashlib.sha1()
    h.update((url or "").encode("utf-8"))
    h.update(b"\0")
    h.update(content.encode("utf-8", "surrogatepass"))
    return "sha1:" + h.hexdigest()[:24]


def site_key(url: str | None, source: str | None) -> str:
    """The site a document belongs to, for template learning: its host (without a
    leading ``www.``), else its source, else ``"unknown"``."""
    if url:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        if host:
            return host[4:] if host.startswith("www.") else host
    if source:
        return "source:" + source
    return "unknown"


def _opt_str(obj: dict[str, Any], key: str) -> str | None:
    v = obj.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise BadInput("wrong_type", f"field {key!r} must be a string or null, got {type(v).__name__}")
    return v


def normalize(obj: dict[str, Any], max_document_bytes: int) -> RawDocument:
    """Check a decoded raw record and fill in id and content type."""
    if "content" not in obj:
        raise BadInput("missing_content", "record has no 'content' field")
    content = obj["content"]
    if not isinstance(content, str):
        raise BadInput("wrong_type", f"field 'content' must be a string, got {type(content).__name__}")
    size = len(content.encode("utf-8", "surrogatepass"))
    if size > max_document_bytes:
        raise BadInput("too_large", f"content is {size} bytes, over the limit of {max_document_bytes} bytes")
    if not content.strip():
        raise BadInput("empty_document", "content is empty or only whitespace")
    if "\x00" in content:
        raise BadInput("invalid_utf8", "content contains NUL characters (binary data)")
    try:
        content.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput("invalid_utf8", "content contains unpaired surrogates") from None
    url = _opt_str(obj, "url")
    ctype_in = _opt_str(obj, "content_type")
    if ctype_in is None or not ctype_in.strip():
        ctype = sniff_content_type(content)
    else:
        base = ctype_in.split(";", 1)[0].strip().lower()
        ctype = _CONTENT_TYPE_ALIASES.get(base)
        if ctype is None:
            raise BadInput(
                "unsupported_content_type",
                f"content type {ctype_in!r} is not handled (supported: {', '.join(SUPPORTED_CONTENT_TYPES)})",
            )
    doc_id = _opt_str(obj, "id") or derive_id(url, content)
    return RawDocument(
        content=content.replace("\r\n", "\n").replace("\r", "\n"),
        id=doc_id,
        url=url,
        content_type=ctype,
        fetched_at=_opt_str(obj, "fetched_at"),
        source=_opt_str(obj, "source"),
    )


# --- intermediate records (documents.stripped / documents.segmented) ---------------

def _bad(where: str, want: str, value: Any) -> BadInput:
    return BadInput("invalid_record", f"{where} must be {want}, got {type(value).__name__}")


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
                except BadInput as exc:
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
    """Check a decoded intermediate record against its record type (``topics.records``):
    required fields present, every known field of the declared JSON type, ids
    non-empty strings. Raises ``BadInput("invalid_record", ...)``. Unknown keys are
    allowed (producers may add fields)."""
    where = where or cls.__name__
    if not isinstance(obj, dict):
        raise BadInput("invalid_record", f"{where} must be an object, got {type(obj).__name__}")
    for name, required, check in _record_fields(cls):
        if name not in obj:
            if required:
                raise BadInput("invalid_record", f"{where}.{name} is missing")
            continue
        check(obj[name], f"{where}.{name}")
    if "id" in obj and not (isinstance(obj["id"], str) and obj["id"]):
        raise BadInput("invalid_record", f"{where}.id must be a non-empty string")
