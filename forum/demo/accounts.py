"""The demo's organisations and people. Every name and company is fictional."""
from __future__ import annotations

from forum.models import ExpertArea, OrganisationKind, Role

DEMO_ORGANISATIONS = {
    "brianza": ("Brianza MedTech S.r.l.", OrganisationKind.SME),
    "neurosense": ("NeuroSense S.r.l.", OrganisationKind.START_UP),
    "irbl": ("Istituto di Ricerca Biomedica Lombardo", OrganisationKind.RESEARCH),
    "cardioflow": ("CardioFlow S.r.l.", OrganisationKind.SME),
    "ateneo": ("Ateneo Lombardo di Bioingegneria", OrganisationKind.UNIVERSITY),
    "policlinico": ("Policlinico del Lario", OrganisationKind.HOSPITAL),
    "valtellina": ("Valtellina Medical Devices S.r.l.", OrganisationKind.SME),
    "centre": ("Clinical Trials Competence Centre", OrganisationKind.RESEARCH),
    "lampo": ("Lampo Certificazioni S.r.l.", OrganisationKind.SME),
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
    # A new account whose adverts the moderators handle (forum/demo/moderation.py).
    "member_luca": ("luca.fontana@lampo-cert.example", "Luca Fontana", "luca-demo-2026",
                    Role.MEMBER, None, False, "lampo",
                    "member, new account whose adverts were flagged and marked as spam"),
}
