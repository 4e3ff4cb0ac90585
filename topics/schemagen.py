"""JSON Schema (draft 2020-12) of every topic's record, generated from the record
dataclasses in ``topics/records.py`` (the one source of truth).

    python -m topics.schemagen           # (re)write topics/schemas/  (``make schemas``)
    python -m topics.schemagen --check   # exit 1 if the committed files are stale

One file per topic and schema version: ``topics/schemas/<topic>.v<N>.json``, where N is
the default of the record's ``schema_version`` field. A committed version's structure is
never rewritten (only its descriptions, from the docstrings): changing a record without
bumping its ``schema_version`` is refused here (exit 1) and fails ``tests/test_schemas.py``. Old versions stay, so consumers and the
tests can check that every change is additive (docs/record-contracts.md).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import types
import typing
from pathlib import Path
from typing import Any

from topics import DEAD_LETTER, RAW, TOPICS, TopicSpec

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def published_topics() -> list[TopicSpec]:
    """Topics whose values are records a client reads or writes (not Faust internals)."""
    return [t for t in TOPICS if not t.internal and dataclasses.is_dataclass(t.record)]


def is_input(topic: TopicSpec) -> bool:
    """The topic users write (documents.raw): only its fields without a default are
    required. Every field of a stage-written record is always present on the wire."""
    return topic.name == RAW.name


def key_description(topic: TopicSpec) -> str:
    if topic.name == DEAD_LETTER.name:
        return "the failed record's own key (UTF-8), or none when it had none"
    return "the document id, as a UTF-8 string"


def schema_version(record: type) -> int:
    for f in dataclasses.fields(record):
        if f.name == "schema_version":
            return int(f.default)
    raise TypeError(f"{record.__name__} has no schema_version field")


def _type_schema(tp: Any, defs: dict[str, Any], required_all: bool) -> dict[str, Any]:
    if tp is Any:
        return {}
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        alts = [_type_schema(a, defs, required_all) for a in args if a is not type(None)]
        if type(None) in args:
            if len(alts) == 1 and set(alts[0]) == {"type"}:
                return {"type": [alts[0]["type"], "null"]}
            alts.append({"type": "null"})
        return alts[0] if len(alts) == 1 else {"anyOf": alts}
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        return {"type": "array", "items": _type_schema(item, defs, required_all)}
    if origin is dict or tp is dict:
        return {"type": "object"}
    if dataclasses.is_dataclass(tp):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}  # placeholder: recursion guard
            defs[tp.__name__] = _object_schema(tp, defs, required_all)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if tp in _JSON_TYPES:
        return {"type": _JSON_TYPES[tp]}
    raise TypeError(f"no JSON Schema mapping for {tp!r}")


def _object_schema(record: type, defs: dict[str, Any], required_all: bool) -> dict[str, Any]:
    hints = typing.get_type_hints(record)
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(record):
        props[f.name] = _type_schema(hints[f.name], defs, required_all)
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        if required_all or not has_default:
            required.append(f.name)
    out: dict[str, Any] = {"type": "object"}
    doc = (record.__doc__ or "").strip()
    if doc and not doc.startswith(record.__name__ + "("):  # not the dataclass-generated signature
        out["description"] = " ".join(doc.split())
    out["properties"] = props
    out["required"] = required
    return out


def topic_schema(topic: TopicSpec) -> dict[str, Any]:
    """The JSON Schema of one topic's record (a plain dict, deterministic)."""
    record = topic.record
    version = schema_version(record)
    defs: dict[str, Any] = {}
    body = _object_schema(record, defs, required_all=not is_input(topic))
    body["properties"]["schema_version"] = {
        "type": "integer", "minimum": 1,
        "description": f"Version of this record's schema; {version} here. Versions only add fields.",
    }
    schema: dict[str, Any] = {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:winnow:schema:{topic.name}:v{version}",
        "title": f"{record.__name__} ({topic.name}, schema v{version})",
        "x-winnow-topic": topic.name,
        "x-winnow-record": record.__name__,
        "x-winnow-schema-version": version,
        "x-winnow-key": key_description(topic),
        **body,
    }
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_path(topic: TopicSpec, version: int | None = None, root: Path = SCHEMA_DIR) -> Path:
    return root / f"{topic.name}.v{version or schema_version(topic.record)}.json"


def index(topics: list[TopicSpec] | None = None) -> dict[str, Any]:
    """topics/schemas/index.json: the current file of every topic, for tooling."""
    return {
        t.name: {"record": t.record.__name__, "schema_version": schema_version(t.record),
                 "file": schema_path(t).name, "input": is_input(t)}
        for t in (published_topics() if topics is None else topics)
    }


