"""Language selection: every page lives under /<lang_code>/.

The language in the URL wins; without one (the root, static files, errors
before routing) a signed-in user's preference, then Accept-Language, then the
default language.
"""

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_babel import get_locale, refresh
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


def language_name(code: str) -> str:
    """A language's name in that language ("Français", "English")."""
    from babel import Locale

    return Locale.parse(code).get_display_name(code).capitalize()


def language_label(code: str) -> str:
    """A language's name in the reader's language ("anglais" for a French reader)."""
    from babel import Locale

    return Locale.parse(code).get_display_name(str(get_locale()))


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

    app.jinja_env.globals.update(
        get_locale=get_locale,
        languages=languages,
        language_name=language_name,
        language_label=language_label,
        switch_language_url=switch_language_url,
    )
