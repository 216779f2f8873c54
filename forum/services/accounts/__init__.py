"""A person's account: who they are to the forum, how they sign in, and what they and the
admins do with it. Import the module you use (``from forum.services.accounts import
registration``): nothing is re-exported here.

- ``api_tokens``: personal API tokens: minted and revoked by their owner, resolved on
  every API request, revoked all at once by a new password.
- ``credentials``: the e-mail and password one signs in with: the password rules and
  hashing, finding an account by address, login, the session loader, a new password
  (changed, or set by a reset) with its e-mailed notice, signing out everywhere.
- ``creation``: making an account (the command line, the demo, tests, registration's last
  step), with its organisation found or added.
- ``password_reset``: a forgotten password reset through a signed link sent by e-mail.
- ``registration``: self-registration in two steps, through a signed link sent by e-mail.
- ``profile``: a person's own details: name, organisation, language, and a new e-mail
  address confirmed through a signed link.
- ``data_export``: the download of everything the forum holds about the person (GDPR).
- ``deletion``: deleting one's account (GDPR): anonymised in place, the name and address
  taken out of the records that copied them, confidential questions forgotten.
- ``user_admin``: the admins' decisions about other people's accounts: roles, areas, the
  chair, deactivation and reactivation.

A module imports only modules listed before it, so there is no import cycle.
"""
