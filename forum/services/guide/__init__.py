"""The requirements guide's services, a module a concern. Import the module you use
(``from forum.services.guide import editing``): nothing is re-exported here.

- ``markdown``: the guide's Markdown, pure (no database): parsing a file into a tree,
  rendering it back in the canonical form, the checks a title and a body must pass.
- ``checks``: what curating must pass, for the modules below: who may curate, a section's
  title and body.
- ``versions``: reading the releases: the list, the latest, one by its version, its text.
- ``tree``: the current guide read from the database as a tree of sections (one query),
  with its law-change notices and the latest release; its Markdown export.
- ``history``: a section's revisions with their diffs and the answers they were drawn from.
- ``importing``: the whole English file replacing the guide in one transaction, sections
  matched by anchor so their history survives; audit, citations and search index.
- ``editing``: curating the English text section by section: editing (compare-and-set on
  the revision number), adding, placing and reviewing sections, an admin's text drawn
  from an answer; audit, citations and search index for each action.
- ``changes``: what changed between two versions, section by section: two releases, the
  current text against the latest release, the changelog.
- ``translated``: the guide in the other languages: each section's translation, reading the
  guide (current or a release) in a language, the translated file, its import and export.
- ``publishing``: making a release (a draft, or published at once from the command line)
  with every language frozen, its contributors, its approval by a chair or by the board's
  quorum, its PDF.
- ``proposals``: experts' proposals of a section's text or translation, accepted or
  declined by the admins.

A module imports only modules listed before it, so there is no import cycle.
"""
