"""The inputs of sizing a parcel layer, as ``facility-sizing batch`` takes them: each one a field of
the layer, or one value for every parcel. Shared by the sizing and the letters algorithms."""

from __future__ import annotations

from typing import Any, NamedTuple

from qgis.core import QgsProcessingException, QgsProcessingParameterFeatureSource

from .base import POLYGONS_OR_POINTS, FacilitySizingAlgorithm

#: The area types the rules know, as the dialog lists them (the command takes the English word).
AREA_TYPES = (("新建 new_build", "new_build"), ("已建成 existing", "existing"), ("农村 rural", "rural"))
TRUSTS = (("户数 households", "households"), ("人口 population", "population"), ("两者 both", "both"))


class Input(NamedTuple):
    """One input of ``batch``: its flag, its words, the kind of its one-value parameter, and whether it is advanced."""

    key: str
    flag: str
    zh: str
    en: str
    value: str  # "text", "number", "date", "area_type", "trust" or "" (a field only)
    advanced: bool = False


INPUTS = (
    Input("JURISDICTION", "--jurisdiction", "行政区", "jurisdiction", "text"),
    Input("AREA_TYPE", "--area-type", "居住区类型", "area type", "area_type"),
    Input("HOUSEHOLDS", "--households", "户数", "households", ""),
    Input("POPULATION", "--population", "常住人口", "population", ""),
    Input("PERSONS_PER_HOUSEHOLD", "--persons-per-household", "户均人口", "persons per household", "number"),
    Input("ON", "--on", "适用规则的日期（默认今天）", "date whose rules apply (default today)", "date"),
    Input("TRUST", "--trust", "户数与人口矛盾时以何为准", "which to trust when they contradict", "trust", True),
    Input("FAR", "--far", "容积率（估算户数）", "floor-area ratio (to estimate households)", "number", True),
    Input("RESIDENTIAL_SHARE", "--residential-share", "住宅建筑面积占比", "residential share", "number", True),
    Input("UNIT_AREA_M2", "--unit-area-m2", "套均建筑面积 m²", "average unit floor area m²", "number", True),
    # residential areas (issue 29): the parcels of one 居住区 are sized together, the facility placed on a host
    Input(
        "AREA",
        "--area",
        "居住区编号（同一居住区的地块合并计算）",
        "residential area id (its parcels sized together)",
        "",
        True,
    ),
    Input("HOST", "--host", "承建地块标记（是/否）", "host parcel mark (true/false)", "", True),
)


def both_given(zh: str, en: str) -> str:
    return f"{zh}：请只选择字段或填写数值之一 — {en}: choose a field or give a value, not both"


class SizingInputs(FacilitySizingAlgorithm):
    """An algorithm whose parameters are a parcel layer and the inputs of sizing it."""

    def add_parcels(self) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource("INPUT", "地块图层 parcel layer", types=POLYGONS_OR_POINTS)
        )
        self.add_field("ID_FIELD", "编号字段 id field（默认 地块编号/parcel_id/id/name）", "INPUT")
        for item in INPUTS:
            self.add_field(f"{item.key}_FIELD", f"{item.zh}：字段 {item.en}: field", "INPUT", item.advanced)
            if item.value:
                self.add_value(item)
        self.add_switch(
            "INCLUDE_DRAFTS",
            "采用征求意见稿（结果标注为草案；不勾选时，图层若有 include_drafts 字段，仍按该字段逐行选用）"
            "use consultation drafts (marked draft; unticked, a layer's include_drafts field still opts its rows in)",
        )
        self.add_switch("INCLUDE_REPORTED", "采用仅见于报道的文件（标注为据报道）use documents known by report only")
        self.add_switch("REPAIR", "修复无效几何 repair invalid polygons", advanced=True)
        self.add_rules()

    def add_value(self, item: Input) -> None:
        label = f"{item.zh}：所有地块同一值 {item.en}: one value for every parcel"
        if item.value == "text":
            self.add_text(item.key, label, item.advanced)
        elif item.value == "number":
            self.add_number(item.key, label, item.advanced)
        elif item.value == "date":
            self.add_date(item.key, label, item.advanced)
        else:
            self.add_enum(
                item.key, label, AREA_TYPES if item.value == "area_type" else TRUSTS, None, True, item.advanced
            )

    def value(self, item: Input, parameters: dict[str, Any], context: Any) -> str | None:
        if item.value in ("text", ""):
            return self.text(parameters, item.key, context) if item.value else None
        if item.value == "number":
            return self.number(parameters, item.key, context)
        if item.value == "date":
            return self.date(parameters, item.key, context)
        return self.choice(parameters, item.key, AREA_TYPES if item.value == "area_type" else TRUSTS, context)

    def sizing_options(self, parameters: dict[str, Any], context: Any) -> list[str]:
        """``--jurisdiction 区县 --households 户数 …`` from the fields chosen and the values given."""
        pairs: list[tuple[str, str | None]] = []
        for item in INPUTS:
            field = self.field(parameters, f"{item.key}_FIELD", context)
            value = self.value(item, parameters, context)
            if field is not None and value is not None:
                raise QgsProcessingException(both_given(item.zh, item.en))
            pairs.append((item.flag, field if field is not None else value))
        for key, flag in (("INCLUDE_DRAFTS", "--include-drafts"), ("INCLUDE_REPORTED", "--include-reported")):
            pairs.append((flag, "" if self.parameterAsBool(parameters, key, context) else None))
        pairs.append(("--repair", "" if self.parameterAsBool(parameters, "REPAIR", context) else None))
        pairs.append(("--id", self.field(parameters, "ID_FIELD", context)))
        return self.options(pairs) + self.common_options(parameters, context)
