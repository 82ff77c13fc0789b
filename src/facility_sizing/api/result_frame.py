"""The result table of :func:`~facility_sizing.size_frame`, built from a batch's arrays.

Every column is made straight from the batch's arrays and the frame is put together once: a
label (which rule bound) is built once per plan and binding combination, never per row, and
gathered by a small integer code.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..engine.batch import Batch
from ..engine.plan import Plan
from ..errors import StaleRuleWarning, bilingual
from ..model.bases import BASES, phrase
from ..model.columns import basis_column
from ..model.entities import Rule
from ..model.quantities import QUANTITIES, QuantitySpec
from ..model.vocabulary import STRENGTHS

__all__ = ["result_frame"]

_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3 or bool(pd.get_option("mode.copy_on_write") is True)
NO_FIGURE = "无指标 no figure"
MISSING_INPUT = "缺少输入 missing input"


def result_frame(df: pd.DataFrame, batch: Batch) -> pd.DataFrame:
    """A copy of ``df`` with the result columns of ``batch`` (same index, order and rows)."""
    ok = batch.plan_idx >= 0
    cols: dict[str, Any] = {spec.column: _quantity_column(batch.values[q], spec) for q, spec in QUANTITIES.items()}
    cols["population"] = batch.population
    cols["households"] = batch.households
    cols["persons_per_household"] = batch.persons_per_household
    every = ok.all()
    cols["households_derived"] = batch.households_derived if every else batch.households_derived & ok
    cols["population_derived"] = batch.population_derived if every else batch.population_derived & ok
    partial = batch.error_mask & ok  # rows with a plan that lack an input some quantity needs
    for q in QUANTITIES:
        cols[basis_column(q)] = _basis_column(batch, q, partial)
    flags = np.array([(p.draft, p.reported, p.stale) for p in batch.plans] + [(False, False, False)], dtype=bool)
    for i, name in enumerate(("draft", "reported", "stale")):
        # plan_idx -1 (an error row) takes the last entry, False; a flag no plan has is False everywhere
        cols[name] = np.take(flags[:, i], batch.plan_idx) if flags[:, i].any() else np.zeros(batch.n, dtype=bool)
    cols["rule_set"] = _rule_set_column(batch)
    cols["error"] = _error_column(batch, df.index)
    stale = int(np.count_nonzero(cols["stale"]))
    out = _with_columns(df, cols)
    # the documents each rule set rests on, with their grades, keyed by the rule_set column: a sources
    # sheet lists those of the rule sets still present, so rows filtered out take their documents along
    out.attrs["documents"] = {plan.key: [doc.to_dict() for doc in plan.documents] for plan in batch.plans}
    if stale:
        warnings.warn(
            StaleRuleWarning(
                bilingual(
                    f"{stale} 行的日期超出规则的规划期，规则可能已被替代（见 stale 列）",
                    f"{stale} rows are dated after a rule's plan period; the rule may be stale (see the stale column)",
                )
            ),
            stacklevel=3,
        )
    return out


def _with_columns(df: pd.DataFrame, cols: dict[str, Any]) -> pd.DataFrame:
    """``df`` with ``cols`` set: a column it already has is replaced in place, the others are added in order.

    Added together in one step: setting twenty columns one at a time costs more than all the sizing.
    """
    # under copy-on-write (always, from pandas 3) a shallow copy is a copy: a write to either copies first
    out = df.copy(deep=not _COPY_ON_WRITE)
    if isinstance(out.columns, pd.MultiIndex) or not out.columns.is_unique:
        for name, col in cols.items():
            out[name] = col
        return out
    for name in [name for name in cols if name in out.columns]:
        out[name] = cols[name]
    new = {name: col for name, col in cols.items() if name not in df.columns}
    if not new:
        return out
    joined = pd.concat([out, pd.DataFrame(new, index=out.index, copy=False)], axis=1)
    joined.attrs = dict(out.attrs)
    return joined


def _quantity_column(raw: np.ndarray, spec: QuantitySpec) -> Any:
    """A quantity in its output unit: float (NaN) for areas, nullable Int64 otherwise; -1 in ``raw`` is no figure."""
    n = len(raw)
    if not raw.flags.writeable:  # no figure in any row: the batch's shared read-only -1s
        return np.full(n, np.nan) if spec.is_area else pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, bool))
    none = raw < 0
    if spec.is_area:
        col = raw / spec.scale
        if none.any():
            np.copyto(col, np.nan, where=none)
        return col
    # the masked cells' -1 is never read; a whole-unit quantity keeps the batch's own array
    return pd.arrays.IntegerArray(raw if spec.scale == 1 else raw // spec.scale, none)


def _rule_set_column(batch: Batch) -> pd.Categorical:
    # plans of two notice periods (a deadline past, say) share the key of the rules they apply
    if not batch.plans:
        return pd.Categorical([None] * batch.n)
    codes, keys = pd.factorize(pd.Series([p.key for p in batch.plans], dtype=object))
    lut = np.append(codes, -1).astype(_code_dtype(len(keys)))  # plan_idx -1 (an error row) gathers -1: no rule set
    return _categorical(np.take(lut, batch.plan_idx), list(keys))


def _error_column(batch: Batch, index: pd.Index) -> pd.Series:
    """``"[code] message"`` per bad row, None elsewhere: one text per distinct error, shared by its rows."""
    errors = np.full(batch.n, None, dtype=object)
    bad = np.flatnonzero(batch.error_mask)
    if bad.size:
        codes, uniques = pd.factorize(pd.Series(batch.errors[bad], dtype=object))
        texts = np.empty(len(uniques), dtype=object)
        texts[:] = [f"[{getattr(exc, 'code', 'error')}] {exc}" for exc in uniques]
        errors[bad] = texts[codes]
    return pd.Series(errors, index=index, dtype=object, copy=False)


def _categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    """A categorical from codes made here (each below ``len(categories)``, -1 for none): not checked again."""
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories), validate=False)


def _code_dtype(categories: int) -> type[np.signedinteger[Any]]:
    """The integer type pandas keeps a categorical's codes in (so that they are not converted again)."""
    return np.int8 if categories < 127 else np.int16 if categories < 32_767 else np.int32


