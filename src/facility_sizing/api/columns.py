"""The one rule for a caller's columns that an analysis would write: never overwritten.

Every function that returns the caller's frame with columns of its own added (``size_frame``,
``size_parcels``, ``coverage``, and the files, which go through them) meets a column of the same
name in one of three ways:

1. The frame is an earlier result of the same function (it has that function's *marks*, e.g.
   ``rule_set`` and ``error`` for a sizing): its old result columns are replaced where they
   stand, with a :class:`~facility_sizing.ResultReplacedWarning` naming them — so an output file
   can be sized again.
2. ``suffix=`` is given: the caller's own columns of those names are kept, renamed with the
   suffix (``slots`` → ``slots_own`` with ``suffix="_own"``), and the result takes the plain
   names, which every reader of a result (summaries, writers, letters) looks for.
3. Otherwise: an :class:`~facility_sizing.InputError` naming the columns (``api.column_taken``).

Examples
--------
>>> import pandas as pd
>>> claim_columns(pd.DataFrame({"slots": [3]}), {"slots", "error"}, {"rule_set", "error"}, suffix="_own").columns.tolist()
['slots_own']
"""

from __future__ import annotations

import warnings
from collections.abc import Collection
from typing import Any

from ..errors import InputError, ResultReplacedWarning
from ..messages import Message

__all__ = ["claim_columns"]


def claim_columns(
    df: Any,
    own: Collection[str],
    marks: Collection[str] | tuple[Collection[str], ...],
    *,
    suffix: str | None = None,
    stacklevel: int = 3,
) -> Any:
    """``df`` ready for columns ``own`` to be written: an earlier result's replaced, a caller's kept or refused.

    Parameters
    ----------
    df : pandas.DataFrame or geopandas.GeoDataFrame
    own : collection of str
        The columns the function writes that are not inputs as used.
    marks : collection of str, or a tuple of them
        The columns only the function's own result has together: a frame with all of them (all
        of one of them, given several) is an earlier result of the library, sized (or analysed)
        again.
    suffix : str, optional
        Keep the caller's columns of those names, renamed ``name + suffix``.
    stacklevel : int, default 3
        The notice's stack level: the caller of the public function.

    Returns
    -------
    The same frame, or a copy with the caller's columns renamed.

    Raises
    ------
    InputError
        A caller's column that a result would overwrite (no ``suffix``), a suffix that is not
        non-empty text, or a renamed column that would itself collide.
    """
    if suffix is not None and (not isinstance(suffix, str) or not suffix.strip()):
        raise InputError("api.suffix", field="suffix", value=suffix)
    columns: Any = getattr(df, "columns", ())
    clashes = [c for c in columns if isinstance(c, str) and c in own]
    if not clashes:
        return df
    kinds = marks if isinstance(marks, tuple) else (marks,)
    if any(set(kind) <= set(columns) for kind in kinds):
        warnings.warn(
            ResultReplacedWarning(str(Message("api.result_replaced", {"columns": clashes}))), stacklevel=stacklevel
        )
        return df
    if suffix is None:
        raise InputError("api.column_taken", field=clashes[0], value=clashes[0], columns=clashes)
    renamed = {c: f"{c}{suffix}" for c in clashes}
    taken = [new for new in renamed.values() if new in columns or new in own]
    if taken:
        raise InputError("api.suffix_taken", field="suffix", value=suffix, columns=taken)
    return df.rename(columns=renamed)
