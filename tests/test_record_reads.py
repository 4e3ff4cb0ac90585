"""The one-pass record read (topics/record_reads.py) against the check and build it stands in
for (check_record, then from_dict): on real records of every intermediate and output topic, and
on each of them broken one field at a time, it reads only objects the check accepts, and what
it reads is from_dict's record, value for value and type for type (the same wire bytes);
anything else it leaves to them (None), so decode_record's records and errors are unchanged."""
from __future__ import annotations

import orjson
import pytest

from tests.test_record_passes import WRONG, _broken, _full_check_accepts, _records
from topics import SEGMENTED, STRIPPED
from topics import records as R
from topics.record_reads import reader
from workers.core.errors import BadInput
from workers.core.stages import decode_record


def _same_record(got, want) -> None:
    assert type(got) is type(want) and got == want
    assert orjson.dumps(got) == orjson.dumps(want)  # 1, 1.0 and True are equal, not the same bytes
    for name in want.__slots__:
        a, b = getattr(got, name), getattr(want, name)
        assert type(a) is type(b), name
        if isinstance(b, list):
            assert [type(x) for x in a] == [type(x) for x in b], name


def test_reads_the_encoders_shape_as_from_dict_builds_it():
    recs = _records()
    read_some = 0
    for cls, obj in recs:
        read = reader(cls)
        if read is None:
            assert cls is R.EnrichedDocument  # a nested record field (metadata): two passes
            continue
        got = read(obj)
        assert got is not None, cls.__name__
        _same_record(got, cls.from_dict(obj))
        read_some += 1
        reordered = dict(reversed(list(obj.items())))
        _same_record(read(reordered), cls.from_dict(obj))
    assert read_some >= 3


def test_broken_objects_are_left_to_the_check_or_read_the_same():
    seen = {"left": 0, "read": 0}
    for cls, obj in _records():
        read = reader(cls)
        if read is None:
            continue
        for bad in [*_broken(obj), {**obj, "added_later": 1}, *WRONG]:
            got = read(bad)
            if got is None:
                seen["left"] += 1
                continue
            assert _full_check_accepts(bad, cls), (cls.__name__, bad)
            _same_record(got, cls.from_dict(bad))
            seen["read"] += 1
    assert seen["left"] > 200 and seen["read"] > 5  # both kinds were met


@pytest.mark.parametrize("spec", [STRIPPED, SEGMENTED], ids=["stripped", "segmented"])
def test_decode_record_errors_unchanged(spec):
    obj = next(o for cls, o in _records() if cls is spec.record)
    key = "lines" if spec is STRIPPED else "removed"
    bad = {**obj, key: [{**obj[key][0], "n": True}, *obj[key][1:]]}  # a bool where an int is
    assert reader(spec.record)(bad) is None
    with pytest.raises(BadInput, match=r"\.n must be int, got bool"):
        decode_record(orjson.dumps(bad), spec)
    _same_record(decode_record(orjson.dumps(obj), spec), spec.record.from_dict(obj))
