"""The search's stemmers are PyStemmer's, in C (a dependency since issue 27): snowballstemmer
hands them out by itself when PyStemmer is importable, and they stem as its own do."""

from __future__ import annotations

from pathlib import Path

import snowballstemmer
import Stemmer
from snowballstemmer.english_stemmer import EnglishStemmer
from snowballstemmer.italian_stemmer import ItalianStemmer

from forum.config import PROJECT_ROOT
from forum.services.search import terms
from forum.services.search.terms import WORD


def _guide_words(name: str) -> list[str]:
    text = Path(PROJECT_ROOT, "docs", name).read_text(encoding="utf-8").lower()
    return sorted(set(WORD.findall(text)))


def test_the_search_stems_with_pystemmers_c_stemmers():
    assert snowballstemmer.stemmer is Stemmer.Stemmer
    assert isinstance(terms._ENGLISH, Stemmer.Stemmer)
    assert isinstance(terms._ITALIAN, Stemmer.Stemmer)


def test_the_c_stemmers_stem_the_guides_words_as_snowballstemmers_python_ones():
    for name, python_stemmer, stemmer in (
        ("requirements_guide.md", EnglishStemmer(), terms._ENGLISH),
        ("requirements_guide.it.md", ItalianStemmer(), terms._ITALIAN),
    ):
        words = _guide_words(name)
        assert len(words) > 1000  # it really read the guide
        assert stemmer.stemWords(words) == python_stemmer.stemWords(words)
    assert terms._ENGLISH.stemWord("randomized") == "random"
