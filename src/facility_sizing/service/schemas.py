"""The request schemas of ``/openapi.json`` with the library's own bounds: what a generated client can trust.

The library checks every input itself (and words the error); this module states the same
checks in the specification, so that they are not found in code only: the allowed values of
``area_type``, ``trust``, ``subject`` and ``project``; the ranges of the numbers (households
0–10,000,000, persons per household 1–20, ``year`` 1949–2100, an inventory's figures and
shares); the written forms of a number or a date; a duty's measures and kindergarten fields by
``subject``; the fields of a design and of an inventory; the file types of a batch and of a
rule check, by name or by the part's media type.

What no schema can say is still the library's to judge, and a request the schema admits may be
refused with 422 for it: an input the jurisdiction's rules need that was not given
(``inputs.missing``), households and population that contradict each other, a typed number or
date that cannot be read without guessing (``1.200``, ``2025/2/30``), a file's content.
:data:`CONTENT_KEYS` lists those refusals; the specification's 422 says so in words.

Examples
--------
>>> NUMBER_SCHEMAS["households"]["anyOf"][0]
{'type': 'integer', 'minimum': 0, 'maximum': 10000000}
>>> "new_build" in AREA_TYPE_SCHEMA["enum"] and "新建" in AREA_TYPE_SCHEMA["enum"]
True
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..district.inventory import MAX_INVENTORY_VALUE
from ..engine.core import MAX_HOUSEHOLDS, MAX_PERSONS_PER_HOUSEHOLD, MAX_POPULATION
from ..model.typed import UNITS
from ..model.vocabulary import AREA_TYPE_ALIASES, KINDERGARTEN_PROJECTS, SUBJECTS
from ..ruledata import RuleBook

__all__ = [
    "AREA_TYPE_SCHEMA",
    "BATCH_MEDIA",
    "CONTENT_KEYS",
    "DATE_PATTERN",
    "DOCUMENT_MEDIA",
    "NUMBER_SCHEMAS",
    "tighten",
    "typed_name",
]

#: A date as the library reads it: 2025-06-01 (a time may follow), 2025/6/1, 2025.6.1, 2025年6月1日, 20250601.
DATE_PATTERN = (
    r"^\s*(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[T ][0-9:.+\-Z]*)?|[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}"
    r"|[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}|[0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*[日号]?|[0-9]{8})\s*$"
)
_DATE = {"type": "string", "pattern": DATE_PATTERN, "examples": ["2025-01-01", "2025年1月1日"]}


def _typed_number(field: str) -> dict[str, Any]:
    """A number as a person types it (1,200 · １２００ · 1200户 · 1.2万), or blank (not given)."""
    units = "|".join(re.escape(u) for u in UNITS.get(field, ()))
    unit = f"(?:{units})?" if units else ""
    digits = r"[0-9０-９]"
    figure = rf"\+?{digits}(?:{digits}|[,，])*(?:[.．]{digits}+)?\s*万?\s*{unit}"
    example = {"households": "1,200户", "population": "3,240人", "persons_per_household": "2.7"}.get(field, "1,200")
    return {"type": "string", "maxLength": 40, "pattern": rf"^\s*(?:{figure}\s*)?$", "examples": [example]}


def _number(field: str, kind: str, minimum: int, maximum: int) -> dict[str, Any]:
    return {"anyOf": [{"type": kind, "minimum": minimum, "maximum": maximum}, _typed_number(field), {"type": "null"}]}


#: The project's numbers: whole households, the population, persons per household (a household has a person).
NUMBER_SCHEMAS: dict[str, dict[str, Any]] = {
    "households": _number("households", "integer", 0, MAX_HOUSEHOLDS),
    "population": _number("population", "number", 0, MAX_POPULATION),
    "persons_per_household": _number("persons_per_household", "number", 1, MAX_PERSONS_PER_HOUSEHOLD),
}

#: Every spelling of an area type the library reads (it also ignores case and spaces).
AREA_TYPE_SCHEMA: dict[str, Any] = {"type": "string", "enum": sorted(AREA_TYPE_ALIASES)}

#: A jurisdiction: a name (Chinese, pinyin, English) or a six-digit division code.
_JURISDICTION = {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 100}, {"type": "integer", "minimum": 100000, "maximum": 999999}]}  # fmt: skip

#: The files a batch may be, by suffix or by the part's media type.
BATCH_MEDIA: dict[str, str] = {
    "text/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/geo+json": ".geojson",
    "application/geopackage+sqlite3": ".gpkg",
}
#: The copies of a document a rule check reads, by suffix or by the part's media type.
DOCUMENT_MEDIA: dict[str, str] = {
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/html": ".html",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/pdf": ".pdf",
}

#: The 422 refusals a request the schema admits may still get: the library's judgement of content.
CONTENT_KEYS = frozenset(
    {
        "inputs.missing",  # an input the jurisdiction's rules need (a population for its slots)
        "inputs.contradiction",  # households and population that cannot both be true
        "inputs.unreadable",  # a typed number or date read two ways, or no day of the calendar
        "inputs.place_word_unused",  # 老城区 where the jurisdiction's documents do not use the word
        "district.part_over_whole",  # an inventory's part larger than its whole
        "review.nothing_checked",  # a design none of whose fields the jurisdiction's rules check
        "errors.rule_data",  # an uploaded rule file that does not parse
        "api.no_column",  # a batch file without the column an input needs
    }
)
#: What a 422 says in the specification: bad input, and what a schema-valid request may still be refused for.
CONTENT_422 = (
    "输入有误。符合本规范的请求仍可能因内容被拒：行政区规则所需而未给的输入、户数与人口矛盾、无法唯一读出的数字或日期、"
    "文件的内容 — bad input. A request this specification admits may still be refused for its content: an input "
    "the jurisdiction's rules need, households and population that contradict each other, a number or date that "
    "reads two ways, a file's content"
)

#: Key prefixes of refusals of an uploaded file's content (a batch's table, a rule file, a copy).
CONTENT_PREFIXES = ("io.", "tables.", "files.", "authoring.", "ruledata.", "spatial.", "crs.", "geometry.")


def typed_name(name: str, media_type: str | None, media: dict[str, str], known: tuple[str, ...]) -> str:
    """An upload's file name, with the suffix of its part's media type where the name has no known suffix.

    A client generated from the specification sends a file part with its media type and any name.

    Examples
    --------
    >>> typed_name("p.csv", None, BATCH_MEDIA, (".csv",)), typed_name("file", "text/csv; charset=utf-8", BATCH_MEDIA, (".csv",))
    ('p.csv', 'file.csv')
    """
    if Path(name).suffix.lower() in known:
        return name
    by_media = media.get((media_type or "").split(";", 1)[0].strip().lower())
    return name if by_media is None else f"{name}{by_media}"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _project(props: dict[str, Any]) -> None:
    props["jurisdiction"] = {**props["jurisdiction"], **_JURISDICTION}
    props["area_type"] = {**{k: v for k, v in props["area_type"].items() if k != "anyOf"}, **AREA_TYPE_SCHEMA}
    for name, schema in NUMBER_SCHEMAS.items():
        props[name] = {**{k: v for k, v in props[name].items() if k != "anyOf"}, **schema}
    props["on"] = {**{k: v for k, v in props["on"].items() if k != "anyOf"}, **_nullable(_DATE)}
    trust = props["trust"]
    props["trust"] = {k: v for k, v in trust.items() if k != "anyOf"} | {"enum": trust["enum"]}


def _design() -> dict[str, Any]:
    from ..model.quantities import QUANTITIES

    figures = {
        q.design_field: _nullable({"type": "integer" if q.design_whole else "number", "minimum": 0})
        for q in QUANTITIES.values()
        if q.design_field and q.design_given
    }
    floor = {"type": "integer", "not": {"const": 0}}
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            **figures,
            "floors": _nullable({"type": "array", "minItems": 1, "items": floor}),
            "fire_resistance_grade": _nullable({"type": "integer", "enum": [1, 2, 3, 4]}),
            "single_site": _nullable({"type": "boolean"}),
        },
        "description": "设计方案 — the design (fs.Design's fields)",
    }


def _plain(limit: object) -> int | float:
    number = Fraction(str(limit)) if not isinstance(limit, Fraction) else limit
    return int(number) if number.denominator == 1 else float(number)


def _inventory(book: RuleBook) -> dict[str, Any]:
    props = {
        field: _nullable(
            {"type": "number", "minimum": 0, "maximum": _plain(book.field_limits.get(field, MAX_INVENTORY_VALUE))}
        )
        | {"description": f"{zh} — {en}"}
        for field, (zh, en) in book.fields.items()
    }
    return {"type": "object", "additionalProperties": False, "properties": props,
            "description": "统计数据，字段见 fs.inventory_fields() — the district's figures"}  # fmt: skip


def _duties(props: dict[str, Any]) -> list[dict[str, Any]]:
    """The duties request's fields, and what each subject takes: its measures, kindergarten fields for kindergartens."""
    subjects = {kind: [kind, zh] for kind, (zh, _en, _uses) in SUBJECTS.items()}
    props["subject"] = {**props["subject"], "enum": [s for spellings in subjects.values() for s in spellings]}
    props["jurisdiction"] = {**props["jurisdiction"], **_JURISDICTION}
    props["on"] = _nullable(_DATE)
    projects = [*KINDERGARTEN_PROJECTS, *(label.zh for label in KINDERGARTEN_PROJECTS.values())]
    props["project"] = _nullable({"type": "string", "enum": projects})
    measures = sorted({m for _zh, _en, uses in SUBJECTS.values() for m in uses})
    for name in [*measures, "first_year_classes"]:
        props[name] = _nullable({"type": "integer", "minimum": 0, "maximum": MAX_INVENTORY_VALUE})
    rules = []
    for kind, (_zh, _en, uses) in SUBJECTS.items():
        untaken = [m for m in measures if m not in uses]
        if kind != "kindergarten":
            untaken += ["project", "public", "first_year_classes"]
        when = {"properties": {"subject": {"enum": subjects[kind]}}, "required": ["subject"]}
        rules.append({"if": when, "then": {"properties": {name: {"type": "null"} for name in untaken}}})
    return rules


