"""Hostile query parameters and oversized bodies.

SQL injection: every query parameter a page or the API reads (listed in
``QUERY_PARAMETERS``, checked against the code by the last test) and every
free-text path segment gets classic injection payloads, broken quoting,
huge and negative numbers and control characters. None may cause a 500,
reveal a confidential question or a hidden clinic to someone who may not see
it, or change a single row of any table.

Size: a body over MAX_CONTENT_LENGTH, whether a form, a multipart upload or an
API request, gets 413 with a readable answer, and nothing is stored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Question
from forum.services import clinics
from forum.services.accounts import api_tokens
from forum.services.clinics import ClinicDraft
from forum.web.api import queries as api_queries
from forum.web.infra.body_limit import upload_limit
from tests.access_matrix import build_world
from tests.factories import question_form
from tests.fixtures.people import PASSWORD

WEB = Path(__file__).resolve().parents[2] / "forum" / "web"

PAYLOADS = [
    "' OR 1=1--",
    "' OR '1'='1",
    "1' OR '1'='1' --",
    '" OR ""="',
    "1; DROP TABLE question",
    "1); DROP TABLE question;--",
    "'; DELETE FROM question; --",
    '") UNION SELECT id, title, body FROM question--',
    "' UNION SELECT NULL, title FROM question WHERE visibility='confidential'--",
    '1 UNION ALL SELECT email FROM "user"',
    "%27",
    "'",
    '"',
    "\\",
    "`",
    "%",
    "_",
    "*",
    "[]",
    "1e308",
    "NaN",
    "-1",
    "0",
    "1.5",
    "-99999999999999999999999999",
    "99999999999999999999999999999999999999",
    "2147483648",
    "9223372036854775808",
    "0x7fffffff",
    "\x00",
    "%00",
    "\u202e\u0000",
    "\ud7ff\ufffd",
    "x" * 5000,
    "2026-13-45",
    "0000-00-00",
    "9999-12-31",
]

# (who asks, path, the query parameters it reads, the module that reads them).
# "member" is another member, who may not see the confidential question.
QUERY_PARAMETERS = [
    (
        "visitor",
        "/questions",
        ["topic", "status", "unanswered", "mine", "page", "sort", "device_class", "stage"],
        "questions/routes.py",
    ),
    (
        "member",
        "/questions",
        ["topic", "status", "unanswered", "mine", "page", "sort", "device_class", "stage"],
        "questions/routes.py",
    ),
    ("visitor", "/clinics", ["q", "city", "specialty", "device", "page"], "clinics/routes.py"),
    ("member", "/facilitations", ["status", "page"], "clinics/routes.py"),
    ("expert", "/facilitations", ["status", "page"], "clinics/routes.py"),
    ("member", "/notifications", ["page"], "notifications/routes.py"),
    ("admin", "/admin/outbox", ["status", "page"], "admin/routes.py"),
    (
        "admin",
        "/admin/audit",
        ["action", "actor", "question", "since", "until", "page"],
        "admin/routes.py",
    ),
    ("admin", "/admin/organisations", ["q", "page"], "organisations/routes.py"),
    (
        "visitor",
        "/network",
        ["q", "region", "kind", "specialisation", "offer", "page"],
        "network/routes.py",
    ),
    (
        "member",
        "/network",
        ["q", "region", "kind", "specialisation", "offer", "page"],
        "network/routes.py",
    ),
    ("admin", "/admin/network", ["page"], "network/admin_routes.py"),
    ("visitor", "/organisations/{organisation}", ["page"], "organisations/routes.py"),
    ("admin", "/review", ["from", "to"], "review/routes.py"),
    ("admin", "/review/export", ["from", "to", "format"], "review/routes.py"),
    ("admin", "/review/report.pdf", ["lang"], "review/routes.py"),
    ("admin", "/admin/moderation", ["page"], "moderation/routes.py"),
    ("visitor", "/guide", ["text"], "guide/routes.py"),
    ("visitor", "/faq", ["text", "entry", "topic"], "faq/routes.py"),
    ("admin", "/faq/candidates", ["page"], "faq/routes.py"),
    ("expert", "/board", ["state", "page"], "board/routes.py"),
    ("visitor", "/faq/feed.atom", ["lang"], "feeds/routes.py"),
    ("visitor", "/guide/releases.atom", ["lang"], "feeds/routes.py"),
    ("visitor", "/board/answers/{published}/revisions", ["from", "to"], "board/routes.py"),
    ("visitor", "/guide/compare", ["from", "to"], "guide/routes.py"),
    ("admin", "/guide/sections/new", ["after", "parent"], "guide/routes.py"),
    ("admin", "/guide/propose", ["section"], "guide/routes.py"),
    ("admin", "/guide/propose", ["answer", "board_answer"], "drawn_from.py"),
    ("admin", "/faq/promote", ["answer", "board_answer"], "drawn_from.py"),
    ("expert", "/guide/proposals/from-answer", ["answer", "board_answer"], "drawn_from.py"),
    ("admin", "/guide/proposals", ["status"], "guide_proposals/routes.py"),
    (
        "visitor",
        "/search",
        ["q", "kind", "topic", "status", "from", "to", "page"],
        "search/routes.py",
    ),
    (
        "member",
        "/search",
        ["q", "kind", "topic", "status", "from", "to", "page"],
        "search/routes.py",
    ),
    ("visitor", "/search/suggest", ["q"], "search/routes.py"),
    ("member", "/search/suggest", ["q"], "search/routes.py"),
    ("visitor", "/login", ["next"], "auth/routes.py"),
    ("visitor", "/language", ["locale", "next"], "language/routes.py"),
    (
        "api-visitor",
        "/api/v1/questions",
        [
            "topic",
            "status",
            "unanswered",
            "mine",
            "page",
            "per_page",
            "sort",
            "device_class",
            "stage",
        ],
        "api/question_routes.py",
    ),
    (
        "api-member",
        "/api/v1/questions",
        [
            "topic",
            "status",
            "unanswered",
            "mine",
            "page",
            "per_page",
            "sort",
            "device_class",
            "stage",
        ],
        "api/question_routes.py",
    ),
    ("api-visitor", "/api/v1/faq", ["topic", "language"], "api/curated_routes.py"),
    ("api-visitor", "/api/v1/guide", ["language"], "api/curated_routes.py"),
    (
        "api-visitor",
        "/api/v1/clinics",
        ["q", "city", "specialty", "device_studies", "page", "per_page"],
        "api/clinic_routes.py",
    ),
    (
        "api-visitor",
        "/api/v1/search",
        ["q", "kind", "topic", "status", "since", "until", "page", "per_page"],
        "api/search_routes.py",
    ),
    (
        "api-member",
        "/api/v1/search",
        ["q", "kind", "topic", "status", "since", "until", "page", "per_page"],
        "api/search_routes.py",
    ),
    ("api-admin", "/api/v1/review", ["from", "to"], "api/review_routes.py"),
    ("api-admin", "/api/v1/review/export", ["from", "to", "format"], "api/review_routes.py"),
]
# Routes whose path holds free text (not an id): the payload goes into the path.
PATH_TEXT = [
    ("visitor", "/citations/{}"),
    ("visitor", "/guide/releases/{}"),
    ("visitor", "/guide/releases/{}.md"),
    ("visitor", "/survey/t/{}"),
    ("visitor", "/password/reset/{}"),
    ("api-visitor", "/api/v1/guide/releases/{}"),
]
# Who may not see the confidential question, the hidden clinic or clinic contacts.
OUTSIDERS = {"visitor", "member", "api-visitor", "api-member"}
SECRETS = (
    "Unreleased implantable sensor",
    "implanted under the skin",
    "They host implant studies",
    "Clinica Nascosta",
    "trials@example.org",
)


def _table_counts() -> dict[str, int]:
    db.session.rollback()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _callers(app, people) -> dict:
    """A request function per kind of caller."""
    callers = {}
    for role, user in (
        ("visitor", None),
        ("member", people.other),
        ("expert", people.expert),
        ("admin", people.admin),
    ):
        client = app.test_client()
        if user is not None:
            assert (
                client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code
                == 302
            )
        callers[role] = client.get
    for role, user in (
        ("api-visitor", None),
        ("api-member", people.other),
        ("api-admin", people.admin),
    ):
        headers = {}
        if user is not None:
            headers["Authorization"] = "Bearer " + api_tokens.create(user, "Injection").secret
        client = app.test_client()
        callers[role] = lambda url, client=client, headers=headers: client.get(url, headers=headers)
    return callers


def _text(response) -> str:
    """The answer's text with tags removed: a highlighted word (<mark>) must not hide a match."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", "", response.get_data(as_text=True)))


