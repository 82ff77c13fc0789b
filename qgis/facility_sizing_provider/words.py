"""The plugin's own sentences, Chinese first.

Everything about the rules — a figure, an error in the input, a clause — is the library's own
words, relayed as the command line prints them. What is said here is only what the library
cannot say because it is not running: where the command is, that it was canceled, that it stopped.
"""

from __future__ import annotations

#: Where the command's path came from: the Processing option, the environment, or a guess.
FROM_SETTING, FROM_ENV, FROM_CHECKOUT = "setting", "env", "checkout"
_NAMED_BY = {
    FROM_SETTING: ("处理选项（处理 → 选项 → 提供者 → 托育设施配建）", "the Processing option"),
    FROM_ENV: ("环境变量 {env}", "the environment variable {env}"),
}

#: How to install the command line in an environment of its own (from the project's folder).
INSTALL = 'python3 -m venv venv && venv/bin/pip install ".[word]"'
INSTALL_WINDOWS = 'py -m venv venv; venv\\Scripts\\pip install ".[word]"'

CANCELED = "已取消，未写出结果 — canceled; nothing was written"


def not_installed(env: str) -> str:
    return (
        "找不到托育设施配建计算的命令行 facility-sizing。本插件在独立的 Python 环境中运行它"
        f"（QGIS 自带的 Python 版本过旧）。请在项目目录中安装：{INSTALL}（Windows：{INSTALL_WINDOWS}），"
        f"然后在 处理 → 选项 → 提供者 → 托育设施配建 中填写 venv/bin/facility-sizing 的完整路径，"
        f"或设置环境变量 {env}，或将其所在目录加入 PATH — "
        "the facility-sizing command line was not found. This plugin runs it in a Python environment of "
        f"its own (QGIS's Python is too old for it). Install it from the project's folder: {INSTALL} "
        f"(Windows: {INSTALL_WINDOWS}), then give the full path of venv/bin/facility-sizing in "
        f"Processing → Options → Providers → Facility sizing, or set {env}, or put its folder on PATH"
    )


def named_but_missing(source: str, path: str, env: str) -> str:
    zh, en = (text.format(env=env) for text in _NAMED_BY[source])
    return (
        f"{zh}指定的 facility-sizing 不存在或不可执行：{path}；请改正路径，或安装：{INSTALL} — "
        f"the facility-sizing named by {en} does not exist or cannot run: {path}; correct the path, or "
        f"install it: {INSTALL}"
    )


def cannot_start(cli: str, why: str) -> str:
    return f"无法启动 {cli}：{why} — could not start {cli}: {why}"


def exited(code: int) -> str:
    return f"facility-sizing 异常退出（退出码 {code}），未写出结果 — facility-sizing stopped (exit code {code}); nothing was written"


def unreadable_answer(text: str) -> str:
    return f"facility-sizing 的输出无法读取：{text} — the output of facility-sizing could not be read: {text}"


def more_errors(n: int, field: str) -> str:
    return (
        f"另有 {n} 行出错，见输出图层的 {field} 字段 — {n} more rows have errors: see the output layer's {field} field"
    )


def row_errors(n: int, total: int) -> str:
    return (
        f"{total} 行中有 {n} 行出错，其数值缺失或不全（缺少某项输入时，其余能算的数值照常给出），原因见各行 error 字段"
        f" — {n} of {total} rows have errors: their figures are missing or partial (a row lacking one input keeps"
        " the figures it can have); each row's error field says why"
    )
