"""``json_values.loads`` is ``orjson.loads``: same objects (types included) or the same
error, message and all, on the values where the stdlib and orjson differ and on random
JSON; the threshold is lowered so every value takes the stdlib path first."""
from __future__ import annotations

import math

import orjson
import pytest
from hypothesis import given, settings, strategies as st

from workers.core.stages import json_values as J

EDGE = [b'{"a": NaN}', b'{"a": Infinity}', b'[-Infinity]', b'{"a": 1e400}', b'{"a": -1.8e308}', b'{"a": -0}',
        b'{"a": -0.0}', b'[18446744073709551615]', b'[18446744073709551616]', b'[-9223372036854775808]',
        b'[-9223372036854775809]', b'{"a": "\\ud800"}', b'{"a": "\\udc00x"}', b'{"a": "\\ud83d\\ude00"}',
        b'{"a": "\\\\ud800"}', b'{"a": 1, "a": 2, "b": 3}', b'\xef\xbb\xbf{"a": 1}', b'{"a":"\x01"}', b'{"a": 1}\n ',
        b'[1e-400, 5e-324, 0.1, 1E2, 12345678901234567890.5]', b'', b' ', b'{"a": 1', b'{"a": 1} x', b'\xff',
        b'"\xed\xa0\x80"', b'[' * 1000 + b']' * 1000, b'[' * 1024 + b']' * 1024, b'[' * 1025 + b']' * 1025,
        b'{"\xc3\xa9": "\xe6\x97\xa5"}', b'null', b'true', b'"x"', b'{"a": [1, 2.5, null, true, false, {}]}']


def _outcome(f, value):
    try:
        return "ok", f(value)
    except Exception as exc:  # noqa: BLE001 - the exception itself is compared
        return type(exc), str(exc)


def _same(a, b) -> bool:
    """Equal values of the same types (floats: same sign of zero), without recursion."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, dict):
            if list(x) != list(y):
                return False
            stack.extend((x[k], y[k]) for k in x)
        elif isinstance(x, list):
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y))
        elif isinstance(x, float):
            if x != y or math.copysign(1, x) != math.copysign(1, y):
                return False
        elif x != y:
            return False
    return True


@pytest.fixture(autouse=True)
def _every_value_is_large(monkeypatch):
    monkeypatch.setattr(J, "LARGE_VALUE_BYTES", 0)


@pytest.mark.parametrize("value", EDGE)
def test_edge_cases_as_orjson(value):
    (k1, v1), (k2, v2) = _outcome(J.loads, value), _outcome(orjson.loads, value)
    assert k1 == k2 and (_same(v1, v2) if k1 == "ok" else v1 == v2)


_json = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(1 << 70), max_value=1 << 70) | st.floats(allow_nan=False)
    | st.text(), lambda c: st.lists(c, max_size=5) | st.dictionaries(st.text(max_size=5), c, max_size=5),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_json)
def test_random_json_as_orjson(obj):
    import json

    value = json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogatepass")
    (k1, v1), (k2, v2) = _outcome(J.loads, value), _outcome(orjson.loads, value)
    assert k1 == k2 and (_same(v1, v2) if k1 == "ok" else v1 == v2)


def test_a_large_value_takes_the_stdlib_path(monkeypatch):
    monkeypatch.setattr(J, "LARGE_VALUE_BYTES", 1 << 20)
    value = orjson.dumps({"lines": [{"n": i, "text": "word " * 20} for i in range(20_000)]})
    assert len(value) >= 1 << 20
    calls = []
    monkeypatch.setattr(J, "orjson", type("O", (), {"loads": staticmethod(lambda v: calls.append(v))}))
    assert J.loads(value) == orjson.loads(value) and calls == []
