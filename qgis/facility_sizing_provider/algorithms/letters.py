"""``facility_sizing:letters``: a Word condition letter for each parcel — ``facility-sizing batch --letters``.

Only the selected parcels when the dialog's "selected features only" is ticked (QGIS hands the
command a copy of just those).
"""

from __future__ import annotations

import os
from typing import Any

from qgis.core import (
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingUtils,
)

from .base import LOGGED_ROW_ERRORS
from .inputs import SizingInputs

LANGUAGES = (("中文 zh", "zh"), ("English en", "en"))
#: The index of the letters, as the command names it (facility_sizing/cli/letters_index.py).
INDEX_FILE = "条件书索引.xlsx"


class Letters(SizingInputs):
    def name(self) -> str:
        return "letters"

    def displayName(self) -> str:
        return "生成出让条件书 Condition letters"

    def shortHelpString(self) -> str:
        return (
            "为每个地块（勾选“仅选中要素”时为选中的地块）生成一份 Word 出让条件书，按编号字段命名，写入所选文件夹，"
            "并附索引 条件书索引.xlsx；计算出错的地块不生成条件书，列于 未生成.txt 和日志中。文号、主送、落款、"
            "成文日期为所有地块共用的值；项目名称与地块坐落取所选字段。<br><br>"
            "Writes one Word condition letter per parcel (the selected ones, with 'selected features only'), "
            "named by the id field, into the chosen folder with an index 条件书索引.xlsx; a parcel whose "
            "sizing fails gets none and is listed in 未生成.txt and the log."
        )

    def initAlgorithm(self, _config: Any = None) -> None:
        self.add_parcels()
        self.add_field("PROJECT_NAME_FIELD", "项目名称字段 project name field", "INPUT")
        self.add_field("ADDRESS_FIELD", "地块坐落字段 address field", "INPUT")
        self.add_text("DOC_NUMBER", "文号 document number")
        self.add_text("ADDRESSEE", "主送机关 addressee")
        self.add_text("ISSUER", "发文机关（落款）issuing authority")
        self.add_date("LETTER_DATE", "成文日期 date signed")
        template = QgsProcessingParameterFile(
            "TEMPLATE", "本单位模板 (.docx) bureau's template", fileFilter="Word (*.docx *.dotx)", optional=True
        )
        self.add(template, advanced=True)
        self.add(QgsProcessingParameterEnum("LANG", "语言 language", [c[0] for c in LANGUAGES], defaultValue=0))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", "条件书文件夹 folder of letters"))
        self.addOutput(QgsProcessingOutputNumber("WRITTEN", "已生成 letters written"))
        self.addOutput(QgsProcessingOutputNumber("SKIPPED", "未生成 parcels without a letter"))
        self.addOutput(QgsProcessingOutputFile("INDEX", "索引 index (条件书索引.xlsx)"))

    def letter_options(self, parameters: dict[str, Any], context: Any) -> list[str]:
        lang = LANGUAGES[self.parameterAsEnum(parameters, "LANG", context)][1]
        return self.options(
            [
                ("--project-name", self.field(parameters, "PROJECT_NAME_FIELD", context)),
                ("--address", self.field(parameters, "ADDRESS_FIELD", context)),
                ("--doc-number", self.text(parameters, "DOC_NUMBER", context)),
                ("--addressee", self.text(parameters, "ADDRESSEE", context)),
                ("--issuer", self.text(parameters, "ISSUER", context)),
                ("--letter-date", self.date(parameters, "LETTER_DATE", context)),
                ("--template", self.text(parameters, "TEMPLATE", context)),
                ("--lang", lang),
            ]
        )

    def processAlgorithm(self, parameters: dict[str, Any], context: Any, feedback: Any) -> dict[str, Any]:
        feedback.setProgressText("导出图层 exporting the layer")
        path, layer = self.layer_file(parameters, "INPUT", context, feedback)
        folder = self.parameterAsFileOutput(parameters, "OUTPUT_FOLDER", context)
        os.makedirs(os.path.dirname(os.path.abspath(folder)), exist_ok=True)
        sized = QgsProcessingUtils.generateTempFilename("sized.gpkg")  # keeps stdout small
        feedback.setProgress(10)
        argv = ["batch", path, *self.options([("--layer", layer or None)]), *self.sizing_options(parameters, context)]
        argv += [*self.letter_options(parameters, context), "--letters", folder, "-o", sized]
        report = self.run_cli(argv, feedback)["letters"]
        for n, skipped in enumerate(report["skipped"], start=1):
            if n <= LOGGED_ROW_ERRORS:
                feedback.reportError(f"{skipped['id']}：{skipped['error']}", False)
        feedback.pushInfo(
            f"已生成条件书 Letters: {len(report['written']):,} 份 written to {folder}"
            f"（索引 index: {INDEX_FILE}；未生成 no letter: {len(report['skipped']):,}）"
        )
        feedback.setProgress(100)
        return {
            "OUTPUT_FOLDER": folder,
            "WRITTEN": len(report["written"]),
            "SKIPPED": len(report["skipped"]),
            "INDEX": os.path.join(folder, report.get("index", INDEX_FILE)),
        }
