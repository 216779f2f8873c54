"""Searches as the centre's members type them, each with the demo text it must find.

Written against the demo content (forum/demo): paraphrases, none a copy of a
title, some in Italian. tests/unit/test_search_relevance.py holds search to finding
each item in the top three; `make bench` asks them at scale, among synthetic
texts that hold some of their words often and others never.
"""

from __future__ import annotations

# (query, (kind, what identifies the item)): a question or an FAQ entry by the start of
# its title, a guide section by its anchor.
RELEVANCE_SET = [
    # English
    (
        "clinical data needed for EEG seizure detection software to get the CE mark",
        ("question", "What clinical evidence does an AI tool that flags seizures"),
    ),
    (
        "how much does the ministry charge for a first in human trial",
        ("question", "Which fees do we pay in Italy"),
    ),
    (
        "how many patients do we need in a pivotal trial of a rehab robot",
        ("question", "How do we justify the sample size"),
    ),
    (
        "is agreeing to take part in the study enough as legal basis under GDPR",
        ("question", "Is the informed consent form also our GDPR legal basis"),
    ),
    (
        "extra blood samples in a post-market follow-up study, must we tell anyone",
        ("question", "Our PMCF study of a CE-marked ECG patch"),
    ),
    (
        "one ethics opinion valid for every centre in a multicentre study",
        ("question", "Which ethics committee reviews a multicentre device study"),
    ),
    (
        "side effects in a catheter trial: what to report and deadlines",
        ("question", "Which adverse events from our catheter study"),
    ),
    (
        "insurance policy for trial participants, how long must it last",
        ("question", "What insurance cover do we need"),
    ),
    (
        "can a private clinic be a trial site",
        ("question", "What makes a private rehabilitation clinic suitable"),
    ),
    (
        "use the EEG recordings from our trial to retrain the model",
        ("question", "Can we reuse EEG data from our clinical study"),
    ),
    (
        "atrial fibrillation detection after heart surgery with an ECG patch we already sell",
        ("question", "We want to test our CE-marked ECG patch for AF detection"),
    ),
    (
        "what goes into the investigation plan for a knee or hip prosthesis",
        ("question", "What must the clinical investigation plan for an orthopaedic implant"),
    ),
    (
        "do we need the ethics approval before submitting to the ministry",
        ("question", "Must we have the ethics committee's opinion"),
    ),
    (
        "teenagers in a headache neurostimulation trial",
        ("question", "Can we include adolescents aged 12-17"),
    ),
    (
        "changing the primary outcome of a trial that has already started",
        ("question", "Can we change the primary endpoint"),
    ),
    (
        "control group that HTA bodies and payers will accept",
        ("question", "Should our pivotal robot study have a comparator"),
    ),
    (
        "registry of a robot used within its intended purpose",
        ("question", "Which rules apply to a registry of our CE-marked robot"),
    ),
    (
        "is usability testing with doctors a clinical investigation",
        ("question", "Are a usability test with neurologists"),
    ),
    (
        "end of study report after first in human, will it be published",
        ("question", "Our first-in-human study is finished"),
    ),
    ("which changes count as substantial modifications", ("guide", "substantial-modifications")),
    ("what should the investigator's brochure contain", ("guide", "investigator-s-brochure")),
    ("consent rules for incapacitated adults and pregnant women", ("guide", "informed-consent")),
    (
        "first steps for an in vitro diagnostic performance study",
        ("guide", "first-steps-for-an-ivd-study"),
    ),
    (
        "device delivering a medicine: which law governs the product",
        ("guide", "which-law-governs-the-product"),
    ),
    ("planning post-market clinical follow-up", ("guide", "planning-a-pmcf-study")),
    ("keeping old study records: for how many years", ("guide", "records")),
    ("timeline of the deadlines", ("guide", "timeline-of-the-main-deadlines")),
    (
        "how much are the fees for a first study of a heart catheter",
        ("faq", "Which fees do we pay in Italy"),
    ),
    # Italian
    ("quanto costa una sperimentazione in Italia", ("question", "Which fees do we pay in Italy")),
    (
        "serve il parere del comitato etico prima del ministero?",
        ("question", "Must we have the ethics committee's opinion"),
    ),
    (
        "consenso informato e base giuridica per i dati",
        ("question", "Is the informed consent form also our GDPR legal basis"),
    ),
    (
        "segnalazione degli eventi avversi gravi: entro quanto tempo",
        ("faq", "Which adverse events from our catheter study"),
    ),
    ("assicurazione per i pazienti dello studio", ("question", "What insurance cover do we need")),
    ("modifiche sostanziali allo studio in corso", ("guide", "substantial-modifications")),
    ("studio con minori adolescenti", ("question", "Can we include adolescents aged 12-17")),
    # The sections corrected or added against the primary texts (issue 21), asked the way
    # SMEs ask, in English and Italian.
    (
        "we must stop the trial early for safety reasons, when do we tell the Ministry",
        ("guide", "notifying-the-end"),
    ),
    (
        "who publishes our final study report and when can competitors read it",
        ("guide", "the-investigation-report"),
    ),
    (
        "is EUDAMED mandatory for our investigation application already",
        ("guide", "eudamed-and-the-forms-used-until-it-is-ready"),
    ),
    (
        "in what order do we go to the ethics committee and the ministry before the first patient",
        ("guide", "step-by-step-in-italy-from-the-ethics-committee-to-the-final-report"),
    ),
    (
        "do we need approval to analyse old patient records retrospectively",
        ("guide", "registries-usability-tests-and-retrospective-studies"),
    ),
    (
        "post-market study with only routine data and no extra tests, which article applies",
        ("guide", "registries-usability-tests-and-retrospective-studies"),
    ),
    (
        "is the hospital or our company the data controller",
        ("guide", "roles-impact-assessment-and-transfers"),
    ),
    (
        "testing our device on children, what extra conditions apply",
        ("guide", "children-and-adolescents"),
    ),
    (
        "enrol patients in stages in a first in human device study",
        ("guide", "first-in-human-and-pilot-studies"),
    ),
    (
        "can we get advice from the authority before we submit",
        ("guide", "early-advice-from-authorities-and-panels"),
    ),
    (
        "ethics committee fee for a device study in Lombardy",
        ("question", "Which fees do we pay in Italy"),
    ),
    ("does the AIFA single fee apply to a medical device investigation", ("guide", "fees")),
    (
        "how many days to report a serious adverse event to the authority",
        ("faq", "Which adverse events from our catheter study"),
    ),
    ("calendar days for an imminent risk of death in an investigation", ("guide", "how-fast")),
    ("minimum insurance amount per patient in Italy", ("guide", "insurance-and-compensation")),
    (
        "interrompiamo lo studio per motivi di sicurezza: entro quando avvisare il ministero",
        ("guide", "notifying-the-end"),
    ),
    (
        "chi è titolare del trattamento dei dati, l'ospedale o l'azienda",
        ("guide", "roles-impact-assessment-and-transfers"),
    ),
    (
        "studio retrospettivo su cartelle cliniche senza consenso dei pazienti",
        ("guide", "registries-usability-tests-and-retrospective-studies"),
    ),
    ("sperimentazione di un dispositivo sui bambini", ("guide", "children-and-adolescents")),
    (
        "pubblicazione del rapporto finale dell'indagine clinica",
        ("guide", "the-investigation-report"),
    ),
    (
        "tariffa del comitato etico per uno studio su dispositivo",
        ("faq", "Which fees do we pay in Italy"),
    ),
    (
        "quando diventa obbligatorio EUDAMED",
        ("guide", "eudamed-and-the-forms-used-until-it-is-ready"),
    ),
    (
        "primo studio sull'uomo con arruolamento a fasi",
        ("guide", "first-in-human-and-pilot-studies"),
    ),
    # The demo's Italian thread asks exactly this (a second site after the CET's opinion) and
    # its accepted answer gives the MDR Art. 75 procedure: it answers better than the guide.
    (
        "aggiungere un nuovo centro dopo il parere del comitato etico",
        ("question", "Indagine clinica già autorizzata: aggiungere un secondo centro"),
    ),
    (
        "within how many calendar days must the sponsor report a serious incident in a device trial",
        ("faq", "Which adverse events from our catheter study"),
    ),
    (
        "do complications of the extra blood test in our post-market study go to vigilance",
        ("faq", "Our PMCF study of a CE-marked ECG patch"),
    ),
]
