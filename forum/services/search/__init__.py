"""Search over questions, answers, board answers, the FAQ and the guide.

Each module owns one part; callers import the one they use:

- ``finder``: the interface pages and the API call (``search``, ``suggest``,
  ``reindex_all``), the filters, the bounded pool of candidates, the hits.
- ``index``: the indexed documents and their terms (``index_question``,
  ``index_answer``, ... ``remove``), called through services/content.py, where each
  kind of text is registered, by the services that write content.
- ``terms``: how text becomes terms (folding, stop words, English and Italian
  stems), queries as term groups with their translations, the passages snippets
  show (data: the web layer marks them, forum/web/search/hits.py).
- ``glossary``: the Italian and English words of the field that mean the same.
- ``ranking``: the relevance score both engines give (PostgreSQL's ts_rank times
  each query word's rarity).
- ``threads``: the thread a document belongs to (its question, or the question an
  FAQ entry was drawn from), by which results are grouped, in SQL.
- ``sqlite`` and ``postgres``: each engine's probe, exact ranking and bounded
  candidates, chosen by the database in use.
"""
