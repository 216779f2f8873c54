"""Flask's question "is this hook a coroutine function?", asked once per function.

Flask passes every before- and after-request hook, teardown and view through
``ensure_sync`` on every request, which asks ``inspect.iscoroutinefunction``: some
twenty times a page at 1.5 to 2 microseconds each, a few per cent of a page served
from the page cache. The answer for a given function never changes, so
``SyncFunctionsKnown`` remembers the functions found synchronous (all of the
forum's: it has no ``async def`` view) and asks again only of the others.

A base of ``ForumApp`` (forum/web/infra/reconnect.py), as Flask's documentation
("Subclassing Flask") recommends for changing its internal behaviour; the async
case is Flask's own, untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

# Hooks and views are a few dozen; a caller passing a new function each time (a lambda
# made per request) must not grow the set without end.
MAX_KNOWN = 4096


class SyncFunctionsKnown(Flask):
    """Flask, remembering which hooks and views it found synchronous."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._known_sync: set[Callable[..., Any]] = set()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            if func in self._known_sync:
                return func
        except TypeError:  # unhashable (a bound method of an unhashable object): ask Flask
            return super().ensure_sync(func)
        checked = super().ensure_sync(func)
        if checked is func and len(self._known_sync) < MAX_KNOWN:
            self._known_sync.add(func)
        return checked
