"""Italy's provinces and metropolitan cities by their two-letter codes (the ones on number
plates and in addresses), with the region each lies in.

The 107 codes in use before Sardinia's 2025 reorganisation of its provinces; the codes of
the new Sardinian provinces were not settled when this was written, so "SU" (Sud Sardegna)
stays. Regions are named as in the Constitution's article 131, in Italian in both languages.
"""

from __future__ import annotations

REGIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "Lombardia": (
        ("BG", "Bergamo"),
        ("BS", "Brescia"),
        ("CO", "Como"),
        ("CR", "Cremona"),
        ("LC", "Lecco"),
        ("LO", "Lodi"),
        ("MN", "Mantova"),
        ("MI", "Milano"),
        ("MB", "Monza e della Brianza"),
        ("PV", "Pavia"),
        ("SO", "Sondrio"),
        ("VA", "Varese"),
    ),
    "Piemonte": (
        ("AL", "Alessandria"),
        ("AT", "Asti"),
        ("BI", "Biella"),
        ("CN", "Cuneo"),
        ("NO", "Novara"),
        ("TO", "Torino"),
        ("VB", "Verbano-Cusio-Ossola"),
        ("VC", "Vercelli"),
    ),
    "Valle d'Aosta": (("AO", "Aosta"),),
    "Liguria": (("GE", "Genova"), ("IM", "Imperia"), ("SP", "La Spezia"), ("SV", "Savona")),
    "Trentino-Alto Adige": (("BZ", "Bolzano"), ("TN", "Trento")),
    "Veneto": (
        ("BL", "Belluno"),
        ("PD", "Padova"),
        ("RO", "Rovigo"),
        ("TV", "Treviso"),
        ("VE", "Venezia"),
        ("VR", "Verona"),
        ("VI", "Vicenza"),
    ),
    "Friuli-Venezia Giulia": (
        ("GO", "Gorizia"),
        ("PN", "Pordenone"),
        ("TS", "Trieste"),
        ("UD", "Udine"),
    ),
    "Emilia-Romagna": (
        ("BO", "Bologna"),
        ("FE", "Ferrara"),
        ("FC", "Forlì-Cesena"),
        ("MO", "Modena"),
        ("PR", "Parma"),
        ("PC", "Piacenza"),
        ("RA", "Ravenna"),
        ("RE", "Reggio Emilia"),
        ("RN", "Rimini"),
    ),
    "Toscana": (
        ("AR", "Arezzo"),
        ("FI", "Firenze"),
        ("GR", "Grosseto"),
        ("LI", "Livorno"),
        ("LU", "Lucca"),
        ("MS", "Massa-Carrara"),
        ("PI", "Pisa"),
        ("PT", "Pistoia"),
        ("PO", "Prato"),
        ("SI", "Siena"),
    ),
    "Umbria": (("PG", "Perugia"), ("TR", "Terni")),
    "Marche": (
        ("AN", "Ancona"),
        ("AP", "Ascoli Piceno"),
        ("FM", "Fermo"),
        ("MC", "Macerata"),
        ("PU", "Pesaro e Urbino"),
    ),
    "Lazio": (
        ("FR", "Frosinone"),
        ("LT", "Latina"),
        ("RI", "Rieti"),
        ("RM", "Roma"),
        ("VT", "Viterbo"),
    ),
    "Abruzzo": (("AQ", "L'Aquila"), ("CH", "Chieti"), ("PE", "Pescara"), ("TE", "Teramo")),
    "Molise": (("CB", "Campobasso"), ("IS", "Isernia")),
    "Campania": (
        ("AV", "Avellino"),
        ("BN", "Benevento"),
        ("CE", "Caserta"),
        ("NA", "Napoli"),
        ("SA", "Salerno"),
    ),
    "Puglia": (
        ("BA", "Bari"),
        ("BT", "Barletta-Andria-Trani"),
        ("BR", "Brindisi"),
        ("FG", "Foggia"),
        ("LE", "Lecce"),
        ("TA", "Taranto"),
    ),
    "Basilicata": (("MT", "Matera"), ("PZ", "Potenza")),
    "Calabria": (
        ("CZ", "Catanzaro"),
        ("CS", "Cosenza"),
        ("KR", "Crotone"),
        ("RC", "Reggio Calabria"),
        ("VV", "Vibo Valentia"),
    ),
    "Sicilia": (
        ("AG", "Agrigento"),
        ("CL", "Caltanissetta"),
        ("CT", "Catania"),
        ("EN", "Enna"),
        ("ME", "Messina"),
        ("PA", "Palermo"),
        ("RG", "Ragusa"),
        ("SR", "Siracusa"),
        ("TP", "Trapani"),
    ),
    "Sardegna": (
        ("CA", "Cagliari"),
        ("NU", "Nuoro"),
        ("OR", "Oristano"),
        ("SS", "Sassari"),
        ("SU", "Sud Sardegna"),
    ),
}

# code -> (name, region)
PROVINCES: dict[str, tuple[str, str]] = {
    code: (name, region) for region, provinces in REGIONS.items() for code, name in provinces
}


def region_of(code: str) -> str | None:
    """The region of the province with this code, or None for an unknown code."""
    found = PROVINCES.get(code)
    return found[1] if found else None


def province_choices() -> list[tuple[str, str]]:
    """(code, "MI · Milano") for a select, grouped by region (Lombardy first) as the list reads."""
    return [
        (code, f"{code} · {name}") for provinces in REGIONS.values() for code, name in provinces
    ]
