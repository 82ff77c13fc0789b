"""Area types as people write them: new_build (新建), existing (已建成), rural (农村), and place words.

A spelling is one of the aliases of :data:`~facility_sizing.model.vocabulary.AREA_TYPE_ALIASES`;
a place word (老城区, 老旧小区) means existing only where the jurisdiction's document uses it, which
is checked once the rows' plan is known (:func:`facility_sizing.engine.batch.check_old_town`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import AreaTypeError
from ..model.vocabulary import (
    AREA_TYPE_ALIASES,
    PLACE_AREA_PREFIX,
    UNUSED_AREA_WORDS,
    canonical_area_type,
    place_word,
)
from .inputs import RowErrors, factorize

__all__ = ["area_type_codes", "area_type_error", "old_town_error"]


def area_type_error(value: object) -> AreaTypeError:
    """The error for an area type that is not one of the known spellings."""
    unused = next((w for w in UNUSED_AREA_WORDS if isinstance(value, str) and w in value), None)
    if unused is not None:
        return AreaTypeError(
            "area_type",
            value,
            f"area_type（居住区类型）“{unused}”不是本库任何规则文件使用的区域类型，不能由此推断；"
            "请按项目实际写明：新建（new_build）、已建成（existing）或农村（rural）",
            f"area_type {unused!r} (urban village) is not an area type any of the library's documents uses, so "
            "none is inferred from it; give the project's own: new_build, existing or rural",
        )
    spellings = sorted(set(AREA_TYPE_ALIASES) - {"new", "built"})
    return AreaTypeError(
        "area_type",
        value,
        f"area_type（居住区类型）无法识别，收到 {value!r}；可用 new_build/新建、existing/已建成、rural/农村",
        f"unknown area_type {value!r}; use new_build (新建), existing (已建成) or rural (农村); accepted spellings: "
        + ", ".join(spellings),
    )


def old_town_error(value: object, place: str, area_term: str, documents: str) -> AreaTypeError:
    """The error for a place word (老城区, 老旧小区) where the jurisdiction's documents do not use it."""
    word = place_word(value) or str(value)
    return AreaTypeError(
        "area_type",
        value,
        f"{place}适用的文件（{documents}）在已建成居住区的用语和指标条款中未使用“{word}”一词，其已建成居住区的用语为“{area_term}”；"
        f"{word}内的项目不能由此推断类型，请按项目实际写明 area_type：新建（new_build）或已建成（existing）",
        f"the documents that apply in {place} ({documents}) do not use the word {word} in their term or figure "
        f"clauses for existing areas, which they call “{area_term}”. A project there may be a new build: give "
        "area_type as new_build or existing",
    )


def area_type_codes(values: np.ndarray | pd.Series) -> tuple[np.ndarray, list[str], RowErrors]:
    """Factorise area types into canonical names, with per-row errors.

    A spelling with a place word (老城区, 老旧小区) gets its own name, ``existing+<word>``: it means existing only where the
    document uses the word (see :func:`old_town_error`).
    """
    codes, uniques = factorize(values)
    names: list[str] = []
    mapping = np.full(len(uniques) + 1, -1, dtype=np.int64)
    errors = RowErrors(len(values))
    for j, u in enumerate(uniques):
        canon = canonical_area_type(u)
        if canon is None:
            errors.assign(codes == j, area_type_error(u))
            continue
        word = place_word(u) if canon == "existing" else None
        if word is not None:
            canon = PLACE_AREA_PREFIX + word  # existing only where the document uses the word (checked once resolved)
        if canon not in names:
            names.append(canon)
        mapping[j] = names.index(canon)
    out = np.take(mapping.astype(np.int8), codes)  # code -1 (missing) takes the last slot, -1
    errors.record(codes < 0, lambda _i: area_type_error(None))
    return out, names, errors
