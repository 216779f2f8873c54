"""Flask-Limiter's Limiter, asked only where a limit can apply.

Flask-Limiter checks every request in a before-request hook, whatever its route, for
the limits that apply beyond a decorated view: application-wide and default limits,
a blueprint's, meta limits, and the in-memory fallback's own limits. The forum has
none of these: every limit is a decorator on the views it guards
(forum/web/infra/rate_limits.py), and a decorated view checks its limits itself when
it is called. The hook still resolved, for each page, the view's qualified name, its
blueprint's exemptions and an empty list of limits: about a tenth of the CPU of a page
served from the page cache.

This limiter skips that hook while no such limit is configured, so reading a page
costs nothing of the limiter's; the day one is set (``RATELIMIT_DEFAULT``,
``RATELIMIT_APPLICATION``, a blueprint's limit, meta limits, fallback limits), the
hook runs as Flask-Limiter wrote it. What the skipped hook did besides is done by
the decorated check too: noticing that a storage that was unreachable is back.

It overrides Flask-Limiter's ``_check_request_limit``, which the hook and the
decorators both call (the decorators with ``in_middleware=False``);
tests/web/test_rate_limits.py fails if a later Flask-Limiter stops calling it so.
"""

from __future__ import annotations

from flask_limiter import Limiter


class RouteLimiter(Limiter):
    """A Limiter whose before-request check runs only when a limit beyond the
    decorated views exists."""

    def _check_request_limit(
        self, callable_name: str | None = None, in_middleware: bool = True
    ) -> None:
        if in_middleware and not self.limits_beyond_decorated_views():
            return
        super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)

    def limits_beyond_decorated_views(self) -> bool:
        """Whether a limit is configured that the before-request hook must check: one that
        applies to requests whatever their view's decorators."""
        manager = self.limit_manager
        return bool(
            manager._application_limits
            or manager._default_limits
            or manager._blueprint_limits
            or self._meta_limits
            or self._in_memory_fallback
        )
