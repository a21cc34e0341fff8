"""The visitor's address behind a reverse proxy.

Behind a proxy (Caddy in deploy/), every request comes from the proxy's address: the rate
limits by address (sign-in, registration, password reset, visitors' writes and searches)
would count every visitor as one. The proxy says who it talks to in `X-Forwarded-For` and
by which scheme in `X-Forwarded-Proto`; anyone else can send those headers too. So Werkzeug's
ProxyFix reads them only for requests whose direct peer (REMOTE_ADDR) is in TRUSTED_PROXIES
(addresses or networks; empty: no one), and takes from `X-Forwarded-For` only the PROXY_HOPS
addresses the trusted proxies appended, counted from the right: what a client wrote before
them is ignored.
"""

from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trusted_networks(entries: list[str]) -> list[IPv4Network | IPv6Network]:
    try:
        return [ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]
    except ValueError as error:
        raise RuntimeError(f"ENGAGE_TRUSTED_PROXIES: {error}") from error


class TrustedProxyFix:
    """WSGI middleware: ProxyFix for requests from a trusted proxy, nothing for the others."""

    def __init__(self, wsgi_app, networks: list[IPv4Network | IPv6Network], hops: int):
        self.wsgi_app = wsgi_app
        self.networks = networks
        # The scheme is one value that the nearest proxy sets (or passes on from the proxy it
        # trusts), never a list: one hop. Host passes through the proxy unchanged.
        self.behind_proxy = ProxyFix(wsgi_app, x_for=hops, x_proto=1, x_host=0, x_port=0,
                                     x_prefix=0)

    def is_trusted(self, peer: str | None) -> bool:
        try:
            address = ip_address(peer or "")
        except ValueError:  # no address: a Unix socket, or a test environ without one
            return False
        # A dual-stack socket gives IPv4 peers as ::ffff:a.b.c.d.
        address = getattr(address, "ipv4_mapped", None) or address
        return any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        if self.is_trusted(environ.get("REMOTE_ADDR")):
            return self.behind_proxy(environ, start_response)
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    networks = trusted_networks(app.config["TRUSTED_PROXIES"])
    hops = app.config["PROXY_HOPS"]
    if hops < 1:
        raise RuntimeError("ENGAGE_PROXY_HOPS must be 1 or more.")
    if networks:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, networks, hops)  # type: ignore[method-assign]
