"""``facility_sizing:site``: where new facilities should go, among the candidates the rules admit —
``facility-sizing site``."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterVectorDestination,
)

from .base import LOGGED_ROW_ERRORS, POLYGONS_OR_POINTS, FacilitySizingAlgorithm, log_summary
from .inputs import AREA_TYPES

MODELS = (("k 处最大覆盖 MCLP", "mclp"), ("最少设施全覆盖 LSCP", "lscp"), ("加权距离最小 p-median", "p_median"))
UNITS = (("托位 slots", "slots"), ("户数 households", "households"), ("人口 population", "population"))
UNKNOWN = (("保留 keep", "keep"), ("排除 reject", "reject"))
TOTALS = (
    ("NEW_SITES", "new_sites", "新设施数 new sites"),
    ("COVERED_SHARE_BEFORE", "covered_share_before", "覆盖比例（前）share covered before"),
    ("COVERED_SHARE_AFTER", "covered_share_after", "覆盖比例（后）share covered after"),
    ("SHORTFALL_AFTER", "shortfall_after", "剩余缺口 remaining shortfall"),
)


class Site(FacilitySizingAlgorithm):
    def name(self) -> str:
        return "site"

    def displayName(self) -> str:
        return "托育设施选址 Site new facilities"

    def shortHelpString(self) -> str:
        return (
            "在符合规则的候选地块中为缺口选址：k 处最大覆盖（MCLP）、最少设施全覆盖（LSCP）或加权距离最小（p-中位），"
            "可带托位容量约束，HiGHS 求解。给出行政区时按其规则核对候选地块（楼层、耐火等级、面积等字段同 fs.Design），"
            "排除的地块及原因列于日志。求解未证明最优时算法仍输出结果并在日志中说明。<br><br>"
            "Sites the shortfall among the candidates the rules admit (MCLP, LSCP or p-median, optionally "
            "capacitated), solved by HiGHS; with a jurisdiction, candidates are checked against its rules "
            "and those excluded are listed in the log with why."
        )

    def initAlgorithm(self, _config: Any = None) -> None:
        for key, label in (("DEMAND", "需求点 demand"), ("CANDIDATES", "候选地块 candidate sites")):
            self.addParameter(QgsProcessingParameterFeatureSource(key, label, types=POLYGONS_OR_POINTS))
        self.add(
            QgsProcessingParameterFeatureSource(
                "EXISTING", "已有机构 existing facilities", POLYGONS_OR_POINTS, None, True
            )
        )
        distance = QgsProcessingParameterNumber(
            "DISTANCE", "服务半径 (m) service distance", QgsProcessingParameterNumber.Double
        )
        self.addParameter(distance)
        self.add_enum("MODEL", "模型 model", MODELS, default=0)
        self.add_number("K", "新设施数（MCLP、p-中位）new sites to open", integer=True)
        self.add_field("WEIGHT_FIELD", "需求权重字段 demand weight field（默认 slots）", "DEMAND")
        self.add_enum("UNIT", "权重单位 unit of the weight", UNITS, default=0)
        self.add_switch("CAPACITATED", "按托位容量约束 respect each facility's slots")
        self.add_field("SLOTS_FIELD", "托位字段（已有机构同名）slots field（默认 slots）", "CANDIDATES")
        self.add_text("JURISDICTION", "行政区（按其规则核对候选地块）jurisdiction whose rules apply")
        self.add_enum("AREA_TYPE", "居住区类型（默认已建成）area type (default existing)", AREA_TYPES, optional=True)
        self.add_date("ON", "适用规则的日期（默认今天）date whose rules apply (default today)")
        self.add_switch("INCLUDE_REPORTED", "采用仅见于报道的文件（标注为据报道）use documents known by report only")
        self.add_enum("UNKNOWN", "无法核对的地块 candidates whose facts are unknown", UNKNOWN, default=0, advanced=True)
        self.add_number("PERSONS_PER_HOUSEHOLD", "户均人口 persons per household", advanced=True)
        self.add_number("TIME_LIMIT", "求解时限（秒，默认 600）solver time limit, s", advanced=True)
        self.add_rules()
        self.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", "选定地块 chosen sites"))
        for key, _, label in TOTALS:
            self.addOutput(QgsProcessingOutputNumber(key, label))
        self.addOutput(QgsProcessingOutputString("STATUS", "求解状态 solver status"))

    def site_options(self, parameters: dict[str, Any], context: Any, feedback: Any) -> list[str]:
        existing = self.whole_file(parameters, "EXISTING", context, feedback) if parameters.get("EXISTING") else None
        return self.options(
            [
                ("--existing", existing),
                ("--distance", self.number(parameters, "DISTANCE", context)),
                ("--model", self.choice(parameters, "MODEL", MODELS, context)),
                ("--k", self.number(parameters, "K", context)),
                ("--weight", self.field(parameters, "WEIGHT_FIELD", context)),
                ("--unit", self.choice(parameters, "UNIT", UNITS, context)),
                ("--capacitated", "" if self.parameterAsBool(parameters, "CAPACITATED", context) else None),
                ("--slots", self.field(parameters, "SLOTS_FIELD", context)),
                ("--jurisdiction", self.text(parameters, "JURISDICTION", context)),
                ("--area-type", self.choice(parameters, "AREA_TYPE", AREA_TYPES, context)),
                ("--on", self.date(parameters, "ON", context)),
                ("--include-reported", "" if self.parameterAsBool(parameters, "INCLUDE_REPORTED", context) else None),
                ("--unknown", self.choice(parameters, "UNKNOWN", UNKNOWN, context)),
                ("--persons-per-household", self.number(parameters, "PERSONS_PER_HOUSEHOLD", context)),
                ("--time-limit", self.number(parameters, "TIME_LIMIT", context)),
            ]
        ) + self.common_options(parameters, context)

    def processAlgorithm(self, parameters: dict[str, Any], context: Any, feedback: Any) -> dict[str, Any]:
        feedback.setProgressText("导出图层 exporting the layers")
        demand = self.whole_file(parameters, "DEMAND", context, feedback)
        candidates = self.whole_file(parameters, "CANDIDATES", context, feedback)
        output = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        argv = ["site", demand, candidates, *self.site_options(parameters, context, feedback)]
        feedback.setProgress(10)
        answer = self.run_cli([*argv, "-o", output, "--headers", "en"], feedback)
        summary = answer["summary"]
        feedback.setProgress(90)
        self.set_aliases(output, answer.get("headers", {}), feedback)
        for n, row in enumerate(answer.get("rejected", []), start=1):
            if n <= LOGGED_ROW_ERRORS:
                feedback.pushWarning(f"{row.get('candidate')}：{row.get('reason')}")
        log_summary(summary, feedback)
        if summary.get("status") != "optimal":
            feedback.reportError(f"{summary.get('status')}：{summary.get('solver_message')}", False)
        feedback.setProgress(100)
        return {"OUTPUT": output, "STATUS": summary.get("status"), **{k: summary.get(n) for k, n, _ in TOTALS}}
