"""The macros every area shares: the pager and the `lang` attribute of bilingual content."""

import pytest

from engage.core.content import Shown
from engage.core.pagination import ListPage


def render(app, source: str, **context) -> str:
    with app.test_request_context("/en/"):
        app.preprocess_request()
        return app.jinja_env.from_string(source).render(**context)


PAGER = '{% from "_macros/forms.html" import pagination %}'


def test_the_pager_links_the_pages_around(app):
    page = ListPage(["x"], page=2, per_page=20, total=45)
    html = render(app, PAGER + "{{ pagination(page, 'consultations.index', status='open') }}",
                  page=page)
    assert 'aria-label="Pages"' in html
    assert 'href="/en/consultations/?page=1&amp;status=open" rel="prev"' in html
    assert 'href="/en/consultations/?page=3&amp;status=open" rel="next"' in html
    assert "Page 2 of 3" in html


def test_a_pager_with_its_own_parameter_and_label(app):
    page = ListPage(["x"], page=1, per_page=20, total=45)
    html = render(app, PAGER + "{{ pagination(page, 'consultations.detail', param='positions_page',"
                  " label='Pages of positions', consultation_id=7) }}", page=page)
    assert 'aria-label="Pages of positions"' in html
    assert 'href="/en/consultations/7?positions_page=2" rel="next"' in html
    assert 'rel="prev"' not in html


def test_no_pager_for_one_page(app):
    html = render(app, PAGER + "{{ pagination(page, 'consultations.index') }}",
                  page=ListPage(["x"], page=1, per_page=20, total=3))
    assert "pagination" not in html


LANG_ATTR = '{% from "_macros/content.html" import lang_attr %}'


@pytest.mark.parametrize(("shown", "language", "expected"), [
    (Shown(None, "fr", True), None, ' lang="fr"'),  # a fallback: in another language
    (Shown(None, "en", False), None, ""),
    (Shown(None, "fr", False), "en", ' lang="fr"'),  # compared with the language given
    (Shown(None, "en", True), "en", ""),
    (None, "en", ""),
])
def test_lang_attr_marks_text_in_another_language(app, shown, language, expected):
    call = "{{ lang_attr(shown) }}" if language is None else "{{ lang_attr(shown, language) }}"
    assert render(app, LANG_ATTR + call, shown=shown, language=language) == expected