def versions(topic: TopicSpec, root: Path = SCHEMA_DIR) -> list[tuple[int, dict[str, Any]]]:
    """Every committed version of a topic's schema, oldest first."""
    found = []
    for path in root.glob(f"{topic.name}.v*.json"):
        tail = path.name[len(topic.name) + 2:-len(".json")]
        if tail.isdigit():
            found.append((int(tail), json.loads(path.read_text())))
    return sorted(found, key=lambda x: x[0])


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return schema["$defs"][ref.rsplit("/", 1)[1]] if ref else node


def incompatibilities(old: dict[str, Any], new: dict[str, Any], where: str = "") -> list[str]:
    """What a reader written against ``old`` would trip on in records of ``new``: a
    removed field, a changed type, a required field that became optional. Added fields
    are allowed (the evolution rule: versions only add fields)."""
    return _diff(old, new, old, new, where or old.get("x-winnow-record", "record"))


def _diff(old_root, new_root, old, new, where) -> list[str]:
    old, new = _resolve(old_root, old), _resolve(new_root, new)
    out: list[str] = []
    if old.get("type") != new.get("type") or ("anyOf" in old) != ("anyOf" in new):
        return [f"{where}: type changed from {old.get('type') or old.get('anyOf')} to "
                f"{new.get('type') or new.get('anyOf')}"]
    if "items" in old:
        out += _diff(old_root, new_root, old["items"], new.get("items", {}), where + "[]")
    for alt_old, alt_new in zip(old.get("anyOf", []), new.get("anyOf", [])):
        out += _diff(old_root, new_root, alt_old, alt_new, where)
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, sub in old_props.items():
        if name not in new_props:
            out.append(f"{where}.{name}: removed")
        else:
            out += _diff(old_root, new_root, sub, new_props[name], f"{where}.{name}")
    for name in set(old.get("required", [])) - set(new.get("required", [])):
        if name in new_props:
            out.append(f"{where}.{name}: no longer always present")
    return out


def structure(schema: Any) -> Any:
    """The schema without its descriptions: what a version fixes. Docstring edits only
    refresh the committed file's descriptions; they need no version bump."""
    if isinstance(schema, dict):
        return {k: structure(v) for k, v in schema.items() if k != "description"}
    if isinstance(schema, list):
        return [structure(v) for v in schema]
    return schema


def _bump_message(t: TopicSpec, path: Path) -> str:
    return (f"{t.record.__name__} changed but {path.name} is committed: bump "
            f"{t.record.__name__}.schema_version in topics/records.py, then run `make schemas`")


def problems(root: Path = SCHEMA_DIR, topics: list[TopicSpec] | None = None) -> list[str]:
    """Why the committed schemas do not match the code (empty when they do)."""
    out: list[str] = []
    topics = published_topics() if topics is None else topics
    for t in topics:
        path = schema_path(t, root=root)
        want = topic_schema(t)
        if not path.exists():
            out.append(f"{path.name} is missing: run `make schemas`")
        elif structure(json.loads(path.read_text())) != structure(want):
            out.append(_bump_message(t, path))
        elif path.read_text() != render(want):
            out.append(f"{path.name}: descriptions are stale (a docstring changed): run `make schemas`")
        history = versions(t, root)
        for (v_old, old), (v_new, new) in zip(history, history[1:]):
            out += [f"{t.name} v{v_old} -> v{v_new}: {p}" for p in incompatibilities(old, new)]
    idx = root / "index.json"
    if not idx.exists() or idx.read_text() != render(index(topics)):
        out.append("index.json is stale: run `make schemas`")
    return out


def write(root: Path = SCHEMA_DIR, topics: list[TopicSpec] | None = None) -> list[Path]:
    """Write the current version of every schema; never rewrite a committed version."""
    root.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    topics = published_topics() if topics is None else topics
    for t in topics:
        path = schema_path(t, root=root)
        want = topic_schema(t)
        text = render(want)
        if path.exists():
            if structure(json.loads(path.read_text())) != structure(want):
                raise SystemExit(_bump_message(t, path).replace(", then run `make schemas`", ""))
            if path.read_text() == text:
                continue
        path.write_text(text)  # new version, or the same one with refreshed descriptions
        written.append(path)
    idx = root / "index.json"
    text = render(index(topics))
    if not idx.exists() or idx.read_text() != text:
        idx.write_text(text)
        written.append(idx)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m topics.schemagen", description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check; exit 1 when stale")
    ap.add_argument("--out", type=Path, default=SCHEMA_DIR, help="output folder (default topics/schemas)")
    args = ap.parse_args(argv)
    if args.check:
        found = problems(args.out)
        for p in found:
            print(p, file=sys.stderr)
        return 1 if found else 0
    for path in write(args.out):
        print(f"wrote {path}")
    found = problems(args.out)
    for p in found:
        print(p, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
