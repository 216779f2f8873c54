"""The six-month review for the regional review meeting: each module owns one part;
callers import the one they use.

- ``period``: the period reviewed and the tables as values (shared by the rest).
- ``summary``: the summary the Region reads first (targets, trials facilitated,
  organisations served by kind and place, funded projects).
- ``figures``: every table of the review, the summary first, built from the
  forum's own records; contact details scrubbed from quoted survey answers.
- ``export``: the tables as an XLSX workbook or CSV files.
- ``report``: the review's report for a period (targets and notes admins set),
  and its PDF.
"""
