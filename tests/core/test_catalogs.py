"""Every interface string is in every catalog, translated and not fuzzy."""

import pytest
from babel.messages.pofile import read_po

from engage.config import PROJECT_ROOT
from engage.translate_cli import extract

CATALOGS = sorted((PROJECT_ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))


def read(path):
    with open(path, "rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    extract(pot)
    ids = {message.id for message in read(pot) if message.id}
    assert "required" in ids  # a string from templates/_macros/, which babel skips by default
    return ids


def test_both_languages_have_a_catalog():
    assert {path.parts[-3] for path in CATALOGS} >= {"fr", "en"}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_catalog_is_complete(path, extracted):
    catalog = read(path)
    ids = {message.id for message in catalog if message.id}
    missing = extracted - ids
    assert not missing, f"{len(missing)} strings missing from {path}: run `make extract-messages`"
    untranslated = [
        message.id for message in catalog
        if message.id and (not message.string or (isinstance(message.string, tuple)
                                                   and not all(message.string)))
    ]
    assert not untranslated, f"untranslated in {path.parts[-3]}: {untranslated[:10]}"
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert not fuzzy, f"fuzzy in {path.parts[-3]}: {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_placeholders_survive_translation(path):
    import re

    for message in read(path):
        if not message.id or not message.string:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        assert set(re.findall(r"%\(\w+\)[sd]", source)) == set(
            re.findall(r"%\(\w+\)[sd]", target)), message.id


def test_french_double_punctuation_never_starts_a_line():
    """French puts a space before : ; ? ! and inside « »; it must be non-breaking (U+00A0 or
    U+202F), or the sign can wrap onto the next line alone."""
    catalog = read(PROJECT_ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po")
    import re

    breakable = re.compile(r" [:;?!»]|« |\w[:;?!](\s|$)")
    wrong = [string for message in catalog if message.id
             for string in (message.string if isinstance(message.string, tuple)
                            else (message.string,))
             if string and breakable.search(string)]
    assert wrong == []