#: The media types of an uploaded part, by its field name: a batch's file, a rule file, a document's copy.
_PART_MEDIA: dict[str, dict[str, str]] = {"file": BATCH_MEDIA, "rules": {"application/toml": ".toml"}, "source": DOCUMENT_MEDIA}  # fmt: skip


def _form(schema: dict[str, Any], files: list[str]) -> None:
    """A multipart body: its text fields plain strings (a form has no null), no other field, files by type."""
    schema["additionalProperties"] = False
    for name, prop in schema["properties"].items():
        if "anyOf" in prop and name not in files:
            strings = [p for p in prop["anyOf"] if p.get("type") != "null"]
            schema["properties"][name] = {**{k: v for k, v in prop.items() if k != "anyOf"}, **strings[0]}
    for name in files:
        prop = schema["properties"][name]
        part = prop.get("items", prop)
        part.pop("contentMediaType", None)
        part["format"] = "binary"
        if "items" in prop:
            prop["minItems"] = 1


def _uploads(spec: dict[str, Any]) -> None:
    """Every multipart body (a batch, a rule check, and any upload added later) as :func:`_form` says."""
    schemas = spec["components"]["schemas"]
    for operation in (op for methods in spec["paths"].values() for op in methods.values()):
        content = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
        if content is None or "$ref" not in content.get("schema", {}):
            continue
        schema = schemas[content["schema"]["$ref"].rsplit("/", 1)[-1]]
        files = [name for name in schema.get("properties", {}) if name in _PART_MEDIA]
        _form(schema, files)
        content["encoding"] = {name: {"contentType": ", ".join(_PART_MEDIA[name])} for name in files}


