"""The state a stage owns, behind one small interface.

A stateful stage (today: strip and its site templates) reads and writes its state
through a ``KeyedState``: ``get(key)`` and ``put(key, value)`` over any mutable
mapping, a plain dict offline or a Faust table (changelog-backed) in a worker. The
mapping's values must be plain JSON (a Faust table serialises them); keys are str.

The state is bounded: beyond ``max_keys`` the least recently written key is evicted
(from the mapping too, so a table's changelog forgets it).
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterator, MutableMapping

from topics import TopicSpec


@dataclass(frozen=True, slots=True)
class StateSpec:
    """What a stage declares about its state: the table name and its changelog topic."""

    table: str
    changelog: TopicSpec


class KeyedState:
    """Bounded key -> JSON value state over a dict or a Faust table (LRU on writes)."""

    def __init__(self, store: MutableMapping[str, Any] | None, max_keys: int):
        self.store: MutableMapping[str, Any] = store if store is not None else {}
        self.max_keys = max_keys
        self._order: OrderedDict[str, None] = OrderedDict((k, None) for k in list(self.store.keys()))

    def get(self, key: str) -> Any | None:
        return self.store.get(key)

    def put(self, key: str, value: Any) -> None:
        self.store[key] = value
        if len(self._order) < len(self.store) - 1:
            # Keys restored into the store after construction (a Faust table recovered
            # from its changelog): track them too, as the oldest, so the bound holds.
            restored = [k for k in list(self.store.keys()) if k not in self._order]
            self._order = OrderedDict([*((k, None) for k in restored), *self._order.items()])
        self._order[key] = None
        self._order.move_to_end(key)
        while len(self._order) > self.max_keys:
            old, _ = self._order.popitem(last=False)
            try:
                del self.store[old]
            except KeyError:
                pass

    def values(self) -> Iterator[Any]:
        return iter(list(self.store.values()))
