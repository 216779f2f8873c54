"""The XSS vectors in a real browser: no dialog opens and no script runs on any page
that shows them.

Every vector is a question (title and body), an expert's answer, the asker's
comment, an FAQ entry and a guide section. Chromium loads the pages twice:

- as served, under the forum's Content-Security-Policy, where a script that got
  through the sanitiser would show as a CSP violation in the console;
- with the policy bypassed (``bypass_csp``), so the sanitiser alone must stop
  every vector: a handler or script left in the page would run there.

On each page the test first checks that the posted content is really there: the
text the browser renders in the user content must hold each marker that page
should show ("Vector 12 in the FAQ.", "Vector 12 answer." ...), so a page that
showed none of it, or only its own headings, would fail rather than pass
vacuously. It then fires mouse and focus events at the user content (inline
handlers would run), asks the browser how it resolved every link in it (its URL
parser, not Python's), and afterwards checks that no dialog fired and that
``window.__xss``, the canary some vectors set, is still undefined.
"""

from __future__ import annotations

import re

from forum.services import answers, faq, faq_reading
from forum.services.errors import RuleViolation
from forum.services.guide import editing, importing
from tests.access_matrix import SMALL_GUIDE
from tests.factories import ask_question
from tests.xss_vectors import VECTORS

USER_CONTENT = ".post-body, .comment-body, #question-title, main h1, main h2, main h3"
PROBE = """(selector) => {
    // Collapsed texts (the FAQ's entries are <details>) opened, so they are rendered and read.
    for (const details of document.querySelectorAll('details')) { details.open = true; }
    const found = [];
    const nodes = document.querySelectorAll(selector);
    for (const root of nodes) {
        for (const element of [root, ...root.querySelectorAll('*')]) {
            for (const type of ['mouseover', 'mouseenter', 'mousedown', 'focus', 'toggle',
                                'animationstart', 'load', 'error']) {
                element.dispatchEvent(new Event(type, {bubbles: false}));
            }
            for (const attribute of ['href', 'src', 'action', 'formaction', 'data']) {
                const value = element[attribute];
                if (typeof value === 'string' && /^(javascript|vbscript|data):/i.test(value)) {
                    found.push(`${element.tagName} ${attribute}=${value}`);
                }
            }
        }
    }
    return {text: Array.from(nodes, (node) => node.innerText).join('\\n'),
            dangerousUrls: found,
            canary: typeof window.__xss === 'undefined' ? null : String(window.__xss)};
}"""


def _publish_vectors(people) -> dict[str, list[str]]:
    """Every vector everywhere users write; each page that shows them, with the markers
    of the posted texts the browser must find on it."""
    pages: dict[str, list[str]] = {"/": [], "/questions": [], "/guide": []}
    faq_entries = []
    importing.import_guide(SMALL_GUIDE, None)
    for number, (_name, vector) in enumerate(VECTORS, start=1):
        question = ask_question(
            people.asker,
            title=f"Vector {number}: {vector}"[:200],
            body=f"Vector {number} in the body.\n\n{vector}",
        )
        answer = answers.post_answer(
            question, people.expert, f"Vector {number} answer.\n\n{vector}"
        )
        answers.post_comment(question, people.asker, f"Vector {number} comment. {vector}"[:2000])
        entry = faq.promote_answer(
            people.admin,
            answer,
            question_text=f"Vector {number}: {vector}"[:300],
            answer_text=f"Vector {number} in the FAQ.\n\n{vector}",
            topic=question.topics[0],
        )
        faq_entries.append((entry.id, [f"Vector {number}:", f"Vector {number} in the FAQ."]))
        try:
            editing.add_section(
                None,
                None,
                people.admin,
                title=f"Vector section {number}",
                body=f"Vector {number} in the guide.\n\n{vector}",
            )
            pages["/guide"] += [f"Vector section {number}", f"Vector {number} in the guide."]
        except RuleViolation:
            pass  # a heading or an open fence is refused in a guide body; shown elsewhere
        pages[f"/questions/{question.id}"] = [
            f"Vector {number}:",
            f"Vector {number} in the body.",
            f"Vector {number} answer.",
            f"Vector {number} comment.",
        ]
    # The FAQ shows a page of entries at a time: each entry's markers on the page
    # that holds it.
    topic_counts = faq.published_topic_counts()
    for entry_id, markers in faq_entries:
        page = faq_reading.place_of_entry(entry_id, topic_counts).page()
        pages.setdefault(f"/faq?page={page}", []).extend(markers)
    # The lists show the newest questions first, one page of them.
    newest = f"Vector {len(VECTORS)}:"
    pages["/"].append(newest)
    pages["/questions"].append(newest)
    return pages


def _shows(text: str, marker: str) -> bool:
    """``marker`` is in ``text`` as itself: "Vector section 1" is not found in "... 10"."""
    return re.search(re.escape(marker) + r"(?!\d)", text) is not None


def _visit_all(browser, server, pages: dict[str, list[str]], *, bypass_csp: bool) -> list[str]:
    context = browser.new_context(bypass_csp=bypass_csp, java_script_enabled=True)
    # Nothing leaves the machine: requests to any other host are refused.
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(server.base_url) else route.abort()
        ),
    )
    page = context.new_page()
    dialogs: list[str] = []
    violations: list[str] = []
    page.on(
        "dialog",
        lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()),
    )
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text and "script" in message.text
            else None
        ),
    )
    problems = []
    for path, markers in pages.items():
        dialogs.clear()
        violations.clear()
        response = page.goto(server.url(path), wait_until="load")
        if response is None or response.status != 200:
            problems.append(f"{path}: answered {response.status if response else 'nothing'}")
            continue
        result = page.evaluate(PROBE, USER_CONTENT)
        page.wait_for_timeout(50)  # let any handler the events queued run
        canary = page.evaluate(
            "() => typeof window.__xss === 'undefined' ? null : String(window.__xss)"
        )
        missing = [marker for marker in markers if not _shows(result["text"], marker)]
        if missing:
            problems.append(
                f"{path}: the posted content is not shown: {missing[:5]}"
                f"{f' and {len(missing) - 5} more' if len(missing) > 5 else ''}"
            )
        problems += [f"{path}: a dialog opened ({text})" for text in dialogs]
        problems += [f"{path}: a link resolves to {url}" for url in result["dangerousUrls"]]
        if result["canary"] is not None or canary is not None:
            problems.append(f"{path}: window.__xss was set")
        problems += [f"{path}: CSP refused a script: {text}" for text in violations]
    context.close()
    return problems


def test_no_vector_runs_in_chromium_with_or_without_the_csp(chromium, live_server, people):  # noqa: F811
    pages = _publish_vectors(people)
    faq_pages = -(-len(VECTORS) // faq_reading.PER_PAGE)
    assert len(pages) == len(VECTORS) + 3 + faq_pages
    assert len(pages["/guide"]) >= len(VECTORS)  # most vectors are guide sections too
    problems = []
    for bypass_csp in (True, False):
        mode = "sanitiser alone" if bypass_csp else "with the CSP"
        problems += [
            f"[{mode}] {problem}"
            for problem in _visit_all(chromium, live_server, pages, bypass_csp=bypass_csp)
        ]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_canary_and_the_dialog_watch_do_fire(chromium, live_server):  # noqa: F811
    """The watch itself works: a page that does run script is caught (so the test
    above, finding nothing, means nothing ran)."""
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url("/"))
    page.set_content('<p class="post-body"><img src="x" onerror="window.__xss=1;alert(7)"></p>')
    page.wait_for_function("() => window.__xss === 1")
    assert dialogs == ["7"]
    context.close()
