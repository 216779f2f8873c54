"""Where the official text of a cited document can be read: EUR-Lex for the EU
regulations, the European Commission's page for MDCG guidance, the Gazzetta Ufficiale
or Normattiva for Italian acts.

Pure data and one lookup, no database: a clause page links its document's official
text beside what the Centre wrote about it, so a reader can always check the source.
A document without a free official text (ISO standards are sold) or not listed here
gets no link rather than a guessed one. docs/fact-register.md lists the same links.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

_EUR_LEX = "https://eur-lex.europa.eu/legal-content/{language}/TXT/?uri=CELEX:{celex}"
# EUR-Lex serves each act in every official language; the page links its consolidated
# versions, so the reader lands on the law as amended.
_EU_REGULATIONS = {
    "MDR": "32017R0745",
    "IVDR": "32017R0746",
    "GDPR": "32016R0679",
    "CTR": "32014R0536",
}
_EUR_LEX_LANGUAGES = {"en": "EN", "it": "IT"}

MDCG_PAGE = (
    "https://health.ec.europa.eu/medical-devices-sector/new-regulations/"
    "guidance-mdcg-endorsed-documents-and-other-guidance_en"
)

# Italian acts as the citations name them (see forum.services.citations): the act as
# published in the Gazzetta Ufficiale, or on Normattiva where the act has been amended
# since and Normattiva shows its current wording.
_ITALIAN_ACTS = {
    "D.Lgs. 137/2022": (
        "https://www.gazzettaufficiale.it/eli/id/2022/09/13/22G00145/sg",
        "gazzetta",
    ),
    "D.Lgs. 138/2022": (
        "https://www.gazzettaufficiale.it/eli/id/2022/09/13/22G00146/sg",
        "gazzetta",
    ),
    "D.Lgs. 196/2003": (
        "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2003-06-30;196",
        "normattiva",
    ),
}

_LABELS = {
    "eur-lex": _l("The official text on EUR-Lex"),
    "mdcg": _l("The document on the European Commission's MDCG guidance page"),
    "gazzetta": _l("The official text in the Gazzetta Ufficiale"),
    "normattiva": _l("The official text on Normattiva, as amended"),
}


@dataclass(frozen=True)
class OfficialText:
    url: str
    source: str  # "eur-lex", "mdcg", "gazzetta" or "normattiva"

    @property
    def label(self):
        return _LABELS[self.source]


def official_text(clause: str, language: str = "en") -> OfficialText | None:
    """The official text of the document a clause (as ``citations.extract_clauses`` writes
    it) belongs to, in the reader's language where the publisher offers it; None if there
    is no free official text or the document is not listed."""
    document = clause.split(" Art. ")[0].split(" Annex ")[0]
    if document in _EU_REGULATIONS:
        return OfficialText(
            _EUR_LEX.format(
                language=_EUR_LEX_LANGUAGES.get(language, "EN"), celex=_EU_REGULATIONS[document]
            ),
            "eur-lex",
        )
    if document.startswith("MDCG "):
        return OfficialText(MDCG_PAGE, "mdcg")
    if document in _ITALIAN_ACTS:
        url, source = _ITALIAN_ACTS[document]
        return OfficialText(url, source)
    return None
