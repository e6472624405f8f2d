"""The content version, and what each process keeps of the content until it changes.

The public content (the directory and the pathways) changes a few times a day and is
read thousands of times: the territory, the lists of communes, domains, needs and
languages, a service card's fixed part. Each process keeps them in memory under the
content version, one value shared by every process (in the cache, `VERSION_KEY`):

- any save or delete of a content model replaces it once its transaction commits
  (`portal.caching` connects the signals), and empties this process's memory at once;
- a process trusts its copy of the version for TRUST_SECONDS, then reads it again (one
  cache read), so a change made on one app server shows on every other within a second;
- nothing that depends on the clock (opening statuses, « demain »), on the visitor or on
  the request is ever kept here, only what the content alone decides.

The public page cache (`portal.caching`) stores whole pages under the same version.
"""

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache
from django.utils import translation

VERSION_KEY = "public-pages:version"
# The apps whose models are the public content: saving one of them changes the version.
CONTENT_APPS = frozenset({"services_directory", "pathways"})
TRUST_SECONDS = 1.0
# Enough for every card of a large territory in the five languages, and the lists.
MEMO_SIZE = 20_000

T = TypeVar("T")


class _Local:
    """This process's copy of the shared version, and what it keeps under it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.version: str | None = None
            self.read_at = 0.0
            self.memo: OrderedDict[Hashable, object] = OrderedDict()


local = _Local()


def is_fresh() -> bool:
    # Never read yet: not fresh, whatever the clock says (a machine up for less than
    # TRUST_SECONDS has a monotonic clock that small).
    return local.version is not None and time.monotonic() - local.read_at < TRUST_SECONDS


def seen(version: str) -> None:
    """The shared version as just read or written: what was kept under another is dropped."""
    with local.lock:
        if version != local.version:
            local.memo.clear()
        local.version, local.read_at = version, time.monotonic()


def read_shared() -> str:
    """The shared version (one cache read); made on the very first read."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def current() -> str | None:
    """The content version, read again from the cache at most once a TRUST_SECONDS.

    None when it cannot be read (the cache is down) and was never read: nothing is kept.
    """
    if is_fresh():
        return local.version
    try:
        version = read_shared()
    except Exception:
        # The cache is down: keep trusting the last version read, the content cannot
        # change much while nothing can be written either.
        return local.version
    if version:
        seen(version)
    return local.version


def bump() -> None:
    """A new content version for every process (may raise when the cache is down)."""
    version = uuid.uuid4().hex
    forget()
    cache.set(VERSION_KEY, version, None)
    seen(version)


def forget() -> None:
    """Drop what this process keeps, at once (a content change, before its commit)."""
    with local.lock:
        local.memo.clear()


def remembered(key: tuple, build: Callable[[], T], *, per_language: bool = True) -> T:
    """The value `build()` gives for this key under the current content version, built
    once per process, version (and page language, unless `per_language` is False).

    The value is shared by every request of the process: it must never be changed
    afterwards, and must not depend on the clock, the visitor or the request."""
    version = current()
    if version is None:
        return build()
    if per_language:
        key = (*key, translation.get_language())
    with local.lock:
        if key in local.memo:
            local.memo.move_to_end(key)
            return local.memo[key]
    value = build()
    with local.lock:
        # Stored only if the version did not change while it was built.
        if local.version == version:
            local.memo[key] = value
            while len(local.memo) > MEMO_SIZE:
                local.memo.popitem(last=False)
    return value


def remembered_many(prefix: str, ids, build: Callable[[list], dict]) -> dict:
    """`remembered` for many objects at once: the values of the `ids` kept under this
    version, and `build(missing ids)` (one query for all of them) for the others.
    Not per language: for what no language changes."""
    version = current()
    ids = list(ids)
    if version is None:
        return build(ids)
    found, missing = {}, []
    with local.lock:
        for pk in ids:
            key = (prefix, pk)
            if key in local.memo:
                local.memo.move_to_end(key)
                found[pk] = local.memo[key]
            else:
                missing.append(pk)
    if missing:
        built = build(missing)
        found.update(built)
        with local.lock:
            if local.version == version:
                for pk in missing:
                    local.memo[(prefix, pk)] = built.get(pk)
                while len(local.memo) > MEMO_SIZE:
                    local.memo.popitem(last=False)
    return found
