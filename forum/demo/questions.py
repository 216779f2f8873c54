"""The demo forum's questions, answers and comments: 28 threads, fictional but believable.

Pure data for ``forum.demo.seed``. Each question is asked by a demo member (keys of
``DEMO_ACCOUNTS``) about a device that fits their company, and is answered by the board's
experts in their own areas. Texts are in English unless an item says
``"language": "it"`` (the Italian threads near the end, Italian SMEs writing in Italian).
Dates are relative to the seed date: a question was asked ``days_ago`` days before it,
answers and comments ``days_after`` days after the question. All but one were asked in
the last six months; the oldest, two years earlier, is the story of a CE mark.
The rules cited in the answers are held to the primary texts (docs/fact-register.md lists
each deadline, fee and route with its source); facts those texts do not settle are presented
in the answers as things to ask the Ministry of Health or the CET, never as settled. The
dates tell a possible story: no study starts before the approvals the law requires
(tests/web/test_demo.py holds the referrals to that).
"""

from __future__ import annotations

DEMO_QUESTIONS: list[dict] = [
    {
        "author": "member_anna",
        "title": "Can our new hip cup skip a pre-market investigation by claiming equivalence "
        "to our CE-marked cup?",
        "body": """We are developing the next generation of our uncemented acetabular cup. The current cup has been on the market for many years with a plasma-sprayed titanium coating and a good PMCF record. The new cup keeps the same geometry, liner interface and sizes, but the shell is made by additive manufacturing, with a porous lattice (about 70% porosity) on the bone-facing side that we expect to improve primary fixation.

Hip cups are class III under Rule 8, so our notified body will look hard at the clinical evidence. Management would like to avoid a pre-market clinical investigation and rely on equivalence to our own cup, plus bench, animal and biocompatibility data.

Is that realistic? Which conditions must we meet, and what should we prepare if the notified body does not accept equivalence? Please keep the lattice details within the board.""",
        "topics": ["regulatory-pathway"],
        "device_class": "III",
        "stage": "preclinical",
        "visibility": "confidential",
        "days_ago": 168,
        "answers": [
            {
                "author": "expert_chiara",
                "body": """Possible on paper, difficult in practice for this kind of change.

For class III and implantable devices a clinical investigation is the default, with a small number of exemptions (MDR Art. 61(4)-(6)). MDCG 2023-7 walks through four cases:

- a modification of a device you already market, where equivalence is shown and the clinical evaluation of the marketed device is sufficient (MDR Art. 61(4));
- equivalence to another manufacturer's device, which also needs a contract giving you full, ongoing access to its technical documentation (MDR Art. 61(5); MDCG 2023-7);
- devices lawfully marketed under the old directives, under conditions (MDR Art. 61(6));
- a closed list of well-established products such as screws, plates, wires, pins and clips (MDR Art. 61(6)).

Only the first route is open to your cup. Equivalence has to be shown on technical, biological and clinical characteristics together (MDR Annex XIV, Part A, Section 3). Moving from a sprayed coating to an additively manufactured lattice changes the bone-implant interface: surface, porosity, material processing, possibly particle release. When I reviewed files for a notified body, this was the point where equivalence claims usually failed, because bench and animal data could not show that fixation would behave the same in patients.

What I would prepare:

- a gap analysis, characteristic by characteristic, showing which differences bench and biological data close and which remain clinically relevant;
- a plan B: a focused pre-market investigation under MDR Art. 62, for example implant migration measured by radiostereometric analysis (RSA) in a small cohort;
- a strong PMCF plan: for a modification of your own device the notified body checks that the PMCF plan is appropriate and includes post-market studies to show safety and performance (MDR Art. 61(4); Art. 61(5) applies the same check by reference).

For class III devices you can also ask an EU expert panel for advice on your clinical development strategy (MDR Art. 61(2)); EMA runs the panels and publishes how to apply.

Your lattice details stay within the board on this thread.""",
                "days_after": 3,
                "accepted": True,
                "helpful_from": ["member_anna"],
            },
        ],
        "comments": [
            {
                "author": "member_anna",
                "body": """Thank you, the gap analysis is a good idea. We will also cost an RSA study at two Lombardy centres as plan B before the notified body meeting.""",
                "days_after": 5,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_anna",
        "title": "Which pathway for a first clinical study of a non-CE piezoelectric "
        "bone-cutting handpiece (class IIb)?",
        "body": """Brianza MedTech is developing a piezoelectric bone-cutting handpiece for spinal surgery. It works at around 28 kHz, has interchangeable titanium inserts and an irrigation line, and a feedback loop that lowers power when the tip meets soft tissue. We have classified it as IIb under Rule 9 (active device exchanging energy in a potentially hazardous way).

Bench testing, electrical safety and a cadaver lab are done. We now want a first study in about 30 patients undergoing laminectomy at two hospitals in Milan, to collect clinical data for the CE technical documentation.

Which regulatory route does this study take? Do we need an authorisation from the Ministry of Health or is a notification enough, and what has to happen with the ethics committee? The device is not public yet, so please keep this confidential.""",
        "topics": ["regulatory-pathway", "ethics-committee"],
        "device_class": "IIb",
        "stage": "preclinical",
        "visibility": "confidential",
        "days_ago": 160,
        "attachments": ["protocol-synopsis.pdf"],
        "answers": [
            {
                "author": "expert_chiara",
                "body": """This is a pre-market investigation run to show conformity, so it follows MDR Art. 62 and the application rules of MDR Art. 70. The decision tree in MDCG 2021-6 Rev.1 Annex I leads there for any non-CE device studied for CE purposes. Remember that the sponsor chooses the pathway and answers for that choice (MDCG 2021-6 Rev.1).

**Authorisation or notification.** Your handpiece is surgically invasive, so in Italy it sits with class III and invasive IIa/IIb devices: the study needs the Ministry of Health's authorisation, due within 45 days of validation, or 65 if external experts are consulted (D.Lgs. 137/2022 Art. 16). The 30-day route after validation is only for class I and non-invasive IIa/IIb devices (D.Lgs. 137/2022 Art. 16). The authorisation procedure carries the Ministry fee DM-SC-PRE2 of EUR 3,397.78 (Ministry of Health, DM-SC-PRE2).

**The dossier.** The application contains the application form, the investigator's brochure, the clinical investigation plan and the other documents listed in MDR Annex XV, Chapter II. Until EUDAMED is fully working, the EU forms of MDCG 2021-8 are used, and the Italian procedure is set by the decrees of 12 April 2023 (Gazzetta Ufficiale n. 136 of 13 June 2023).

**Ethics.** The favourable opinion of an ethics committee is part of the Italian application (D.Lgs. 137/2022 Art. 16). One opinion from a territorial ethics committee (CET) covers both Milan hospitals named in the application (Ministry of Health, guidance on non-CE investigations); a site you add later is a substantial modification, with its own review (MDR Art. 75; MDCG 2021-6 Rev.1 Annex II).

**Before you submit**, check that both hospitals meet the site requirements of the decree of 20 March 2023 (Gazzetta Ufficiale n. 137 of 14 June 2023), which implements MDR Art. 62(7) under D.Lgs. 137/2022 Art. 16, and that the energy-related risks in your ISO 14971 file are carried into the plan (ISO 14155:2020 Annex H).""",
                "days_after": 2,
                "accepted": True,
                "helpful_from": ["member_anna"],
            },
            {
                "author": "expert_sara",
                "body": """Adding the manufacturer's side, since we took an active surgical device through the Italian route two years ago.

- **Freeze the design first.** A change to the handpiece, the inserts or the power-control firmware after approval may be a substantial modification with its own review cycle (MDR Art. 75). Lock the firmware version for the study and record it in the investigator's brochure.
- **Show the GSPR status.** The application includes a checklist of the general safety and performance requirements, saying which are met and which the investigation addresses (MDCG 2021-8). For an active device, reviewers open the electrical safety and EMC reports first.
- **Plan the timeline backwards.** The Ministry validates within 10 days; if something is missing you get 10 days, extendable by 20, to complete it, and the Ministry then has 5 days (MDR Art. 70). Authorisation follows within 45 days of validation (D.Lgs. 137/2022 Art. 16). Put the ethics review before that, and start the site contracts early: in our case they took longest.
- **Budget beyond the fee.** DM-SC-PRE2 is one line (Ministry of Health, DM-SC-PRE2). Subject insurance (MDR Art. 69), monitoring and the sites' per-patient costs are much larger.
- **Train the surgeons.** A handpiece with a learning curve needs a documented training plan, or early complications will mix device effects with inexperience.

I am happy to share our GSPR checklist template through the board.""",
                "days_after": 6,
                "accepted": False,
                "helpful_from": ["member_anna"],
            },
        ],
        "comments": [
            {
                "author": "expert_chiara",
                "body": """To confirm the route: does the irrigation line or any insert stay in the patient after the procedure?""",
                "days_after": 1,
                "on_answer": None,
            },
            {
                "author": "member_anna",
                "body": """No, everything is removed at the end of surgery, and the inserts are single-use.""",
                "days_after": 2,
                "on_answer": None,
            },
            {
                "author": "member_anna",
                "body": """The firmware freeze is very helpful: we had planned one more release during the study. We will move it before submission.""",
                "days_after": 7,
                "on_answer": 1,
            },
        ],
    },
    {
        "author": "member_davide",
        "title": "What clinical evidence does an AI tool that flags seizures in EEG recordings "
        "need for CE marking?",
        "body": """NeuroSense is building software that reads routine and long-term EEG recordings and flags the segments likely to contain epileptic seizures, so the neurologist reviews those first. It does not make the diagnosis; the neurologist always confirms. We expect class IIa under Rule 11, but we are still discussing it with consultants.

We have a deep-learning model trained on about 4,000 hours of anonymised EEG from one university hospital, with 91% sensitivity on a held-out set from the same hospital. Investors ask whether we need a prospective clinical investigation or whether retrospective testing is enough, and how much data a notified body expects.

What does the clinical evidence for this kind of software have to show, and how would you build it step by step?""",
        "topics": ["software-ai", "study-design-statistics"],
        "device_class": "IIa",
        "stage": "prototype",
        "visibility": "public",
        "days_ago": 152,
        "answers": [
            {
                "author": "expert_marco",
                "body": """Software is clinically evaluated like any device (MDR Art. 61), but MDCG 2020-1 splits the evidence into three parts, and it helps to plan each separately:

- **Valid clinical association**: the output (a flagged segment) is linked to the clinical condition. For seizure detection this is well covered by the literature; you document it with a structured literature review (MDCG 2020-1).
- **Technical performance**: the software reliably produces the right output from the input, with accuracy against a reference, repeatability and robustness to artefacts, amplifiers, montages and sampling rates (MDCG 2020-1).
- **Clinical performance**: using the output gives clinically relevant results in the intended population and setting (MDCG 2020-1). Your 91% is a start, but it comes from the hospital that also provided the training data.

Next steps I would take:

1. Lock the model version and write the intended purpose precisely: population, EEG type, user, setting.
2. Build an independent test set from at least two other centres, with the reference standard set by a panel of epileptologists blind to the software's output.
3. Report sensitivity, false detections per hour, and performance by subgroup: age, seizure type, intensive care versus outpatient EEG.
4. Agree with your notified body whether this retrospective evidence is enough or a prospective study of the clinical workflow is needed. Where software changes how clinicians work, a prospective study is often the cleanest way to show clinical performance.

If you go prospective, remember that a systematic investigation in human subjects to assess a device's safety or performance is a clinical investigation (MDR Art. 2(45)), and the MDR investigation rules then apply.""",
                "days_after": 4,
                "accepted": True,
                "helpful_from": ["member_davide", "member_francesca", "member_matteo"],
            },
            {
                "author": "expert_elena",
                "body": """Some design points for the independent validation Marco describes.

**Define the unit of analysis before collecting data.** Sensitivity per seizure and per recording can differ a lot. Pick the one that matches your claim, and report the false detection rate per 24 hours next to it, because that drives the reviewer's workload.

**Size the study on precision, not on a p-value.** If you claim a sensitivity of at least 85%, you need enough seizures for the lower bound of the 95% confidence interval to stay above it. With an expected sensitivity of 91%, about 200 seizures give a Wilson interval of roughly 86% to 94%. Many seizures come from few patients, so account for clustering with a patient-level bootstrap or a mixed model.

**Sampling.** Consecutive recordings from each centre avoid the bias of hand-picked clean examples. If seizures are rare in routine EEG, enrich with long-term monitoring recordings, but report the two strata separately.

**Reader study.** To claim that neurologists read faster or better with the tool, use a multi-reader multi-case design: the same recordings read with and without the software, with a washout period in between.

**Write the statistical analysis plan first.** The statistical items of a clinical investigation plan (ISO 14155:2020 Annex A) make a good checklist even for a retrospective study, and pre-specified endpoints protect you from suspicion of post-hoc choices. A prospective investigation needs them anyway (MDR Annex XV, Chapter II).""",
                "days_after": 9,
                "accepted": False,
                "helpful_from": ["member_davide", "member_francesca"],
            },
        ],
        "comments": [
            {
                "author": "member_davide",
                "body": """Very clear, thank you. Two more hospitals are willing to share data, and we will set up the epileptologist panel with them.""",
                "days_after": 5,
                "on_answer": 0,
            },
            {
                "author": "member_davide",
                "body": """The confidence interval example convinced our investors: 200 seizures is now the target for the test set.""",
                "days_after": 10,
                "on_answer": 1,
            },
        ],
    },
    {
        "author": "member_matteo",
        "title": "Which fees do we pay in Italy for a first-in-human study of a class III "
        "cardiac catheter?",
        "body": """CardioFlow is preparing a first-in-human investigation of a new steerable catheter used during electrophysiology procedures. The device is class III and not CE-marked. We plan 20 patients at two hospitals in Lombardy.

I am building the budget for our board and investors. I know there is a Ministry of Health fee, but I have seen different amounts in different presentations, and nobody could tell me whether the ethics committee also charges a fee for device studies. I would also like a rough list of the other cost items that SMEs usually forget.

What fees are due, to whom, and when are they paid?""",
        "topics": ["insurance-costs"],
        "device_class": "III",
        "stage": "first-in-human",
        "visibility": "public",
        "days_ago": 145,
        "answers": [
            {
                "author": "expert_sara",
                "body": """**Ministry of Health.** For class III devices and invasive class IIa/IIb devices, including CE-marked devices of those classes used outside their intended purpose, the authorisation procedure carries the fee DM-SC-PRE2, currently EUR 3,397.78 (Ministry of Health, DM-SC-PRE2; D.Lgs. 137/2022 Art. 16). Your class III catheter is in that group. It is paid before submission and the proof of payment goes in the application. Check the amount on the Ministry's service page on the day you pay, as tariffs change. Whether the Ministry charges other fees, for instance for substantial modifications, is not settled in anything I can point you to: ask its Directorate-General for medical devices.

**Ethics committee.** Two decrees of 30 January 2023 matter here. One sets the national single fee for drug trials under the Clinical Trials Regulation, paid to AIFA: it does not apply to your catheter study. The other, on the composition and functioning of the territorial ethics committees, leaves the fees for other work, device investigations included, to the Regions, and each CET publishes its own (Decree of 30 January 2023 on CETs, Art. 7). Ask the CET you will submit to for its current schedule.

**Items SMEs tend to forget:**

- subject insurance, or an equivalent compensation system (MDR Art. 69); for a class III cardiac device the premium is significant;
- site costs under the clinical trial agreement: per-patient fees, device storage, extra imaging, the hospital's fee for reviewing the contract;
- monitoring visits and source data verification, which the sponsor organises in a risk-based way (ISO 14155:2020);
- translation of subject information, consent forms and labelling into Italian;
- a CRO or freelance monitor if you have no one in-house;
- the final report, due within a year of the end of the investigation (MDR Art. 77), which takes statistician and medical writer time.

For a 20-patient study at two sites, fees are a small share of the total: people and site costs dominate.""",
                "days_after": 3,
                "accepted": True,
                "helpful_from": ["member_matteo", "member_anna", "member_davide"],
            },
        ],
        "comments": [
            {
                "author": "member_matteo",
                "body": """Thanks Sara. We will ask CET Lombardia 3 directly about their fee for device studies and post what they tell us.""",
                "days_after": 4,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_francesca",
        "title": "How do we justify the sample size of a pivotal study for an upper-limb "
        "rehabilitation robot?",
        "body": """At the Istituto di Ricerca Biomedica Lombardo we developed an end-effector robot for upper-limb rehabilitation after stroke. A pilot in 24 patients went well. We now plan a pivotal randomised study in subacute stroke: robot-assisted therapy plus usual care versus usual care with the same total therapy time.

Our clinicians want the Fugl-Meyer upper-extremity score at 12 weeks as primary endpoint. In the pilot, the change had a standard deviation of about 8 points. We have budget for roughly 100 patients across three rehabilitation centres.

How do we justify the sample size in the clinical investigation plan so that reviewers accept it? Is 100 enough, and what else besides the calculation should the justification cover?""",
        "topics": ["study-design-statistics"],
        "device_class": "IIa",
        "stage": "pivotal",
        "visibility": "public",
        "days_ago": 138,
        "answers": [
            {
                "author": "expert_elena",
                "body": """The clinical investigation plan must describe the statistical design and justify the number of subjects (MDR Annex XV, Chapter II, Section 3). ISO 14155:2020 Annex A asks for the same: hypotheses, sample size with its assumptions, analysis populations and handling of missing data. MDCG 2024-3 maps these requirements and offers a synopsis template.

**The calculation.** For superiority on the 12-week change you need the smallest difference worth detecting. Take it from the literature on clinically important differences in the Fugl-Meyer score, not from the pilot effect, which is usually optimistic. As an example, with a difference of 5 points, a standard deviation of 8, two-sided alpha of 5% and 80% power:

- n per arm = 2 x (1.96 + 0.84)^2 x 8^2 / 5^2, about 41;
- allowing 15% dropout gives 49 per arm, 98 in total.

So 100 works only if 5 points is defensible and the SD holds. Show the sensitivity: with an SD of 9 you would need about 60 per arm after dropout.

**Beyond the number, the justification should cover:**

- why the endpoint reflects a benefit that matters to patients, since clinical benefit must be a measurable, patient-relevant outcome (MDR Art. 2(53));
- stratified randomisation (centre, baseline severity) and an outcome assessor blind to allocation;
- the analysis: an ANCOVA adjusted for baseline is more efficient than comparing raw changes, and can be pre-specified as primary;
- safety: with 50 treated patients and no serious device-related events, the upper 95% bound of the event rate is about 6% (rule of three), which tells reviewers what the study can and cannot exclude;
- recruitment assumptions per centre and month.

Write every assumption down with its source: reviewers mainly check that the numbers are traceable.""",
                "days_after": 2,
                "accepted": True,
                "helpful_from": ["member_francesca", "member_matteo", "member_anna"],
            },
            {
                "author": "expert_paolo",
                "body": """A clinical view to go with Elena's numbers, from someone who has watched many recruitment plans fail.

- **Check recruitment against real screening logs.** Ask each centre how many subacute stroke patients with upper-limb impairment they admitted last year, and how many would meet your criteria. Usually only a minority of those screened are eligible and willing. If three centres cannot randomise 100 patients in about 18 months, add a centre now rather than extend later.
- **Define usual care precisely.** Rehabilitation differs between centres. Write down the content and minutes of therapy in both arms and record them, or a difference in dose will explain your result.
- **Blind the assessor.** The Fugl-Meyer assessment has a subjective element; the therapist who runs the robot sessions should not score it. Train and certify the assessors across centres.
- **Time since stroke.** Spontaneous recovery in the first weeks is large. Stratify by time since stroke and baseline severity, or the arms may differ by chance.
- **Plan the 12-week visit.** Subacute patients are transferred and discharged; decide how you will reach those who have gone home.

These choices also bear on the sites, which must be suitable and similar to the setting where the robot will be used (MDR Art. 62(7)). A robot tested only in a highly specialised research ward may later be questioned by the purchasers of ordinary rehabilitation units.""",
                "days_after": 6,
                "accepted": False,
                "helpful_from": ["member_francesca"],
            },
        ],
        "comments": [
            {
                "author": "member_francesca",
                "body": """The sensitivity analysis on the SD is exactly what we were missing. We will add a fourth centre and aim for 120 patients.""",
                "days_after": 7,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_davide",
        "title": "Is the informed consent form also our GDPR legal basis for processing study "
        "data?",
        "body": """We are preparing a prospective study of our EEG software at two hospitals. Patients will sign an informed consent form for the study. Our draft has a paragraph saying that by signing, the patient also consents to the processing of personal data under the GDPR, which is how a consultant told us it is done.

The data protection officer at one hospital said consent is not the right legal basis and that we should change it, but did not say to what. The other hospital accepted the draft as it is.

Which legal basis should we use for the study data, and what about the safety data we must keep anyway? We want one approach that works at both hospitals and later at sites in other EU countries.""",
        "topics": ["data-protection"],
        "device_class": "IIa",
        "stage": "prototype",
        "visibility": "public",
        "days_ago": 130,
        "answers": [
            {
                "author": "expert_marco",
                "body": """Your DPO is right: two different consents are being mixed.

**Consent to take part** in a clinical investigation is required by the MDR (MDR Art. 63) and by research ethics. **The legal basis for processing personal data** is a separate question under the GDPR, and the EDPB considers consent usually not the most suitable basis here, because of the imbalance between patients and investigators, and because a withdrawal would clash with data that must be kept by law (EDPB Opinion 3/2019).

The EDPB separates two kinds of processing (EDPB Opinion 3/2019):

- **safety and reliability**, such as adverse event reporting and keeping records for the authorities: the basis is the legal obligation of sponsor and sites;
- **the research itself**: public interest or legitimate interest, together with one of the exceptions for health data in GDPR Article 9, such as scientific research under appropriate safeguards (GDPR Art. 89).

Which of the two fits depends on who is processing: public hospitals often rely on public interest, companies on legitimate interest. Member States may add conditions for health data (GDPR Art. 9(4)), and Italy has its own rules on medical research (D.Lgs. 196/2003 Art. 110), so the sites' DPOs and the ethics committee will check those.

In practice:

- keep the informed consent form, but remove the sentence that makes it the GDPR basis;
- add a separate privacy notice with the legal bases, the controllers (sponsor and sites), retention periods and rights;
- sign a data processing or joint controllership agreement with each site;
- pseudonymise at source, so that your team never sees names.

This is general guidance, not legal advice: have a privacy lawyer check the final wording, especially before adding sites in other countries.""",
                "days_after": 5,
                "accepted": False,
                "helpful_from": ["member_davide", "member_francesca"],
            },
        ],
        "comments": [
            {
                "author": "member_davide",
                "body": """Thank you. We will split the privacy notice from the consent form. Does the same reasoning apply to the retrospective EEG data we used for training?""",
                "days_after": 6,
                "on_answer": 0,
            },
            {
                "author": "expert_marco",
                "body": """Partly, but reusing data raises its own questions about further processing. It is worth a separate question, so the answer is easy to find later.""",
                "days_after": 8,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_matteo",
        "title": "Our PMCF study of a CE-marked ECG patch adds two blood draws: do we have to "
        "notify it?",
        "body": """Our cardiac monitoring patch has been CE-marked as class IIa since last year for 14-day ambulatory ECG monitoring in adults. As part of PMCF we want a study at three hospitals where patients wear the patch as labelled, within its intended purpose.

Our cardiologists would like to add two blood samples, on day 0 and day 14, for NT-proBNP, to explore whether the arrhythmia burden detected by the patch correlates with heart failure markers. Everything else is routine care.

One colleague says that since the device is CE-marked and used as labelled, only the ethics committee needs to see this. Another says the blood draws change everything. Which one is right, and what do we need to do with the Ministry of Health?""",
        "topics": ["pmcf"],
        "device_class": "IIa",
        "stage": "on-market",
        "visibility": "public",
        "days_ago": 122,
        "answers": [
            {
                "author": "expert_paolo",
                "body": """Your second colleague is right: the blood draws are what matter.

A PMCF investigation of a CE-marked device within its intended purpose needs no authorisation, but if it makes subjects undergo procedures beyond the normal conditions of use that are invasive or burdensome, the sponsor must notify the Member States concerned at least 30 days before it starts (MDR Art. 74(1)). Burdensome or invasive is judged from the subject's point of view: pain, discomfort, fear, risk, possible complications (MDCG 2021-6 Rev.1). In my view, a venipuncture done only for the study meets that test, even if it is minor, and I would not argue otherwise in front of a reviewer.

So you need:

- a notification to the Ministry of Health at least 30 days before the first patient (MDR Art. 74(1)); the Italian form of communications about CE-marked devices used within their intended purpose is set by one of the decrees of 12 April 2023 (D.Lgs. 137/2022 Art. 16);
- a favourable opinion from the ethics committee; ethics review stays a matter for national rules (MDCG 2021-6 Rev.1);
- vigilance reporting for the patch itself (MDR Art. 80(5)); only a serious adverse event with an established causal relationship to the added procedure, here the blood draws, is reported under Art. 80 as in an investigation (MDR Art. 80(6); MDCG 2020-10/1 Rev.1).

Without the blood draws, using only routine data, Art. 74(1) would not apply: the study would be an "other clinical investigation" under MDR Art. 82, with that article's EU minimum rules and the national provisions (MDCG 2021-6 Rev.1 Annex I). In Italy it would still be communicated to the Ministry of Health before it starts (D.Lgs. 137/2022 Art. 16).

Clinically, take the samples at visits the patient attends anyway, and explain volume and purpose plainly in the consent form. State in the plan that NT-proBNP results are exploratory and will not change the patient's management; if they will, the ethics committee will want a process for abnormal values.""",
                "days_after": 4,
                "accepted": True,
                "helpful_from": ["member_anna", "member_davide"],
            },
        ],
        "comments": [
            {
                "author": "member_matteo",
                "body": """Clear, thank you. We will notify, and take the samples at the patch application and removal visits.""",
                "days_after": 5,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_anna",
        "title": "Which ethics committee reviews a multicentre device study, and does one "
        "opinion cover all Italian sites?",
        "body": """We are planning a pre-market investigation of a new locking plate for distal radius fractures (implantable, class IIb). The coordinating investigator is at an orthopaedic hospital in Milan; two other sites are in Bergamo and Brescia, and one in Verona, in Veneto.

Before the 2023 reform each hospital had its own ethics committee, and we had to submit to each of them with slightly different forms. I understand this has changed, but I am confused about which committee we submit to now, whether the committees in Lombardy are organised differently from other regions, and whether the Verona site needs a separate opinion from a Veneto committee.

How does it work today for a device investigation?""",
        "topics": ["ethics-committee", "clinical-sites-populations"],
        "device_class": "IIb",
        "stage": "preclinical",
        "visibility": "public",
        "days_ago": 115,
        "answers": [
            {
                "author": "expert_paolo",
                "body": """It is much simpler than it was; I have seen it from the investigator's side on several studies since 2023.

**The structure.** Law 3/2018 created a National Coordination Centre of the territorial ethics committees at AIFA (Law 3/2018 Art. 2). The Decree of 26 January 2023 then named 40 territorial ethics committees (CETs) across Italy (Decree of 26 January 2023), which took over on 7 June 2023. Lombardy has six, CET Lombardia 1 to Lombardia 6, set up by regional resolution (DGR XI/6726). Lombardy is not different in kind; it simply has more committees because of its size.

**One opinion for the country.** For a device investigation, a single opinion from a CET, or from a national ethics committee where one is competent, is valid for Italy and for the participating sites named in the application (Ministry of Health, guidance on non-CE investigations). List Verona in the application and it is covered by the same opinion, with no separate one from a Veneto committee; a site added after the opinion is a substantial modification (MDR Art. 75; MDCG 2021-6 Rev.1 Annex II). Each site still runs its own feasibility check and contract, which is where most of the delay now sits.

**Which CET.** In my experience the file goes to the CET that serves the coordinating investigator's hospital; that hospital's research office will tell you which one. Confirm it with the CET's secretariat before you submit, because practice is still settling.

**Tips:**

- give the CET the full site list at submission, with each principal investigator's CV;
- align the subject information sheet with the CET's template early, as each committee has its preferences;
- if the opinion is conditional, it can still be attached to the Ministry application (Ministry of Health, guidance on non-CE investigations), and you address the conditions in parallel.""",
                "days_after": 3,
                "accepted": False,
                "helpful_from": ["member_anna", "member_francesca", "member_matteo"],
            },
        ],
        "comments": [
            {
                "author": "member_anna",
                "body": """Thank you. The coordinating centre's research office confirmed that our file goes to CET Lombardia 3.""",
                "days_after": 9,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_davide",
        "title": "Realistically, how long from submission to first patient for a non-invasive "
        "neurostimulator in Italy?",
        "body": """NeuroSense's second product, not yet announced, is a wearable headband for migraine prevention. It delivers closed-loop transcutaneous stimulation of the supraorbital nerves and adjusts the intensity from EEG signals picked up by dry electrodes in the same band. Everything stays on the skin; we have classified it as class IIb (active therapeutic device).

We want a first study in 40 adult patients at a headache centre in Pavia. Our seed funding runs out in 14 months, so the date of the first patient matters a lot for the next round.

From the day we submit, how long should we plan until we can enrol the first patient? Which steps can run in parallel? Please keep the device details confidential for now.""",
        "topics": ["regulatory-pathway"],
        "device_class": "IIb",
        "stage": "first-in-human",
        "visibility": "confidential",
        "days_ago": 108,
        "answers": [
            {
                "author": "expert_sara",
                "body": """Good news first: as a non-invasive class IIb device, you are on the faster Italian route.

**The legal clock**

- The Ministry of Health checks the application and notifies validation within 10 days (MDR Art. 70).
- If something is missing you get 10 days to complete it, extendable by 20, and the Ministry then has 5 days (MDR Art. 70).
- Class I and non-invasive class IIa/IIb investigations may start 30 days after validation unless the Ministry rejects them, provided the ethics opinion is favourable (D.Lgs. 137/2022 Art. 16). Italy chose this instead of the MDR default of starting right after validation (MDR Art. 70).

So the regulatory part takes about 40 days at best, and up to about 75 if the file needs completing.

**What takes longer in practice**

- the dossier (investigator's brochure, plan, risk file, GSPR checklist): 2-4 months for a first-time sponsor;
- the ethics review, whose opinion is part of the application (D.Lgs. 137/2022 Art. 16): plan 1-2 months including one round of questions;
- the site contract and the hospital's internal approvals: often 2-3 months, so start this first;
- insurance: proof of cover is part of the dossier (MDR Annex XV, Chapter II; MDR Art. 69), so get quotes early.

**A realistic plan** is 6-8 months from starting to write to the first patient, of which 2-3 months after submission. Run the contract, the insurance and the manufacturing of study devices in parallel with the ethics review.

One thing to check: ask the Ministry whether a fee applies to your route. The fee I know, DM-SC-PRE2, covers the authorisation procedure for class III and invasive devices (Ministry of Health, DM-SC-PRE2).""",
                "days_after": 2,
                "accepted": True,
                "helpful_from": ["member_davide"],
            },
        ],
        "comments": [
            {
                "author": "member_davide",
                "body": """Thanks, this helps a lot with the investor plan. We are starting the contract talks with Pavia now.""",
                "days_after": 3,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_francesca",
        "title": "Our blood-test algorithm combines three biomarkers into a sepsis score: what "
        "kind of performance study is that?",
        "body": """Our institute has developed a blood test for the emergency department: three inflammatory biomarkers measured on a standard immunoassay analyser, plus our own software that combines them with age and heart rate into a sepsis risk score from 0 to 100. The assay reagents are CE-marked by their manufacturer; the algorithm is ours and unpublished.

We want to validate the score before CE marking. Option A: left-over samples from the biobanks of two hospitals, with diagnoses taken from the records. Option B: a prospective study in the emergency department where we take an extra tube of blood, and clinicians do not see the score.

Is our software an IVD, and which rules apply to each option? Please keep the algorithm design confidential.""",
        "topics": ["ivd-performance-studies", "software-ai"],
        "device_class": "IVD",
        "stage": "prototype",
        "visibility": "confidential",
        "days_ago": 100,
        "answers": [
            {
                "author": "expert_marco",
                "body": """Software intended to give information on a physiological or pathological state from the results of in vitro examinations is an in vitro diagnostic device (IVDR Art. 2(2); MDCG 2019-11). So your score falls under the IVDR, and its clinical evidence comes from performance studies (IVDR Art. 57-77). ISO 14155 does not cover IVDs (ISO 14155:2020); the good study practice standard for clinical performance studies of IVDs is ISO 20916.

MDCG 2025-5 is the Q&A to read. It separates analytical from clinical performance studies, and explains which studies fall under the full regime of IVDR Art. 58(1) and which do not.

**Option A, left-over samples.** A study using only left-over samples, with no influence on patient management, generally falls outside IVDR Art. 58(1) (MDCG 2025-5); companion diagnostics are the exception and must be notified (IVDR Art. 58(2)). National rules still apply: ethics review, and a data protection basis for using biobank samples and records.

**Option B, an extra tube.** IVDR Art. 58(1) covers studies where surgically invasive sampling is done only for the study, interventional clinical performance studies, and studies with additional invasive procedures or other risks for subjects. MDCG 2025-5 answers your case (its questions 23 and 24): a separate venipuncture done only for the study is surgically invasive sampling under IVDR Art. 58(1)(a), so the full regime applies; an extra tube drawn through a line already in place for care is not Art. 58(1)(a), though the study may still fall under Art. 58(1)(b) or (c). Keeping the score hidden from clinicians is right: a study whose results guide patient management is interventional, and then always within IVDR Art. 58(1).

**My suggestion:** run Option A first to lock the algorithm and estimate performance, then a prospective study in the intended population, with the reference diagnosis adjudicated by a panel blind to the score. Record the algorithm version in each study; a retrained model is a new version that needs its own evidence.""",
                "days_after": 5,
                "accepted": True,
                "helpful_from": ["member_francesca"],
            },
        ],
        "comments": [
            {
                "author": "member_francesca",
                "body": """Thank you. We will start with Option A, and design Option B so that the extra tube is drawn through lines already in place for care.""",
                "days_after": 6,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_matteo",
        "title": "Which adverse events from our catheter study must be reported, to whom, and "
        "how fast?",
        "body": """Our first-in-human investigation of the steerable electrophysiology catheter is validated and waiting for the Ministry's authorisation; the first procedures are planned at two hospitals in Lombardy a few weeks after it. At the site initiation visits our monitor found that one site plans to record every adverse event in the case report form, including minor groin haematomas, while the other would only record the events it considers serious.

I want a clear rule for the sites and for us as sponsor. Which events must the investigators record, which ones must the sponsor report to the Ministry of Health, and with which deadlines? And what do we do when the investigator cannot tell whether an event is related to the catheter or to the ablation procedure itself?""",
        "topics": ["safety-reporting"],
        "device_class": "III",
        "stage": "first-in-human",
        "visibility": "public",
        "days_ago": 92,
        "answers": [
            {
                "author": "expert_paolo",
                "body": """Fix the site inconsistency first: **record every adverse event**, then classify it. ISO 14155:2020 expects all adverse events and device deficiencies to be recorded, and gives the categories in its Annex F (ISO 14155:2020 Annex F). A groin haematoma goes in the case report form even if it resolves with compression; the only question is how it is classified.

From the investigator's side, the workflow that works at our hospital:

- the investigator assesses seriousness and causality at the time of the event, and reports serious adverse events and device deficiencies to the sponsor without delay, as the plan requires;
- causality is rated against the device **and** against the procedure, because reporting covers both (MDR Art. 80(2));
- when unsure, the investigator does not leave the field blank or write unknown. The guidance uses four levels of causality and asks for possible when a relationship cannot be ruled out (MDCG 2020-10/1 Rev.1).

In an electrophysiology study, separating catheter from ablation effects at the bedside is often impossible: a tamponade can come from either. Rate it possibly related to both, write down why, and let the sponsor's safety review refine it when more information arrives.

Agree a short guidance note for both sites with examples typical of your procedure: haematoma, pericardial effusion, steam pop, thrombus on the catheter tip. And train the study nurses: in my experience, under-reporting starts with a coordinator who thinks a minor event is not worth writing down.""",
                "days_after": 2,
                "accepted": False,
                "helpful_from": ["member_matteo", "member_davide"],
            },
            {
                "author": "expert_chiara",
                "body": """The sponsor's side, to complete Paolo's answer.

**What is reportable.** The sponsor reports to the Member States concerned (MDR Art. 80(2); MDCG 2020-10/1 Rev.1):

- any serious adverse event with a causal relationship to the investigational device, the comparator or the investigation procedure, or where such a relationship is reasonably possible;
- any device deficiency that might have led to a serious adverse event without suitable action, intervention or fortunate circumstances;
- any new finding about either of these.

Other adverse events are recorded and analysed in the study, not reported one by one (MDCG 2020-10/1 Rev.1). Reports use the summary form of MDCG 2020-10/2 and, in Italy, go to the Ministry of Health until the EUDAMED module is available (MDR Art. 73).

**Deadlines.** MDR Art. 80(2) says "without delay"; MDCG 2020-10/1 Rev.1 (section 8) turns that into calendar days counted from when the sponsor becomes aware:

- immediately, and at the latest 2 calendar days, for an event that indicates an imminent risk of death, serious injury or serious illness and needs prompt remedial action for other subjects, users or persons, or a new finding about one;
- at the latest 7 calendar days for any other reportable event or new finding;
- the investigator tells the sponsor without delay, at the latest 3 calendar days after becoming aware, unless the plan sets a shorter time.

**Practical points**

- describe the reporting flow in the plan and in a safety management plan: who at CardioFlow receives site reports, who assesses them, who submits;
- when the investigator's and the sponsor's causality assessments differ, keep both on file;
- for a first-in-human class III study, set stopping rules and consider a small independent committee that reviews every serious event;
- the same data feed your report at the end of the investigation (MDR Art. 77).""",
                "days_after": 3,
                "accepted": True,
                "helpful_from": ["member_anna", "member_davide"],
            },
        ],
        "comments": [
            {
                "author": "member_matteo",
                "body": """We will send the guidance note to both sites next week, and write the 3-, 2- and 7-day deadlines into the safety plan before the first procedure.""",
                "days_after": 4,
                "on_answer": 1,
            },
        ],
    },
    {
        "author": "member_anna",
        "title": "What insurance cover do we need for subjects in a device investigation, and "
        "for how long?",
        "body": """For our distal radius plate investigation (about 80 patients at four sites, 12 months of follow-up each), our broker has sent two quotes. One follows the Italian decree for drug trials, with cover per patient and per protocol and a long claims window; the other is a cheaper extension of our product liability policy that the insurer says also covers clinical studies.

The coordinating centre's research office says the ethics committee will check the certificate, but could not tell me which minimum amounts and claims periods apply to medical devices rather than medicines.

What does the law actually require for device investigations, and how long after the end of the study should the cover last?""",
        "topics": ["insurance-costs"],
        "device_class": "IIb",
        "stage": "preclinical",
        "visibility": "public",
        "days_ago": 85,
        "answers": [
            {
                "author": "expert_sara",
                "body": """The firm rule is at EU level: Member States must ensure that subjects are compensated for damage suffered in an investigation, through insurance, a guarantee or a similar arrangement suited to the nature and extent of the risk (MDR Art. 69). Proof of cover is part of the application dossier (MDR Annex XV, Chapter II).

**The Italian detail is less clear.** The Decree of 14 July 2009 sets minimum insurance requirements for clinical trials of medicines: cover for damage that becomes manifest within at least 24 months of the end of the trial and is claimed within at least 36 months of it (10 years for minors and some other categories), and at least EUR 1 million per subject and EUR 5, 7.5 or 10 million per protocol for up to 50, 50 to 200 or more than 200 subjects in Italy (Decree of 14 July 2009, Art. 1-2). Whether it formally binds device investigations is not settled in the texts: ask the Ministry of Health's Directorate-General for medical devices and the CET that will review your study before you buy, and ask for the answer in writing if you can.

**How I would decide in the meantime:**

- The product liability extension is unlikely to be enough. It typically covers damage caused by a defective product, not every injury linked to the study procedures, and has no claims window tied to the study.
- A dedicated clinical study policy built on the structure of the 2009 decree is the safe choice: if the committee applies those minimums you comply, and if it does not you have lost little.
- Make sure the policy names all four sites, the number of subjects and the full follow-up, and that the claims window runs from the end of the whole study, not from each patient's last visit.
- Read the exclusions, such as pre-existing conditions or lack of efficacy, and check they match what the consent form promises.

Put the premium in the budget early: for an implant study it is not a minor line.""",
                "days_after": 4,
                "accepted": False,
                "helpful_from": ["member_anna", "member_matteo"],
            },
        ],
        "comments": [
            {
                "author": "expert_chiara",
                "body": """From the reviewing side: the certificate should name the study by title and CIV-ID and list the Italian sites explicitly. Generic certificates often trigger questions.""",
                "days_after": 6,
                "on_answer": 0,
            },
            {
                "author": "member_anna",
                "body": """We will go with the dedicated policy and ask the CET about the 2009 decree at our pre-submission meeting.""",
                "days_after": 7,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_francesca",
        "title": "What makes a private rehabilitation clinic suitable as an investigation site?",
        "body": """For the pivotal study of our upper-limb rehabilitation robot we have three public rehabilitation centres, and we want to add a private accredited clinic near Como that treats many subacute stroke patients. The clinic is enthusiastic but has never hosted a device investigation: it has no clinical research office, and its physiatrist has taken part in drug trials only as a sub-investigator.

The clinic asks what it needs to have in place, and our quality manager asks what we as sponsor must check before including it. Are there formal requirements for sites in Italy, and who verifies them?""",
        "topics": ["clinical-sites-populations"],
        "device_class": "IIa",
        "stage": "pivotal",
        "visibility": "public",
        "days_ago": 77,
        "answers": [
            {
                "author": "expert_paolo",
                "body": """There are formal requirements at EU and Italian level, plus what a sponsor should check anyway.

**The rules**

- The facilities where an investigation takes place must be suitable for it and similar to those where the device is intended to be used (MDR Art. 62(7)). A rehabilitation clinic is exactly the intended setting for your robot, which counts in its favour.
- The investigator must practise a profession recognised in Italy as qualifying for the role, with scientific knowledge and experience in patient care, and the other staff must be suitably qualified (MDR Art. 62(6)). Investigator qualifications are a matter for national law (MDCG 2021-6 Rev.1).
- Italy set the site requirements under Art. 62(7) in a decree of 20 March 2023, published in the Gazzetta Ufficiale n. 137 of 14 June 2023 (D.Lgs. 137/2022 Art. 16). Go through that decree with the clinic point by point and document each; do not rely on a summary.

**What the sponsor checks** (ISO 14155:2020, sponsor responsibilities)

- a principal investigator who can commit time, with GCP training that covers ISO 14155, since drug-trial training alone misses device specifics;
- enough eligible patients, shown by last year's admissions;
- space to install and secure the robot, and therapists trained to use it;
- a way to keep the investigator site file and enter data;
- a process to report serious adverse events to you promptly;
- contracting capacity: who signs for the clinic, and how long it takes.

**Who verifies.** You do, in a documented site qualification visit. The ethics committee and the Ministry of Health see the site list and the investigators' CVs in the application.

Private clinics can be excellent sites, often faster than public hospitals. Offer a short training day and a shared study coordinator for the first patients.""",
                "days_after": 3,
                "accepted": True,
                "helpful_from": ["member_francesca", "member_matteo", "member_anna"],
            },
        ],
        "comments": [
            {
                "author": "member_francesca",
                "body": """We will organise the qualification visit next month and go through the June 2023 decree with the clinic beforehand.""",
                "days_after": 4,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_davide",
        "title": "Can we reuse EEG data from our clinical study to retrain our algorithm?",
        "body": """Following the earlier thread on GDPR legal bases: our prospective EEG study at two hospitals will generate about 1,500 hours of annotated recordings, much better than our current training data. The purpose of the study is to validate version 1.0 of the seizure-detection software.

We would like to use the same recordings afterwards to train version 2.0. The current information sheet only mentions the validation study. We have also been told that we must never train on the data we validate on.

Can we reuse the data for training, and what must we change now, before the study starts, to make this possible? Is there anything to consider on the MDR side as well as the GDPR side?""",
        "topics": ["data-protection", "software-ai"],
        "device_class": "IIa",
        "stage": "prototype",
        "visibility": "public",
        "days_ago": 70,
        "answers": [
            {
                "author": "expert_marco",
                "body": """Yes in principle, if you prepare it now. Two sets of rules meet here.

**Data protection.** Further processing for scientific research is not considered incompatible with the original purpose, provided the research safeguards of the GDPR are in place: data minimisation and, where possible, pseudonymisation (GDPR Art. 5(1)(b); GDPR Art. 89). The EDPB accepts that this presumption is not excluded for the secondary use of trial data outside the protocol, under those safeguards (EDPB Opinion 3/2019). It does not remove the need for a legal basis and for transparency. Before the study starts:

- say in the privacy notice that recordings may be reused to develop later versions of the software, by whom and with which safeguards;
- cover the reuse in the agreements with the hospitals, which control the source data;
- keep the re-identification keys at the sites only;
- check the Italian conditions for medical research with your DPO and the ethics committee (D.Lgs. 196/2003 Art. 110).

**MDR and the quality of evidence.** Nothing in the MDR forbids training on investigation data, but it affects how those data can serve as evidence:

- the clinical performance of version 2.0 must be shown on data independent of its training data, or the estimate is biased (MDCG 2020-1);
- so plan the split now, for example one hospital's recordings, or a random subset of patients, kept permanently for testing;
- the validation of version 1.0 is unaffected, as long as version 1.0 is frozen before the study starts.

Finally, think about what subjects are told. If the information sheet says the data serve only the validation, reusing them later will be hard to justify. Change it now and have the ethics committee approve the wording.""",
                "days_after": 4,
                "accepted": False,
                "helpful_from": ["member_davide", "member_francesca"],
            },
        ],
        "comments": [
            {
                "author": "expert_elena",
                "body": """On the split: make it at patient level, before anyone looks at the data, and record it in the statistical analysis plan.""",
                "days_after": 6,
                "on_answer": 0,
            },
            {
                "author": "member_davide",
                "body": """Thank you both. The information sheet is being revised and the test hospital is chosen.""",
                "days_after": 8,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_matteo",
        "title": "We want to test our CE-marked ECG patch for AF detection after cardiac "
        "surgery: is that a new investigation?",
        "body": """Our ECG patch is CE-marked for ambulatory monitoring of adult outpatients for up to 14 days. Cardiac surgeons at a hospital in Milan asked us to test it on inpatients after coronary bypass or valve surgery, to detect post-operative atrial fibrillation with automatic alerts to the ward. That setting, the alerting function and the population are not in our current instructions for use.

We would like the data to extend our intended purpose at the next notified body review. The surgeons see it as a simple observational study because the patch is already on the market.

Is this a clinical investigation under the MDR, and which approvals and fees apply in Italy?""",
        "topics": ["pmcf", "regulatory-pathway"],
        "device_class": "IIa",
        "stage": "on-market",
        "visibility": "public",
        "days_ago": 62,
        "answers": [
            {
                "author": "expert_chiara",
                "body": """It is a clinical investigation, under the full regime.

When a CE-marked device is assessed outside its intended purpose to support conformity assessment, as you intend, the investigation falls under the whole of MDR Art. 62 to 81, as if the device had no CE mark (MDR Art. 74(2)). Post-operative inpatients, a new alerting function and a new clinical claim are all outside your current intended purpose, and you want the data to support the extension. Calling it observational does not change this; the decision tree in MDCG 2021-6 Rev.1 Annex I leads to Art. 74(2) for off-label use.

**In Italy:**

- the application follows the decrees of 12 April 2023, which cover non-CE devices and CE-marked devices used off-label;
- the Ministry of Health's authorisation and its fee DM-SC-PRE2, EUR 3,397.78, are for class III and invasive class IIa/IIb devices, CE-marked ones used off-label included (Ministry of Health, DM-SC-PRE2);
- your patch is a non-invasive class IIa device, so the study takes the other route: it may start 30 days after validation unless the Ministry refuses it, with a favourable ethics opinion (D.Lgs. 137/2022 Art. 16; MDR Art. 70(7)(a));
- a favourable CET opinion is part of the application (D.Lgs. 137/2022 Art. 16).

**What the file needs:** an investigator's brochure updated for the new use, including the alerting function and its software version; a plan with endpoints on detection performance against a reference such as continuous telemetry; and a risk analysis of missed and false alerts on a surgical ward.

If the alerting function is new software, check first whether it changes the device's classification, because that changes the route.""",
                "days_after": 3,
                "accepted": True,
                "helpful_from": ["member_matteo", "member_davide", "member_anna"],
            },
            {
                "author": "expert_paolo",
                "body": """As a cardiologist, some points to make this study clinically convincing.

- **Reference standard.** Most post-surgical wards already use telemetry for the first days. Use it as the comparator, with every AF episode adjudicated by two cardiologists blind to the patch; otherwise sensitivity cannot be estimated.
- **Define the target event.** Post-operative AF lasting 30 seconds and AF lasting hours carry different clinical weight. Pre-specify the duration that matters for treatment decisions, and report detection by episode duration.
- **Alerts on a real ward.** False alerts are the main clinical risk, together with missed episodes: nurses stop responding to a system that alarms too often. Measure alerts per patient-day and response times, and agree with the ward what happens when an alert fires. If alerts reach the staff and change treatment, the study is interventional, and the plan and the consent information must say so (MDR Art. 63).
- **Skin and wounds.** Sternotomy patients have dressings, drains and ECG electrodes competing for chest space. Try placement on a few patients before the protocol is final.
- **Population.** Include valve surgery and elderly patients, where post-operative AF is most frequent; a study only in low-risk bypass patients will narrow the intended purpose you can claim.

The surgeons' enthusiasm is an asset, but make a cardiologist the principal investigator: rhythm interpretation is the core of this study.""",
                "days_after": 5,
                "accepted": False,
                "helpful_from": ["member_matteo"],
            },
        ],
        "comments": [
            {
                "author": "member_matteo",
                "body": """Understood: the 30-day route, without the DM-SC-PRE2 fee. We will start with the CET submission and fix the timeline from there.""",
                "days_after": 4,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_anna",
        "title": "What must the clinical investigation plan for an orthopaedic implant contain?",
        "body": """Our notified body confirmed that our new hip implant needs a pre-market clinical investigation, so we are now drafting the clinical investigation plan (CIP). It is the first CIP we write in-house; our previous studies were run by a CRO.

Our draft follows an old CRO template from the time of the medical device directives and is about 40 pages long. I have heard that the MDR and newer guidance changed what is expected, and that there is now a template for the synopsis.

What must the CIP contain today, which references should we map it against, and which sections do reviewers usually find weak in plans written by SMEs?""",
        "topics": ["study-documents"],
        "device_class": "III",
        "stage": "preclinical",
        "visibility": "public",
        "days_ago": 55,
        "answers": [
            {
                "author": "expert_elena",
                "body": """The references, in order of weight:

1. **MDR Annex XV, Chapter II, Section 3** lists the content the law requires.
2. **ISO 14155:2020 Annex A** gives the structure under the harmonised good clinical practice standard.
3. **MDCG 2024-3** maps the two against each other and provides a synopsis template. It is best practice, not binding, but reviewers use it as a checklist (MDCG 2024-3).

Build a short table mapping each Annex XV item to the section of your plan that covers it; it will show the gaps in an old template quickly.

**Core content** (MDR Annex XV, Chapter II, Section 3; ISO 14155:2020 Annex A):

- identification: title, CIV-ID once assigned (MDCG 2021-20), sponsor, investigators, sites;
- the device, its intended purpose, and the comparator if any;
- rationale and benefit-risk analysis, linked to the risk management file (ISO 14155:2020 Annex H);
- objectives, hypotheses, primary and secondary endpoints;
- design: type, randomisation, blinding, control, duration, follow-up schedule;
- population: inclusion and exclusion criteria, number of subjects and sites;
- statistics: sample size and its assumptions, analysis sets, missing data, interim analyses;
- monitoring, data management and quality control;
- definitions and reporting of adverse events and device deficiencies (ISO 14155:2020 Annex F);
- early termination criteria, the informed consent process, publication policy.

**Sections that are often weak in SME plans:**

- endpoints that measure device performance but not clinical benefit: add patient-reported function next to the radiographic outcomes;
- a sample size without written assumptions;
- adverse event definitions copied from a drug template;
- follow-up shorter than the claims require: for a hip implant, explain how fixation at two years and beyond will be covered in PMCF.""",
                "days_after": 3,
                "accepted": False,
                "helpful_from": ["member_anna", "member_francesca", "member_matteo"],
            },
            {
                "author": "expert_sara",
                "body": """From the quality side, some things that made our last CIP review go smoothly.

- **Write the CIP with its sibling documents open.** Reviewers compare the plan with the investigator's brochure, the instructions for use, the risk management file and the clinical evaluation plan, all part of the dossier (MDR Annex XV, Chapter II). Every risk your risk file hands over to the investigation should appear in the CIP as an endpoint or a monitored event, and the device description must match the brochure.
- **Keep the statistical analysis plan separate but consistent.** Put the essentials in the CIP and the detailed methods in a statistical analysis plan finalised before the database is locked.
- **Control versions properly.** Give each version a number, a date and a change history. After approval, changes may be substantial modifications that must be notified (MDR Art. 75), so a clean baseline saves time later.
- **Plan the Italian documents.** Subject information and consent forms in plain Italian, aligned with the CET's templates, and the synopsis in Italian and English.
- **Open with the synopsis.** The MDCG 2024-3 synopsis template makes a good first section and helps ethics committee members who are not device specialists (MDCG 2024-3).

Forty pages is normal for a class III implant; what matters is that each requirement can be found. Ask a surgeon who is not involved to read the procedures section: if they could not run a study visit from it, the sites will not manage either.""",
                "days_after": 6,
                "accepted": False,
                "helpful_from": ["member_anna", "member_davide"],
            },
        ],
        "comments": [
            {
                "author": "member_anna",
                "body": """The mapping table was a great idea: it showed three Annex XV items missing from the old template.""",
                "days_after": 8,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_francesca",
        "title": "Must we have the ethics committee's opinion before we apply to the Ministry "
        "of Health?",
        "body": """The protocol of our robot study is almost final. Our research office wants to submit to the ethics committee first and apply to the Ministry of Health only after a favourable opinion, which could add two months. A consultant told us that since the 2023 decrees the two can run in parallel and the opinion can be sent later.

The robot is class IIa and non-invasive, and the study is a pre-market investigation of a non-CE version of the robot with a new force-control module.

What is the correct order in Italy, and what happens if the committee gives a conditional opinion?""",
        "topics": ["ethics-committee", "regulatory-pathway"],
        "device_class": "IIa",
        "stage": "pivotal",
        "visibility": "public",
        "days_ago": 47,
        "answers": [
            {
                "author": "expert_chiara",
                "body": """The favourable opinion of the ethics committee is part of the Italian application for a clinical investigation (D.Lgs. 137/2022 Art. 16). For your non-invasive class IIa robot, the investigation may start 30 days after validation unless the Ministry of Health rejects it, provided the ethics opinion is favourable (D.Lgs. 137/2022 Art. 16).

Applications for non-CE devices follow a decree of 12 April 2023 (Gazzetta Ufficiale n. 136 of 13 June 2023), applicable until EUDAMED is fully functional. The Ministry's guidance on non-CE investigations says that a conditionally favourable opinion can be attached to the application (Ministry of Health, guidance on non-CE investigations).

So, in practice:

- the opinion, or at least a conditional one, is expected in the file. A submission without it risks being found incomplete, which costs you the completion cycle of 10 days plus up to 20 more (MDR Art. 70);
- I know of no rule that lets you send the opinion later, so do not plan around your consultant's reading unless the Ministry of Health confirms it for your case;
- you can prepare the whole Ministry dossier while the committee reviews, and submit on the day the opinion arrives.

**Conditional opinions.** Attach the opinion, list each condition with how and when you will meet it, and send the committee the revised documents. Conditions usually concern the information sheet or the insurance details; answering them quickly keeps the two tracks in step.

The time you can win is in the preparation, not in the order of the steps.""",
                "days_after": 2,
                "accepted": False,
                "helpful_from": ["member_francesca", "member_anna"],
            },
        ],
        "comments": [
            {
                "author": "member_francesca",
                "body": """That matches what our research office thought. We will prepare the Ministry dossier in parallel and ask the Ministry about the consultant's claim.""",
                "days_after": 3,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_davide",
        "title": "Can we include adolescents aged 12-17 in a study of our migraine "
        "neurostimulator?",
        "body": """Our wearable neurostimulator for migraine prevention has just started its first study with adults, at a headache centre in Pavia. Paediatric neurologists at a hospital in Milan are keen to test it in adolescents with chronic migraine, because drug options for them are limited and families ask for non-drug treatments.

We would like to run a small study in 30 patients aged 12 to 17, possibly with a sham-stimulation control group. We expect the ethics committee to be very careful.

What are the legal conditions for including minors in a device investigation, what do we need for consent in Italy, and is a sham arm acceptable in minors? Should we wait for the adult results first?""",
        "topics": ["clinical-sites-populations", "ethics-committee"],
        "device_class": "IIb",
        "stage": "first-in-human",
        "visibility": "public",
        "days_ago": 40,
        "answers": [
            {
                "author": "expert_chiara",
                "body": """Minors can take part when a set of conditions is met (MDR Art. 65). In summary:

- informed consent is given by the legally designated representative, and the minor receives information adapted to age and maturity from trained staff;
- the explicit wish of a minor able to form an opinion to refuse or withdraw is respected at any time;
- there are no incentives beyond compensation for expenses and loss of earnings;
- the investigation concerns a condition that occurs only in minors, or is essential to validate in minors data obtained in adults or by other methods;
- there are scientific grounds to expect a direct benefit that outweighs risks and burdens, or some benefit for the population represented with minimal risk and burden;
- a minor who reaches legal age during the study gives their own consent before continuing.

The general consent rules apply as well (MDR Art. 63), and Member States may keep additional national measures (MDR Art. 67). For Italy, ask the CET about its requirements on assent forms by age band and on consent from both parents.

**Timing:** yes, wait for the adult safety data. The case under Art. 65 is much stronger when you can show acceptable safety in adults and explain why adult efficacy cannot simply be extrapolated to adolescents.

**The sham arm** is not excluded, but the benefit-risk case is harder, because sham patients carry the burden without direct benefit. Keep the sham burden minimal, allow rescue medication, and consider offering active stimulation to the sham group after the blinded phase.

Pregnant or breastfeeding participants are covered by separate conditions (MDR Art. 66); most plans exclude them and test for pregnancy where relevant.""",
                "days_after": 4,
                "accepted": False,
                "helpful_from": ["member_davide", "member_francesca"],
            },
            {
                "author": "expert_elena",
                "body": """Design points for a small paediatric study, to go with Chiara's legal conditions.

**Be honest about what 30 patients can show.** With 15 per arm and monthly migraine days as endpoint, you can detect only a large difference, and placebo responses in adolescent migraine studies are often substantial. Present the study as a feasibility and safety study with exploratory efficacy, unless you can recruit far more. An ethics committee accepts a small study more easily when its objectives match its size.

**Use adult data to inform, not to replace.** If the adult study shows a clear effect, the adolescent study can aim at consistency: an effect in the same direction and of similar size, with acceptable tolerability. Define consistency before you start.

**Age-appropriate endpoints.** Headache diaries must be usable by adolescents, ideally in a phone app, with a baseline period of at least four weeks. Add outcomes that matter to them: skin irritation, sleep, school attendance.

**Blinding the sham.** Adolescents compare experiences, and a sham that feels different will unblind. Test the sham in adults first, and ask participants at the end which arm they think they were in.

**Safety monitoring.** Pre-define stopping rules and have an independent reviewer of adverse events, even for a non-invasive device. Risk management runs through the whole investigation (ISO 14155:2020 Annex H), and the ethics committee will look for it when minors take part.

Consider stepwise enrolment: 15 to 17 year olds first, then younger patients once the first group shows acceptable tolerability.""",
                "days_after": 7,
                "accepted": False,
                "helpful_from": ["member_davide"],
            },
        ],
        "comments": [
            {
                "author": "member_davide",
                "body": """We will wait for the adult data and meanwhile ask the CET about assent forms for the different age bands.""",
                "days_after": 8,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_matteo",
        "title": "Our new catheter will deliver a partner's investigational drug into the "
        "coronary arteries: CTIS or MDR?",
        "body": """This is an early concept, so please keep it within the board. CardioFlow is discussing a partnership with a biotech company that has an investigational anti-inflammatory drug for patients with acute myocardial infarction. The drug would be infused directly into the coronary artery after stenting, through a new microporous balloon catheter we would design. The catheter is not CE-marked, and the drug is not authorised anywhere.

The partner wants to run a single first-in-human study in Italy and Spain. Their regulatory team assumes it is a drug trial under CTIS and that the catheter is just the delivery tool. Our notified body contact says the catheter needs its own clinical data.

Who is right, and how are such combined studies handled?""",
        "topics": ["regulatory-pathway"],
        "device_class": "III",
        "stage": "concept",
        "visibility": "confidential",
        "days_ago": 33,
        "answers": [
            {
                "author": "expert_chiara",
                "body": """Both are partly right, and you will probably need both regimes.

**The drug.** A trial of an unauthorised medicine is a clinical trial under the Clinical Trials Regulation, submitted through the EU portal CTIS (CTR 536/2014).

**The catheter.** The key question is whether the study assesses the catheter's safety or performance. A study that uses a device only as a tool, without assessing it, is not a device investigation, but then the device must be lawfully on the market (MDCG 2021-6 Rev.1). Your catheter has no CE mark and you will want clinical data on it, so its use is a clinical investigation (MDR Art. 62), with applications in Italy and Spain (MDR Art. 70).

**One product or two?** If catheter and drug were placed on the market as a single integral product whose principal action is the drug's, medicines law would govern it; where the device is principal and the medicinal substance ancillary, the MDR does (MDCG 2021-6 Rev.1). A separate catheter infusing a separately supplied drug is normally two products, which is why both regimes apply.

**Combined studies.** There is no common EU procedure for a study that is both a drug trial and a device investigation: the drug part goes through CTIS under the CTR and the catheter through the MDR procedure, as separate submissions that you coordinate (MDCG 2021-6 Rev.1 Annex III). The Commission's COMBINE programme works on making such studies easier, but it replaces neither submission.

**Practical steps**

- one protocol with two faces: endpoints for the drug and for the catheter, and one safety reporting process that meets both sets of rules;
- agree early who is sponsor for what;
- in Italy the catheter is class III, so the Ministry of Health's authorisation and the DM-SC-PRE2 fee apply (D.Lgs. 137/2022 Art. 16; Ministry of Health, DM-SC-PRE2).

Given the complexity, ask the Ministry of Health for a pre-submission meeting.""",
                "days_after": 3,
                "accepted": False,
                "helpful_from": ["member_matteo"],
            },
        ],
        "comments": [
            {
                "author": "member_matteo",
                "body": """Thank you, this matches what our notified body said. We will propose a joint sponsor meeting with the partner.""",
                "days_after": 5,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_anna",
        "title": "Can we change the primary endpoint of our ongoing investigation, and what "
        "approvals does that need?",
        "body": """We have an ongoing pivotal investigation of a resorbable interference screw for ACL reconstruction (class III, absorbable implant). The primary endpoint is bone tunnel widening on CT at 12 months. 62 of 120 patients are enrolled, and nobody has looked at outcome data by group.

Two of our five sites now refuse the 12-month CT for radiation reasons, and missing primary endpoint data is becoming a real risk. The investigators propose switching the primary endpoint to a knee function score (IKDC) at 12 months, keeping CT as a secondary endpoint where available.

Is this allowed mid-study? What do we need to submit, and to whom, and what should we watch out for statistically?""",
        "topics": ["study-design-statistics", "study-documents"],
        "device_class": "III",
        "stage": "pivotal",
        "visibility": "public",
        "days_ago": 26,
        "answers": [
            {
                "author": "expert_elena",
                "body": """It can be done, but it is a substantial modification, and the statistics need care.

**Regulatory.** Changing the primary endpoint affects the scientific validity of the investigation, which makes it a substantial modification (MDR Art. 75; MDCG 2021-28); MDCG 2021-6 Rev.1 Annex II lists examples of the same kind. It must be notified with the updated plan within one week of your decision (MDR Art. 75(1)), and you may implement it at the earliest 38 days after the notification, unless the Ministry refuses it or the ethics committee gives a negative opinion; 45 days if the Ministry consults experts (MDR Art. 75(3)-(4)). Send the CET the same documents.

**Statistics**

- **Document that nobody has seen comparative data.** The best defence of a mid-study change is that it is driven by feasibility, not by results. Get a short statement from the statistician and the data manager and file it.
- **Recalculate the sample size.** IKDC has a different variance and a different clinically relevant difference from tunnel widening. 120 patients may be too few or more than needed; the recalculation belongs in the amendment.
- **Use the early patients.** If IKDC was collected from the start, patients enrolled before the change contribute fully; if not, plan how to collect it.
- **Keep CT as a key secondary endpoint**, and report the pattern of missing scans by site.
- **Update the statistical analysis plan** with a version history, and pre-specify a sensitivity analysis on the original endpoint where it is available.

**On the endpoint itself.** The key risk of an absorbable screw is what happens to the bone as it resorbs. Moving imaging to secondary may weaken your safety case, so ask whether a low-dose CT protocol, or MRI at some sites, could keep imaging as a co-primary or key secondary measure. Discuss it with your notified body before you submit.""",
                "days_after": 3,
                "accepted": True,
                "helpful_from": ["member_anna", "member_matteo"],
            },
        ],
        "comments": [
            {
                "author": "member_anna",
                "body": """IKDC has been a secondary endpoint since the start, collected at every visit.""",
                "days_after": 1,
                "on_answer": None,
            },
            {
                "author": "expert_elena",
                "body": """Good, then the early patients contribute fully. Say so explicitly in the amendment.""",
                "days_after": 4,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_francesca",
        "title": "Should our pivotal robot study have a comparator that health technology "
        "assessors and payers will accept?",
        "body": """Our pivotal robot study compares robot-assisted therapy plus usual care with usual care at equal therapy time. In a meeting, the regional health authority's HTA unit said they would later want evidence against the relevant alternative, and that with the EU HTA Regulation now in force we should think about this now.

We designed the study for CE marking, not for payers, and our budget cannot support a second study. Should we change the comparator, add health-economic outcomes, or is there another way to make one study serve both purposes?""",
        "topics": ["reimbursement-hta", "study-design-statistics"],
        "device_class": "IIa",
        "stage": "pivotal",
        "visibility": "public",
        "days_ago": 18,
        "answers": [
            {
                "author": "expert_elena",
                "body": """One study can serve both, if you design it with the assessors' question in mind.

**The EU level.** The HTA Regulation introduces joint clinical assessments built on PICO: population, intervention, comparator, outcomes (HTA Regulation 2021/2282). They cover selected high-risk devices, so a class IIa rehabilitation robot is unlikely to be assessed jointly, but PICO is how most assessors will read your evidence anyway. In Italy, health technology assessment of devices has its own legal basis (D.Lgs. 137/2022 Art. 22).

**The comparator.** For CE marking, usual care at equal therapy time answers whether the robot works. Payers ask what the robot replaces, and in most rehabilitation units that is conventional upper-limb therapy delivered by therapists, which is your control arm. So your comparator is probably fine: name it explicitly as the relevant alternative, and describe its content and intensity well enough that an assessor recognises their own practice.

**What to add at low cost:**

- a generic quality-of-life measure such as EQ-5D at baseline, 12 weeks and a later follow-up, which allows a cost-utility analysis;
- therapist time per session in both arms, including robot set-up;
- resource use: length of stay, outpatient sessions, care at home;
- a longer follow-up of function and independence, at least six months, even if the primary endpoint stays at 12 weeks.

**Keep the primary endpoint.** Changing it for payers would weaken the regulatory study. Health-economic outcomes go in as pre-specified secondary endpoints with their own analysis plan.

Finally, go back to the regional HTA unit with a one-page PICO of the study and ask what they would add.""",
                "days_after": 4,
                "accepted": False,
                "helpful_from": ["member_francesca", "member_matteo"],
            },
            {
                "author": "expert_sara",
                "body": """The SME view, learned the hard way with a device that was CE-marked and then stalled at purchasing.

- **CE marking and adoption answer different questions.** The notified body asks whether the device is safe and performs as claimed; hospitals and the region ask whether it is worth paying for compared with what they do now. Plan for both from the first protocol, as you are doing.
- **Talk to the buyers early.** In our experience, decisions on equipment like yours are taken by hospital procurement and clinical engineering, informed by regional HTA. Ask the HTA unit which evidence format they use and which outcomes weigh most.
- **Costs are evidence too.** Record the robot's real operating costs in the study: set-up time, maintenance, consumables, training. Otherwise assessors will estimate them, rarely in your favour.
- **Do not oversell.** If the study shows equal outcomes with less therapist time, that is a valuable productivity claim; present it as such instead of stretching for superiority.
- **Keep it in proportion.** For a class IIa device the EU joint clinical assessment is unlikely to apply (HTA Regulation 2021/2282); national and regional assessment (D.Lgs. 137/2022 Art. 22) and local procurement are where your evidence will be read.

A few days of a health economist's time at protocol stage cost far less than a second study.""",
                "days_after": 7,
                "accepted": False,
                "helpful_from": ["member_francesca", "member_anna"],
            },
        ],
        "comments": [
            {
                "author": "member_francesca",
                "body": """Therapist time was not in our case report form at all; we will add it before the first patient.""",
                "days_after": 5,
                "on_answer": 0,
            },
        ],
    },
    {
        "author": "member_francesca",
        "title": "Which rules apply to a registry of our CE-marked robot used exactly as labelled?",
        "body": """The first version of our rehabilitation robot has been CE-marked since 2021 and is sold by a spin-off of our institute. Twelve rehabilitation centres in Lombardy use it. We want to start a registry: the centres would enter routine data for every patient treated as labelled (diagnosis, number of sessions, standard clinical scales at admission and discharge, adverse events), with no extra visits or tests.

The spin-off would like to use the data in its PMCF, and we would like to publish.

Which rules apply? Is this a clinical investigation under the MDR, do we need to involve the Ministry of Health, and which ethics committee should review it when the centres are spread across several CET areas?""",
        "topics": ["pmcf", "regulatory-pathway"],
        "device_class": "IIa",
        "stage": "on-market",
        "visibility": "public",
        "days_ago": 9,
        "answers": [],
        "comments": [
            {
                "author": "expert_paolo",
                "body": """One point that will shape the answer: will patients or families fill in any questionnaire that is not part of routine care, or is everything taken from the clinical record?""",
                "days_after": 2,
                "on_answer": None,
            },
            {
                "author": "member_francesca",
                "body": """Everything comes from the clinical record; the scales are the ones the centres already use in routine care.""",
                "days_after": 3,
                "on_answer": None,
            },
        ],
    },
    {
        "author": "member_davide",
        "title": "Are a usability test with neurologists and a retrospective review of old EEGs "
        "clinical investigations?",
        "body": """Before the prospective study of our EEG software we planned two smaller activities:

1. A usability test: eight neurologists use the software on anonymised recordings in our office, we observe errors and time per recording, and we interview them afterwards. No patients are involved.
2. A retrospective review: a hospital in Bergamo gives us pseudonymised EEGs and clinical diagnoses from 2019 to 2022, and we run the software on them to estimate accuracy. Nothing is done to patients.

We are still unsure whether the software is class IIa or IIb, which is why we chose unknown. Does either activity count as a clinical investigation under the MDR, and do we need an ethics committee or the Ministry of Health for them?""",
        "topics": ["regulatory-pathway", "software-ai"],
        "device_class": "unknown",
        "stage": "prototype",
        "visibility": "public",
        "days_ago": 6,
        "answers": [],
        "comments": [],
    },
    {
        "author": "member_matteo",
        "title": "Our first-in-human study is finished: what must we report at the end, and "
        "will it be made public?",
        "body": """Our first-in-human investigation of the steerable catheter ended last week: 20 patients at two sites, each followed for 30 days, last follow-up visit done, no device-related serious adverse events. We plan a larger study next year.

I need to plan the close-out: which notifications go to the Ministry of Health and the ethics committee, by when, and what the final report must contain. I have also heard that the report will become public in EUDAMED, which worries our board because of competitors.

What exactly must be reported at the end, with which deadlines, and what will be made public?""",
        "topics": ["study-documents"],
        "device_class": "III",
        "stage": "first-in-human",
        "visibility": "public",
        "days_ago": 4,
        "answers": [],
        "comments": [],
    },
    # Italian threads (issue 24): Lombard SMEs write in Italian and the experts answer in
    # Italian, in the terms of the Italian texts (indagine clinica, comitato etico
    # territoriale, modifica sostanziale); one expert answers in English, so the page
    # shows a mixed thread with each text marked in its language.
    {
        "author": "member_matteo",
        "language": "it",
        "title": "Indagine clinica già autorizzata: aggiungere un secondo centro a Bergamo è "
        "una modifica sostanziale?",
        "body": """La nostra indagine clinica sul catetere orientabile è autorizzata e arruola pazienti in un centro di Milano. Il reclutamento è più lento del previsto e un ospedale di Bergamo si è offerto come secondo centro sperimentale, con un proprio sperimentatore principale e lo stesso piano di indagine clinica (CIP).

Dobbiamo trattare l'aggiunta del centro come una modifica sostanziale? Se sì, a chi va notificata, entro quando, e quanto dobbiamo aspettare prima di arruolare a Bergamo? Il comitato etico territoriale che ha espresso il parere deve valutarla di nuovo?""",
        "topics": ["regulatory-pathway", "ethics-committee"],
        "device_class": "III",
        "stage": "pivotal",
        "visibility": "public",
        "days_ago": 14,
        "answers": [
            {
                "author": "expert_chiara",
                "language": "it",
                "days_after": 2,
                "accepted": True,
                "helpful_from": ["member_anna", "member_davide"],
                "body": """Nella maggior parte dei casi sì, ed è prudente trattarla così.

Una modifica è sostanziale quando può incidere in modo sostanziale sulla sicurezza, la salute o i diritti dei soggetti, oppure sulla solidità o l'affidabilità dei dati clinici (MDR Art. 75). Le linee guida MDCG 2021-6 Rev.1 danno nell'Allegato II un elenco non esaustivo di esempi; un nuovo centro porta un nuovo sperimentatore, una nuova struttura e spesso un nuovo consenso informato, che sono proprio gli elementi considerati.

Cosa prevede il regolamento per una modifica sostanziale (MDR Art. 75):

- la notifica allo Stato membro **entro una settimana**, con la documentazione aggiornata e le modifiche chiaramente riconoscibili;
- la modifica si può attuare **non prima di 38 giorni** dalla notifica, salvo rifiuto dello Stato membro o parere negativo del comitato etico;
- il termine può essere prorogato di **altri 7 giorni** se lo Stato membro consulta esperti.

Quindi a Bergamo non si arruola prima di quei 38 giorni. Quale comitato etico territoriale esamina la modifica, e con quali documenti del nuovo centro (curriculum dello sperimentatore, idoneità della struttura, contratto), va chiesto alla segreteria del CET che ha dato il parere: i testi che abbiamo letto non lo stabiliscono per i dispositivi. Chiedetelo per iscritto prima di notificare.""",
            },
            {
                "author": "expert_elena",
                "language": "en",
                "days_after": 3,
                "body": """One practical point from the site side, in English as I usually write: prepare the new site's documents before you notify, because the clock of MDR Art. 75 runs from the notification. Have the principal investigator's CV, the site's suitability statement and the Italian consent form for Bergamo ready, and train the new team on the CIP before the first patient. A site initiation visit with minutes is what monitors and inspectors look for later.

Two more things we learned the hard way at our institute. Check that the new site can actually reach your recruitment target: ask for the number of eligible patients it saw last year, not an estimate. And agree early who at the site handles device accountability (receipt, storage, returns), because a catheter study lives or dies on that log.""",
            },
        ],
        "comments": [
            {
                "author": "member_matteo",
                "language": "it",
                "days_after": 4,
                "on_answer": 0,
                "body": "Grazie: abbiamo scritto alla segreteria del CET e prepariamo la "
                "notifica con i documenti del centro di Bergamo.",
            },
        ],
    },
    {
        "author": "member_anna",
        "language": "it",
        "title": "Quale comitato etico territoriale valuta un'indagine clinica multicentrica "
        "sulla nostra protesi d'anca?",
        "body": """Stiamo preparando un'indagine clinica multicentrica sulla nuova coppa acetabolare, con tre ospedali lombardi (Brescia, Monza e Pavia). Finora abbiamo lavorato con il comitato etico di un solo ospedale, prima della riforma.

Con i comitati etici territoriali, il parere lo dà un solo comitato per tutti i centri o uno per ciascun centro? E come si sceglie il comitato a cui presentare la domanda?""",
        "topics": ["ethics-committee", "clinical-sites-populations"],
        "device_class": "III",
        "stage": "preclinical",
        "visibility": "public",
        "days_ago": 11,
        "answers": [
            {
                "author": "expert_paolo",
                "language": "it",
                "days_after": 1,
                "body": """Il quadro è cambiato nel 2023, ma non tutto è scritto per i dispositivi.

I comitati etici territoriali sono previsti dalla legge 3/2018 (art. 2) per le sperimentazioni sui medicinali e sui dispositivi medici; il decreto del Ministro della Salute del 26 gennaio 2023 ne ha individuati 40, operativi dal 7 giugno 2023, e presso l'AIFA c'è il Centro di coordinamento nazionale dei comitati etici territoriali.

Per le indagini cliniche sui dispositivi, però, i testi che il centro ha verificato non dicono quale comitato riceve un fascicolo multicentrico: è un punto da chiarire con la segreteria del CET del centro coordinatore e, se serve, con il Centro di coordinamento. Nel frattempo:

1. scegliete il centro coordinatore e chiedete alla sua segreteria CET la procedura per gli studi multicentrici su dispositivi;
2. chiedete ai tre ospedali i tempi dei loro uffici contratti, che spesso sono il vero collo di bottiglia;
3. verificate gli oneri per il parere, che per i dispositivi sono fissati da ogni Regione e pubblicati da ogni CET.""",
            },
        ],
        "comments": [],
    },
    {
        "author": "member_francesca",
        "language": "it",
        "title": "Un'indagine clinica su un dispositivo di classe I può iniziare subito dopo "
        "la convalida della domanda?",
        "body": """Il nostro gruppo di ricerca sta per presentare al Ministero della Salute un'indagine clinica su un dispositivo non invasivo di classe I (un bracciale per la riabilitazione della mano). Abbiamo letto che per queste classi l'indagine può iniziare subito dopo la convalida della domanda, ma un collega sostiene che in Italia bisogna attendere un periodo ulteriore.

Chi ha ragione? E il parere del comitato etico territoriale deve arrivare prima della domanda al Ministero o può seguirla?""",
        "topics": ["regulatory-pathway", "ethics-committee"],
        "device_class": "I",
        "stage": "first-in-human",
        "visibility": "public",
        "days_ago": 2,
        "answers": [],
        "comments": [],
    },
    # The demo's oldest thread (issue 23): asked two years before the others, long enough
    # for a study, its report and a notified body's certificate, so its referral reaches
    # "CE mark obtained" (forum/demo/clinics.py). Every step of it comes before the
    # review's current and previous periods, whose figures it leaves as they were. The
    # patch it CE-marks is the one Matteo's later threads call CE-marked.
    {
        "author": "member_matteo",
        "title": "Our 14-day ECG patch needs its own clinical data for CE marking: which route "
        "does the study take in Italy, and what do we owe after it?",
        "body": """CardioFlow is developing a single-use adhesive ECG patch that records for up to 14 days in adult outpatients, with an algorithm that flags atrial fibrillation and pauses for the cardiologist's report. We have classified it as class IIa. Bench testing, electrical safety, EMC and skin biocompatibility are done.

Our notified body told us that published studies of other patches will not carry our clinical evaluation: the electrode and the algorithm are our own, and we cannot show equivalence. So we plan a study in about 100 outpatients referred for ambulatory monitoring, wearing the patch and a Holter together for the first 24 hours and the patch alone up to day 14.

Which regulatory route does this study take in Italy, which fees apply, and what do we owe the authorities once it is over, before the notified body can issue its certificate? The design is not public yet, so please keep this confidential.""",
        "topics": ["regulatory-pathway", "study-design-statistics"],
        "device_class": "IIa",
        "stage": "pivotal",
        "visibility": "confidential",
        "days_ago": 790,
        "answers": [
            {
                "author": "expert_chiara",
                "body": """Your notified body's view fits the rules, and in Italy your study takes the lighter of the two routes.

**Why a study.** Conformity with the general safety and performance requirements must rest on clinical data that give sufficient clinical evidence (MDR Art. 61(1)). The MDR makes an investigation compulsory only for implantable and class III devices (MDR Art. 61(4)), but without equivalent data your own investigation is where that evidence comes from. It is run to show conformity, so it follows MDR Art. 62 and the application rules of MDR Art. 70 (MDCG 2021-6 Rev.1 Annex I).

**The route in Italy.** A patch on intact skin does not penetrate the body, so the device is a non-invasive class IIa device. The MDR lets such an investigation start right after validation unless national law says otherwise (MDR Art. 70(7)(a)); Italian law does: you may start 30 days after the application is validated, unless the Ministry of Health notifies a refusal within that time, and only with the ethics committee's favourable opinion (D.Lgs. 137/2022 Art. 16). That opinion is part of the application (D.Lgs. 137/2022 Art. 16), so the CET comes first. The Ministry says whether the application is complete within 10 days (MDR Art. 70(1)).

**Fees.** The Ministry's fee DM-SC-PRE2 belongs to the authorisation route, for class III and invasive class IIa/IIb devices, not to yours (Ministry of Health, DM-SC-PRE2). The CET's fees for device investigations are set by each Region and published by each CET (DM 30/1/2023 Art. 7): ask your site's CET for its schedule.

**After the study.** Notify the end of the investigation within 15 days (MDR Art. 77) and submit the clinical investigation report within one year of the end, with a summary easily understandable to the intended user (MDR Art. 77(5)). Write both knowing they will be read by others: they become publicly accessible at the latest when the device is registered, before it is placed on the market (MDR Art. 77(7)). The report then goes into the clinical evaluation in the technical documentation your notified body assesses; ask it early for its timetable, and put its review in your plan.""",
                "days_after": 2,
                "accepted": True,
                "helpful_from": ["member_matteo"],
            },
            {
                "author": "expert_paolo",
                "body": """As a cardiologist, some points that decide whether the study convinces a notified body and, later, the cardiologists who will buy the patch.

- **Reference standard.** Compare with a Holter recorded at the same time, and have every AF episode and pause adjudicated by two cardiologists blind to the patch's output, with a third for disagreements. Pre-specify the shortest episode that counts, and report detection by episode duration.
- **Endpoints.** Sensitivity and positive predictive value for AF against the Holter over the hours both were worn; analysable recording time over the 14 days; skin reactions and early removals, which are the safety data reviewers will read first.
- **Population.** Enrol the outpatients actually referred for ambulatory monitoring, older patients and people with fragile skin included; a study in young, healthy volunteers would narrow the intended purpose you can claim.
- **Sample size.** What matters is how many subjects with AF you observe, not the total: estimate the share of referrals with AF at your site and size the study for the precision you need on sensitivity.
- **The site.** An electrophysiology unit that reads Holters every day gives you the patients and the adjudicators in one place. I can suggest one.""",
                "days_after": 4,
                "accepted": False,
                "helpful_from": ["member_matteo"],
            },
        ],
        "comments": [
            {
                "author": "expert_chiara",
                "body": """To confirm the route: does any part of the patch penetrate the skin, for example microneedle electrodes?""",
                "days_after": 1,
                "on_answer": None,
            },
            {
                "author": "member_matteo",
                "body": """No: hydrogel electrodes on intact skin, nothing penetrates it.""",
                "days_after": 2,
                "on_answer": None,
            },
            {
                "author": "member_matteo",
                "body": """Yes, please: an electrophysiology unit in Milan would suit us.""",
                "days_after": 8,
                "on_answer": 1,
            },
            {
                "author": "member_matteo",
                "body": """An update for the board: the investigation ended as planned, the report and its summary went to the Ministry within the year, and the notified body has issued our certificate, so the patch now carries the CE mark as a class IIa device. Thank you for the route, and for the introduction to the Ambrosiano.""",
                "days_after": 392,
                "on_answer": None,
            },
        ],
    },
]
