"""The demo's Italian: clinic specialties, populations and descriptions, and the survey.

Written through the services, as an admin would on the side-by-side pages. The demo
shows each state a reader meets: most labels translated; one population left untranslated
(Italian readers get the English, marked lang="en"); a draft survey whose English was
edited after its translation (outdated, with the date) and one of whose questions has no
Italian yet (missing). The centre's contact page gets the same "outdated" state in
forum/demo/centre_pages.py.
"""

from __future__ import annotations

from sqlalchemy import select

from forum.demo.survey import DEMO_SURVEY_TITLE
from forum.extensions import db
from forum.models import Clinic, LabelTranslation, Survey, SurveyItemKind, User
from forum.services import label_translations, survey_translation
from forum.services import survey as surveys
from forum.services.survey import ItemDraft
from forum.services.survey_translation import ItemTranslation, SurveyTranslation

SPECIALTIES_IT = {
    "Cardiac rehabilitation": "Riabilitazione cardiologica",
    "Cardiac surgery": "Cardiochirurgia",
    "Cardiology": "Cardiologia",
    "Clinical neurophysiology": "Neurofisiologia clinica",
    "Dermatology": "Dermatologia",
    "Diabetology": "Diabetologia",
    "Electrophysiology": "Elettrofisiologia",
    "Endocrinology": "Endocrinologia",
    "General surgery": "Chirurgia generale",
    "Geriatrics": "Geriatria",
    "Intensive care": "Terapia intensiva",
    "Interventional cardiology": "Cardiologia interventistica",
    "Neonatology": "Neonatologia",
    "Neurology": "Neurologia",
    "Neurorehabilitation": "Neuroriabilitazione",
    "Orthopaedics": "Ortopedia",
    "Paediatric neurology": "Neurologia pediatrica",
    "Paediatrics": "Pediatria",
    "Physical medicine": "Medicina fisica",
    "Rehabilitation": "Riabilitazione",
    "Sleep medicine": "Medicina del sonno",
    "Sports medicine": "Medicina dello sport",
    "Vascular surgery": "Chirurgia vascolare",
    "Wound care": "Vulnologia",
}
# "Surgical inpatients" is left untranslated on purpose: the demo's missing label.
POPULATIONS_IT = {
    "Adolescents with migraine": "Adolescenti con emicrania",
    "Adults after a stroke": "Adulti dopo un ictus",
    "Adults having hip or knee replacement": "Adulti sottoposti a protesi d'anca o di ginocchio",
    "Adults with chronic migraine": "Adulti con emicrania cronica",
    "Adults with chronic wounds": "Adulti con ferite croniche",
    "Adults with coronary artery disease": "Adulti con coronaropatia",
    "Adults with drug-resistant epilepsy": "Adulti con epilessia farmacoresistente",
    "Adults with heart failure": "Adulti con scompenso cardiaco",
    "Adults with type 2 diabetes": "Adulti con diabete di tipo 2",
    "Athletes with ligament injuries": "Atleti con lesioni legamentose",
    "Children and adolescents (0-17 years)": "Bambini e adolescenti (0-17 anni)",
    "Intensive care patients": "Pazienti in terapia intensiva",
    "Neonates": "Neonati",
    "Older adults": "Anziani",
    "Older adults with aortic valve disease": "Anziani con valvulopatia aortica",
    "Patients after cardiac surgery": "Pazienti dopo un intervento cardiochirurgico",
    "Patients with atrial fibrillation": "Pazienti con fibrillazione atriale",
    "People with Parkinson's disease": "Persone con malattia di Parkinson",
    "People with diabetic foot ulcers": "Persone con ulcere del piede diabetico",
    "Spinal cord injury": "Lesione del midollo spinale",
    "Upper-limb impairment": "Compromissione dell'arto superiore",
}
CLINIC_DESCRIPTIONS_IT = {
    "Centro Cardiologico Ambrosiano (demo)": "Laboratori di emodinamica ed elettrofisiologia, con un'unità di ricerca clinica "
    "esperta in studi first-in-human di dispositivi cardiaci.",
    "Ospedale Civico di Lario (demo)": "Ospedale generale con un ufficio ricerca che partecipa come centro satellite a "
    "studi multicentrici su dispositivi.",
    "Fondazione Neurologica Ticinese (demo)": "Unità di monitoraggio video-EEG e centro cefalee; esperienza in studi di "
    "neurostimolazione e di software per l'EEG.",
    "Clinica di Riabilitazione Città Alta (demo)": "Neuroriabilitazione in regime di ricovero e ambulatoriale, con una palestra "
    "robotica; conduce studi pragmatici e registrativi su dispositivi per la riabilitazione.",
    "Istituto Ortopedico Cidneo (demo)": "Protesica articolare e traumatologia dello sport; registro degli impianti dal 2010.",
    "Ospedale Pediatrico della Brianza (demo)": "Ospedale pediatrico con un gruppo di infermieri di ricerca formati sugli aspetti "
    "etici degli studi che includono minori.",
    "Casa di Cura Villa Resegone (demo)": "Casa di cura privata accreditata con il servizio sanitario regionale, nuova agli "
    "studi sui dispositivi e interessata a ospitarli.",
    "Ospedale Maggiore Padano (demo)": "Centro di cardiochirurgia con monitoraggio post-operatorio; interessato al "
    "monitoraggio indossabile dopo la dimissione.",
    "Presidio Ospedaliero del Verbano (demo)": "Reparto ospedaliero di riabilitazione e ambulatorio di diabetologia; ha condotto "
    "studi comparativi con il contributo di valutazioni HTA.",
    "Policlinico Virgiliano (demo)": "Centro di vulnologia; per ora partecipa soltanto a studi osservazionali.",
}

