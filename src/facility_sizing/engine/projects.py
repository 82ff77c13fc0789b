"""Projects from what a caller gives: keyword arguments for one project, columns of a frame for many.

Both read :data:`~facility_sizing.model.project.PROJECT_INPUTS`, so a new input is one registry
line, and both give the engine the same :class:`~facility_sizing.model.project.Projects`. An
argument given once (a scalar) is checked once and stands for every row as a one-cell column.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, UnknownJurisdictionError
from ..model.project import PROJECT_INPUTS, TODAY, Projects
from ..model.vocabulary import canonical_area_type
from .area_types import area_type_codes
from .consistency import trust_code
from .inputs import (
    UNSET,
    aligned,
    frame_column,
    is_missing,
    parse_date,
    validate_households,
    validate_population,
    validate_pph,
)
from .rows import check_flag, flag_column, one

__all__ = ["check_inputs", "frame_projects", "not_a_column", "one_project"]

_VALIDATORS = {"households": validate_households, "population": validate_population}


def check_inputs(inputs: Mapping[str, Any], *, extra: tuple[str, ...] = ()) -> None:
    """Refuse a keyword that is no input (a misspelling, with the nearest input named).

    Raises
    ------
    InputError
        Naming the keyword and the closest input.
    """
    known = [*PROJECT_INPUTS, *extra]
    for name in inputs:
        if name not in known:
            near = difflib.get_close_matches(name, known, n=1)
            if near:
                raise InputError("api.unknown_argument", field=name, value=inputs[name], near=near[0])
            raise InputError("api.unknown_argument_bare", field=name, value=inputs[name], known=known)


def one_project(inputs: Mapping[str, Any]) -> Projects:
    """One project from keyword arguments: each checked as one value, a one-cell column.

    Raises
    ------
    InputError
        A keyword that is no input, a required one missing, or a value that is not one value.
    """
    check_inputs(inputs)
    columns = {}
    for name, spec in PROJECT_INPUTS.items():
        if name not in inputs and spec.required:
            raise InputError("api.missing_argument", field=name, value=None)
        value = inputs.get(name, spec.default)
        columns[name] = one(_one_value(name, value))
    return Projects(1, columns, frozenset(PROJECT_INPUTS))


def _one_value(name: str, value: Any) -> Any:
    """The value of one input of one project, checked where the engine would not say it better."""
    if name == "jurisdiction" and (
        isinstance(value, bool) or not isinstance(value, str | int | np.integer | float | np.floating)
    ):
        raise UnknownJurisdictionError(value, [])
    if isinstance(value, pd.Series | pd.DataFrame | np.ndarray | list | tuple | set | dict):
        raise InputError("api.not_single", field=name, value=value, kind=type(value).__name__)
    spec = PROJECT_INPUTS[name]
    if spec.kind == "date":
        return parse_date(dt.date.today() if value in (None, TODAY) else value)
    if spec.kind == "switch":
        check_flag(name, value)
        return bool(value)
    return value


def frame_projects(df: pd.DataFrame, inputs: Mapping[str, Any]) -> Projects:
    """The projects of a frame's rows: each input a column name, a Series aligned with ``df``, or one value.

    Left out, an input reads the column of its own name if the frame has one, else its default
    (a required input without a column is an error).
    """
    check_inputs(inputs)
    columns, constant = {}, set()
    for name, spec in PROJECT_INPUTS.items():
        column = _column(df, name, inputs.get(name, UNSET))
        if column is None:
            default = dt.date.today() if spec.default == TODAY else spec.default
            column = _broadcast(name, default)
        if isinstance(column, np.ndarray):  # one value given for every row (a frame's column is a Series)
            constant.add(name)
        columns[name] = column
    return Projects(len(df), columns, frozenset(constant))


def _column(df: pd.DataFrame, name: str, value: Any) -> pd.Series | np.ndarray | None:
    """The column an input reads in ``df``, or its one value; None when neither given nor in the frame."""
    if value is UNSET:
        if name in df.columns:
            return frame_column(df, name, name)
        if PROJECT_INPUTS[name].required:
            raise InputError("api.no_column", field=name, value=None, column=name)
        return None
    if isinstance(value, Hashable) and not isinstance(value, float | int | bool) and value in df.columns:
        return frame_column(df, value, name)
    if isinstance(value, pd.Series):
        return aligned(value, df.index, name)
    if PROJECT_INPUTS[name].kind == "number" and isinstance(value, str):
        raise not_a_column(name, value, df.columns)
    return _broadcast(name, value)


def not_a_column(name: str, value: object, columns: pd.Index) -> InputError:
    """The error for a string argument that names no column of the frame."""
    return InputError("api.not_a_column", field=name, value=value, columns=[str(c) for c in columns])


def _broadcast(name: str, value: Any) -> np.ndarray:
    """Validate a scalar argument once (raising if bad): a one-cell column that stands for every row."""
    probe = pd.Series([value], dtype=object)
    spec = PROJECT_INPUTS[name]
    if spec.kind == "number" and value is not None:
        _, _, errs = _VALIDATORS.get(name, validate_pph)(probe, True)
        if errs.mask[0]:
            raise errs.first()
    if spec.kind == "date":
        value = parse_date(value)
    if name == "trust":
        trust_code(value)  # raises for an unknown value (or alias)
    if name == "area_type" and canonical_area_type(value) is None:
        _, _, errs = area_type_codes(probe)
        raise errs.first()
    if spec.kind == "switch" and not isinstance(value, bool | np.bool_):
        _, errs = flag_column(probe, name)
        raise errs.first()
    # one cell stands for every row: the batch machinery checks it once, not n times
    return one(None if value is None or is_missing(value) else value)
