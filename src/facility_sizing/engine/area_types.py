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
from .masks import identity_or_take

__all__ = ["area_type_codes", "area_type_error", "area_type_name", "old_town_error"]


def area_type_error(value: object) -> AreaTypeError:
    """The error for an area type that is not one of the known spellings."""
    unused = next((w for w in UNUSED_AREA_WORDS if isinstance(value, str) and w in value), None)
    if unused is not None:
        return AreaTypeError("inputs.area_word_unused", field="area_type", value=value, word=unused)
    spellings = sorted(set(AREA_TYPE_ALIASES) - {"new", "built"})
    return AreaTypeError("inputs.area_type_unknown", field="area_type", value=value, spellings=spellings)


def old_town_error(value: object, place: str, area_term: str, documents: str) -> AreaTypeError:
    """The error for a place word (老城区, 老旧小区) where the jurisdiction's documents do not use it."""
    word = place_word(value) or str(value)
    return AreaTypeError(
        "inputs.place_word_unused",
        field="area_type",
        value=value,
        place=place,
        documents=documents,
        word=word,
        area_term=area_term,
    )


def area_type_name(value: object) -> str | None:
    """The name of one area-type spelling (``existing+<word>`` for a place word), None if it is none.

    Examples
    --------
    >>> area_type_name("新建"), area_type_name("老城区"), area_type_name("villa")
    ('new_build', 'existing+老城区', None)
    """
    canon = canonical_area_type(value)
    word = place_word(value) if canon == "existing" else None
    if word is not None:
        canon = PLACE_AREA_PREFIX + word  # existing only where the document uses the word (checked once resolved)
    return canon


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
        canon = area_type_name(u)
        if canon is None:
            errors.assign(codes == j, area_type_error(u))
            continue
        if canon not in names:
            names.append(canon)
        mapping[j] = names.index(canon)
    errors.record(codes < 0, lambda _i: area_type_error(None))
    return identity_or_take(mapping.astype(np.int8), codes), names, errors  # code -1 (missing): the last slot, -1
