"""Errors and the "not given" sentinel survive pickling, as they must to cross to dask workers in other processes."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil

import pytest

import facility_sizing as fs
from facility_sizing import errors
from facility_sizing.engine.inputs import UNSET


def _error_classes() -> list[type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(fs.__path__, "facility_sizing."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, (errors.FacilitySizingError, errors.FacilitySizingWarning)):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


def _instance(cls: type[BaseException]) -> BaseException:
    """An instance built through the class's own __init__, with a recognisable value per parameter."""
    params = [p for p in inspect.signature(cls.__init__).parameters.values() if p.name != "self"]
    if any(p.kind is p.VAR_POSITIONAL for p in params) and not issubclass(cls, errors.FacilitySizingError):
        return cls("消息 — message")  # a warning
    words = {"text": {"zh": "消息", "en": "message"}}  # the catalogue's entry for words given as they are
    if params and params[0].name == "key":  # an error of a catalogue key and its parameters
        if issubclass(cls, errors.InputError):
            return cls("legacy.text", field="households", value={"households": -1}, **words)
        return cls("legacy.text", **words)
    values: dict[str, object] = {"suggestions": ["西湖区", "滨江区"], "value": {"households": -1}}
    numbers = {"limit": 100, "seconds": 60.0}  # the service's errors format their numbers
    values["purpose"] = "purposes.word"  # a catalogue key
    if cls.__name__ in ("FileFormatError", "InflatedFileError"):
        values["key"] = "io.empty"  # the catalogue key of the file's problem
    if cls.__name__ == "TooLargeError":
        values["value"] = 200
    values.update(numbers)
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    args = [values.get(p.name, f"{p.name}-值") for p in params if p.default is p.empty and p.kind in positional]
    return cls(*args)


CLASSES = _error_classes()


def test_every_error_class_is_found() -> None:
    names = {c.__name__ for c in CLASSES}
    assert {"InputError", "CRSError", "GeometryError", "FileFormatError", "ConvergenceError"} <= names
    assert {"AmbiguousJurisdictionError", "RuleDataError", "MissingDependencyError", "StaleRuleWarning"} <= names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_errors_survive_pickling_with_message_and_attributes(cls: type[BaseException]) -> None:
    err = _instance(cls)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is cls
    assert str(back) == str(err) and back.args == err.args
    assert vars(back) == vars(err)  # field, value, suggestions, path, key…
    if isinstance(err, errors.InputError):
        assert (back.field, back.value) == (err.field, err.value)


def test_an_input_error_raised_by_the_library_round_trips() -> None:
    with pytest.raises(fs.InputError) as info:
        fs.size(jurisdiction="西湖区", households=-1, area_type="new_build", on="2025-01-01")
    back = pickle.loads(pickle.dumps(info.value))
    assert str(back) == str(info.value) and back.field == "households" and back.value == -1


def test_the_not_given_sentinel_is_the_same_object_after_pickling() -> None:
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET
