"""Slowing down password guessing: failures counted per username and IP address.

After LIMIT failures the pair is locked for a delay that doubles with each further
failure (30 s, 1 min, 2 min, ... up to 15 min). The address alone has a larger allowance
(config LOGIN_IP_LIMIT, default IP_LIMIT), which slows down one address trying many
usernames. The counter lives in Redis when REDIS_URL
is set (shared by every worker and node), otherwise in this process.
"""

from __future__ import annotations

import threading
import time

from flask import current_app

LIMIT = 5
IP_LIMIT = 50
BASE_DELAY = 30
MAX_DELAY = 15 * 60
FORGET_AFTER = 24 * 3600  # a counter with no new failure for a day starts over


def lock_seconds(failures: int, limit: int = LIMIT) -> int:
    """How long a key is locked after this many failures (0 below the limit)."""
    if failures < limit:
        return 0
    return min(MAX_DELAY, BASE_DELAY * 2 ** min(failures - limit, 10))


class MemoryCounter:
    """Failures kept in a dict of this process (the zero set-up default)."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[int, float]:
        """(failures, time of the last failure)."""
        with self._lock:
            count, last = self._data.get(key, (0, 0.0))
            if last and time.time() - last > FORGET_AFTER:
                self._data.pop(key, None)
                return 0, 0.0
            return count, last

    def add(self, key: str, now: float) -> int:
        """Count one more failure; returns the new count."""
        with self._lock:
            count, _ = self._data.get(key, (0, 0.0))
            self._data[key] = (count + 1, now)
            return count + 1

    def clear(self, key: str) -> None:
        """Forget the key's failures."""
        with self._lock:
            self._data.pop(key, None)


class RedisCounter:
    """Failures kept in Redis, so that every worker and node sees the same count."""

    def __init__(self, url: str, prefix: str = "quire:login-failures:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix

    def get(self, key: str) -> tuple[int, float]:
        """(failures, time of the last failure)."""
        values = self._redis.hmget(self._prefix + key, "count", "last")
        return int(values[0] or 0), float(values[1] or 0.0)

    def add(self, key: str, now: float) -> int:
        """Count one more failure; returns the new count."""
        name = self._prefix + key
        pipe = self._redis.pipeline()
        pipe.hincrby(name, "count", 1)
        pipe.hset(name, "last", now)
        pipe.expire(name, FORGET_AFTER)
        return int(pipe.execute()[0])

    def clear(self, key: str) -> None:
        """Forget the key's failures."""
        self._redis.delete(self._prefix + key)


def _counter():
    counter = current_app.extensions.get("quire_login_throttle")
    if counter is None:
        url = current_app.config.get("REDIS_URL")
        counter = RedisCounter(url) if url else MemoryCounter()
        current_app.extensions["quire_login_throttle"] = counter
    return counter


def throttle_key(username: str, ip: str) -> str:
    """The counter's key for a username (case-insensitive) from an address."""
    return f"{username.strip().lower()}|{ip}"


def ip_key(ip: str) -> str:
    """The counter's key for an address, whatever the username."""
    return f"*|{ip}"


def _locked(key: str, limit: int) -> int:
    count, last = _counter().get(key)
    remaining = last + lock_seconds(count, limit) - time.time()
    return max(0, int(remaining + 0.999))


def seconds_locked(key: str) -> int:
    """Seconds until this pair (or its address) may try again (0: it may try now)."""
    ip = key.rsplit("|", 1)[-1]
    ip_limit = int(current_app.config.get("LOGIN_IP_LIMIT", IP_LIMIT))
    return max(_locked(key, LIMIT), _locked(ip_key(ip), ip_limit))


def record_failure(key: str) -> int:
    """Count a failed attempt for the pair and its address; returns the pair's failures."""
    now = time.time()
    _counter().add(ip_key(key.rsplit("|", 1)[-1]), now)
    return _counter().add(key, now)


def record_success(key: str) -> None:
    """A successful login forgets earlier failures."""
    _counter().clear(key)
