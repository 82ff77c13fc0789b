"""What the plugin's algorithms share: finding and running the command line, the layers handed to it,
the field and value parameters that mirror its options, and the result layer's aliases and errors."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime

from .. import runner, words

#: The provider setting that names the command (Processing → Options → Providers).
CLI_SETTING = runner.CLI_ENV

#: How many row errors the log lists one by one; the rest are counted (each is in the layer's error field).
LOGGED_ROW_ERRORS = 50

POLYGONS_OR_POINTS = [QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVectorPoint]


def gpkg_tables(path: str) -> list[str]:
    """The tables a GeoPackage lists (its layers, and any other table such as QGIS's ``layer_styles``)."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        return [row[0] for row in db.execute("SELECT table_name FROM gpkg_contents")]


def configured_cli() -> str | None:
    """The path set in Processing's options, if any (the Processing plugin may be absent)."""
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
    except ImportError:
        return None
    value = str(ProcessingConfig.getSetting(CLI_SETTING) or "").strip()
    return value or None


class FacilitySizingAlgorithm(QgsProcessingAlgorithm):
    """An algorithm that runs one ``facility-sizing`` command on GeoPackage copies of its layers."""

    group_zh_en = ("托育设施配建", "Facility sizing")

    def createInstance(self) -> FacilitySizingAlgorithm:
        return type(self)()

    def group(self) -> str:
        return " ".join(self.group_zh_en)

    def groupId(self) -> str:
        return "facility_sizing"

    def helpUrl(self) -> str:
        return ""

    # ---------------------------------------------------------------------------------
    # Parameters

    def add(self, parameter: QgsProcessingParameterDefinition, advanced: bool = False) -> None:
        if advanced:
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(parameter)

    def add_field(self, name: str, label: str, parent: str, advanced: bool = False, default: Any = None) -> None:
        """An optional field of the layer ``parent``: the column the command reads for that input."""
        self.add(
            QgsProcessingParameterField(
                name, label, defaultValue=default, parentLayerParameterName=parent, optional=True
            ),
            advanced,
        )

    def add_number(self, name: str, label: str, advanced: bool = False, integer: bool = False) -> None:
        kind = QgsProcessingParameterNumber.Integer if integer else QgsProcessingParameterNumber.Double
        self.add(QgsProcessingParameterNumber(name, label, type=kind, optional=True), advanced)

    def add_enum(
        self,
        key: str,
        label: str,
        choices: Any,
        default: int | None = None,
        optional: bool = False,
        advanced: bool = False,
    ) -> None:
        """A choice among ``(label, value)`` pairs; the dialog shows the labels, the command gets the value."""
        labels = [c[0] for c in choices]
        self.add(QgsProcessingParameterEnum(key, label, labels, False, default, optional), advanced)

    def choice(self, parameters: dict[str, Any], key: str, choices: Any, context: Any) -> str | None:
        """The value of the chosen ``(label, value)``, or None when the optional choice is left empty."""
        if parameters.get(key) in (None, "") and self.parameterDefinition(key).defaultValue() is None:
            return None
        return choices[self.parameterAsEnum(parameters, key, context)][1]

    def add_text(self, name: str, label: str, advanced: bool = False) -> None:
        self.add(QgsProcessingParameterString(name, label, optional=True), advanced)

    def add_date(self, name: str, label: str, advanced: bool = False) -> None:
        """A date as people type it (2025-06-01, 2025/6/1, 2025年6月1日), read by the command's own date
        parser: a text parameter, since QGIS's date parameter refuses all but its own form. An ambiguous
        date (6/1/2025) is refused by the command, in its words."""
        self.add_text(name, f"{label}（如 2025-06-01、2025/6/1、2025年6月1日 e.g.）", advanced)

    def add_switch(self, name: str, label: str, advanced: bool = False) -> None:
        self.add(QgsProcessingParameterBoolean(name, label, defaultValue=False), advanced)

    def add_rules(self) -> None:
        """Extra rule files, as ``--rules`` (a bureau's own rules or a revision)."""
        self.add(
            QgsProcessingParameterFile(
                "RULES",
                "另加规则文件 (.toml) extra rule file",
                behavior=QgsProcessingParameterFile.File,
                fileFilter="TOML (*.toml)",
                optional=True,
            ),
            advanced=True,
        )

    # ---------------------------------------------------------------------------------
    # Parameter values as command-line options

    def field(self, parameters: dict[str, Any], name: str, context: Any) -> str | None:
        chosen = self.parameterAsFields(parameters, name, context)
        return chosen[0] if chosen else None

    def text(self, parameters: dict[str, Any], name: str, context: Any) -> str | None:
        value = self.parameterAsString(parameters, name, context) if parameters.get(name) is not None else ""
        return value.strip() or None

    def number(self, parameters: dict[str, Any], name: str, context: Any) -> str | None:
        """A number as the command reads it; an empty parameter is no option at all (never 0)."""
        if parameters.get(name) is None or parameters.get(name) == "":
            return None
        value = self.parameterAsDouble(parameters, name, context)
        return str(int(value)) if float(value).is_integer() else repr(value)

    def date(self, parameters: dict[str, Any], name: str, context: Any) -> str | None:
        """The date as typed, for the command to read (``--on 2025年6月1日``); a QDate or QDateTime
        given by a model or a script as its ISO day."""
        value = parameters.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, QDateTime):
            value = value.date()
        if isinstance(value, QDate):
            return value.toString("yyyy-MM-dd") if value.isValid() else None
        return self.text(parameters, name, context)

    @staticmethod
    def options(pairs: list[tuple[str, str | None]]) -> list[str]:
        """``--flag value`` for each value given; switches are ``(flag, "")``."""
        argv: list[str] = []
        for flag, value in pairs:
            if value == "":
                argv.append(flag)
            elif value is not None:
                argv += [flag, value]
        return argv

    def common_options(self, parameters: dict[str, Any], context: Any) -> list[str]:
        rules = self.text(parameters, "RULES", context)
        return self.options([("--rules", rules)])

    # ---------------------------------------------------------------------------------
    # Layers in, command run, layer out

    def layer_file(self, parameters: dict[str, Any], name: str, context: Any, feedback: Any) -> tuple[str, str]:
        """A GeoPackage and its layer holding what the parameter gives: the layer's own file if it is
        one, else a copy QGIS makes (selected features only, a layer of another format, …)."""
        return self.parameterAsCompatibleSourceLayerPathAndLayerName(
            parameters, name, context, ["gpkg"], "gpkg", feedback
        )

    def whole_file(self, parameters: dict[str, Any], name: str, context: Any, feedback: Any) -> str:
        """A GeoPackage whose only table holds what the parameter gives (``coverage`` and ``site`` read
        a file's first layer): the layer's own file if it has no other table, else a copy."""
        path, _ = self.layer_file(parameters, name, context, feedback)
        if len(gpkg_tables(path)) == 1:
            return path
        source = self.parameterAsSource(parameters, name, context)
        copy = QgsProcessingUtils.generateTempFilename(f"{name.lower()}.gpkg")
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        writer = QgsVectorFileWriter.create(
            copy, source.fields(), source.wkbType(), source.sourceCrs(), context.transformContext(), options
        )
        for feature in source.getFeatures():
            writer.addFeature(feature)
        del writer  # flushed and closed
        return copy

    def run_cli(self, argv: list[str], feedback: Any, allowed: tuple[int, ...] = (0, 5)) -> Any:
        """Run the command with ``--json`` and return its answer; an error it reports (Chinese first)
        is raised as the algorithm's error, without a traceback."""
        try:
            cli = runner.find_cli(configured_cli())
            feedback.setProgressText("facility-sizing " + argv[0])
            outcome = runner.run(cli, [*argv, "--json"], feedback)
            runner.failed(outcome, feedback, allowed)
            return outcome.json()
        except runner.CliError as exc:
            raise QgsProcessingException(str(exc)) from None

    @staticmethod
    def set_aliases(path: str, aliases: dict[str, str], feedback: Any) -> None:
        """The fields' Chinese-first headers as their aliases, kept in the GeoPackage as its default
        style (so QGIS shows them wherever the file is opened)."""
        layer = QgsVectorLayer(path, "result", "ogr")
        if not layer.isValid():
            return
        for i, field in enumerate(layer.fields()):
            alias = aliases.get(field.name())
            if alias and alias != field.name():
                layer.setFieldAlias(i, alias)
        if path.lower().endswith(".gpkg"):
            # a run into an earlier result's file: its style row would make QGIS 3.22 ask, with no one to
            # answer (qgis_process hung on the second run); this library's own row is replaced, no other
            _drop_own_style(path, layer.name() if layer.name() != "result" else Path(path).stem)
            error = layer.saveStyleToDatabase("facility_sizing", "托育设施配建 字段别名 field aliases", True, "")
            if error:
                feedback.pushWarning(error)

    @staticmethod
    def report_row_errors(path: str, id_field: str | None, feedback: Any) -> int:
        """Each row with an error, by its id (or its feature id), to the log; returns how many.

        The error field is ``error``, or ``错误 error`` where the command heads its columns Chinese first.
        """
        layer = QgsVectorLayer(path, "result", "ogr")
        names = [f.name() for f in layer.fields()]
        error_field = next((n for n in names if n == "error" or n.endswith(" error")), None)
        if error_field is None:
            return 0
        has_id = id_field is not None and id_field in names
        request = QgsFeatureRequest().setFilterExpression(f'"{error_field}" IS NOT NULL')
        n = 0
        for n, feature in enumerate(layer.getFeatures(request), start=1):
            if n > LOGGED_ROW_ERRORS:
                continue
            key = feature[id_field] if has_id else None
            name = str(key) if key not in (None, "") else f"要素 feature {feature.id()}"
            feedback.reportError(f"{name}：{feature[error_field]}", False)
        if n > LOGGED_ROW_ERRORS:
            feedback.reportError(words.more_errors(n - LOGGED_ROW_ERRORS, error_field), False)
        return n


def log_summary(summary: dict[str, Any], feedback: Any) -> None:
    """The command's summary, one ``key: value`` a line (its own keys and words, as it answered)."""
    for key, value in summary.items():
        if value is not None and not isinstance(value, (dict, list)):
            feedback.pushInfo(f"{key}: {value}")


def _drop_own_style(path: str, table: str) -> None:
    """Remove this library's saved style of ``table`` from a GeoPackage (an earlier run's), if there is one."""
    with closing(sqlite3.connect(path)) as db:
        if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'layer_styles'").fetchone():
            db.execute("DELETE FROM layer_styles WHERE styleName = 'facility_sizing' AND f_table_name = ?", (table,))
            db.commit()
