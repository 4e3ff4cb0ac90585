"""Reaching the broker: start a Kafka client, retrying with backoff, and turn "no
broker" into one clear error (``BrokerUnreachable``) instead of a traceback.

Client commands (``topics``, ``produce``, ``consume``) retry for
``WINNOW_CONNECT_TIMEOUT_S`` and then fail with exit code 3 (``EXIT_BROKER``);
a worker waits for the broker for ever, saying so at each retry.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Callable

from aiokafka.errors import KafkaConnectionError, KafkaError

from workers.settings import Settings

log = logging.getLogger("winnow.connect")

# A client whose bootstrap failed; anything else (auth errors, bad TLS files) is
# not "unreachable" and is reported as it is.
UNREACHABLE_ERRORS = (KafkaConnectionError, ConnectionError, asyncio.TimeoutError)
FIRST_BACKOFF_S = 0.25  # doubles after each failed attempt ...
MAX_BACKOFF_S = 5.0     # ... up to this


class BrokerUnreachable(Exception):
    def __init__(self, settings: Settings, waited_s: float, error: BaseException):
        self.broker = settings.broker
        self.waited_s = waited_s
        self.error = type(error).__name__
        super().__init__(str(self))

    def __str__(self) -> str:
        return (f"no Kafka broker reachable at {self.broker} (tried for {self.waited_s:.0f} s: {self.error}); "
                f"start one with `winnow broker`, or point --broker / WINNOW_BROKER at yours "
                f"(WINNOW_CONNECT_TIMEOUT_S: how long to try)")


def quiet_client_logs() -> None:
    """aiokafka logs each failed connection attempt on its own: the command's single
    error line says it all."""
    for name in ("aiokafka", "kafka"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False


async def _close(client: Any) -> None:
    try:
        await (client.stop() if hasattr(client, "stop") else client.close())
    except Exception:  # noqa: BLE001 - a client that never connected may fail to close
        pass


async def start_client(make: Callable[[], Any], settings: Settings, timeout_s: float | None = None,
                       on_retry: Callable[[int, float, BaseException], None] | None = None) -> Any:
    """``make()`` a client and ``start()`` it, retrying while the broker is unreachable,
    for ``timeout_s`` (default ``settings.connect_timeout_s``; ``float('inf')`` = for
    ever). Raises ``BrokerUnreachable`` when the time is up."""
    timeout_s = settings.connect_timeout_s if timeout_s is None else timeout_s
    start = time.monotonic()
    backoff = FIRST_BACKOFF_S
    attempt = 0
    while True:
        attempt += 1
        client = make()
        try:
            await client.start()
            return client
        except UNREACHABLE_ERRORS as exc:
            await _close(client)
            waited = time.monotonic() - start
            if waited >= timeout_s:
                raise BrokerUnreachable(settings, waited, exc) from None
            pause = min(backoff, timeout_s - waited)
            if on_retry is not None:
                on_retry(attempt, pause, exc)
            await asyncio.sleep(pause)
            backoff = min(MAX_BACKOFF_S, backoff * 2)
        except KafkaError:
            await _close(client)
            raise
