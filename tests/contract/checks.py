"""Schemathesis checks of this service's own contract, loaded by ``schemathesis run`` (SCHEMATHESIS_HOOKS).

Schemathesis's ``positive_data_acceptance`` expects every request the schema admits to succeed.
The library judges what no schema can say (an input the jurisdiction's rules need, households and
population that contradict, a file's content), so a request the schema admits may be refused
with 422 for that, and only for that: its error key must be one of
:data:`facility_sizing.service.schemas.CONTENT_KEYS` (or a file-content domain). A refusal by the
service's request reader (an unknown, missing or badly typed field) or by a bound the schema
states is a contract the schema does not keep, and fails here.
"""

from __future__ import annotations

from typing import Any

import schemathesis

from facility_sizing.service.schemas import CONTENT_KEYS, CONTENT_PREFIXES


@schemathesis.check
def refused_only_for_content(_ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-valid request answers 2xx, 404/409 (no such place, no rule that day), 413 — or 422 for content."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code not in (400, 422):
        return None
    try:
        key = response.json()["error"]["key"]
    except (ValueError, KeyError, TypeError):
        key = f"<not the error shape: {response.text[:60]!r}>"
    if key in CONTENT_KEYS or key.startswith(CONTENT_PREFIXES):
        return None
    if key == "inputs.bad_number" and isinstance(response.json()["error"]["value"], str):
        return None  # a typed number's size: the pattern states its form only (no regex bounds "1,200" by 20)
    raise AssertionError(
        f"schema-valid request refused with {response.status_code} {key}: a bound the schema could state"
    )
