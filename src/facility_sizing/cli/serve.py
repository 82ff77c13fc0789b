"""``facility-sizing serve``: the HTTP service (JSON endpoints, the specification, the web page)."""

from __future__ import annotations

import argparse
import warnings

from ..errors import FacilitySizingWarning
from ..ruledata import RuleBook
from .common import EXIT_OK, Subparsers, add_subcommand

EXAMPLES = """规则文件只在启动时从 --rules（或环境变量）读取，请求不能指定服务器上的文件。
Rule files are read once, at start, from --rules (or the environment); no request can name a file on the server.
限制也可由环境变量设定 — limits may also come from the environment: FACILITY_SIZING_MAX_BODY_BYTES,
FACILITY_SIZING_MAX_BATCH_ROWS, FACILITY_SIZING_REQUEST_TIMEOUT, FACILITY_SIZING_HOST, FACILITY_SIZING_PORT,
FACILITY_SIZING_TILE_URL.

示例 examples:
  facility-sizing serve
  facility-sizing serve --port 8080 --rules my_rules/
  facility-sizing serve --max-batch-rows 20000 --request-timeout 30
  facility-sizing serve --tile-url 'https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=本单位密钥'
  curl -s localhost:8000/size -d '{"jurisdiction":"西湖区","households":1200,"area_type":"new_build","on":"2025-01-01"}'"""


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "serve",
        EXAMPLES,
        help="启动 HTTP 服务与网页 / start the HTTP service and the web page",
        description="启动 HTTP 服务：JSON 接口（/size、/clause、/review、/rules、/batch …）、接口规范 /openapi.json "
        "和规划人员网页 / — start the HTTP service: JSON endpoints, the specification and the planners' page",
    )
    parser.add_argument(
        "--host", help="监听地址，默认 127.0.0.1（仅本机）/ address to bind, default 127.0.0.1 (this machine only)"
    )
    parser.add_argument("--port", type=int, help="端口，默认 8000 / port, default 8000")
    parser.add_argument(
        "--max-body-bytes", type=int, help="请求体上限（字节），默认 10 MiB / largest request body in bytes"
    )
    parser.add_argument("--max-batch-rows", type=int, help="批量行数上限，默认 100000 / most rows per batch")
    parser.add_argument("--request-timeout", type=float, help="请求超时（秒），默认 60 / request timeout in seconds")
    parser.add_argument(
        "--tile-url",
        help="网页地图的底图瓦片 / the page map's background tiles: a URL with {z} {x} {y} (e.g. the bureau's own "
        "天地图 key); none by default, nothing loaded from elsewhere",
    )
    parser.add_argument("--access-log", action="store_true", help="记录每个请求 / log every request")
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    from ..service import Settings, serve  # the serve extra: only this subcommand needs it

    settings = Settings.from_env(
        host=args.host,
        port=args.port,
        max_body_bytes=args.max_body_bytes,
        max_batch_rows=args.max_batch_rows,
        request_timeout_s=args.request_timeout,
        tile_url=args.tile_url,
    )
    with warnings.catch_warnings():
        # a long-running process: a stale rule is in every answer's own warnings, not a line per request
        warnings.simplefilter("ignore", FacilitySizingWarning)
        serve(settings, book, access_log=args.access_log)
    return EXIT_OK
