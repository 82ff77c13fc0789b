"""Parsing the district parts of rule data: targets, duties and the indicators they use."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from ..model.entities import Document, Duty, Indicator, Target
from ..model.vocabulary import COMPARATORS, KINDERGARTEN_PROJECTS, NURSERY_CLASSES, OWNERSHIP, STRENGTHS, SUBJECTS
from .common import TOPIC, condition, document_ref, new_id
from .table import Table, check_schema

__all__ = ["parse_duties", "parse_indicators", "parse_targets"]

# The keys each table may hold: a key outside its table's set is reported as unknown, with the
# closest of these suggested, before a required key is called missing.
_TARGET_KEYS = (
    "id", "document", "clause", "year", "indicator", "comparator", "value", "unit", "strength", "text",
    "summary_en", "interpretation",
)  # fmt: skip
_DUTY_KEYS = (
    "id", "document", "clause", "subject", "thresholds", "projects", "ownership", "nursery_classes", "strength",
    "text", "summary_en", "condition", "condition_en", "interpretation",
)  # fmt: skip
_INDICATOR_FILE_KEYS = ("schema", "fields", "indicators")
_FIELD_KEYS = ("id", "name", "name_en", "max_value")
_INDICATOR_KEYS = (
    "id", "name", "name_en", "unit", "field", "numerator", "denominator", "scale", "note",
    "numerator_within_denominator", "numerator_at_most_denominator",
)  # fmt: skip


def parse_targets(
    root: Table, code: str, documents: Mapping[str, Document], indicators: Mapping[str, Indicator], seen: set[str]
) -> list[Target]:
    targets: list[Target] = []
    for t in root.opt_array("targets", _TARGET_KEYS):
        tid = new_id(t, seen)
        doc = document_ref(t, documents)
        year = t.raw("year", False)
        if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 2100):
            raise t.error("year", "ruledata.bad_year", value=year)
        if year is not None and year < doc.effective_from.year:
            raise t.error(
                "year", "ruledata.year_before_document", value=year, effective_from=doc.effective_from.isoformat()
            )
        indicator = t.text("indicator")
        if indicator not in indicators:
            close = difflib.get_close_matches(indicator or "", list(indicators), n=3)
            if close:
                raise t.error("indicator", "ruledata.unknown_indicator_close", value=indicator, close=close)
            raise t.error("indicator", "ruledata.unknown_indicator", value=indicator)
        comparator = t.choice("comparator", COMPARATORS)
        value = value_text = unit = None
        if comparator != "qualitative":
            value, value_text = t.number("value", allow_zero=True)
            unit = t.text("unit")
            expected = indicators[indicator].unit
            if unit != expected:
                raise t.error("unit", "ruledata.indicator_unit", indicator=indicator, expected=expected, value=unit)
        targets.append(
            Target(
                id=tid,
                jurisdiction=code,
                document=doc,
                clause=t.text("clause"),
                year=year,
                indicator=indicator,
                comparator=comparator,
                value=value,
                value_text=value_text,
                unit=unit,
                strength=t.choice("strength", STRENGTHS),
                text=t.text("text"),
                summary_en=t.text("summary_en"),
                interpretation=t.opt_text("interpretation"),
            )
        )
        t.finish()
    return targets


def parse_duties(root: Table, code: str, documents: Mapping[str, Document], seen: set[str]) -> list[Duty]:
    duties: list[Duty] = []
    for d in root.opt_array("duties", _DUTY_KEYS):
        did = new_id(d, seen)
        doc = document_ref(d, documents)
        subject = d.choice("subject", SUBJECTS)
        measures = SUBJECTS[subject][2]
        thresholds: list[tuple[str, Fraction, str]] = []
        if "thresholds" in d.data:
            tt = d.table("thresholds")
            for measure in list(tt.data):
                if measure not in measures:
                    if not measures:
                        raise tt.error(measure, "ruledata.no_measures", subject=subject)
                    raise tt.error(measure, "ruledata.not_a_measure", subject=subject, allowed=measures)
                value, text = tt.number(measure)
                thresholds.append((measure, value, text))
            tt.finish()
            if not thresholds:
                raise d.error("thresholds", "ruledata.empty_thresholds", subject=subject)
        projects = d.str_list("projects", required=False)
        for project in projects:
            if project not in KINDERGARTEN_PROJECTS:
                raise d.error(
                    "projects", "ruledata.unknown_project", value=project, options=tuple(KINDERGARTEN_PROJECTS)
                )
        if projects and subject != "kindergarten":
            raise d.error("projects", "ruledata.projects_kindergarten_only")
        ownership = d.opt_choice("ownership", OWNERSHIP)
        if ownership is not None and subject != "kindergarten":
            raise d.error("ownership", "ruledata.ownership_kindergarten_only")
        nursery = d.opt_choice("nursery_classes", NURSERY_CLASSES)
        if nursery is not None and subject != "kindergarten":
            raise d.error("nursery_classes", "ruledata.nursery_kindergarten_only")
        duties.append(
            Duty(
                id=did,
                jurisdiction=code,
                document=doc,
                clause=d.text("clause"),
                subject=subject,
                thresholds=tuple(thresholds),
                projects=projects,
                nursery_classes=nursery,
                strength=d.choice("strength", STRENGTHS),
                text=d.text("text"),
                summary_en=d.text("summary_en"),
                condition=condition(d),
                condition_en=d.opt_text("condition_en", required="condition" in d.data),
                interpretation=d.opt_text("interpretation"),
                ownership=ownership,
            )
        )
        d.finish()
    return duties


def parse_indicators(
    path: str, data: dict[str, Any], known: Mapping[str, tuple[str, str]]
) -> tuple[dict[str, tuple[str, str]], dict[str, Fraction], dict[str, Indicator]]:
    root = Table(path, "", data, _INDICATOR_FILE_KEYS)
    check_schema(root)
    fields: dict[str, tuple[str, str]] = {}
    limits: dict[str, Fraction] = {}
    for f in root.opt_array("fields", _FIELD_KEYS):
        fid = f.text("id")
        if not TOPIC.match(fid or "") or fid in fields:
            raise f.error("id", "ruledata.bad_name_id", value=fid)
        fields[fid] = (f.text("name"), f.text("name_en"))
        if "max_value" in f.data:
            limits[fid] = f.number("max_value")[0]
        f.finish()
    indicators: dict[str, Indicator] = {}
    for t in root.array("indicators", _INDICATOR_KEYS):
        iid = t.text("id")
        if not TOPIC.match(iid or "") or iid in indicators:
            raise t.error("id", "ruledata.bad_name_id", value=iid)
        field = t.opt_text("field")
        numerator = t.opt_text("numerator", required=field is None)
        denominator = t.opt_text("denominator", required=field is None)
        if field is not None and (numerator or denominator):
            raise t.error("field", "ruledata.field_or_ratio")
        for key, ref in (("field", field), ("numerator", numerator), ("denominator", denominator)):
            if ref is not None and ref not in fields and ref not in known:
                raise t.error(key, "ruledata.unknown_inventory_field", value=ref)
        scale = t.number("scale")[0] if "scale" in t.data else Fraction(1)
        flags = {}
        for key in ("numerator_within_denominator", "numerator_at_most_denominator"):
            flag = t.raw(key, False)
            flag = False if flag is None else flag
            if not isinstance(flag, bool) or (flag and field is not None):
                raise t.error(key, "ruledata.ratio_flag", value=flag)
            flags[key] = flag
        nested = flags["numerator_within_denominator"]
        indicators[iid] = Indicator(
            id=iid,
            name=t.text("name"),
            name_en=t.text("name_en"),
            unit=t.text("unit"),
            field=field,
            numerator=numerator,
            denominator=denominator,
            scale=scale,
            note=t.opt_text("note"),
            nested=nested,
            at_most=nested or flags["numerator_at_most_denominator"],
        )
        t.finish()
    root.finish()
    return fields, limits, indicators
