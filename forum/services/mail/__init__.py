"""What the forum sends people: each module owns one part; callers import the one they use.

- ``notifications``: who is told of what (in-app notifications and their e-mails,
  each person's settings), in the recipient's language.
- ``outbox``: the e-mails waiting to go, sent by ``flask send-mail`` with retries;
  one sender claims a message, and a message about a text hidden before it went
  is withdrawn.
- ``digests``: the daily and weekly digests (``flask send-digests``).
- ``letters``: the language an e-mail is written in, its reader's (every module that
  writes an e-mail uses it).
"""
