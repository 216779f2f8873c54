"""Italian and English words of the field that mean the same, for search queries.

Members write in both languages and most answers are in English: a query for
"comitato etico" should find "ethics committee", and "informed consent" should
find "consenso informato". Each query word brings the terms of its
translations (forum/services/search_text.py); the index is not touched, so
the glossary can grow without a reindex.
"""
from __future__ import annotations

from functools import lru_cache

# (Italian words, English words): any word on one side stands for any on the other.
# Words, not phrases: "comitato etico" is found through "comitato" and "etico".
PAIRS: list[tuple[str, str]] = [
    ("comitato", "committee"),
    ("etico etica etici", "ethics ethical"),
    ("consenso", "consent"),
    ("informato", "informed"),
    ("dispositivo dispositivi", "device devices"),
    ("medico medica medici", "medical"),
    ("sperimentazione indagine", "investigation trial study"),
    ("clinico clinica clinici cliniche", "clinical clinic"),
    ("studio studi", "study"),
    ("paziente pazienti", "patient patients"),
    ("soggetti partecipanti", "subjects participants"),
    ("campione", "sample"),
    ("dimensione numerosita", "size"),
    ("dati", "data"),
    ("protezione", "protection"),
    ("riservatezza", "privacy confidentiality"),
    ("assicurazione assicurativa polizza", "insurance"),
    ("risarcimento indennizzo", "compensation"),
    ("costo costi tariffa tariffe", "cost costs fee fees"),
    ("evento eventi", "event events"),
    ("avverso avversi", "adverse"),
    ("grave gravi", "serious"),
    ("segnalazione segnalare", "reporting report"),
    ("notifica notificare", "notification notify"),
    ("ministero", "ministry"),
    ("salute sanitario sanitaria", "health"),
    ("autorizzazione", "authorisation authorization approval"),
    ("parere", "opinion"),
    ("marcatura marchio", "marking"),
    ("organismo", "body"),
    ("notificato", "notified"),
    ("intelligenza", "intelligence"),
    ("artificiale", "artificial"),
    ("algoritmo", "algorithm"),
    ("diagnostico diagnostica", "diagnostic"),
    ("impianto impiantabile", "implant implantable"),
    ("protesi", "prosthesis implant"),
    ("anca", "hip"),
    ("ginocchio", "knee"),
    ("catetere", "catheter"),
    ("cerotto", "patch"),
    ("sensore", "sensor"),
    ("indossabile", "wearable"),
    ("ospedale ospedali", "hospital"),
    ("centro centri", "site sites centre center"),
    ("sperimentatore", "investigator"),
    ("promotore", "sponsor"),
    ("protocollo", "protocol plan"),
    ("piano", "plan"),
    ("primario", "primary"),
    ("comparatore", "comparator"),
    ("randomizzazione", "randomisation"),
    ("cieco", "blinding blind"),
    ("modifica modifiche emendamento", "modification amendment change"),
    ("sostanziale sostanziali", "substantial"),
    ("rapporto relazione", "report"),
    ("finale", "final"),
    ("chiusura", "close closure"),
    ("registro", "registry"),
    ("sorveglianza", "surveillance"),
    ("rimborso rimborsabilita", "reimbursement"),
    ("valutazione", "assessment evaluation"),
    ("tecnologia tecnologie", "technology"),
    ("minori minorenni bambini", "minors children"),
    ("adolescenti", "adolescents"),
    ("popolazione", "population"),
    ("requisiti", "requirements"),
    ("tempi tempistiche", "time timeline"),
    ("durata", "duration"),
    ("usabilita", "usability"),
    ("prestazioni", "performance"),
    ("equivalenza", "equivalence"),
    ("farmaco farmaci medicinale", "drug medicine medicinal"),
    ("combinato combinazione", "combination combined"),
    ("rischio rischi", "risk"),
    ("classe", "class"),
    ("sicurezza", "safety"),
    ("vigilanza", "vigilance"),
    ("documenti documentazione", "documents documentation"),
    ("giuridica", "legal"),
    ("riutilizzo riutilizzare", "reuse"),
    ("addestrare addestramento", "train training retrain"),
    ("sangue", "blood"),
    ("prelievo prelievi", "draw draws"),
    ("epilessia", "epilepsy"),
    ("crisi", "seizure seizures"),
    ("software", "software"),
    ("regolamento", "regulation"),
    ("normativa norme", "rules regulation"),
    ("percorso", "pathway"),
    ("sito", "site"),
    ("firma", "signature"),
    ("italia", "italy"),
    ("italiano italiana italiani", "italian"),
    ("costa costare", "cost costs fee fees charge"),
    ("quanto", "much"),
    ("interrompere interrompiamo interruzione sospendere sospensione", "stop halt termination"),
    ("anticipata anticipatamente", "early"),
    ("avvisare informare comunicare", "tell inform notify"),
    ("entro", "within"),
    ("titolare titolari", "controller controllers"),
    ("trattamento", "processing"),
    ("azienda impresa", "company"),
    ("retrospettivo retrospettiva retrospettivi", "retrospective"),
    ("cartella cartelle", "records"),
    ("pubblicazione pubblicare pubblico pubblica", "publication publish public published"),
    ("concorrenti", "competitors"),
    ("obbligatorio obbligatoria", "mandatory"),
    ("primo", "first"),
    ("uomo", "human"),
    ("arruolamento arruolare", "enrolment enrol enrolled"),
    ("fase fasi", "stage stages"),
    ("consulenza", "advice"),
    ("trasferimento trasferimenti", "transfer transfers"),
]


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    # Imported here: search_text imports this module at its top.
    from forum.services.search_text import word_terms

    table: dict[str, list[str]] = {}
    for italian, english in PAIRS:
        italian_terms = [term for word in italian.split() for term in word_terms(word)]
        english_terms = [term for word in english.split() for term in word_terms(word)]
        for term in italian_terms:
            table.setdefault(term, []).extend(english_terms)
        for term in english_terms:
            table.setdefault(term, []).extend(italian_terms)
    return {term: tuple(dict.fromkeys(others)) for term, others in table.items()}


def translations(term: str) -> tuple[str, ...]:
    """The terms of the words that translate the word ``term`` came from (often none)."""
    return _table().get(term, ())
