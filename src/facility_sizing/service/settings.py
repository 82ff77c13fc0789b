"""The service's settings: where it listens and its limits, each with a safe default.

Every limit can be set by a flag of ``facility-sizing serve`` or by an environment variable
(:data:`ENV`); a flag wins over the environment. The service listens on the loopback address
unless told otherwise.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping

from ..errors import InputError
from ..spatial.maps.web import check_tile_url

__all__ = ["ENV", "LOOPBACK", "Settings"]

LOOPBACK = "127.0.0.1"

#: The environment variable of each setting.
ENV = {
    "host": "FACILITY_SIZING_HOST",
    "port": "FACILITY_SIZING_PORT",
    "max_body_bytes": "FACILITY_SIZING_MAX_BODY_BYTES",
    "max_batch_rows": "FACILITY_SIZING_MAX_BATCH_ROWS",
    "request_timeout_s": "FACILITY_SIZING_REQUEST_TIMEOUT",
    "tile_url": "FACILITY_SIZING_TILE_URL",
}


@dataclasses.dataclass(frozen=True)
class Settings:
    """Where the service listens and the limits it enforces.

    Attributes
    ----------
    host : str, default "127.0.0.1"
        The address to bind: loopback only unless told otherwise.
    port : int, default 8000
    max_body_bytes : int, default 10 MiB
        A larger request body (a JSON body or an uploaded file) is refused with HTTP 413.
    max_batch_rows : int, default 100,000
        A batch file with more rows is refused with HTTP 413.
    request_timeout_s : float, default 60
        A request that takes longer is answered with HTTP 503.
    tile_url : str, default "" (none)
        The background tiles of the page's map (``{z}``, ``{x}``, ``{y}``; e.g. the bureau's own
        天地图 key); none by default, so the page loads nothing from elsewhere.

    Examples
    --------
    >>> Settings().host
    '127.0.0.1'
    >>> Settings.from_env({"FACILITY_SIZING_MAX_BATCH_ROWS": "500"}, port=9000).max_batch_rows
    500
    """

    host: str = LOOPBACK
    port: int = 8000
    max_body_bytes: int = 10 * 1024 * 1024
    max_batch_rows: int = 100_000
    request_timeout_s: float = 60.0
    tile_url: str = ""

    def __post_init__(self) -> None:
        check_tile_url(self.tile_url)
        if not 0 <= self.port <= 65535:
            raise InputError("service.port", field="port", value=self.port)
        for name in ("max_body_bytes", "max_batch_rows", "request_timeout_s"):
            value = getattr(self, name)
            if not value > 0:
                raise InputError("service.not_positive", field=name, value=value)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **given: object) -> Settings:
        """Settings from the environment, overridden by the ``given`` ones that are not None.

        Examples
        --------
        >>> Settings.from_env({"FACILITY_SIZING_REQUEST_TIMEOUT": "5"}).request_timeout_s
        5.0
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in dataclasses.fields(cls):
            text = env.get(ENV[field.name])
            if text:
                values[field.name] = _parse(field.name, ENV[field.name], text, type(getattr(cls(), field.name)))
            if given.get(field.name) is not None:
                values[field.name] = given[field.name]
        return cls(**values)  # type: ignore[arg-type]  # each value was parsed to its field's type above


def _parse(name: str, variable: str, text: str, kind: type) -> object:
    try:
        return kind(text.strip()) if kind is not int else int(text.strip().replace("_", ""))
    except ValueError:
        raise InputError("service.environment", field=name, value=text, variable=variable) from None
