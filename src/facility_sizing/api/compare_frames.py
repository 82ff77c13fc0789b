"""The batch form of the comparison: two :func:`~facility_sizing.size_frame` results, row by row.

Every row of the input is kept, in order: one output row per input row and quantity. Work is
done on whole columns; the date of a change is worked out once per distinct combination of rule
sets and bases, not once per row. A row that failed in either result, or whose two results are
of different projects, keeps its error in its own row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..messages import Message
from ..model.columns import basis_column, shown_quantity_columns
from ..model.quantities import QUANTITIES, QuantitySpec
from ..results.comparison import DatedDocument, date_of_change

__all__ = ["COMPARE_COLUMNS", "compare_frames"]

#: The columns of :func:`compare_frames`, in order.
COMPARE_COLUMNS: tuple[str, ...] = (
    "old",
    "new",
    "change",
    "old_basis",
    "new_basis",
    "changed_on",
    "old_rule_set",
    "new_rule_set",
    "error",
)

_NEEDED = ("rule_set", "error", "households", "population", "persons_per_household")


def _check(a: Any, b: Any) -> None:
    for name, frame in (("a", a), ("b", b)):
        if not isinstance(frame, pd.DataFrame):
            raise InputError("api.not_a_result_frame", field=name, value=type(frame).__name__)
        missing = [c for c in _NEEDED if c not in frame.columns]
        if missing:
            raise InputError("api.result_frame_lacks", field=name, value=missing, missing=missing)
    if len(a) != len(b) or not a.index.equals(b.index):
        raise InputError("api.rows_differ", field="b", value=f"{len(a)} / {len(b)} rows")


def _text(series: pd.Series) -> np.ndarray:
    """A column as an object array of str, None where missing (a categorical through its categories)."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # the rule_set and *_basis columns
        labels = np.array([*map(str, series.cat.categories), None], dtype=object)
        return labels[series.cat.codes.to_numpy()]  # code -1 (missing) takes the None at the end
    out = np.empty(len(series), dtype=object)
    out[:] = series.to_numpy(dtype=object)
    out[series.isna().to_numpy()] = None
    return out


def _project(rule_set: np.ndarray) -> np.ndarray:
    """The division and area type of each row's rule set (``330106/new_build``), None for an error row."""
    codes, uniques = pd.factorize(pd.Series(rule_set, dtype=object))
    heads = np.array([u.rsplit("/", 1)[0] for u in uniques] + [None], dtype=object)
    return heads[codes]


def _given(frame: pd.DataFrame, column: str) -> np.ndarray:
    """An input column as given: a derived value is not an input."""
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    derived = f"{column}_derived"
    if derived in frame.columns:
        values = np.where(frame[derived].fillna(False).to_numpy(dtype=bool), np.nan, values)
    return values


def _row_errors(a: pd.DataFrame, b: pd.DataFrame, old_rs: np.ndarray, new_rs: np.ndarray) -> np.ndarray:
    """Each row's error: either result's own, or that the two rows are of different projects."""
    ea, eb = _text(a["error"]), _text(b["error"])
    has_a, has_b = ea != None, eb != None  # noqa: E711 - elementwise on object arrays
    errors = np.full(len(a), None, dtype=object)
    errors[has_a] = "原 old: " + ea[has_a].astype(str)
    errors[has_b & ~has_a] = "新 new: " + eb[has_b & ~has_a].astype(str)
    both = has_a & has_b
    errors[both] = errors[both].astype(str) + "；新 new: " + eb[both].astype(str)
    ok = ~has_a & ~has_b
    differ = ok & (_project(old_rs) != _project(new_rs))
    for column in ("households", "population", "persons_per_household"):
        x, y = _given(a, column), _given(b, column)
        differ |= ok & ~((x == y) | (np.isnan(x) & np.isnan(y)))
    errors[differ] = "[input] " + str(Message("api.rows_of_different_projects"))
    return errors


