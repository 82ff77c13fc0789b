"""Running the service with uvicorn: ``facility-sizing serve`` calls :func:`serve`."""

from __future__ import annotations

import ipaddress
import sys

from ..ruledata import RuleBook
from .app import create_app
from .settings import Settings

__all__ = ["is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or ``localhost``).

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(settings: Settings, rulebook: RuleBook | None = None, *, access_log: bool = False) -> None:
    """Start the service and answer requests until interrupted (Ctrl-C).

    ``serve(Settings(port=8000))`` answers on http://127.0.0.1:8000/ until stopped; the test suite
    starts it as ``facility-sizing serve`` does, on a free loopback port (tests/test_service.py).

    Examples
    --------
    >>> Settings().host  # loopback unless told otherwise
    '127.0.0.1'
    """
    import uvicorn

    app = create_app(settings, rulebook)
    url = f"http://{settings.host}:{settings.port}"
    print(f"托育设施配建服务 facility-sizing service: {url}/ （网页 web page），{url}/openapi.json （规范 specification）",
          file=sys.stderr, flush=True)  # fmt: skip
    if not is_loopback(settings.host):
        print(f"注意：服务监听 {settings.host}，本机以外可访问 — note: listening on {settings.host}, reachable from "
              "other machines", file=sys.stderr, flush=True)  # fmt: skip
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=access_log,
        timeout_graceful_shutdown=5,
        server_header=False,
    )
    uvicorn.Server(config).run()
