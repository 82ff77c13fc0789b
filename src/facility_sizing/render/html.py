"""A requirement as an HTML table, for Jupyter (``req._repr_html_()``)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..model.quantities import QUANTITIES
from ..model.vocabulary import STRENGTHS
from .text import explain_quantity, fmt_number

if TYPE_CHECKING:
    from ..results.requirement import Requirement

__all__ = ["requirement_html"]


def _row(req: Requirement, quantity: str) -> str:
    esc = html.escape
    spec = QUANTITIES[quantity]
    zh, en = spec.label
    value = req.value(quantity)
    cites = "<br>".join(
        esc(f"{u.rule.citation()}（{STRENGTHS[u.rule.strength].zh}）" + (" 草案 draft" if u.draft else ""))
        for u in req.rules
        if u.quantity == quantity and u.rule is not None and u.binding
    )
    how = esc(explain_quantity(req, quantity).split("：", 1)[-1])
    shown = "—" if value is None else f"{fmt_number(value)} {spec.unit.zh}"
    return f"<tr><td>{zh}<br><small>{en}</small></td><td><b>{shown}</b></td><td>{how}</td><td>{cites or '—'}</td></tr>"


def requirement_html(req: Requirement) -> str:
    """A table: each requirement, how it was reached, its clause; the inputs; warnings."""
    esc = html.escape
    div = req.jurisdiction
    head = f"<b>{esc(div.name)}（{esc(div.code)}）{esc(req.area_term)}</b> · {esc(div.name_en)} · {req.on.isoformat()}"
    rows = [_row(req, q) for q in req.quantities_shown()]
    a = req.assumptions
    inputs = "；".join(
        f"{k} {fmt_number(v)}" + ("（推算 derived）" if a.get(f"{k}_derived") else "")
        for k, v in a.items()
        if not k.endswith("_derived") and v is not None
    )
    warn = "".join(f'<div style="color:#b3261e">⚠ {esc(w)}</div>' for w in req.warnings)
    return (
        f"<div>{head}{warn}<table><tr><th>项目 quantity</th><th>要求 requirement</th><th>依据 how</th>"
        f"<th>条款 clause</th></tr>{''.join(rows)}</table><small>依据 Inputs: {esc(inputs) or '—'}</small></div>"
    )
