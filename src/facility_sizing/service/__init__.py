"""The HTTP service: ``facility-sizing serve``, for systems that are not Python and for planners' browsers.

JSON endpoints named after the library's functions (``POST /size`` answers
``Requirement.to_dict()``), the OpenAPI specification at ``/openapi.json``, and a web page at
``/``. Errors keep the library's codes and bilingual messages. It needs the ``serve`` extra:
``pip install "facility-sizing[serve]"``.

Examples
--------
>>> from facility_sizing.service import Settings, create_app
>>> create_app(Settings()).title
'facility-sizing 托育设施配建计算'
"""

from __future__ import annotations

from importlib.util import find_spec

from ..errors import MissingDependencyError

for _module, _package in (("fastapi", "fastapi"), ("uvicorn", "uvicorn"), ("python_multipart", "python-multipart")):
    if find_spec(_module) is None and not (_module == "python_multipart" and find_spec("multipart")):
        raise MissingDependencyError(_package, "serve", "purposes.serve")

from .app import create_app  # noqa: E402 - after the check that the serve extra is installed
from .run import serve  # noqa: E402 - after the check that the serve extra is installed
from .settings import Settings  # noqa: E402 - after the check that the serve extra is installed

__all__ = ["Settings", "create_app", "serve"]
