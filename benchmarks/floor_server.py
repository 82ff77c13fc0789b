"""The service with one more route, ``POST /floor``: the framework's cost with none of the library's.

    python benchmarks/floor_server.py PORT

Started by ``bench_service.py``. ``/floor`` reads and validates the body with the same request
model as ``POST /size`` and answers with the same JSON (``fs.size(...).to_dict()`` of the same
project, computed at start), through the same middleware, headers and JSON writer; ``/size``
beside it does the library's work. Same process, same server, same settings: their ratio is
the library's share of a request.
"""

from __future__ import annotations

import sys

import uvicorn
from fastapi import Request
from fastapi.responses import Response

import facility_sizing as fs
from facility_sizing.service.app import create_app, parsed
from facility_sizing.service.handlers import json_response
from facility_sizing.service.models import ProjectRequest
from facility_sizing.service.settings import Settings


def main() -> None:
    port = int(sys.argv[1])
    app = create_app(Settings(port=port))
    answers: dict[str, object] = {}

    @app.post("/floor")
    async def floor(request: Request) -> Response:
        body = await parsed(request, ProjectRequest)
        args = body.library_args()
        key = repr(sorted(args.items(), key=lambda kv: kv[0]))
        if key not in answers:  # once per distinct project: the answer the library gives it
            answers[key] = fs.size(**args).to_dict()
        return json_response(answers[key])

    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, server_header=False
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
