"""Absolute links come from the site's configured address, never from the request.

Every link that leaves a request (emails, the Atom feed, PDF reports, the API's links, the
emails of scheduled commands and jobs) is built with `url_for(..., _external=True)`. Flask
builds it from the request's Host header, which whoever sends the request chooses: a
password reset asked with `Host: evil.example` would email a link to evil.example carrying a
valid token. `BaseUrlFlask`, the application's class, builds every external URL from
BASE_URL (its scheme, host and path prefix, then the route's path), in a request or not, and
binds `url_for` to BASE_URL outside a request (commands, jobs): call sites need nothing else.

Production also refuses requests for any other host (Flask's TRUSTED_HOSTS, derived from
BASE_URL in engage/config.py) with the translated 400 page. The health checks answer
whatever the host: probes (the image's HEALTHCHECK, the proxy's, an orchestrator's) call an
instance by its own address, and their answers hold no link.
"""

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, has_app_context, has_request_context
from flask.ctx import AppContext, RequestContext
from flask.globals import app_ctx, request_ctx
from werkzeug.exceptions import SecurityError
from werkzeug.routing import MapAdapter
from werkzeug.wsgi import get_host

# The health checks (engage/core/health.py), answered whatever the host.
ANY_HOST_PATHS = frozenset({"/healthz", "/readyz"})


class BaseUrlFlask(Flask):
    """A Flask application whose absolute URLs start with the BASE_URL setting."""

    def site_url_adapter(self) -> MapAdapter:
        """URLs built as if requested at BASE_URL."""
        site = urlsplit(self.config["BASE_URL"])
        return self.url_map.bind(site.netloc, script_name=site.path or "/",
                                 url_scheme=site.scheme)

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        if request is None:  # an application context: commands, jobs
            return self.site_url_adapter()
        try:
            return super().create_url_adapter(request)
        except SecurityError:  # a host outside TRUSTED_HOSTS
            if request.path not in ANY_HOST_PATHS:
                # The request is answered with the 400 page (the SecurityError becomes its
                # routing exception); what reads the request's host meanwhile (the error
                # page, after-request hooks) reads the site's instead of raising again.
                request.host = urlsplit(self.config["BASE_URL"]).netloc
                raise
        # A health check: matched as Flask does, without the host check.
        request.trusted_hosts = None
        request.host = get_host(request.environ)
        return self.url_map.bind_to_environ(request.environ,
                                            subdomain=self.url_map.default_subdomain or "")

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        def build() -> str:
            return super(BaseUrlFlask, self).url_for(
                endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                _external=_external, **values)

        context: RequestContext | AppContext
        if has_request_context():
            context = request_ctx
            external = _external if _external is not None else _scheme is not None
            if not external and context.url_adapter is not None:
                return build()  # a path: the same on every host
        elif has_app_context():
            context = app_ctx  # commands, jobs: absolute URLs
        else:
            return build()  # Flask binds an adapter for this URL: the site's
        # Flask builds with the context's adapter: lend it the site's for this URL. (A request's
        # is bound to its Host; a refused host's has none; an application context's was bound
        # when it was pushed, perhaps to another BASE_URL.)
        context_adapter = context.url_adapter
        context.url_adapter = self.site_url_adapter()
        try:
            return build()
        finally:
            context.url_adapter = context_adapter