def _values(frame: pd.DataFrame, spec: QuantitySpec) -> np.ndarray:
    return pd.to_numeric(frame[spec.column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _changes(old: np.ndarray, new: np.ndarray, old_basis: np.ndarray, new_basis: np.ndarray) -> np.ndarray:
    """Vectorised :func:`facility_sizing.api.compare.classify`."""
    no_old, no_new = np.isnan(old), np.isnan(new)
    same_basis = old_basis == new_basis
    with np.errstate(invalid="ignore"):
        conditions = [no_old & ~no_new, ~no_old & no_new, new > old, new < old, same_basis]
    return np.select(conditions, ["added", "removed", "raised", "lowered", "same"], "basis_changed").astype(object)


def _documents(frame: pd.DataFrame) -> dict[str, list[DatedDocument]]:
    """The documents of each rule set, from the record ``size_frame`` keeps in ``attrs``."""
    out: dict[str, list[DatedDocument]] = {}
    for key, docs in (frame.attrs.get("documents") or {}).items():
        out[key] = [
            DatedDocument(
                d["label"],
                dt.date.fromisoformat(d["effective_from"]),
                bool(d.get("effective_from_stated")),
                dt.date.fromisoformat(d["effective_until"]) if d.get("effective_until") else None,
            )
            for d in docs
        ]
    return out


def _changed_on(
    combos: tuple[np.ndarray, ...], docs: tuple[dict[str, list[DatedDocument]], dict[str, list[DatedDocument]]]
) -> np.ndarray:
    """The date of each changed row's change, worked out once per distinct (rule sets, bases) combination.

    The documents behind a basis are those of its rule set whose label it cites; the later side
    is the one whose rule set starts later (the same start: the new one).
    """
    out = np.full(len(combos[0]), None, dtype=object)
    if not len(out):
        return out
    codes, uniques = pd.MultiIndex.from_arrays([pd.Series(c, dtype=object) for c in combos]).factorize()
    dates = []
    for ors, nrs, ob, nb in uniques:
        old_docs = [d for d in docs[0].get(ors, []) if d.label in (ob or "")]
        new_docs = [d for d in docs[1].get(nrs, []) if d.label in (nb or "")]
        later_old = str(ors).rsplit("/", 1)[-1] > str(nrs).rsplit("/", 1)[-1]
        earlier, later = (new_docs, old_docs) if later_old else (old_docs, new_docs)
        dates.append(date_of_change(earlier, later)[0])
    table = np.array([*dates, None], dtype=object)
    return table[codes]


def compare_frames(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Compare two :func:`size_frame` results of one batch of projects, row by row.

    Parameters
    ----------
    a, b : DataFrame
        The old and the new result: the same rows (same length and index), sized on two dates
        or under two rule books.

    Returns
    -------
    pandas.DataFrame
        One row per input row and quantity, in input order, indexed by the input's index and
        ``quantity``: ``old`` and ``new`` (NaN where no figure), ``change`` (``same``,
        ``basis_changed``, ``raised``, ``lowered``, ``added``, ``removed``; None where the row has
        an error), ``old_basis`` / ``new_basis`` (the rule and document behind each figure, as in
        the ``*_basis`` columns), ``changed_on`` (the date of effect of the document that brought
        the change, where the results still carry their document record), ``old_rule_set`` /
        ``new_rule_set`` and ``error`` (either result's error, or that the two rows are of
        different projects). ``attrs`` holds both results' stamps.

    Raises
    ------
    InputError
        If either is not a ``size_frame`` result, or the two do not match row for row.

    Examples
    --------
    >>> import pandas as pd, facility_sizing as fs
    >>> df = pd.DataFrame({"jurisdiction": ["西湖区", "nowhere"], "households": [1334, 10]})
    >>> args = dict(area_type="new_build", population=3500, include_reported=True)
    >>> out = fs.compare_frames(fs.size_frame(df, on="2021-10-01", **args),
    ...                         fs.size_frame(df, on="2022-08-20", **args))
    >>> out.loc[0, "change"].to_dict()
    {'floor_area': 'same', 'outdoor_area': 'same', 'slots': 'added', 'max_floor': 'same'}
    >>> out.loc[(0, "slots"), ["old", "new"]].tolist()
    [nan, 35.0]
    >>> out.loc[(0, "slots"), "changed_on"].isoformat(), out.loc[1, "error"].str[:29].unique().tolist()
    ('2022-08-13', ['原 old: [unknown_jurisdiction]'])
    """
    _check(a, b)
    n = len(a)
    columns = shown_quantity_columns(
        [c for c in a.columns if c in b.columns], lambda c: bool(a[c].notna().any() or b[c].notna().any())
    )
    specs = [spec for spec in QUANTITIES.values() if spec.column in columns]
    old_rs, new_rs = _text(a["rule_set"]), _text(b["rule_set"])
    errors = _row_errors(a, b, old_rs, new_rs)
    bad = errors != None  # noqa: E711 - elementwise on object arrays
    docs = (_documents(a), _documents(b))
    parts: dict[str, list[np.ndarray]] = {c: [] for c in COMPARE_COLUMNS}
    for spec in specs:
        old, new = _values(a, spec), _values(b, spec)
        old_basis, new_basis = _text(a[basis_column(spec.key)]), _text(b[basis_column(spec.key)])
        change = _changes(old, new, old_basis, new_basis)
        change[bad] = None
        changed_on = np.full(n, None, dtype=object)
        moved = ~bad & (change != "same")
        changed_on[moved] = _changed_on((old_rs[moved], new_rs[moved], old_basis[moved], new_basis[moved]), docs)
        for column, values in zip(
            COMPARE_COLUMNS,
            (old, new, change, old_basis, new_basis, changed_on, old_rs, new_rs, errors),
            strict=True,
        ):
            parts[column].append(values)
    index = pd.MultiIndex.from_arrays(
        [np.repeat(a.index.to_numpy(), len(specs)), np.tile([s.key for s in specs], n)],
        names=[a.index.name or "row", "quantity"],
    )
    data = {
        c: pd.Series(
            np.column_stack(v).ravel() if v else [], index=index, dtype=float if c in ("old", "new") else object
        )
        for c, v in parts.items()
    }
    out = pd.DataFrame(data, index=index, columns=list(COMPARE_COLUMNS))
    out.attrs["old_stamp"] = a.attrs.get("stamp")
    out.attrs["new_stamp"] = b.attrs.get("stamp")
    return out
