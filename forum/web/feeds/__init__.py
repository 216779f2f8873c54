"""Atom feeds of new FAQ entries, guide releases and a topic's public questions."""
