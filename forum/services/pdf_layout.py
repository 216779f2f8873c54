"""HTML laid out as a PDF by WeasyPrint, with nothing fetched: the guide's releases and
the review meeting's report are both made here.

WeasyPrint (with Pango, HarfBuzz and their fonts) is some 22 MB of every process that
imports it, and only a PDF download needs it: it is imported by the first PDF a worker
lays out, not when the worker starts, so a serving worker that never makes one never
carries it.
"""

from __future__ import annotations


def pdf_of(html: str, stylesheet_path: str) -> bytes:
    """``html`` laid out with the print stylesheet at ``stylesheet_path``.

    No image or stylesheet a text names is fetched: a member's text could otherwise make
    the server call any address while the PDF is made.
    """
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher, URLFetchingError

    class NothingFetched(URLFetcher):
        def fetch(self, url, headers=None):
            raise URLFetchingError(f"not fetched: {url}")

    return HTML(string=html, url_fetcher=NothingFetched()).write_pdf(
        stylesheets=[CSS(filename=stylesheet_path)]
    )
