"""``facility_sizing:coverage``: which homes are within reach of a facility — ``facility-sizing coverage``."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterVectorDestination,
)

from .base import POLYGONS_OR_POINTS, FacilitySizingAlgorithm, log_summary

CIRCLES = (("5 分钟 5min", "5min"), ("10 分钟 10min", "10min"), ("15 分钟 15min", "15min"))
#: The coverage's totals, as the algorithm's numeric outputs.
TOTALS = (
    ("HOUSEHOLDS", "households", "住宅户数合计 households"),
    ("HOUSEHOLDS_COVERED", "households_covered", "覆盖户数 households covered"),
    ("HOUSEHOLDS_UNCOVERED", "households_uncovered", "未覆盖户数 households not covered"),
    ("COVERED_SHARE", "covered_share", "覆盖比例 share covered (0–1)"),
    ("SLOTS_PER_1000", "slots_per_1000", "每千人托位 slots per 1,000 residents"),
    ("DISTANCE_M", "distance_m", "服务半径 (m) distance used"),
    ("ERRORS", "errors", "出错住宅数 homes with errors"),
)


class Coverage(FacilitySizingAlgorithm):
    def name(self) -> str:
        return "coverage"

    def displayName(self) -> str:
        return "服务半径覆盖与供需比 Coverage of homes by facilities"

    def shortHelpString(self) -> str:
        return (
            "计算每处住宅是否在托育机构服务半径内、至最近机构的距离、各机构服务范围的每千人托位及两步移动搜索法（2SFCA）"
            "供需比。面取形心；默认直线距离，给出道路中心线时按路网距离。服务半径可直接填写，或选生活圈（须勾选采用未核实的距离）。"
            "<br><br>Which homes are within reach of a childcare facility, the distance to the nearest one, "
            "slots per 1,000 residents of each catchment and the 2SFCA ratio. Polygons count at their "
            "centroid; distances are straight-line, or along the roads given. Give the distance, or a life "
            "circle (with the unverified opt-in)."
        )

    def initAlgorithm(self, _config: Any = None) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource("HOMES", "住宅图层 homes", types=POLYGONS_OR_POINTS))
        self.addParameter(
            QgsProcessingParameterFeatureSource("FACILITIES", "托育机构图层 facilities", types=POLYGONS_OR_POINTS)
        )
        self.add_number("DISTANCE", "服务半径 (m) service distance")
        self.add_enum("CIRCLE", "生活圈 life circle（未核实 unverified）", CIRCLES, optional=True)
        self.add(
            QgsProcessingParameterBoolean(
                "INCLUDE_UNVERIFIED", "采用未核实的生活圈距离 use unverified distances", False
            )
        )
        self.add_field("HOUSEHOLDS_FIELD", "户数字段 households field（默认 households）", "HOMES")
        self.add_field("POPULATION_FIELD", "人口字段 population field", "HOMES")
        self.add_number("PERSONS_PER_HOUSEHOLD", "户均人口 persons per household")
        self.add_field("SLOTS_FIELD", "托位字段 slots field（默认 slots）", "FACILITIES")
        self.add_field("AREA_FIELD", "汇总单元字段（如社区）area field, e.g. community", "HOMES")
        network = QgsProcessingParameterFeatureSource(
            "NETWORK", "道路中心线 road centrelines", types=[QgsProcessing.TypeVectorLine], optional=True
        )
        self.add(network, advanced=True)
        self.add_rules()
        self.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", "住宅结果图层 homes with results"))
        for key, _, label in TOTALS:
            self.addOutput(QgsProcessingOutputNumber(key, label))

    def processAlgorithm(self, parameters: dict[str, Any], context: Any, feedback: Any) -> dict[str, Any]:
        feedback.setProgressText("导出图层 exporting the layers")
        homes = self.whole_file(parameters, "HOMES", context, feedback)
        facilities = self.whole_file(parameters, "FACILITIES", context, feedback)
        network = parameters.get("NETWORK")
        roads = self.whole_file(parameters, "NETWORK", context, feedback) if network else None
        output = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        feedback.setProgress(10)
        argv = self.options(
            [
                ("--distance", self.number(parameters, "DISTANCE", context)),
                ("--circle", self.choice(parameters, "CIRCLE", CIRCLES, context)),
                (
                    "--include-unverified",
                    "" if self.parameterAsBool(parameters, "INCLUDE_UNVERIFIED", context) else None,
                ),
                ("--households", self.field(parameters, "HOUSEHOLDS_FIELD", context)),
                ("--population", self.field(parameters, "POPULATION_FIELD", context)),
                ("--persons-per-household", self.number(parameters, "PERSONS_PER_HOUSEHOLD", context)),
                ("--slots", self.field(parameters, "SLOTS_FIELD", context)),
                ("--area", self.field(parameters, "AREA_FIELD", context)),
                ("--network", roads),
            ]
        )
        argv += self.common_options(parameters, context)
        answer = self.run_cli(["coverage", homes, facilities, *argv, "-o", output, "--headers", "en"], feedback)
        summary = answer["summary"]
        feedback.setProgress(90)
        self.set_aliases(output, answer.get("headers", {}), feedback)
        if summary["errors"]:
            self.report_row_errors(output, None, feedback)
        log_summary(summary, feedback)
        feedback.setProgress(100)
        return {"OUTPUT": output, **{key: summary.get(name) for key, name, _ in TOTALS}}
