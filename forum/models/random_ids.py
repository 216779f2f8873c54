"""Random ids for the rows whose ids are in URLs and could count confidential ones.

Sequential ids leave gaps: a member who asks twice a day apart and sees ids 41
and 47 knows five questions were asked in between that they cannot open, i.e.
confidential ones (issue 20, finding 8). Questions, answers, comments and board
answers therefore take a random id, drawn with ``secrets`` from FIRST .. LAST,
so neighbouring ids say nothing about what lies between them. URLs keep their
shape (``/questions/<int>``) and the API its integer ids.

The range starts above every id a sequence handed out before (rows made before
this change, or inserted without the ORM, keep small sequential ids) and ends at
the largest value of an INTEGER column, which is also the bound of the routes'
``DatabaseIdConverter``. A drawn id that is taken is drawn again: the check is a
primary-key lookup on the insert's own connection. Two writers drawing the same
free id at the same instant (about one chance in two billion each) would both
pass the check; the primary key then refuses the second insert, so a row is never
overwritten, and that one request fails.
"""

from __future__ import annotations

import secrets

from sqlalchemy import event, select

FIRST_RANDOM_ID = 2**24  # 16,777,216
LAST_RANDOM_ID = 2**31 - 1


def draw_id() -> int:
    return FIRST_RANDOM_ID + secrets.randbelow(LAST_RANDOM_ID - FIRST_RANDOM_ID + 1)


def _assign_random_id(mapper, connection, target) -> None:
    if target.id is not None:  # given explicitly (a restore, a test): kept
        return
    id_column = mapper.local_table.c.id
    while True:
        candidate = draw_id()
        if connection.scalar(select(id_column).where(id_column == candidate)) is None:
            target.id = candidate
            return


def random_ids(model):
    """Class decorator: the model's rows get a random, unused id when inserted."""
    event.listen(model, "before_insert", _assign_random_id)
    return model
