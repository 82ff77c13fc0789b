"""What every map of sized parcels shares: the frame checked, its rows split, their legend labels.

A map colours each parcel by a numeric result column. Rows that could not be sized and rows where
the rules set no figure for the column are drawn apart from the others (:func:`split_rows`),
each labelled in the legend (:data:`ERROR_LABEL`, :data:`NO_FIGURE_LABEL`), so a gap on the map
is never mistaken for a requirement of zero.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ... import errors
from ...errors import InputError
from ...model.vocabulary import LEGEND_LABELS

__all__ = [
    "ERROR_LABEL",
    "ID_COLUMNS",
    "NAME_COLUMNS",
    "NO_FIGURE_LABEL",
    "checked",
    "label_of",
    "require",
    "split_rows",
    "split_status",
]

ERROR_LABEL = LEGEND_LABELS["error"]
NO_FIGURE_LABEL = LEGEND_LABELS["no_figure"]

#: Columns that name a parcel, the first present of which labels it on a map.
ID_COLUMNS = ("parcel_id", "地块编号", "id", "编号", "project", "项目编号")

#: Columns that name a project or parcel in words, the first present of which a map shows beside its id.
NAME_COLUMNS = ("name", "项目名称", "名称", "地块名称", "project_name")


def require(module: str, package: str, purpose: str) -> Any:
    """The module, or a MissingDependencyError saying ``purpose`` (a catalogue key) needs ``package`` (the ``map`` extra)."""
    return errors.require(module, package, "map", purpose)


def checked(result: Any, column: str) -> Any:
    import geopandas as gpd

    if not isinstance(result, gpd.GeoDataFrame):
        raise InputError("spatial.map_needs_parcels", field="result", value=type(result).__name__, see="size_parcels")
    if column not in result.columns:
        numeric = [c for c in result.columns if c != result.geometry.name and pd.api.types.is_numeric_dtype(result[c])]
        raise InputError("spatial.map_no_column", field="column", value=column, numeric=[str(c) for c in numeric])
    if not pd.api.types.is_numeric_dtype(result[column]) or pd.api.types.is_bool_dtype(result[column]):
        raise InputError("spatial.map_column_not_numeric", field="column", value=column)
    if result.crs is None:
        raise InputError("spatial.map_no_crs", field="result", value=None, declare="set_crs")
    return result


def split_rows(result: Any, column: str) -> tuple[Any, Any, Any, np.ndarray]:
    """The rows with a value, the rows with an error, the rows with no figure; and the values."""
    failed = result["error"].notna().to_numpy() if "error" in result.columns else np.zeros(len(result), bool)
    values = pd.to_numeric(result[column], errors="coerce").astype("float64").to_numpy()
    missing = np.isnan(values)
    ok = ~failed & ~missing
    return result[ok], result[failed], result[~failed & missing], values[ok]


def label_of(pair: tuple[str, str], bilingual: bool) -> str:
    return f"{pair[0]} {pair[1]}" if bilingual else pair[1]


def split_status(result: Any, column: str) -> tuple[list[str], np.ndarray]:
    """Each row's standing on the map — ``ok``, ``error`` (not sized) or ``none`` (no figure) — and the values."""
    failed = result["error"].notna().to_numpy() if "error" in result.columns else np.zeros(len(result), bool)
    values = pd.to_numeric(result[column], errors="coerce").astype("float64").to_numpy()
    status = np.where(failed, "error", np.where(np.isnan(values), "none", "ok"))
    return status.tolist(), values
