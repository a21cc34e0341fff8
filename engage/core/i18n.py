"""Language selection: every page lives under /<lang_code>/.

The language in the URL wins; without one (the root, static files, errors
before routing) a signed-in user's preference, then Accept-Language, then the
default language.
"""

from flask import Flask, abort, current_app, g, has_app_context, redirect, request, url_for
from flask_babel import get_locale, get_translations, refresh
from flask_babel import gettext as babel_gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user


def languages() -> list[str]:
    return current_app.config["LANGUAGES"]


def best_language() -> str:
    if getattr(g, "lang_code", None):
        return g.lang_code
    if request:
        # A page that matched no route still shows its error in the URL's language.
        prefix = request.path.lstrip("/").split("/", 1)[0]
        if prefix in languages():
            return prefix
    user_language = getattr(current_user, "language", None) if current_user else None
    if user_language in languages():
        return user_language
    if request:
        match = request.accept_languages.best_match(languages())
        if match:
            return match
    return languages()[0]


def select_locale() -> str:
    return best_language()


def page_language() -> str:
    """The language of the page being shown (its URL's), in which its content is picked."""
    return best_language()


# Flask-Babel finds the request's catalog anew for every string; a page has hundreds.
# `current_translations()` keeps it on `g` for the request, and finds it again only when
# the locale changes (`refresh()`, `force_locale()` for an email in its reader's language):
# Flask-Babel keeps the locale on the context, so `get_locale()` returns the same object
# until then.


current_locale = get_locale


def current_translations():
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    cached = g.get("_engage_translations")
    if cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    g._engage_translations = (locale, translations)
    return translations


def _plain_message(text) -> str | None:
    """The message of `lazy_gettext("…")` without variables, or None.

    The one place that reads Flask-Babel's LazyString internals (it has no public way to
    say what it will translate); tests/core/test_i18n_shortcuts.py checks, on every entry
    of every catalog, that the shortcut gives what `str()` gives."""
    if (isinstance(text, LazyString) and getattr(text, "_func", None) is babel_gettext
            and len(getattr(text, "_args", ())) == 1 and not getattr(text, "_kwargs", None)):
        return text._args[0]
    return None


def translated(text) -> str:
    """`str(text)`; a lazy string of a plain message (`lazy_gettext("…")`, the labels of
    our enums) is looked up in the request's catalog directly."""
    message = _plain_message(text)
    if message is not None and has_app_context():
        return current_translations().ugettext(message)
    return str(text)


def language_name(code: str) -> str:
    """A language's name in that language ("Français", "English")."""
    from babel import Locale

    return (Locale.parse(code).get_display_name(code) or code).capitalize()


def language_label(code: str) -> str:
    """A language's name in the reader's language ("anglais" for a French reader)."""
    from babel import Locale

    return Locale.parse(code).get_display_name(str(get_locale())) or code


def switch_language_url(code: str) -> str:
    """The current page in another language."""
    if request.endpoint and request.url_rule and "lang_code" in request.url_rule.arguments:
        args = dict(request.view_args or {})
        args["lang_code"] = code
        query = request.query_string.decode()
        return url_for(request.endpoint, **args) + (f"?{query}" if query else "")
    return url_for("pages.home", lang_code=code)


def init_app(app: Flask) -> None:
    @app.url_value_preprocessor
    def pull_lang_code(endpoint, values):
        if values and "lang_code" in values:
            code = values.pop("lang_code")
            if code not in app.config["LANGUAGES"]:
                # The error page itself is shown in the visitor's best language.
                g.unknown_language = code
                abort(404)
            g.lang_code = code
            refresh()

    @app.url_defaults
    def add_lang_code(endpoint, values):
        if "lang_code" in values or not app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
            return
        values["lang_code"] = getattr(g, "lang_code", None) or best_language()

    @app.get("/")
    def root():
        return redirect(url_for("pages.home", lang_code=best_language()))

    # Added by the jinja2.ext.i18n extension, which the Environment stubs do not know.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: current_translations().ugettext(string),
        ngettext=lambda singular, plural, n: current_translations().ungettext(singular,
                                                                              plural, n),
        pgettext=lambda context, string: current_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: current_translations().unpgettext(
            context, singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        get_locale=current_locale,
        languages=languages,
        language_name=language_name,
        language_label=language_label,
        switch_language_url=switch_language_url,
    )
