"""The result table of :func:`~facility_sizing.size_frame`, built from a batch's arrays.

Every column is made straight from the batch's arrays and the frame is put together once: a
label (which rule bound) is built once per plan and binding combination, never per row, and
gathered by a small integer code.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

import numpy as np
import pandas as pd

from ..engine.batch import Batch
from ..engine.masks import gather
from ..engine.plan import Plan
from ..engine.tables import first_appearance
from ..engine.threads import each
from ..errors import StaleRuleWarning, bilingual
from ..model.bases import BASES, phrase
from ..model.columns import RESULT_COLUMNS, basis_column
from ..model.entities import Rule
from ..model.quantities import QUANTITIES, QuantitySpec
from ..model.vocabulary import STRENGTHS
from .columns import claim_columns
from .result_attrs import ErrorTable

__all__ = ["result_frame"]

_PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3  # copy-on-write always, and its option deprecated


def _copy_on_write() -> bool:
    """Whether pandas copies on write now (asked at each call: pandas 2 lets it be switched)."""
    return _PANDAS_3 or pd.get_option("mode.copy_on_write") is True


NO_FIGURE = "无指标 no figure"
MISSING_INPUT = "缺少输入 missing input"
#: A row of no households (or, its households unknown, no people): no residential project, no requirement.
NO_RESIDENTS = "无住户，不产生要求 no households: no requirement arises"


#: The inputs as used, the derived flags and the flags of a row's plan: result columns, in this order.
_AS_USED = ("population", "households", "persons_per_household")
_DERIVED = ("households_derived", "population_derived")
_PLAN_FLAGS = ("draft", "reported", "stale")


class _Memory:
    """The memory of a result's new columns: rows of two blocks, one of eight-byte values (areas,
    figures, inputs as used) and one of one-byte values (codes, flags, masks), not an array each.

    A few large allocations are backed by large pages where the system allows, where thirty arrays
    of their own are each faulted in page by page: on a two-core machine that was a third of a
    million-row call. Like columns share a block, as pandas keeps them; a row never written is
    never touched and takes no memory, and the block lives as long as any of its columns.
    """

    #: Eight-byte rows: each quantity's figures, each input as used.
    WIDE = len(QUANTITIES) + len(_AS_USED)
    #: One-byte rows: each quantity's mask and basis codes, the rule set's and the error's codes, the flags.
    NARROW = 2 * len(QUANTITIES) + len(("rule_set", "error")) + len(_DERIVED) + len(_PLAN_FLAGS)

    def __init__(self, n: int) -> None:
        self._wide = iter(np.empty((self.WIDE, n), dtype=np.float64))
        self._narrow = iter(np.empty((self.NARROW, n), dtype=np.uint8))

    def wide(self) -> np.ndarray:
        """A row of eight-byte values (float64: view it as int64 for whole figures)."""
        return next(self._wide)

    def narrow(self) -> np.ndarray:
        """A row of one-byte values (uint8: view it as int8 codes or bool flags)."""
        return next(self._narrow)


def result_frame(df: pd.DataFrame, batch: Batch, *, categorical: bool = False) -> pd.DataFrame:
    """A copy of ``df`` with the result columns of ``batch`` (same index, order and rows).

    ``categorical``: the ``error`` column as a categorical of the distinct error texts (as the
    ``*_basis`` columns are), not one text reference per row.
    """
    vacant = None if batch.cells is not None else _vacant_rows(batch)  # by cell: the cell of no households says it
    mem = _Memory(batch.n)  # each job's rows given here, before any runs: the same on one thread or two
    jobs: dict[str, Callable[[], Any]] = {
        spec.column: partial(_quantity_column, batch, q, spec, mem.wide(), mem.narrow())
        for q, spec in QUANTITIES.items()
    }
    jobs |= {basis_column(q): partial(_basis_column, batch, q, vacant, mem.narrow()) for q in QUANTITIES}
    jobs["rule_set"] = partial(_rule_set_column, batch, mem.narrow())
    for name in _AS_USED:  # the inputs as used, read once each
        jobs[name] = partial(batch.as_used, name, mem.wide())
    jobs["error"] = partial(_error_column, batch, df.index, categorical, mem.narrow())
    made = each(jobs, batch.n)  # side by side for a large batch (engine/threads.py)
    cols: dict[str, Any] = {spec.column: made[spec.column] for spec in QUANTITIES.values()}
    cols |= {name: made[name] for name in _AS_USED}
    planned = None  # some row has no plan: nothing derived for it
    if batch.groups_present()[batch.group_plan < 0].any():
        planned = _by_group(batch, batch.group_plan >= 0)
    for name in _DERIVED:  # a flag given once gets a column of its own
        cols[name] = _flags(getattr(batch, name), planned, mem.narrow())
    cols |= {basis_column(q): made[basis_column(q)] for q in QUANTITIES}
    flags = np.array([(p.draft, p.reported, p.stale) for p in batch.plans] + [(False, False, False)], dtype=bool)
    for i, name in enumerate(_PLAN_FLAGS):
        # by group: a group with no plan (-1) takes the last entry, False; a flag no plan has is False everywhere
        by_group = flags[:, i][batch.group_plan]
        row = mem.narrow().view(bool)
        cols[name] = _by_group(batch, by_group, row) if by_group.any() else np.zeros(batch.n, dtype=bool)
    cols["rule_set"] = made["rule_set"]
    cols["error"], errors = made["error"]
    stale = int(np.count_nonzero(cols["stale"]))
    out = _with_columns(df, cols)
    # the documents each rule set rests on, with their grades, keyed by the rule_set column: a sources
    # sheet lists those of the rule sets still present, so rows filtered out take their documents along
    out.attrs["documents"] = {plan.key: [doc.to_dict() for doc in plan.documents] for plan in batch.plans}
    # each error text's error, for an edge that words it its own way (the command line names its flags)
    out.attrs["errors"] = ErrorTable(errors)  # JSON records inside: to_parquet writes them (api/result_attrs.py)
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


#: The columns a sizing writes that are not inputs as used: a caller's own column of one of these
#: names is never overwritten.
OWN_COLUMNS: frozenset[str] = frozenset(RESULT_COLUMNS) - {"households", "population", "persons_per_household"}


def checked_input(df: pd.DataFrame, suffix: str | None = None) -> pd.DataFrame:
    """The frame to size: an earlier result is sized again (with a notice), a caller's column of a result's name refused.

    One rule for every door that sizes a frame (``size_frame``, ``size_parcels``, the files), and
    for ``coverage`` (:func:`facility_sizing.api.columns.claim_columns`): a frame the library
    sized before (it has the ``rule_set`` and ``error`` columns only a result has) is sized again,
    its old figures replaced where they stand, with a :class:`~facility_sizing.ResultReplacedWarning`;
    any other column named like a result column (``slots``, ``error`` of the caller's own) is an
    :class:`~facility_sizing.InputError` naming it, or, with ``suffix``, kept renamed ``name + suffix``.

    Raises
    ------
    InputError
        A column of the caller's that a result would overwrite.
    """
    return claim_columns(df, OWN_COLUMNS, SIZING_MARKS, suffix=suffix, stacklevel=4)


#: The columns only a sizing's result has together: a frame with both was sized before.
SIZING_MARKS = frozenset({"rule_set", "error"})


def _with_columns(df: pd.DataFrame, cols: dict[str, Any]) -> pd.DataFrame:
    """``df`` with ``cols`` set: a column it already has is replaced in place, the others are added in order.

    Added together in one step: setting twenty columns one at a time costs more than all the sizing.
    """
    # under copy-on-write (always, from pandas 3) a shallow copy is a copy: a write to either copies first
    out = df.copy(deep=not _copy_on_write())
    if isinstance(out.columns, pd.MultiIndex) or not out.columns.is_unique:
        for name, col in cols.items():
            out[name] = col
        return out
    for name in [name for name in cols if name in out.columns]:
        col = cols[name]  # an array as a Series: set without another copy (it was made here)
        out[name] = pd.Series(col, index=out.index, copy=False) if isinstance(col, np.ndarray) else col
    new = {name: col for name, col in cols.items() if name not in df.columns}
    if not new:
        return out
    joined = pd.concat([out, pd.DataFrame(new, index=out.index, copy=False)], axis=1)
    joined.attrs = dict(out.attrs)
    joined.columns.name = df.columns.name  # concat drops the name of the columns' axis
    return joined


def _quantity_column(batch: Batch, quantity: str, spec: QuantitySpec, wide: np.ndarray, narrow: np.ndarray) -> Any:
    """A quantity in its output unit: float (NaN) for areas, nullable Int64 otherwise (its figures
    written into ``wide``, its mask into ``narrow``: rows of :class:`_Memory`).

    Made straight from the batch's figures by group, so an area is divided once per group, not per row.
    """
    table, n, mask = batch.tables[quantity], batch.n, narrow.view(bool)
    if not table.any:  # no figure in any row: zeros the system gives untouched
        if spec.is_area:
            return _filled(wide, np.nan)
        return pd.arrays.IntegerArray(np.zeros(n, np.int64), _filled(mask, True))
    if spec.is_area:
        return table.values(batch.group, fill=np.nan, convert=lambda v: v / spec.scale, out=wide)
    convert = None if spec.scale == 1 else lambda v: v // spec.scale
    raw = table.values(batch.group, convert=convert, out=wide.view(np.int64))
    by_cell = table.by_cell
    if by_cell is not None and not by_cell.cells.any_seen(by_cell.value < 0):  # a figure in every row: none masked
        return pd.arrays.IntegerArray(raw, np.zeros(n, dtype=bool))
    return pd.arrays.IntegerArray(raw, np.less(raw, 0, out=mask))  # the masked cells' -1 is never read


def _filled(row: np.ndarray, value: Any) -> np.ndarray:
    """``row`` (a row of :class:`_Memory`) with ``value`` in every entry."""
    row.fill(value)
    return row


def _flags(flags: np.ndarray, planned: np.ndarray | None, narrow: np.ndarray) -> np.ndarray:
    """A derived flag's column, written into ``narrow``: False where a row has no plan (``planned``).

    A flag given once for every row (a read-only view of one value) gets a column of its own; one
    the batch made for this frame is kept as it is.
    """
    if planned is not None:
        return np.logical_and(flags, planned, out=narrow.view(bool))
    if _owned(flags):
        return flags
    np.copyto(narrow.view(bool), flags)
    return narrow.view(bool)


def _rule_set_column(batch: Batch, narrow: np.ndarray) -> pd.Categorical:
    # plans of two notice periods (a deadline past, say) share the key of the rules they apply
    if not batch.plans:  # no row has a plan
        return _categorical(_filled(narrow.view(np.int8), -1), [])
    codes, keys = pd.factorize(pd.Series([p.key for p in batch.plans], dtype=object))
    lut = np.append(codes, -1).astype(_code_dtype(len(keys)))  # a group with no plan (-1) gathers -1: no rule set
    return _categorical(_by_group(batch, lut[batch.group_plan], _code_row(narrow, lut.dtype)), list(keys))


def _owned(values: np.ndarray) -> bool:
    """Whether an array is one the frame may hold as its column: writable, one value per row (no view of one value)."""
    return bool(values.flags.writeable) and values.strides == (values.itemsize,)


def _by_group(batch: Batch, per_group: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Each row's entry of ``per_group`` (one per group, the last: the bad rows'), read by cell where the batch
    is, written into ``out`` (of ``per_group``'s type) where given."""
    cells = batch.cells
    if cells is None:
        return gather(per_group, batch.group, out)
    by_cell = np.append(np.repeat(per_group[: cells.groups], cells.width), per_group[-1])
    return gather(by_cell, cells.cell, out)


def _error_column(
    batch: Batch, index: pd.Index, categorical: bool = False, narrow: np.ndarray | None = None
) -> tuple[pd.Series, dict[str, Exception]]:
    """``"[code] message"`` per bad row, None elsewhere: one text per distinct error, shared by its rows.

    With it, each text's error (for an edge that words it its own way: the command line's flags).
    ``categorical``: the texts as a categorical's categories, each row's by a code (NaN: no error),
    written into ``narrow`` (a row of :class:`_Memory`) where given and the codes are one byte each.
    """
    found = batch.row_errors
    if not found.any():
        if categorical:
            row = _code_row(narrow, np.dtype(np.int8))
            codes = np.full(batch.n, -1, dtype=np.int8) if row is None else _filled(row, -1)
            return pd.Series(_categorical(codes, []), index=index, copy=False), {}
        return pd.Series(np.empty(batch.n, dtype=object), index=index, dtype=object, copy=False), {}  # all None
    used = np.flatnonzero(np.bincount(found.codes[found.mask], minlength=len(found.table)))
    texts = np.empty(len(found.table) + 1, dtype=object)  # the last entry, None: no error
    said: dict[int, str] = {}  # an exception shared by several entries is worded once
    for i in used.tolist():
        exc = found.table[i]
        if id(exc) not in said:
            said[id(exc)] = f"[{getattr(exc, 'code', 'error')}] {exc}"
        texts[i] = said[id(exc)]
    errors = {said[id(found.table[i])]: found.table[i] for i in used.tolist()}
    if categorical:  # each distinct text once, in the order the errors were found
        cats = list(dict.fromkeys(said.values()))
        lut = np.full(len(found.table) + 1, -1, dtype=_code_dtype(len(cats)))
        lut[used] = [cats.index(texts[i]) for i in used.tolist()]
        codes = gather(lut, found.codes, _code_row(narrow, lut.dtype))
        return pd.Series(_categorical(codes, cats), index=index, copy=False), errors
    return pd.Series(np.take(texts, found.codes), index=index, dtype=object, copy=False), errors


def _code_row(narrow: np.ndarray | None, codes: np.dtype[Any]) -> np.ndarray | None:
    """The row of :class:`_Memory` a categorical's codes of type ``codes`` are written into: ``narrow``
    as int8 codes where they are one byte each; None for wider codes (an array of their own)."""
    return narrow.view(np.int8) if narrow is not None and codes == np.int8 else None


def _categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    """A categorical from codes made here (each below ``len(categories)``, -1 for none): not checked again."""
    return pd.Categorical.from_codes(codes, dtype=_dtype(tuple(categories)), validate=False)


@lru_cache(maxsize=1024)
def _dtype(categories: tuple[str, ...]) -> pd.CategoricalDtype:
    """The categorical type of some labels, made once (its categories are checked when made): shared, as it is immutable."""
    return pd.CategoricalDtype(list(categories))


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


def _vacant_rows(batch: Batch) -> np.ndarray | None:
    """The rows sized as no residential project (no term binds and no error), or None if there is none."""
    rows = batch.vacant
    if rows.size and batch.row_errors.any():
        rows = rows[~batch.error_mask[rows]]
    return rows if rows.size else None


def _basis_column(
    batch: Batch, quantity: str, vacant: np.ndarray | None = None, narrow: np.ndarray | None = None
) -> pd.Categorical:
    """Which rule bound each row's figure (or that there is none), as a categorical.

    A row's label depends only on its plan and which terms bound (a bitmask below 256), so the
    labels are built once per group (and per bitmask where a group's binding terms vary), or once
    per cell, and gathered, not hashed row by row. The categories are the labels the rows use, in
    the order they first appear (as ``pd.factorize`` orders them), however the batch was evaluated.
    ``vacant``: the rows of no residents (:func:`_vacant_rows`), where the batch is not by cell.
    ``narrow``: a row of :class:`_Memory` the codes are gathered into, where they are one byte each.
    """
    if batch.cells is not None:
        cells = batch.cells
        every_row_planned = batch.n > 0 and not batch.groups_present()[batch.group_plan < 0].any()
        if every_row_planned and not batch.tables[quantity].any:  # no plan has terms for it: one label, no gather
            return _categorical(np.zeros(batch.n, dtype=np.int8), [NO_FIGURE])
        by_cell, cats, used = _cell_codes(batch, quantity)
        if len(used) == 1 and every_row_planned:  # every row one label: no gather
            return _categorical(np.zeros(batch.n, dtype=np.int8), [cats[used.pop()]])
        first = first_appearance(lambda lo, hi: np.take(by_cell, cells.cell[lo:hi]), batch.n, used)
        lut, cats = _reordered(first, cats)
        return _categorical(gather(lut[by_cell], cells.cell, _code_row(narrow, lut.dtype)), cats)
    codes, cats = _group_codes(batch, quantity, vacant)
    used = set(np.flatnonzero(np.bincount(codes + 1, minlength=len(cats) + 1)[1:]).tolist())
    first = first_appearance(lambda lo, hi: codes[lo:hi], batch.n, used)
    if list(first) != list(range(len(cats))):  # not already in order of first appearance, each used
        lut, cats = _reordered(first, cats)
        codes = np.take(lut, codes)
    return _categorical(codes.astype(_code_dtype(len(cats)), copy=False), cats)


def _reordered(first: dict[int, int], cats: list[str]) -> tuple[np.ndarray, list[str]]:
    """A map of old codes to new (in ``first``'s order; -1 and the unused ones to -1) and the categories in that order."""
    lut = np.full(len(cats) + 1, -1, dtype=_code_dtype(len(first)))  # the last entry: -1 stays -1
    lut[list(first)] = np.arange(len(first))
    return lut, [cats[c] for c in first]


def _cell_codes(batch: Batch, quantity: str) -> tuple[np.ndarray, list[str], set[int]]:
    """Each cell's label code (-1: the bad rows' cell, and cells of no plan), the labels (in no
    particular order) and the codes some row reads.

    A cell's label is its plan's and its binding terms' (plan position × 257 + bits), or, for the cell
    of no households of a plan with terms, that no requirement arises (× 257 + 256): each label
    made once for the pairs some row reads.
    """
    cells, figures = batch.cells, batch.tables[quantity].by_cell
    if cells is None or figures is None:
        raise ValueError("the batch was not evaluated by cell")
    pos = batch.group_plan[: cells.groups]  # each group's plan position, -1: none
    # (group, households) as one small table, in int32: a cell's pair is pos × 257 + its binding terms
    pair = (pos.astype(np.int32) * 257)[:, None] + figures.binding[:-1].reshape(cells.groups, cells.width)
    has_terms = np.array([bool(p.quantities[quantity].terms) for p in batch.plans] + [False])
    pair[:, 0] = np.where(has_terms[pos], pos * 257 + 256, pair[:, 0])
    none = len(batch.plans) * 257  # a group of no plan: the lookup's last entry, -1
    pair[pos < 0] = none
    read = np.flatnonzero(np.bincount(pair[cells.seen[:-1].reshape(pair.shape)], minlength=none + 1)[:none])
    cats: list[str] = []
    lut = np.full(none + 1, -1, dtype=np.int16)
    for p in read.tolist():
        at, bits = divmod(p, 257)
        label = NO_RESIDENTS if bits == 256 else _label(batch.plans[at], quantity, bits)
        if label not in cats:
            cats.append(label)
        lut[p] = cats.index(label)
    return np.append(lut[pair.ravel()], np.int16(-1)), cats, set(lut[read].tolist())


def _group_codes(batch: Batch, quantity: str, vacant: np.ndarray | None) -> tuple[np.ndarray, list[str]]:
    """Each row's label code (-1: no plan) and the labels, for a batch evaluated by group."""
    table, plans = batch.tables[quantity], batch.plans
    cats: list[str] = []

    def code(pos: int, bits: int) -> int:
        if pos < 0:
            return -1
        label = _label(plans[pos], quantity, bits)
        if label not in cats:
            cats.append(label)
        return cats.index(label)

    spread = {int(batch.group[idx[0]]) for idx, _, _ in table.varying}  # groups whose rows carry their own bits
    by_group = np.full(len(batch.group_plan), -1, dtype=np.int16)
    for k in np.flatnonzero(batch.group_plan >= 0).tolist():  # the groups that occur, not every possible key
        if k not in spread:
            by_group[k] = code(int(batch.group_plan[k]), int(table.binding[k]))
    own: list[tuple[np.ndarray, np.ndarray | int]] = []  # rows and their codes, set once the groups' are spread
    for idx, _, bits in table.varying:
        k = int(batch.group[idx[0]])
        pos = int(batch.group_plan[k])
        if k in table.vacated:  # one figure, and a few rows of no residents (no bits): the labels in bit order
            own.append((idx, code(pos, 0)))
            by_group[k] = code(pos, int(table.binding[k]))
            continue
        present = np.flatnonzero(np.bincount(np.ravel(bits), minlength=256))
        lut = np.zeros(256, dtype=np.int16)
        lut[present] = [code(pos, int(b)) for b in present]
        own.append((idx, lut[bits]))
    by_group = by_group.astype(_code_dtype(len(cats) + 1))  # NO_RESIDENTS may come
    one = np.unique(by_group[batch.groups_present()])
    # one label in every group (no figure anywhere, say): no gather
    codes = np.full(batch.n, one[0], by_group.dtype) if len(one) == 1 else np.take(by_group, batch.group)
    for idx, c in own:
        codes[idx] = c
    for idx in table.withdrawn:  # the rows lack an input the quantity needs (their error says which)
        codes[idx] = code(int(batch.group_plan[batch.group[idx[0]]]), 0)
    if vacant is not None:  # no residential project: no term binds, and the label says why (not a missing input)
        has_terms = np.array([bool(plan.quantities[quantity].terms) for plan in batch.plans], dtype=bool)
        rows = vacant[has_terms[batch.group_plan[batch.group[vacant]]]]
        if rows.size:
            if NO_RESIDENTS not in cats:
                cats.append(NO_RESIDENTS)
            codes[rows] = cats.index(NO_RESIDENTS)
    return codes, cats  # a label no row kept (a group whose every row lacks the input) is dropped by the caller