def _check(response, role: str, url: str, problems: list[str]) -> None:
    if response.status_code >= 500:
        problems.append(f"{role} {url[:120]!r}: {response.status_code}")
        return
    if role in OUTSIDERS:
        body = response.get_data(as_text=True) + _text(response)
        for secret in SECRETS:
            if secret in body:
                problems.append(f"{role} {url[:120]!r}: revealed {secret!r}")


def test_no_query_parameter_breaks_a_page_reveals_a_row_or_changes_a_table(app, people):
    world = build_world(people)
    clinics.deactivate(
        clinics.create_clinic(
            people.admin,
            ClinicDraft(name="Clinica Nascosta", city="Milano", contact_email="hidden@example.org"),
        ),
        people.admin,
    )
    callers = _callers(app, people)
    published = world.values["public"]["board_answer_id"]
    organisation = world.values["-"]["organisation_id"]
    before = _table_counts()
    problems: list[str] = []
    requests = 0
    for role, path, names, _module in QUERY_PARAMETERS:
        path = path.format(published=published, organisation=organisation)
        for payload in PAYLOADS:
            encoded = quote(payload, safe="")
            for name in names:
                url = f"{path}?{name}={encoded}"
                _check(callers[role](url), role, url, problems)
                requests += 1
            every = "&".join(f"{name}={encoded}" for name in names)
            _check(callers[role](f"{path}?{every}"), role, f"{path}?{every}", problems)
    for role, template in PATH_TEXT:
        for payload in PAYLOADS:
            url = template.format(quote(payload, safe=""))
            _check(callers[role](url), role, url, problems)
    assert not problems, f"{len(problems)} problems in {requests} requests:\n" + "\n".join(problems)
    assert _table_counts() == before


