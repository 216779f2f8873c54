"""The machinery in the request path: what every request passes through, whatever its page.

None of it is a page; each module owns one concern and the invariant it keeps.
``forum.web.register_web`` installs them (the order of the after-request hooks is
kept there), ``forum.create_app`` builds the app as ``reconnect.ForumApp``.

- ``page_cache``: whole rendered read pages per worker (``@cached_page``), keyed by
  path, language, reader and content generation. Invariant: a cached page shows
  nothing personal but through the reader's key, never a flash message, and is never
  served after a committed content change (the generation, forum/models/generation.py).
- ``reconnect``: a request whose database connection died before it committed
  anything is run once more (``ForumApp``, a Flask subclass); one that sent COMMIT
  is not; a session on a dead connection is closed without its ROLLBACK;
  ``commit_outcome`` tells the 500 page what became of the writes. Invariant: no
  write is ever run twice.
- ``rate_limits``: which routes are limited and by how much, one shared budget per
  kind for the pages and the API, Retry-After on every 429. Invariant: reading a
  form is never refused (only POSTs count for forms).
- ``visits``: page views handed to the process's in-memory ``VisitCounter``.
  Invariant: reading a page writes nothing to the database (visits are flushed in
  batches, forum/services/visits.py).
- ``body_limit``: WSGI middleware giving a chunked request body its length.
  Invariant: a body over ``MAX_CONTENT_LENGTH`` is refused with 413, never handled
  truncated.
- ``security_headers``: the security policies on every response (CSP, nosniff,
  frame denial, referrer policy, HSTS over HTTPS) and ``Cache-Control: private,
  no-store`` on what is rendered for a signed-in reader or an API token. Invariant:
  no page carries inline script or style (the policy forbids it), and no personal
  page stays in a browser's or a shared cache.
"""
