"""Every page, for every role with pages of its own: a `<title>` of plain text and no `id`
used twice (a duplicate breaks labels, `aria-labelledby` and skip links).

Walks every GET route of the app whose only URL argument, if any, is the language, in French
and in English. Answers that are not HTML (JSON, feeds, downloads) and redirects are left out.
"""

from collections import Counter
from html.parser import HTMLParser

import pytest

from engage.accounts.models import Role

LANGUAGES = ("fr", "en")

# Pages each role must have been shown (status 200): the walk really reached them.
SEEN = {
    None: {"pages.home", "accounts.sign_in", "accounts.register", "accounts.associations"},
    Role.PARTICIPANT: {"pages.home", "accounts.settings", "accounts.my_data",
                       "accounts.delete_account"},
    Role.MODERATOR: {"accounts.settings", "moderation.index",
                     "admin.representation_requests"},
    Role.ADMIN: {"accounts.settings", "admin.users", "admin.associations",
                 "admin.new_association", "admin.jobs"},
}


class _MarkupChecker(HTMLParser):
    """Collects the ids of a page and what stands inside its titles."""

    def __init__(self):
        # Character references are kept as they are: `&lt;` in a title is text, not markup.
        super().__init__(convert_charrefs=False)
        self.ids: Counter = Counter()
        self.titles = 0
        self.in_title = False
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.in_title:
            self.problems.append(f"<{tag}> inside <title>")
        if tag == "title":
            self.in_title = True
            self.titles += 1
        for name, value in attrs:
            if name == "id":
                self.ids[value] += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        # A parser that reads titles as text (as browsers do) hands the markup over here.
        if self.in_title and "<" in data:
            self.problems.append(f"markup inside <title>: {data.strip()[:80]!r}")


def markup_problems(html: str) -> list[str]:
    checker = _MarkupChecker()
    checker.feed(html)
    checker.close()
    problems = list(checker.problems)
    if checker.titles == 0:
        problems.append("no <title>")
    problems += [f'id="{value}" used {count} times' for value, count in checker.ids.items()
                 if count > 1]
    return problems


def test_the_checker_finds_markup_in_titles_and_repeated_ids():
    page = ('<html><head><title>A &lt;b&gt; title</title></head><body><p id="a">x</p>'
            '<svg><title>icon</title></svg></body></html>')
    assert markup_problems(page) == []
    assert markup_problems('<title>A <section id="b">x</section></title><h2 id="b">x</h2>') \
        == ["<section> inside <title>", 'id="b" used 2 times']
    assert markup_problems("<p>no title</p>") == ["no <title>"]


def _requests(app):
    """(endpoint, url, language) of every GET route without arguments but the language."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or not set(rule.arguments) <= {"lang_code"}:
            continue
        for lang in LANGUAGES:
            if "lang_code" in rule.arguments:
                url = rule.rule.replace("<lang_code>", lang)
                yield rule.endpoint, url, lang
            else:
                yield rule.endpoint, rule.rule, lang


@pytest.mark.parametrize("role", list(SEEN), ids=lambda role: role.value if role else "visitor")
def test_titles_are_plain_text_and_ids_unique_on_every_page(app, client, auth, role):
    if role is not None:
        auth.sign_in_as(role)
    problems, seen = [], set()
    for endpoint, url, lang in _requests(app):
        response = client.get(url, headers={"Accept-Language": lang})
        if response.mimetype != "text/html" or response.status_code in range(300, 400):
            continue
        if response.status_code == 200:
            seen.add(endpoint)
        problems += [f"{url} ({lang}, {response.status_code}): {problem}"
                     for problem in markup_problems(response.text)]
    assert not problems, "\n".join(problems)
    assert SEEN[role] <= seen, SEEN[role] - seen
