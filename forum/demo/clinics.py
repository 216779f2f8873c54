"""The demo's clinic directory and referrals. Every clinic is fictional ("(demo)" in its
name), in real Lombardy cities; contacts are example.org addresses.

The referrals go through the services (refer, advance, each side's answer to the
introduction through the member's account and the clinic's link, the thread, the
confirmation of a start), so their steps, audit entries and the review's counts
are the real ones; each step is dated some days ago, and the rows' timestamps
are moved back to those days. Between them they show every state a reader meets:
awaiting both answers, the clinic's answer given and the member's awaited, a
thread, declined by the clinic, agreed with the contacts released, a start
confirmed by the company, one verified by an admin and one still unconfirmed (an
expert's word, shown apart in the review), the first subject enrolled, completed,
report submitted, abandoned, and "CE mark obtained": that one is the demo's oldest
thread, two years back, since a study, its report and a notified body's certificate
do not fit in six months; all its steps come before the review's current and previous
periods, so it changes none of their figures.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from forum import calendar
from forum.extensions import db
from forum.models import (
    AuditEntry,
    Clinic,
    Facilitation,
    FacilitationStatus,
    FacilitationStep,
    Question,
    ReferralDecision,
    ReferralLink,
    ReferralMessage,
    User,
)
from forum.services import clinics, facilitations, referral_introductions
from forum.services.clinics import ClinicDraft

DEMO_CLINICS = [
    ClinicDraft(
        name="Centro Cardiologico Ambrosiano (demo)",
        city="Milano",
        specialties="Cardiology; Interventional cardiology; Electrophysiology",
        populations="Adults with coronary artery disease; Patients with atrial fibrillation; "
        "Older adults with aortic valve disease",
        hosts_device_studies=True,
        description="Catheterisation and electrophysiology laboratories with a clinical "
        "trials unit used to first-in-human studies of cardiac devices.",
        contact_name="Dr.ssa Laura Sala, clinical trials unit",
        contact_email="trials.ambrosiano@example.org",
        contact_phone="+39 02 0000 0101",
    ),
    ClinicDraft(
        name="Ospedale Civico di Lario (demo)",
        city="Como",
        specialties="Cardiology; Neurology; General surgery",
        populations="Adults with heart failure; Adults after a stroke; Surgical inpatients",
        hosts_device_studies=True,
        description="A general hospital with a research office that hosts multicentre "
        "device studies as a secondary site.",
        contact_name="Dott. Andrea Moretti, research office",
        contact_email="ricerca.lario@example.org",
        contact_phone="+39 031 000 0202",
    ),
    ClinicDraft(
        name="Fondazione Neurologica Ticinese (demo)",
        city="Pavia",
        specialties="Neurology; Clinical neurophysiology; Sleep medicine",
        populations="Adults with drug-resistant epilepsy; Adults with chronic migraine; "
        "People with Parkinson's disease",
        hosts_device_studies=True,
        description="Video-EEG monitoring unit and headache centre; experience with "
        "neurostimulation and EEG software studies.",
        contact_name="Dr.ssa Marta Vitali, clinical research coordinator",
        contact_email="studi.ticinese@example.org",
        contact_phone="+39 0382 000 303",
    ),
    ClinicDraft(
        name="Clinica di Riabilitazione Città Alta (demo)",
        city="Bergamo",
        specialties="Rehabilitation; Neurorehabilitation; Physical medicine",
        populations="Adults after a stroke; Upper-limb impairment; Spinal cord injury",
        hosts_device_studies=True,
        description="Inpatient and outpatient neurorehabilitation with a robotics gym; "
        "runs pragmatic and pivotal studies of rehabilitation devices.",
        contact_name="Dott. Luca Pesenti, robotics lab",
        contact_email="robotica.cittaalta@example.org",
        contact_phone="+39 035 000 0404",
    ),
    ClinicDraft(
        name="Istituto Ortopedico Cidneo (demo)",
        city="Brescia",
        specialties="Orthopaedics; Sports medicine; Rehabilitation",
        populations="Adults having hip or knee replacement; Athletes with ligament injuries",
        hosts_device_studies=True,
        description="Joint replacement and sports traumatology; registry of implants since 2010.",
        contact_name="Dr.ssa Chiara Franzoni, orthopaedic research",
        contact_email="ortopedia.cidneo@example.org",
        contact_phone="+39 030 000 0505",
    ),
    ClinicDraft(
        name="Ospedale Pediatrico della Brianza (demo)",
        city="Monza",
        specialties="Paediatrics; Paediatric neurology; Neonatology",
        populations="Children and adolescents (0-17 years); Neonates; Adolescents with migraine",
        hosts_device_studies=True,
        description="Paediatric hospital with an ethics-trained research nurse team for "
        "studies that include minors.",
        contact_name="Dott.ssa Elisa Brambilla, paediatric trials office",
        contact_email="pediatria.brianza@example.org",
        contact_phone="+39 039 000 0606",
    ),
    ClinicDraft(
        name="Casa di Cura Villa Resegone (demo)",
        city="Lecco",
        specialties="Rehabilitation; Cardiac rehabilitation; Geriatrics",
        populations="Older adults; Patients after cardiac surgery; Adults after a stroke",
        hosts_device_studies=True,
        description="A private rehabilitation clinic, accredited with the regional health "
        "service, new to device studies and keen to host them.",
        contact_name="Dott. Giorgio Valsecchi, medical director",
        contact_email="direzione.resegone@example.org",
        contact_phone="+39 0341 000 707",
    ),
    ClinicDraft(
        name="Ospedale Maggiore Padano (demo)",
        city="Cremona",
        specialties="Cardiac surgery; Intensive care; Cardiology",
        populations="Patients after cardiac surgery; Intensive care patients",
        hosts_device_studies=True,
        description="Cardiac surgery centre with post-operative monitoring; interested in "
        "wearable monitoring after discharge.",
        contact_name="Dr.ssa Sofia Ghisleri, cardiac surgery research",
        contact_email="cardiochirurgia.padano@example.org",
        contact_phone="+39 0372 000 808",
    ),
    ClinicDraft(
        name="Presidio Ospedaliero del Verbano (demo)",
        city="Varese",
        specialties="Rehabilitation; Endocrinology; Diabetology",
        populations="Adults with type 2 diabetes; Adults after a stroke",
        hosts_device_studies=True,
        description="Hospital rehabilitation ward and diabetes clinic; has run comparator "
        "studies with health technology assessment input.",
        contact_name="Dott. Paolo Zanetti, research office",
        contact_email="ricerca.verbano@example.org",
        contact_phone="+39 0332 000 909",
    ),
    ClinicDraft(
        name="Policlinico Virgiliano (demo)",
        city="Mantova",
        specialties="Dermatology; Wound care; Vascular surgery",
        populations="Adults with chronic wounds; People with diabetic foot ulcers",
        hosts_device_studies=False,
        description="Wound care centre; takes part in observational studies only for now.",
        contact_name="Dr.ssa Anna Gatti, wound care centre",
        contact_email="vulnologia.virgiliano@example.org",
        contact_phone="+39 0376 000 010",
    ),
]

# Each referral: the demo question (by title start), the clinic, and its steps as
# (status, days ago, who records it, note); the first step is the referral itself.
# A referral that reaches "trial started" records the regulatory milestones behind the
# start, in days ago: the CET's opinion, the application to the Ministry of Health, its
# validation and, on the authorisation route, the authorisation. The law's route
# (D.Lgs. 137/2022 Art. 16; MDR Art. 70) is "authorisation" for class III and invasive
# class IIa/IIb devices, "30-day" (start 30 days after validation) for the others;
# tests/web/test_demo.py holds the dates to it.
DEMO_REFERRALS = [
    {
        "question": "How do we justify the sample size of a pivotal study for an upper-limb",
        "clinic": "Clinica di Riabilitazione Città Alta (demo)",
        "steps": [
            (
                FacilitationStatus.PROPOSED,
                132,
                "expert_elena",
                "Their robotics gym ran the pilot study the sample size should build on; they "
                "can recruit about 60 post-stroke patients a year.",
            ),
            (
                FacilitationStatus.CONTACTED,
                126,
                "expert_elena",
                "Introduced Francesca to the robotics lab lead by e-mail; a call is set.",
            ),
            (
                FacilitationStatus.AGREED,
                112,
                "both",
                "The clinic agreed to act as lead site; the protocol goes to the CET once the "
                "sample size and the list of sites are final.",
            ),
        ],
    },
    {
        "question": "Which fees do we pay in Italy for a first-in-human study of a class III",
        "clinic": "Centro Cardiologico Ambrosiano (demo)",
        "steps": [
            (
                FacilitationStatus.PROPOSED,
                140,
                "expert_paolo",
                "Their catheterisation laboratory has hosted two first-in-human catheter "
                "studies; they know the fee schedule and the Ministry timelines.",
            ),
            (
                FacilitationStatus.CONTACTED,
                133,
                "expert_paolo",
                "Matteo met the clinical trials unit; they asked for the investigator's brochure.",
            ),
            (
                FacilitationStatus.AGREED,
                125,
                "both",
                "Site agreement and budget signed, fees included; the CET meets on the study "
                "next week.",
            ),
            (
                FacilitationStatus.TRIAL_STARTED,
                80,
                "member",
                "First-in-human study started after the Ministry's authorisation.",
            ),
            (
                FacilitationStatus.ENROLLED,
                79,
                "clinic",
                "First subject enrolled: first procedure done without complications.",
            ),
            (
                FacilitationStatus.COMPLETED,
                20,
                "clinic",
                "Thirty-day follow-up of the ten subjects complete.",
            ),
            (
                FacilitationStatus.REPORT_SUBMITTED,
                5,
                "member",
                "Clinical investigation report submitted.",
            ),
        ],
        "regulatory": {
            "route": "authorisation",
            "ethics_opinion": 118,
            "submitted": 116,
            "validated": 108,
            "authorised": 84,
        },
    },
    {
        "question": "Realistically, how long from submission to first patient for a "
        "non-invasive neurostimulator",
        "clinic": "Fondazione Neurologica Ticinese (demo)",
        "steps": [
            (
                FacilitationStatus.PROPOSED,
                104,
                "expert_sara",
                "The headache centre has run neurostimulation studies and can give realistic "
                "start-up times.",
            ),
            (
                FacilitationStatus.CONTACTED,
                100,
                "expert_sara",
                "Davide sent them the draft protocol.",
            ),
            (
                FacilitationStatus.AGREED,
                96,
                "both",
                "They agreed to run the study; the CET submission goes in this week.",
            ),
            (
                FacilitationStatus.TRIAL_STARTED,
                40,
                "admin_giulia",
                "The investigation started, 30 days after the Ministry's validation passed "
                "without a refusal; recorded on the clinic's confirmation.",
            ),
            (
                FacilitationStatus.ENROLLED,
                38,
                "expert_sara",
                "First subject enrolled at the headache centre.",
            ),
            (
                FacilitationStatus.ABANDONED,
                10,
                "member",
                "Stopped by the company: the first subjects' feedback calls for a redesign of "
                "the electrode; a new investigation will follow.",
            ),
        ],
        "verified": (
            "admin_giulia",
            "The clinic's letter of 30 days after validation and "
            "the first subject's enrolment log seen.",
        ),
        "regulatory": {"route": "30-day", "ethics_opinion": 78, "submitted": 76, "validated": 70},
    },
    {
        "question": "What makes a private rehabilitation clinic suitable as an investigation site?",
        "clinic": "Casa di Cura Villa Resegone (demo)",
        "steps": [
            (
                FacilitationStatus.PROPOSED,
                70,
                "expert_paolo",
                "A private accredited clinic that wants to host device studies: a good match "
                "for the question and for a site assessment.",
            ),
            (
                FacilitationStatus.CONTACTED,
                63,
                "expert_paolo",
                "Site visit arranged with the medical director.",
            ),
            (
                FacilitationStatus.AGREED,
                29,
                "both",
                "The clinic agreed to be a second site once its GCP training is complete.",
            ),
        ],
    },
    {
        "question": "Can we include adolescents aged 12-17 in a study of our migraine",
        "clinic": "Ospedale Pediatrico della Brianza (demo)",
        "steps": [
            (
                FacilitationStatus.PROPOSED,
                35,
                "expert_marco",
                "Their paediatric neurology unit sees adolescents with migraine and knows the "
                "consent and assent procedure for minors.",
            ),
            (
                FacilitationStatus.CONTACTED,
                27,
                "expert_marco",
                "The trials office has the synopsis and will answer through its link.",
            ),
        ],
        # The clinic accepted; the member has not answered yet, and they talk in the thread.
        "answers": {"clinic": "The unit can see about forty adolescents a year."},
        "messages": [
            (
                "clinic",
                "Does the device need a paediatric-sized headband, or is one size meant for all?",
            ),
            (
                "member",
                "One size with an adjustable band; we can send two for your neurologists to try.",
            ),
        ],
    },
    {
        "question": "What must the clinical investigation plan for an orthopaedic implant contain?",
        "clinic": "Istituto Ortopedico Cidneo (demo)",
        "steps": [
            (
                FacilitationStatus.PROPOSED,
                50,
                "expert_paolo",
                "Implant registry and joint replacement volumes fit the planned study.",
            ),
            (
                FacilitationStatus.CONTACTED,
                44,
                "expert_paolo",
                "Anna presented the device to the orthopaedic research team.",
            ),
            (
                FacilitationStatus.DECLINED,
                37,
                "clinic",
                "No capacity for a new implant study this year, sorry.",
            ),
        ],
    },
    {
        "question": "We want to test our CE-marked ECG patch for AF detection after cardiac",
        "clinic": "Ospedale Maggiore Padano (demo)",
        "steps": [
            (
                FacilitationStatus.PROPOSED,
                59,
                "expert_paolo",
                "Their cardiac surgery centre monitors patients after discharge and is "
                "interested in wearable ECG.",
            ),
            (
                FacilitationStatus.CONTACTED,
                57,
                "expert_paolo",
                "Matteo met the cardiac surgeons; a cardiologist will be principal investigator.",
            ),
            (
                FacilitationStatus.AGREED,
                56,
                "both",
                "The hospital agreed to host the study; the CET submission goes in this week.",
            ),
            # An expert's word, not yet confirmed by either side: shown apart in the review.
            (
                FacilitationStatus.TRIAL_STARTED,
                8,
                "expert_paolo",
                "First patient enrolled, 30 days after the Ministry's validation passed without "
                "a refusal, as the cardiologist told me on the phone.",
            ),
        ],
        "regulatory": {"route": "30-day", "ethics_opinion": 44, "submitted": 43, "validated": 38},
    },
    {
        "question": "Should our pivotal robot study have a comparator",
        "clinic": "Presidio Ospedaliero del Verbano (demo)",
        "steps": [
            (
                FacilitationStatus.PROPOSED,
                6,
                "expert_elena",
                "They have run comparator studies with HTA input and have a rehabilitation ward.",
            ),
        ],
    },
    {
        # The whole way to a CE mark, two years back: a non-invasive class IIa patch, so
        # the 30-day route; the report within a year of the end (MDR Art. 77(5)).
        "question": "Our 14-day ECG patch needs its own clinical data for CE marking",
        "clinic": "Centro Cardiologico Ambrosiano (demo)",
        "steps": [
            (
                FacilitationStatus.PROPOSED,
                781,
                "expert_paolo",
                "Their electrophysiology unit reads Holter recordings every day and sees the "
                "outpatients the patch is meant for.",
            ),
            (
                FacilitationStatus.CONTACTED,
                776,
                "expert_paolo",
                "Introduced Matteo to the clinical trials unit; they asked for the draft plan "
                "and the risk analysis.",
            ),
            (
                FacilitationStatus.AGREED,
                761,
                "both",
                "Site agreement signed; the plan goes to the CET once the sample size is final.",
            ),
            (
                FacilitationStatus.TRIAL_STARTED,
                668,
                "member",
                "Investigation started, 30 days after the Ministry's validation passed without "
                "a refusal, with the CET's favourable opinion.",
            ),
            (
                FacilitationStatus.ENROLLED,
                667,
                "clinic",
                "First subject enrolled: patch and Holter fitted at the same visit.",
            ),
            (
                FacilitationStatus.COMPLETED,
                548,
                "clinic",
                "Last subject's 14-day recording returned; every Holter comparison adjudicated.",
            ),
            (
                FacilitationStatus.REPORT_SUBMITTED,
                470,
                "member",
                "Clinical investigation report and its summary submitted to the Ministry, "
                "within the year after the end; the end was notified within 15 days.",
            ),
            (
                FacilitationStatus.CE_MARKED,
                400,
                "member",
                "The notified body issued its certificate after assessing the technical "
                "documentation, the investigation report in its clinical evaluation; the "
                "patch carries the CE mark as a class IIa device.",
            ),
        ],
        "regulatory": {
            "route": "30-day",
            "ethics_opinion": 712,
            "submitted": 709,
            "validated": 701,
        },
    },
]


def seed_clinics(users: dict[str, User]) -> int:
    """Add the demo clinics that are missing (by name); returns how many were added."""
    existing = set(db.session.scalars(select(Clinic.name)))
    added = 0
    for draft in DEMO_CLINICS:
        if draft.name not in existing:
            clinics.create_clinic(users["admin_giulia"], draft)
            added += 1
    return added


def seed_referrals(users: dict[str, User]) -> int:
    """Add the demo referrals that are missing (by question and clinic), each with its
    steps, answers, thread and confirmation; returns how many were added. A missing
    question or clinic is skipped."""
    by_name = {clinic.name: clinic for clinic in db.session.scalars(select(Clinic))}
    today = calendar.today()
    added = 0
    for item in DEMO_REFERRALS:
        question = db.session.scalar(
            select(Question).where(Question.title.startswith(item["question"]))
        )
        clinic = by_name.get(item["clinic"])
        if (
            question is None
            or clinic is None
            or db.session.scalar(
                select(Facilitation.id).where(
                    Facilitation.question_id == question.id, Facilitation.clinic_id == clinic.id
                )
            )
            is not None
        ):
            continue
        (_, days_ago, who, note), *later = item["steps"]
        since = _last_audit_id()
        facilitation = facilitations.refer(
            question, clinic, users[who], note, on=today - timedelta(days=days_ago)
        )
        _backdate_since(since, today - timedelta(days=days_ago), facilitation)
        for status, days_ago, who, note in later:
            since = _last_audit_id()
            _step(facilitation, users, status, today - timedelta(days=days_ago), who, note)
            _backdate_since(since, today - timedelta(days=days_ago), facilitation)
        for side, note in item.get("answers", {}).items():
            referral_introductions.answer_introduction(
                facilitation, _actor(facilitation, users, side), ReferralDecision.ACCEPTED, note
            )
        for who, body in item.get("messages", ()):
            referral_introductions.post_message(
                facilitation, _actor(facilitation, users, who), body
            )
        if "verified" in item:
            admin, note = item["verified"]
            referral_introductions.verify_trial_start(facilitation, users[admin], note)
        _backdate(facilitation)
        added += 1
    return added


def _actor(facilitation: Facilitation, users: dict[str, User], who: str):
    """The demo's names for the sides: "member" (who asked), "clinic" (its newest link,
    the one its last e-mail carried), else an account of the demo."""
    if who == "member":
        return facilitation.question.author
    if who == "clinic":
        return db.session.scalar(
            select(ReferralLink)
            .where(ReferralLink.facilitation_id == facilitation.id)
            .order_by(ReferralLink.id.desc())
        )
    return users[who]


def _step(
    facilitation: Facilitation, users: dict[str, User], status, day, who: str, note: str
) -> None:
    """One demo step: "agreed" is both sides' acceptance (the note the clinic's), a
    clinic's decline its answer; either dated ``day`` as if answered then."""
    if status == FacilitationStatus.AGREED or (
        status == FacilitationStatus.DECLINED and who in ("member", "clinic")
    ):
        decision = (
            ReferralDecision.ACCEPTED
            if status == FacilitationStatus.AGREED
            else ReferralDecision.DECLINED
        )
        if status == FacilitationStatus.AGREED:
            referral_introductions.answer_introduction(
                facilitation, _actor(facilitation, users, "member"), decision
            )
            who = "clinic"
        referral_introductions.answer_introduction(
            facilitation, _actor(facilitation, users, who), decision, note
        )
        facilitation.steps[-1].occurred_on = day
        if status == FacilitationStatus.AGREED:
            facilitation.contacts_released_at = _at_ten(day)
        db.session.commit()
        return
    facilitations.advance(facilitation, _actor(facilitation, users, who), status, day, note)


