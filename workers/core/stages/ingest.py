"""Validate and normalise a raw input record (the first step of the strip stage).

Pure: bytes or dict in, ``RawDocument`` out, or ``BadInput`` with a reason.
"""
from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

import orjson

from topics.records import RawDocument
from workers.core.stages.json_values import loads
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
    data = bytes(payload) if isinstance(payload, (bytearray, memoryview)) else payload
    try:
        obj = loads(data)  # orjson's: rejects invalid UTF-8 too; large values: less memory
    except orjson.JSONDecodeError as exc:
        if isinstance(data, bytes):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as uexc:
                raise BadInput("invalid_utf8", f"value is not valid UTF-8 (byte {uexc.start})") from None
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


def derive_id(url: str | None, content: str, encoded: bytes | None = None) -> str:
    """Deterministic id: same url and content, same id (``encoded``: the content's UTF-8 when
    the caller has it)."""
    h = hashlib.sha1()
    h.update((url or "").encode("utf-8"))
    h.update(b"\0")
    h.update(encoded if encoded is not None else content.encode("utf-8", "surrogatepass"))
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


def _utf8(content: str) -> tuple[bytes | None, int, bool]:
    """(the content's UTF-8 or None for ASCII, its size in bytes, it has lone surrogates): an
    ASCII str (known without a scan) is its own UTF-8; else one encoding pass, whose failure is
    the surrogate check (the bytes then as ``surrogatepass`` writes them)."""
    if content.isascii():
        return None, len(content), False
    try:
        encoded = content.encode("utf-8")
    except UnicodeEncodeError:
        encoded = content.encode("utf-8", "surrogatepass")
        return encoded, len(encoded), True
    return encoded, len(encoded), False


def normalize(obj: dict[str, Any], max_document_bytes: int) -> RawDocument:
    """Check a decoded raw record and fill in id and content type."""
    if "content" not in obj:
        raise BadInput("missing_content", "record has no 'content' field")
    content = obj["content"]
    if not isinstance(content, str):
        raise BadInput("wrong_type", f"field 'content' must be a string, got {type(content).__name__}")
    encoded, size, surrogates = _utf8(content)
    if size > max_document_bytes:
        raise BadInput("too_large", f"content is {size} bytes, over the limit of {max_document_bytes} bytes")
    if not content or content.isspace():
        raise BadInput("empty_document", "content is empty or only whitespace")
    # a NUL character is a 0 byte of its UTF-8 (and no other character has one); searched in
    # the bytes: in a str of two-byte characters, "\x00" in content scans byte by byte
    if ("\x00" in content) if encoded is None else (b"\x00" in encoded):
        raise BadInput("invalid_utf8", "content contains NUL characters (binary data)")
    if surrogates:
        raise BadInput("invalid_utf8", "content contains unpaired surrogates")
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
    doc_id = _opt_str(obj, "id") or derive_id(url, content, encoded)
    return RawDocument(
        content=content.replace("\r\n", "\n").replace("\r", "\n") if "\r" in content else content,
        id=doc_id,
        url=url,
        content_type=ctype,
        fetched_at=_opt_str(obj, "fetched_at"),
        source=_opt_str(obj, "source"),
    )