SURVEY_IT = SurveyTranslation(
    title_it="Quanto ti è utile il forum?",
    description_it=(
        "A sei mesi dall'apertura del forum, il centro vorrebbe sapere quanto ti è utile. "
        "Il questionario richiede circa due minuti; ogni persona risponde una sola volta."
    ),
)
# In the order of forum/demo/survey.py's DEMO_ITEMS; options in the English options' order.
SURVEY_ITEMS_IT = (
    ItemTranslation("Le risposte ricevute sono state utili per la mia indagine clinica."),
    ItemTranslation(
        "Come hai conosciuto il forum?",
        (
            "Da un collega",
            "Dalla newsletter del centro",
            "A un evento regionale",
            "Con una ricerca sul web",
            "Altro",
        ),
    ),
    ItemTranslation(
        "Quali parti del forum hai usato?",
        (
            "Domande e risposte",
            "FAQ",
            "Guida ai requisiti",
            "Elenco degli esperti",
            "Risposte del comitato",
        ),
    ),
    ItemTranslation("Con quale probabilità consiglieresti il forum a un collega?"),
    ItemTranslation("Che cosa dovrebbe migliorare il centro?"),
)

DRAFT_SURVEY_TITLE = "Referrals to clinics: how did it go?"


def seed_translations(admin: User) -> None:
    """Write the demo's Italian labels, clinic descriptions and survey text, unless done."""
    if db.session.scalar(select(LabelTranslation.id).limit(1)) is None:
        typed = {}
        for row in label_translations.translation_rows():
            names = {"specialty": SPECIALTIES_IT, "population": POPULATIONS_IT}.get(row.kind)
            if names is not None and row.english in names:
                typed[row.key] = names[row.english]
        label_translations.save_translations(admin, typed)
    for clinic in db.session.scalars(select(Clinic)):
        if not clinic.description_it and clinic.name in CLINIC_DESCRIPTIONS_IT:
            clinic.description_it = CLINIC_DESCRIPTIONS_IT[clinic.name]
    db.session.commit()
    _translate_demo_survey(admin)
    _seed_draft_survey(admin)


def _translate_demo_survey(admin: User) -> None:
    survey = db.session.scalar(select(Survey).where(Survey.title == DEMO_SURVEY_TITLE))
    if survey is None or survey.title_it:
        return
    items = {item.id: text for item, text in zip(survey.items, SURVEY_ITEMS_IT)}
    survey_translation.translate(
        survey, admin, SurveyTranslation(SURVEY_IT.title_it, SURVEY_IT.description_it, items)
    )


def _seed_draft_survey(admin: User) -> None:
    """A draft translated, then edited in English: one question outdated, one missing."""
    if db.session.scalar(select(Survey.id).where(Survey.title == DRAFT_SURVEY_TITLE)):
        return
    survey = surveys.create_survey(
        admin,
        DRAFT_SURVEY_TITLE,
        "For members whose question was referred to a clinic: three questions.",
    )
    first = surveys.add_item(
        survey,
        admin,
        ItemDraft(SurveyItemKind.LIKERT, "The clinic we were referred to suited our device."),
    )
    surveys.add_item(
        survey,
        admin,
        ItemDraft(SurveyItemKind.TEXT, "What would have made the referral faster?", required=False),
    )
    survey_translation.translate(
        survey,
        admin,
        SurveyTranslation(
            "Invii ai centri clinici: com'è andata?",
            "Per i membri la cui domanda è stata inviata a un centro clinico: tre domande.",
            {
                first.id: ItemTranslation(
                    "Il centro clinico a cui siamo stati indirizzati era "
                    "adatto al nostro dispositivo."
                )
            },
        ),
    )
    # The English changes after the translation: the Italian of this item is now outdated.
    surveys.edit_item(
        first,
        admin,
        ItemDraft(
            SurveyItemKind.LIKERT, "The clinic we were referred to suited our device and study."
        ),
    )
    surveys.add_item(
        survey,
        admin,
        ItemDraft(
            SurveyItemKind.SINGLE,
            "Who contacted the clinic first?",
            ("The expert", "We did", "The clinic"),
        ),
    )
