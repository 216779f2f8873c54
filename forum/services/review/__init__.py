"""The six-month review for the regional review meeting: each module owns one part;
callers import the one they use.

- ``period``: the period reviewed and the tables as values (shared by the rest).
- ``served``: whom the centre served: the distinct organisations served by kind and
  place, and the funded projects counselled (the one table that names).
- ``summary``: the summary the Region reads first (the action plan's three figures
  with the previous period and the targets, then the tables of ``served``, answers,
  the experts' workload, trials by device class and by stage), in order.
- ``figures``: every table of the review, the summary first, built from the
  forum's own records; contact details scrubbed from quoted survey answers.
- ``network``: the Lombardy–Limburg network's section: organisations mapped, introductions
  by state, visits held, joint project ideas and proposals, as at the period's end.
- ``export``: the tables as an XLSX workbook or CSV files.
- ``report``: the review's report for a period (targets and notes admins set),
  and its PDF.
"""
