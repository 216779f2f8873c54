"""Search relevance on the demo centre: queries as members type them, each with the one
item it must bring into the top three.

The queries paraphrase; none copies a title. Some are in Italian, as the centre's
members often write, against the demo's English texts. The searcher is a visitor,
so only public texts count. The hit rate is printed (run with -s) and must be 100%;
README.md states it.
"""
from __future__ import annotations

from flask_login import AnonymousUserMixin
from sqlalchemy import select

from forum.demo.seed import seed_demo
from forum.extensions import db
from forum.models import FaqEntry, GuideSection, Question
from forum.services import search

TOP = 3

# (query, (kind, what identifies the item)): a question or an FAQ entry by the start of
# its title, a guide section by its anchor.
RELEVANCE_SET = [
    # English
    ("clinical data needed for EEG seizure detection software to get the CE mark",
     ("question", "What clinical evidence does an AI tool that flags seizures")),
    ("how much does the ministry charge for a first in human trial",
     ("question", "Which fees do we pay in Italy")),
    ("how many patients do we need in a pivotal trial of a rehab robot",
     ("question", "How do we justify the sample size")),
    ("is agreeing to take part in the study enough as legal basis under GDPR",
     ("question", "Is the informed consent form also our GDPR legal basis")),
    ("extra blood samples in a post-market follow-up study, must we tell anyone",
     ("question", "Our PMCF study of a CE-marked ECG patch")),
    ("one ethics opinion valid for every centre in a multicentre study",
     ("question", "Which ethics committee reviews a multicentre device study")),
    ("side effects in a catheter trial: what to report and deadlines",
     ("question", "Which adverse events from our catheter study")),
    ("insurance policy for trial participants, how long must it last",
     ("question", "What insurance cover do we need")),
    ("can a private clinic be a trial site",
     ("question", "What makes a private rehabilitation clinic suitable")),
    ("use the EEG recordings from our trial to retrain the model",
     ("question", "Can we reuse EEG data from our clinical study")),
    ("atrial fibrillation detection after heart surgery with an ECG patch we already sell",
     ("question", "We want to test our CE-marked ECG patch for AF detection")),
    ("what goes into the investigation plan for a knee or hip prosthesis",
     ("question", "What must the clinical investigation plan for an orthopaedic implant")),
    ("do we need the ethics approval before submitting to the ministry",
     ("question", "Must we have the ethics committee's opinion")),
    ("teenagers in a headache neurostimulation trial",
     ("question", "Can we include adolescents aged 12-17")),
    ("changing the primary outcome of a trial that has already started",
     ("question", "Can we change the primary endpoint")),
    ("control group that HTA bodies and payers will accept",
     ("question", "Should our pivotal robot study have a comparator")),
    ("registry of a robot used within its intended purpose",
     ("question", "Which rules apply to a registry of our CE-marked robot")),
    ("is usability testing with doctors a clinical investigation",
     ("question", "Are a usability test with neurologists")),
    ("end of study report after first in human, will it be published",
     ("question", "Our first-in-human study is finished")),
    ("which changes count as substantial modifications",
     ("guide", "substantial-modifications")),
    ("what should the investigator's brochure contain",
     ("guide", "investigator-s-brochure")),
    ("consent rules for incapacitated adults and pregnant women",
     ("guide", "informed-consent")),
    ("first steps for an in vitro diagnostic performance study",
     ("guide", "first-steps-for-an-ivd-study")),
    ("device delivering a medicine: which law governs the product",
     ("guide", "which-law-governs-the-product")),
    ("planning post-market clinical follow-up",
     ("guide", "planning-a-pmcf-study")),
    ("keeping old study records: for how many years",
     ("guide", "records")),
    ("timeline of the deadlines",
     ("guide", "timeline-of-the-main-deadlines")),
    ("how much are the fees for a first study of a heart catheter",
     ("faq", "Which fees do we pay in Italy")),
    # Italian
    ("quanto costa una sperimentazione in Italia",
     ("question", "Which fees do we pay in Italy")),
    ("serve il parere del comitato etico prima del ministero?",
     ("question", "Must we have the ethics committee's opinion")),
    ("consenso informato e base giuridica per i dati",
     ("question", "Is the informed consent form also our GDPR legal basis")),
    ("segnalazione degli eventi avversi gravi: entro quanto tempo",
     ("faq", "Which adverse events from our catheter study")),
    ("assicurazione per i pazienti dello studio",
     ("question", "What insurance cover do we need")),
    ("modifiche sostanziali allo studio in corso",
     ("guide", "substantial-modifications")),
    ("studio con minori adolescenti",
     ("question", "Can we include adolescents aged 12-17")),
]


def _identify(kind: str, key: str) -> tuple[str, int]:
    if kind == "question":
        found = db.session.scalar(select(Question.id).where(Question.title.startswith(key)))
    elif kind == "faq":
        found = db.session.scalar(select(FaqEntry.id).where(FaqEntry.question_text.startswith(key)))
    else:
        found = db.session.scalar(select(GuideSection.id).where(GuideSection.anchor == key))
    assert found is not None, f"the demo has no {kind} {key!r}"
    return kind, found


def test_the_relevance_set_is_varied_enough():
    queries = [query for query, _item in RELEVANCE_SET]
    assert len(queries) >= 30 and len(set(queries)) == len(queries)
    assert sum(1 for _query, (kind, _key) in RELEVANCE_SET if kind == "guide") >= 5


def test_every_query_finds_its_item_in_the_top_three(app):
    seed_demo()
    visitor = AnonymousUserMixin()
    misses = []
    for query, (kind, key) in RELEVANCE_SET:
        wanted = _identify(kind, key)
        hits = search.search(visitor, query, per_page=TOP).hits
        top = [(hit.kind, hit.object_id) for hit in hits]
        if wanted not in top:
            misses.append(f"{query!r}: wanted {kind} {key!r}, got "
                          + "; ".join(f"{hit.kind} {hit.title[:50]!r}" for hit in hits))
    found = len(RELEVANCE_SET) - len(misses)
    print(f"\nRelevance set ({db.engine.dialect.name}): {len(RELEVANCE_SET)} queries, "
          f"{found} found in the top {TOP} ({found / len(RELEVANCE_SET):.0%}).")
    assert not misses, "\n".join(misses)
