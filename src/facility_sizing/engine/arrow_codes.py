"""Codes of Arrow-backed columns: a string column by Arrow's dictionary encoding, a dictionary column by its indices.

Read by :func:`facility_sizing.engine.inputs.factorize`; pyarrow is imported only for a column it
holds (a plain install has pandas without it).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["arrow_codes"]


def arrow_codes(values: np.ndarray | pd.Series) -> tuple[np.ndarray, list[object]] | None:
    """Codes and uniques of an Arrow-backed column: a string column's by Arrow's own dictionary encoding
    (a third faster than ``pd.factorize`` on the same column: pandas' default strings are Arrow's),
    a dictionary column's (``pd.ArrowDtype(pa.dictionary(...))``) by its indices as they are; None for
    any other column.
    """
    if not isinstance(values, pd.Series) or not _held_by_arrow(values.dtype):
        return None
    import pyarrow as pa  # present: the column is held by it
    import pyarrow.compute as pc

    data = pa.array(values.array)
    if pa.types.is_dictionary(data.type):  # already coded (pd.ArrowDtype(pa.dictionary(...))): its codes as they are
        return _dictionary_codes(data)
    if isinstance(data, pa.ChunkedArray):
        data = data.chunk(0) if data.num_chunks == 1 else data.combine_chunks()
    if not (pa.types.is_string(data.type) or pa.types.is_large_string(data.type)):
        return None
    encoded = pc.dictionary_encode(data)
    indices = encoded.indices
    if indices.null_count:  # a missing value: code -1
        return pc.fill_null(indices, -1).to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()
    return indices.to_numpy(zero_copy_only=True), encoded.dictionary.to_pylist()  # Arrow's own buffer, read-only


def _dictionary_codes(data: Any) -> tuple[np.ndarray, list[object]]:
    """The indices of an Arrow dictionary column (-1 where missing) and its dictionary, with no hashing of rows.

    Chunks with dictionaries of their own are brought to one list of values (each dictionary is
    read once, in Python: dictionaries are short); a missing value in a dictionary is missing too.
    The dictionaries' values are the uniques, used or not (as a categorical's categories are).
    """
    import pyarrow as pa

    chunks = data.chunks if isinstance(data, pa.ChunkedArray) else [data]
    uniques: list[object] = []
    seen: dict[object, int] = {}
    parts = []
    for chunk in chunks:
        values = chunk.dictionary.to_pylist()
        lut = np.full(len(values) + 1, -1, dtype=np.int64)  # the last: a null index
        for j, v in enumerate(values):
            if v is not None:
                key = v if isinstance(v, Hashable) else repr(v)
                lut[j] = seen.setdefault(key, len(uniques))
                if lut[j] == len(uniques):
                    uniques.append(key)
        codes = _indices(chunk.indices)
        same = np.array_equal(lut[:-1], np.arange(len(values)))  # the dictionary is the uniques so far, in order
        parts.append(codes if same else lut[codes])
    return (np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)), uniques


def _indices(indices: Any) -> np.ndarray:
    """An Arrow integer array as int64 codes, -1 where null, read from its buffers (no fill, no copy but the widening)."""
    n, offset = len(indices), indices.offset
    validity, data = indices.buffers()[:2]
    codes = np.frombuffer(data, dtype=indices.type.to_pandas_dtype(), count=offset + n)[offset:].astype(np.int64)
    if indices.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), count=offset + n, bitorder="little")[offset:]
        codes[bits == 0] = -1
    return codes


def _held_by_arrow(dtype: object) -> bool:
    """Whether a column's values are held by pyarrow (so pyarrow is installed).

    pandas' ``StringDtype("python")`` also defines ``__arrow_array__`` (it converts on demand and
    needs pyarrow for that), so the storage is asked, not the method: a plain install has pandas
    without pyarrow and its strings are held as Python objects.
    """
    if isinstance(dtype, pd.ArrowDtype):
        return True
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
