"""A page of a list as the API answers it: the items, the counts, and links to the
first, last and neighbouring pages with the caller's own filters kept."""

from __future__ import annotations

from flask import request, url_for


def paginated(items: list, *, total: int, page: int, per_page: int) -> dict:
    """A page of a list, with links to its neighbours (the same filters kept)."""
    pages = max((total + per_page - 1) // per_page, 1)

    def link(number: int | None) -> str | None:
        if number is None:
            return None
        # The caller's own parameters, less any that url_for would read as its options.
        args = {key: value for key, value in request.args.items() if not key.startswith("_")}
        args.update(page=number, per_page=per_page)
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
        "links": {
            "self": link(page),
            "first": link(1),
            "last": link(pages),
            "prev": link(page - 1 if page > 1 else None),
            "next": link(page + 1 if page < pages else None),
        },
    }