def _term_label(rule: Rule, plan: Plan) -> str:
    basis = BASES[rule.basis or ""]
    label = basis.column_label
    rests_on = [t.rule for q in basis.needs_quantities() for t in plan.quantities[q].terms]
    tag = ""
    if rule.strength in ("in_principle", "generally"):  # the document's own softness, as the letter keeps it
        word = STRENGTHS[rule.strength]
        tag += f"（{word.zh} {rule.strength.replace('_', ' ')}）"
    tag += "（草案 draft）" if any(r.document.is_draft for r in (rule, *rests_on)) else ""
    if any(r.document.is_reported for r in (rule, *rests_on)):
        tag += "（据报道 reported）"
    return f"{phrase(label.zh, rule)} {phrase(label.en, rule)}（{rule.citation()}）{tag}"


_LABELS: dict[tuple[int, str, int], tuple[Plan, str]] = {}


def _label(plan: Plan, quantity: str, bits: int) -> str:
    """Which terms of ``plan`` bound (``bits``), or why there is no figure.

    Plans are cached by the resolver, so a label is built once per process, not once per call:
    the cache holds the plan itself, so an id is never taken for another plan's.
    """
    key = (id(plan), quantity, bits)
    hit = _LABELS.get(key)
    if hit is not None and hit[0] is plan:
        return hit[1]
    if len(_LABELS) > 8192:
        _LABELS.clear()
    label = _build_label(plan, quantity, bits)
    _LABELS[key] = (plan, label)
    return label


def _build_label(plan: Plan, quantity: str, bits: int) -> str:
    qp = plan.quantities[quantity]
    if not qp.terms:
        return NO_FIGURE
    if bits == 0:  # the row lacks an input this quantity needs (its error says which)
        return MISSING_INPUT
    return " = ".join(_term_label(t.rule, plan) for i, t in enumerate(qp.terms) if bits >> i & 1)


def _basis_column(batch: Batch, quantity: str, partial: np.ndarray) -> pd.Categorical:
    """Which rule bound each row's figure (or that there is none), as a categorical.

    A row's label depends only on its plan and which terms bound (a bitmask below 256), so the
    labels are built once per combination that occurs and gathered by a code, not by hashing rows.
    Where no plan has two terms for the quantity and no row lacks an input, the plan alone decides.
    """
    plans = batch.plans
    cats: list[str] = []

    def code(label: str) -> int:
        if label not in cats:
            cats.append(label)
        return cats.index(label)

    if all(len(p.quantities[quantity].terms) <= 1 for p in plans) and not partial.any():
        lut = np.array([code(_label(p, quantity, 1)) for p in plans] + [-1], dtype=np.int64)
        return _categorical(np.take(lut.astype(_code_dtype(len(cats))), batch.plan_idx), cats)
    combos = batch.plan_idx * 256 + batch.binding[quantity]  # plan_idx is intp: a new int64 array
    combos[batch.plan_idx < 0] = -1  # gathers lut[-1], the one slot no combination uses: no label
    present = np.flatnonzero(np.bincount(combos + 1, minlength=len(plans) * 256 + 1)) - 1
    lut = np.full(len(plans) * 256 + 1, -1, dtype=np.int64)
    for combo in present[present >= 0]:
        lut[combo] = code(_label(plans[int(combo) // 256], quantity, int(combo) % 256))
    return _categorical(np.take(lut.astype(_code_dtype(len(cats))), combos), cats)
