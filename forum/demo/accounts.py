"""The demo's organisations and people. Every name and company is fictional."""
from __future__ import annotations

from forum.models import ExpertArea, OrganisationKind, Role

# key: (name, kind, province, partita IVA, website); all in Lombardy. The partite IVA are
# made up, with a valid check digit. "cardioflow_twin" is CardioFlow registered a second
# time by a colleague, spelled differently: the pair admins merge at /admin/organisations.
DEMO_ORGANISATIONS = {
    "brianza": ("Brianza MedTech S.r.l.", OrganisationKind.SME, "MB", "03123456786",
                "https://www.brianza-medtech.example"),
    "neurosense": ("NeuroSense S.r.l.", OrganisationKind.START_UP, "MI", "02987654320",
                   "https://neurosense.example"),
    "irbl": ("Istituto di Ricerca Biomedica Lombardo", OrganisationKind.RESEARCH, "MI", None,
             "https://www.irbl.example"),
    "cardioflow": ("CardioFlow S.r.l.", OrganisationKind.SME, "BS", "04122334453",
                   "https://cardioflow.example"),
    "cardioflow_twin": ("Cardioflow Srl", OrganisationKind.SME, "BS", "04122334453", None),
    "ateneo": ("Ateneo Lombardo di Bioingegneria", OrganisationKind.UNIVERSITY, "PV", None,
               "https://www.ateneo-bioingegneria.example"),
    "policlinico": ("Policlinico del Lario", OrganisationKind.HOSPITAL, "CO", "01335577993",
                    None),
    "valtellina": ("Valtellina Medical Devices S.r.l.", OrganisationKind.SME, "SO",
                   "08246813573", None),
    "centre": ("Clinical Trials Competence Centre", OrganisationKind.RESEARCH, "MI", None,
               "https://ctcc.example"),
    "lampo": ("Lampo Certificazioni S.r.l.", OrganisationKind.SME, "MI", None, None),
}

# key: (e-mail, name, password, role, area, chair, organisation key, description)
DEMO_ACCOUNTS = {
    "admin_giulia": ("admin@ctcc.example", "Giulia Ferri", "giulia-demo-2026",
                     Role.ADMIN, None, False, "centre", "admin (the centre's curator)"),
    "expert_marco": ("marco.bellini@ateneo.example", "Prof. Marco Bellini", "marco-demo-2026",
                     Role.EXPERT, ExpertArea.UNIVERSITY, True, "ateneo",
                     "expert, university, board chair"),
    "expert_elena": ("elena.russo@irbl.example", "Dr Elena Russo", "elena-demo-2026",
                     Role.EXPERT, ExpertArea.RESEARCH, False, "irbl", "expert, research"),
    "expert_paolo": ("paolo.conti@policlinico.example", "Dr Paolo Conti", "paolo-demo-2026",
                     Role.EXPERT, ExpertArea.CLINICAL, False, "policlinico", "expert, clinical"),
    "expert_sara": ("sara.galli@valtellina-md.example", "Ing. Sara Galli", "sara-demo-2026",
                    Role.EXPERT, ExpertArea.SME, False, "valtellina", "expert, SME"),
    "expert_chiara": ("chiara.marino@ctcc.example", "Dr Chiara Marino", "chiara-demo-2026",
                      Role.EXPERT, ExpertArea.REGULATORY, False, "centre", "expert, regulatory"),
    "member_anna": ("anna.colombo@brianza-medtech.example", "Anna Colombo", "anna-demo-2026",
                    Role.MEMBER, None, False, "brianza", "member, SME"),
    "member_davide": ("davide.ricci@neurosense.example", "Davide Ricci", "davide-demo-2026",
                      Role.MEMBER, None, False, "neurosense", "member, start-up"),
    "member_francesca": ("francesca.greco@irbl.example", "Francesca Greco", "francesca-demo-2026",
                         Role.MEMBER, None, False, "irbl", "member, research organisation"),
    "member_matteo": ("matteo.bruno@cardioflow.example", "Matteo Bruno", "matteo-demo-2026",
                      Role.MEMBER, None, False, "cardioflow", "member, SME"),
    "member_luca": ("luca.moretti@cardioflow.example", "Luca Moretti", "luca-demo-2026",
                    Role.MEMBER, None, False, "cardioflow_twin",
                    "member, SME (his company registered twice: merge it)"),
    # A new account whose adverts the moderators handle (forum/demo/moderation.py).
    "member_fontana": ("luca.fontana@lampo-cert.example", "Luca Fontana", "luca-demo-2026",
                    Role.MEMBER, None, False, "lampo",
                    "member, new account whose adverts were flagged and marked as spam"),
}