def test_search_finds_nothing_the_reader_may_not_see_whatever_the_query(app, people):
    build_world(people)
    callers = _callers(app, people)
    for role in ("visitor", "member", "api-visitor", "api-member"):
        path = "/api/v1/search" if role.startswith("api") else "/search"
        for query in (
            "sensor",
            "implanted",
            "unreleased implantable",
            "sensor' OR 1=1--",
            "sensor%",
            "*",
            'skin" OR ""="',
            "implant* | sensor",
            "GDPR Art. 9",
        ):
            for extra in ("", "&kind=question", "&status=open", "&topic=ethics-committee"):
                url = f"{path}?q={quote(query, safe='')}{extra}"
                response = callers[role](url)
                body = response.get_data(as_text=True) + _text(response)
                assert response.status_code in (200, 400), (role, url, response.status_code)
                for secret in (
                    "implanted under the skin",
                    "Unreleased implantable sensor",
                    "Data on the implant",
                ):
                    assert secret not in body, (role, url, secret)
        if not role.startswith("api"):
            suggested = callers[role]("/search/suggest?q=Unreleased+implantable+sensor")
            assert "Unreleased" not in suggested.get_data(as_text=True)
    # The same search finds it for an expert: the refusals above are the rule at work.
    assert "Unreleased implantable sensor" in _text(callers["expert"]("/search?q=sensor"))


def test_huge_and_negative_page_numbers_are_pages_not_errors(app, people):
    build_world(people)
    callers = _callers(app, people)
    for role, path in (
        ("visitor", "/questions"),
        ("visitor", "/clinics"),
        ("member", "/notifications"),
        ("expert", "/facilitations"),
        ("admin", "/admin/outbox"),
        ("admin", "/admin/audit"),
    ):
        for page in ("-1", "0", "1", "2147483648", "9" * 40, "-" + "9" * 40):
            response = callers[role](f"{path}?page={page}")
            assert response.status_code in (200, 400), (path, page, response.status_code)


def test_the_question_table_survives_injection_through_every_form_field(app, people, client, login):
    """Payloads typed into a form are stored as text: the row holds exactly what was typed."""
    login(people.asker)
    for payload in (
        "'); DROP TABLE question;--",
        '" OR 1=1 --',
        'Robert\'); DELETE FROM "user";--',
    ):
        title = f"Injection attempt {payload}"
        response = client.post(
            "/questions/ask",
            data=question_form(title=title, body=f"A body long enough to be accepted: {payload}"),
        )
        assert response.status_code == 302
        stored = db.session.scalar(select(Question.title).where(Question.title == title))
        assert stored == title
    assert db.session.scalar(select(func.count()).select_from(Question)) == 3


