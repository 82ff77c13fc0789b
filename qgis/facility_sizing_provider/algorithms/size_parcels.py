"""``facility_sizing:size_parcels``: every parcel of a layer sized — ``facility-sizing batch``."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingOutputNumber, QgsProcessingParameterVectorDestination

from .. import words
from .inputs import SizingInputs

#: The batch's totals, as the algorithm's numeric outputs (for a model to use).
TOTALS = (
    ("ROWS", "rows", "地块数 parcels"),
    ("ERRORS", "errors", "出错地块数 parcels with errors"),
    ("FLOOR_AREA_M2", "floor_area_m2", "托育设施建筑面积合计 (m²) total floor area"),
    ("OUTDOOR_AREA_M2", "outdoor_area_m2", "户外活动场地合计 (m²) total outdoor area"),
    ("SLOTS", "slots", "托位合计 total slots"),
)


class SizeParcels(SizingInputs):
    def name(self) -> str:
        return "size_parcels"

    def displayName(self) -> str:
        return "计算地块托育设施配建要求 Size parcels"

    def shortHelpString(self) -> str:
        return (
            "按地块所在行政区的规定，逐个地块计算须配建的托育设施：建筑面积、户外活动场地、托位与楼层限制，"
            "每项注明依据条款。每个输入可选图层的字段，或填写所有地块共用的值。结果图层保留原有字段，"
            "另加结果字段（别名中文在前）；出错的地块保留在结果中，其 error 字段说明原因，日志逐一列出。"
            "由 facility-sizing batch 在其自己的 Python 环境中计算。<br><br>"
            "Sizes the infant-care facility each parcel must provide under the rules of its jurisdiction — "
            "floor area, outdoor area, slots, highest floor — each with its clause. Each input is a field of "
            "the layer or one value for every parcel. The result keeps the layer's fields and adds the "
            "results (aliases Chinese first); a parcel with an error stays, its error field says why, and "
            "the log lists it. Computed by facility-sizing batch in its own Python environment."
        )

    def initAlgorithm(self, _config: Any = None) -> None:
        self.add_parcels()
        self.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", "结果图层 result layer"))
        for key, _, label in TOTALS:
            self.addOutput(QgsProcessingOutputNumber(key, label))

    def processAlgorithm(self, parameters: dict[str, Any], context: Any, feedback: Any) -> dict[str, Any]:
        feedback.setProgressText("导出图层 exporting the layer")
        path, layer = self.layer_file(parameters, "INPUT", context, feedback)
        output = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        feedback.setProgress(10)
        argv = ["batch", path, *self.options([("--layer", layer or None)]), *self.sizing_options(parameters, context)]
        answer = self.run_cli([*argv, "-o", output, "--headers", "en", "--quiet"], feedback)
        feedback.setProgress(90)
        feedback.setProgressText("字段别名与错误 aliases and errors")
        self.set_aliases(output, answer.get("headers", {}), feedback)
        summary = answer["summary"]
        if summary["errors"]:
            feedback.reportError(words.row_errors(summary["errors"], summary["rows"]), False)
            self.report_row_errors(output, self.field(parameters, "ID_FIELD", context) or _id(answer), feedback)
        feedback.pushInfo(answer["summary_line"])  # the totals line as the command line prints it
        feedback.setProgress(100)
        return {"OUTPUT": output, **{key: summary[name] for key, name, _ in TOTALS}}


def _id(answer: dict[str, Any]) -> str | None:
    """The id field the command names rows by when none is chosen (its first of 地块编号, parcel_id, id, name)."""
    columns = answer.get("headers", {})
    return next((c for c in ("地块编号", "parcel_id", "id", "name") if c in columns), None)
