"""The network's newsletter (issue 19): a bilingual periodic digest of new summaries,
priority results, the network's commitments and their updates, and funded projects. Anyone
subscribes, with or without an account, by double opt-in; one click unsubscribes
(List-Unsubscribe, RFC 8058). Issues are sent through the outbox by a scheduled command,
kept in a web archive and an Atom feed."""


def init_app(app) -> None:
    from engage.newsletter.routes import bp

    app.register_blueprint(bp)