def test_every_query_parameter_the_code_reads_is_in_the_table():
    """A new request.args (or API query) parameter must be added to QUERY_PARAMETERS."""
    listed: dict[str, set[str]] = {}
    for _role, _path, names, module in QUERY_PARAMETERS:
        listed.setdefault(module, set()).update(names)
    read: dict[str, set[str]] = {}
    pattern = re.compile(
        r"(?:request\.args\.get(?:list)?\(|_arg\(|requested_choice\(\w+,)\s*[\"'](\w+)[\"']"
    )
    form_fields = {
        "AuditFilterForm": {"action", "actor", "question", "since", "until"},
        "SearchForm": {"q", "kind", "topic", "status", "from", "to"},
        "ReferralFilterForm": {"status"},
        "VisitorLanguageForm": {"locale", "next"},
        "OrganisationFilterForm": {"q"},
        "DirectoryFilterForm": {"q", "region", "kind", "specialisation", "offer"},
    }
    for path in WEB.rglob("*.py"):
        if path.name in ("validation.py", "paging.py"):
            continue  # readers of parameters for others; their callers are listed
        text = path.read_text(encoding="utf-8")
        names = set(pattern.findall(text))
        for form, fields in form_fields.items():
            if re.search(rf"{form}\(\s*(?:formdata=)?request\.args", text):
                names |= fields
        # The API reads its parameters through a model each (forum/web/api/queries.py).
        for model in re.findall(r"read_query\((\w+)\)", text):
            fields = getattr(api_queries, model).model_fields
            names |= {field.alias or name for name, field in fields.items()}
        if "requested_page(" in text:
            names.add("page")
        if names:
            read[path.relative_to(WEB).as_posix()] = names
    missing = {
        module: sorted(names - listed.get(module, set()))
        for module, names in read.items()
        if names - listed.get(module, set())
    }
    assert not missing, f"query parameters not tested: {missing}"


# --- bodies over the limit ---------------------------------------------------------------


def _too_big(app) -> int:
    return app.config["MAX_CONTENT_LENGTH"] + 1024


def test_a_form_over_the_limit_is_a_readable_413_and_stores_nothing(app, client, people, login):
    login(people.asker)
    for url, field in (
        ("/questions/ask", "body"),
        ("/login", "password"),
        ("/notifications/settings", "by_email"),
    ):
        response = client.post(url, data=question_form(**{field: "x" * _too_big(app)}))
        assert response.status_code == 413, url
        assert "larger than the forum accepts" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_an_upload_over_the_limit_is_413(app, client, people, login):
    import io

    login(people.asker)
    # The ask form takes attachments: its limit is the forms' one plus its files'
    # (forum/web/infra/body_limit.py), small here so the test stays small.
    app.config.update(ATTACHMENTS_MAX_FILE_BYTES=64 * 1024, ATTACHMENTS_PER_TEXT=2)
    data = question_form(csrf_token=client.csrf_token())
    data["attachments"] = (io.BytesIO(b"\0" * (upload_limit(app.config) + 1024)), "drawing.pdf")
    response = client.post("/questions/ask", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "larger than the forum accepts" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_a_body_over_the_limit_without_a_length_is_413(app, client, people, login):
    """A chunked body (no Content-Length) is cut off at the limit as it is read."""
    import io

    login(people.asker)
    body = (
        "csrf_token="
        + client.csrf_token()
        + "&title=Chunked+upload+of+a+body&body="
        + "x" * _too_big(app)
    ).encode()
    response = client.post(
        "/questions/ask",
        input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
        headers={"Transfer-Encoding": "chunked"},
        csrf=False,
    )
    assert response.status_code == 413
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_an_api_body_over_the_limit_is_413(app, client, people):
    secret = api_tokens.create(people.asker, "Big bodies").secret
    payload = {
        "title": "An API question that is far too long",
        "body": "x" * _too_big(app),
        "topics": ["regulatory-pathway"],
        "device_class": "IIb",
        "stage": "prototype",
        "visibility": "public",
    }
    response = client.post(
        "/api/v1/questions",
        data=json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
        csrf=False,
    )
    assert response.status_code == 413
    assert response.get_data(as_text=True).strip()  # a readable body, not an empty reply
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0