def tighten(spec: dict[str, Any], book: RuleBook) -> dict[str, Any]:
    """Put the library's bounds into a built specification (in place); returns it."""
    schemas = spec["components"]["schemas"]
    for name in ("ProjectRequest", "ClauseRequest", "ReviewRequest"):
        _project(schemas[name]["properties"])
    schemas["ReviewRequest"]["properties"]["design"] = _design()
    score = schemas["ScorecardRequest"]["properties"]
    score["year"] = {**score["year"], "minimum": 1949, "maximum": 2100}
    score["inventory"] = _inventory(book)
    score["jurisdiction"] = {**score["jurisdiction"], **_JURISDICTION}
    schemas["DutiesRequest"]["allOf"] = _duties(schemas["DutiesRequest"]["properties"])
    _uploads(spec)
    paths = spec["paths"]
    for operation in (op for methods in paths.values() for op in methods.values()):
        if "422" in operation.get("responses", {}):
            operation["responses"]["422"]["description"] = CONTENT_422
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            operation["responses"]["415"] = {
                "description": "请求体不是 JSON — the body is not JSON (nor JSON sent as curl -d sends it)",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorAnswer"}}},
            }
    for parameter in paths["/batch"]["post"]["parameters"]:
        if parameter["name"] == "format":
            parameter["schema"] = {"type": "string", "enum": ["json", "file"], "description": parameter["description"]}
    for parameter in paths["/rules/{jurisdiction}"]["get"]["parameters"]:
        if parameter["name"] == "jurisdiction":
            parameter["schema"] = {**parameter["schema"], "minLength": 1, "maxLength": 100}
            parameter["examples"] = {"xihu": {"value": "西湖区"}, "code": {"value": "330106"}}
        elif parameter["name"] == "on":
            parameter["schema"] = _nullable(_DATE)
        elif parameter["name"] == "area_type":
            parameter["schema"] = _nullable(AREA_TYPE_SCHEMA)
    return spec