def _at_ten(day) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def _last_audit_id() -> int:
    return db.session.scalar(select(func.max(AuditEntry.id))) or 0


def _backdate_since(audit_id: int, day, facilitation: Facilitation) -> None:
    """Date what one demo action wrote (its audit entries, links, answers) on its day."""
    for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.id > audit_id)):
        entry.created_at = _at_ten(day)
    for link in db.session.scalars(
        select(ReferralLink).where(
            ReferralLink.facilitation_id == facilitation.id, ReferralLink.last_used_at.is_(None)
        )
    ):
        if link.created_at.date() > day:
            link.expires_at -= link.created_at - _at_ten(day)
            link.created_at = _at_ten(day)
    for name in ("member_decided_at", "clinic_decided_at"):
        moment = getattr(facilitation, name)
        if moment is not None and moment.date() > day:
            setattr(facilitation, name, _at_ten(day))
    db.session.commit()


def _backdate(facilitation: Facilitation) -> None:
    """Move the rows' timestamps to their steps' days, so lists read like months of use."""
    steps = list(
        db.session.scalars(
            select(FacilitationStep)
            .where(FacilitationStep.facilitation_id == facilitation.id)
            .order_by(FacilitationStep.id)
        )
    )
    for step in steps:
        step.created_at = _at_ten(step.occurred_on)
    for message in db.session.scalars(
        select(ReferralMessage).where(ReferralMessage.facilitation_id == facilitation.id)
    ):
        message.created_at = _at_ten(steps[-1].occurred_on)
    facilitation.created_at = _at_ten(steps[0].occurred_on)
    facilitation.updated_at = _at_ten(steps[-1].occurred_on)
    db.session.commit()


def seed_clinic_directory(users: dict[str, User]) -> tuple[int, int]:
    """The demo clinics, then the referrals to them: (clinics added, referrals added)."""
    return seed_clinics(users), seed_referrals(users)
