"""Cross-site scripting vectors written for this forum's Markdown and its allow-list.

Each vector, if it ever ran, would open a dialog (``alert``) or set
``window.__xss``: the browser test (tests/browser/test_xss_browser.py) watches for
both, and tests/web/test_xss.py checks the served HTML for anything executable.
They cover what Python-Markdown passes through (raw HTML, links, images,
reference definitions, autolinks, titles) and what nh3 must then remove.
"""

from __future__ import annotations

from html.parser import HTMLParser

# (name, text). The names say what each tries; the texts are posted verbatim.
VECTORS: list[tuple[str, str]] = [
    # --- script elements
    ("script tag", "<script>window.__xss=1;alert(1)</script>"),
    ("script tag in capitals", "<SCRIPT>alert(1)</SCRIPT>"),
    ("script with a data: source", '<script src="data:text/javascript,window.__xss=1"></script>'),
    ("script split around an inner script", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script inside a paragraph", "Some text <script>alert(1)</script> more text."),
    ("script inside a template", "<template><script>alert(1)</script></template>"),
    ("script in CDATA", "<![CDATA[<script>alert(1)</script>]]>"),
    # --- event handlers
    ("img onerror, quoted", '<img src=x onerror="window.__xss=1;alert(1)">'),
    ("img onerror, unquoted", "<img src=x onerror=alert(1)>"),
    ("img onerror evaluating its own source", "<img src=x:alert(alt) onerror=eval(src) alt=0>"),
    (
        "onmouseover on an allowed tag",
        '<a href="https://example.org" onmouseover="alert(1)">hover</a>',
    ),
    ("onclick on a paragraph", "<p onclick=alert(1)>click this paragraph</p>"),
    ("body onload", "<body onload=alert(1)>"),
    ("input autofocus onfocus", "<input autofocus onfocus=alert(1)>"),
    ("details ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    ("video source onerror", '<video><source onerror="alert(1)"></video>'),
    ("audio onerror", "<audio src=x onerror=alert(1)></audio>"),
    ("marquee onstart", "<marquee onstart=alert(1)>moving</marquee>"),
    ("isindex onerror", "<isindex type=image src=1 onerror=alert(1)>"),
    ("handler after a slash", '<img/src="x"/onerror=alert(1)>'),
    # --- SVG and MathML
    ("svg onload", "<svg onload=alert(1)>"),
    ("svg onload after a slash", "<svg/onload=window.__xss=1>"),
    ("script inside svg", "<svg><script>alert(1)</script></svg>"),
    (
        "svg link with xlink:href",
        '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    ),
    (
        "svg animate setting href",
        "<svg><a><animate attributeName=href values=javascript:alert(1) />"
        "<text x=20 y=20>click</text></a></svg>",
    ),
    (
        "svg use of a data: document",
        "<svg><use href=\"data:image/svg+xml,<svg id='x' "
        "xmlns='http://www.w3.org/2000/svg'><image href='1' "
        "onerror='alert(1)'/></svg>#x\"/></svg>",
    ),
    (
        "MathML mutation through style",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"
        "</style></mglyph></table></mtext></math>",
    ),
    (
        "noscript mutation",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    ),
    # --- javascript:, vbscript: and data: URLs in raw HTML
    ("raw link to javascript:", '<a href="javascript:alert(1)">click</a>'),
    ("javascript: in decimal entities", '<a href="&#106;avascript:alert(1)">click</a>'),
    (
        "javascript: in hex entities",
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;'
        '&#x70;&#x74;&#x3A;alert(1)">click</a>',
    ),
    ("javascript: with an encoded tab", '<a href="jav&#x09;ascript:alert(1)">click</a>'),
    ("javascript: with a newline", '<a href="java\nscript:alert(1)">click</a>'),
    ("javascript: after a space", '<a href=" javascript:alert(1)">click</a>'),
    ("javascript: after a control character", '<a href="\x01javascript:alert(1)">click</a>'),
    ("iframe to javascript:", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe srcdoc", '<iframe srcdoc="<script>parent.__xss=1;alert(1)</script>"></iframe>'),
    ("object data", '<object data="javascript:alert(1)"></object>'),
    (
        "embed of a data: page",
        '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    ),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("form action", '<form action="javascript:alert(1)"><button>Send</button></form>'),
    ("button formaction", '<button formaction="javascript:alert(1)">Send</button>'),
    ("base href", '<base href="javascript:alert(1)//">'),
    ("table background", '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'),
    # --- Markdown links and images
    ("Markdown link to javascript:", "[click me](javascript:alert(1))"),
    ("Markdown link, mixed case scheme", "[click me](JaVaScRiPt:alert(1))"),
    ("Markdown link to vbscript:", "[click me](vbscript:msgbox(1))"),
    (
        "Markdown link to a data: page",
        "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ),
    ("Markdown link with an entity colon", "[click me](javascript&#58;alert(1))"),
    ("Markdown link, percent-encoded colon", "[click me](javascript%3Aalert(1))"),
    ("Markdown link in angle brackets", "[click me](<javascript:alert(1)>)"),
    ("Markdown link with a zero-width space", "[click me](java\u200bscript:alert(1))"),
    ("Markdown link with a right-to-left override", "[click me](javascript:alert(1)\u202e)"),
    ("Markdown image to javascript:", "![picture](javascript:alert(1))"),
    ("Markdown image with a handler in its title", '![picture](x "onerror=alert(1)")'),
    (
        "Markdown image of an SVG data: URL",
        "![picture](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    ),
    ("reference link to javascript:", "[click me][1]\n\n[1]: javascript:alert(1)"),
    (
        "reference link title breaking out",
        '[click me][r]\n\n[r]: https://example.org "t" onmouseover="alert(1)"',
    ),
    (
        "link title breaking out, double quotes",
        '[click me](https://example.org "x" onmouseover="alert(1)")',
    ),
    (
        "link title breaking out, single quotes",
        "[click me](https://example.org 'x' onfocus='alert(1)' autofocus='')",
    ),
    ("mailto with a quote", '[write](mailto:a@example.org"onmouseover="alert(1))'),
    ("autolink to javascript:", "<javascript:alert(1)>"),
    ("autolink to a data: page", "<data:text/html,<script>alert(1)</script>>"),
    ("Markdown inside an HTML block", '<div markdown="1">[click me](javascript:alert(1))</div>'),
    (
        "table cells",
        "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
    ),
    # --- styles
    ("style element", '<style>body{background:url("javascript:alert(1)")}</style>'),
    ("style attribute with expression()", '<p style="width:expression(alert(1))">styled</p>'),
    (
        "style attribute with a javascript: url",
        '<div style="background-image:url(javascript:alert(1))">x</div>',
    ),
    ("stylesheet link", '<link rel=stylesheet href="data:text/css,body{background:red}">'),
    # --- broken and breaking markup
    ("attribute break, double quote", '"><script>alert(1)</script>'),
    ("attribute break, single quote", "'><img src=x onerror=alert(1)>"),
    ("textarea break", "</textarea><script>alert(1)</script>"),
    ("title break", "</title><script>alert(1)</script>"),
    ("unterminated tag", "<img src=x onerror=alert(1)//"),
    ("attribute split over lines", '<img src="x\nonerror=alert(1)//">'),
    ("comment hiding a tag", '<!--<img src="--><img src=x onerror=alert(1)//">'),
    ("code span (must stay text)", "`<script>alert(1)</script>`"),
    ("fenced code (must stay text)", "```html\n<script>alert(1)</script>\n```"),
    ("escaped entities (must stay text)", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    (
        "full-width letters",
        "<\uff53\uff43\uff52\uff49\uff50\uff54>alert(1)</\uff53\uff43\uff52\uff49\uff50\uff54>",
    ),
]


# --- what "executable" means in a served page ------------------------------------------

# Elements that run or load active content, or change where the page's links and
# forms go; none of them may come from user text, and the templates use none.
FORBIDDEN_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "math",
    "animate",
    "set",
    "use",
    "foreignobject",
    "isindex",
    "noscript",
    "template",
    "portal",
    "xmp",
    "plaintext",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
    "poster",
    "cite",
    "srcset",
    "ping",
    "codebase",
    "dynsrc",
    "lowsrc",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
# What a browser ignores in a URL before reading its scheme: ASCII whitespace and
# control characters (the URL standard strips C0 controls and spaces and removes tabs
# and newlines anywhere).
_IGNORED_IN_SCHEME = {chr(code) for code in range(0x21)}


def _scheme_text(value: str) -> str:
    return "".join(char for char in value if char not in _IGNORED_IN_SCHEME).lower()


class _ExecutableContentFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "script" and values.get("src", "").startswith("/static/"):
            pass  # the forum's own script files, if it ever has some
        elif tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"<meta http-equiv={values['http-equiv']!r}>")
        if tag == "link" and not values.get("href", "").startswith("/"):
            self.problems.append(f"<link href={values.get('href')!r}> off the site")
        if tag == "form" and not values.get("action", "/").startswith("/"):
            self.problems.append(f"<form action={values['action']!r}>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            elif name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"<{tag} {name}=...> attribute")
            elif name in URL_ATTRIBUTES and _scheme_text(value).startswith(DANGEROUS_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")


def executable_content(html: str) -> list[str]:
    """What in the HTML could run script or leave the site unasked; empty when it is safe."""
    finder = _ExecutableContentFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
