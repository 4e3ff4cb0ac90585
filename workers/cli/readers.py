"""Input files to raw records, for ``winnow produce`` and ``winnow process``.

- ``.txt``: one text/plain document; ``.html``/``.htm``: one text/html document;
- ``.json``: one raw record (or a gold case file ``{"input": {...}}``: its input);
- ``.jsonl``: one raw record per line, passed on byte for byte (a malformed line is
  the pipeline's to dead-letter, not the reader's to drop);
- ``.warc``/``.warc.gz``/``.wet``/``.wet.gz``: WARC ``response`` records (HTTP
  payload, content type from its headers) and WET ``conversion`` records
  (text/plain), keeping ``WARC-Record-ID`` as id, ``WARC-Target-URI`` as url and
  ``WARC-Date`` as fetched_at.
- ``-``: raw JSON Lines from standard input.

Every reader yields ``(key, value_bytes)``: the document id (when known) and the
raw record as the bytes that go on ``documents.raw``.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Iterator

import orjson

from workers.core.stages.ingest import derive_id


class InputError(Exception):
    """An input file that cannot be read (the CLI exits non-zero with this message)."""


def _record(content: str, content_type: str, *, url: str | None = None, id: str | None = None,
            fetched_at: str | None = None, source: str | None = None) -> tuple[str, bytes]:
    doc_id = id or derive_id(url, content)
    rec = {"id": doc_id, "url": url, "content_type": content_type, "content": content,
           "fetched_at": fetched_at, "source": source}
    return doc_id, orjson.dumps(rec)


def _decode(data: bytes, charset: str | None = None) -> str:
    for enc in filter(None, (charset, "utf-8")):
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def _jsonl(stream: IO[bytes]) -> Iterator[tuple[str | None, bytes]]:
    for line in stream:
        line = line.rstrip(b"\r\n")
        if not line.strip():
            continue
        key = None
        try:
            obj = orjson.loads(line)
            if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                key = obj["id"]
            elif isinstance(obj, dict) and isinstance(obj.get("content"), str):
                url = obj.get("url") if isinstance(obj.get("url"), str) else None
                key = derive_id(url, obj["content"])
        except orjson.JSONDecodeError:
            pass
        yield key, line


def _warc_magic(path: Path) -> bytes:
    """The first bytes of the (decompressed) file: a WARC starts with ``WARC/``, an
    ARC with ``filedesc://``."""
    import gzip

    with path.open("rb") as fh:
        head = fh.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    try:
        with opener(path, "rb") as fh:
            return fh.read(16)
    except (OSError, EOFError):
        return b""


def _warc(path: Path) -> Iterator[tuple[str | None, bytes]]:
    from warcio.archiveiterator import ArchiveIterator

    magic = _warc_magic(path)
    is_arc = path.name.lower().endswith((".arc", ".arc.gz"))
    if not (magic.startswith(b"WARC/") or is_arc and magic.startswith(b"filedesc://")):
        raise InputError(f"{path}: not a {'ARC' if is_arc else 'WARC'} file (it does not start with "
                         f"{'filedesc://' if is_arc else 'WARC/'})")
    size = path.stat().st_size
    complete = 0
    with path.open("rb") as fh:
        it = ArchiveIterator(fh, arc2warc=True)
        for rec in it:
            body = rec.content_stream().read()
            if rec.raw_stream.limit > 0:  # fewer bytes than the record's Content-Length
                break
            complete += 1
            out = _warc_document(rec, body, path.name)
            if out is not None:
                yield out
        else:
            if it.offset >= size:
                return
    raise InputError(f"{path}: truncated after {complete} complete record(s)")


def _warc_document(rec, body: bytes, source: str) -> tuple[str, bytes] | None:
    """The raw record of a WARC ``response``/``resource`` or WET ``conversion`` record
    that holds a document (HTML or plain text); None for anything else."""
    kind = rec.rec_type
    if kind not in ("response", "conversion", "resource"):
        return None
    h = rec.rec_headers
    rid = (h.get_header("WARC-Record-ID") or "").strip("<>") or None
    url = h.get_header("WARC-Target-URI")
    date = h.get_header("WARC-Date")
    if kind == "response":
        ctype_hdr = rec.http_headers.get_header("Content-Type") if rec.http_headers else None
        ctype_hdr = (ctype_hdr or "text/html").lower()
        if "html" not in ctype_hdr and "text/plain" not in ctype_hdr:
            return None  # images, PDFs, ...: not documents we clean
        charset = None
        if "charset=" in ctype_hdr:
            charset = ctype_hdr.split("charset=", 1)[1].split(";")[0].strip()
        ctype = "text/plain" if "text/plain" in ctype_hdr else "text/html"
        return _record(_decode(body, charset), ctype, url=url, id=rid, fetched_at=date, source=source)
    ctype_hdr = (h.get_header("Content-Type") or "text/plain").lower()
    ctype = "text/html" if "html" in ctype_hdr else "text/plain"
    return _record(_decode(body), ctype, url=url, id=rid, fetched_at=date, source=source)


def read_path(name: str) -> Iterator[tuple[str | None, bytes]]:
    if name == "-":
        yield from _jsonl(sys.stdin.buffer)
        return
    path = Path(name)
    if not path.is_file():
        raise InputError(f"{name}: no such file")
    lower = path.name.lower()
    try:
        if lower.endswith((".warc", ".warc.gz", ".wet", ".wet.gz", ".arc", ".arc.gz")):
            yield from _warc(path)
        elif lower.endswith(".jsonl") or lower.endswith(".jsonl.gz"):
            if lower.endswith(".gz"):
                import gzip

                with gzip.open(path, "rb") as fh:
                    yield from _jsonl(fh)
            else:
                with path.open("rb") as fh:
                    yield from _jsonl(fh)
        elif lower.endswith(".json"):
            obj = orjson.loads(path.read_bytes())
            if isinstance(obj, dict) and isinstance(obj.get("input"), dict):
                obj = obj["input"]
            if isinstance(obj, dict) and isinstance(obj.get("content"), str):
                url = obj.get("url") if isinstance(obj.get("url"), str) else None
                key = obj.get("id") if isinstance(obj.get("id"), str) else derive_id(url, obj["content"])
                yield key, orjson.dumps(obj)
            else:
                yield None, orjson.dumps(obj)
        elif lower.endswith((".html", ".htm", ".xhtml")):
            yield _record(_decode(path.read_bytes()), "text/html", source=path.name)
        else:  # .txt and anything else: plain text
            yield _record(_decode(path.read_bytes()), "text/plain", source=path.name)
    except (OSError, orjson.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{name}: cannot read: {exc}") from exc
    except Exception as exc:  # warcio parse errors and the like
        if type(exc).__module__.startswith("warcio"):
            raise InputError(f"{name}: not a readable WARC/WET file: {exc}") from exc
        raise


def read_paths(names: list[str]) -> Iterator[tuple[str | None, bytes]]:
    for name in names:
        yield from read_path(name)


class Progress:
    """A one-line progress counter on stderr for long inputs (only on a terminal)."""

    def __init__(self, label: str, enabled: bool | None = None):
        self.label = label
        self.count = 0
        self.bytes = 0
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def tick(self, nbytes: int) -> None:
        self.count += 1
        self.bytes += nbytes
        if self.enabled and self.count % 50 == 0:
            sys.stderr.write(f"\r{self.label}: {self.count} documents, {self.bytes / 1e6:.1f} MB")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write(f"\r{self.label}: {self.count} documents, {self.bytes / 1e6:.1f} MB\n")
            sys.stderr.flush()
