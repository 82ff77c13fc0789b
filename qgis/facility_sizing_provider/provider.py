"""The provider ``facility_sizing``: its algorithms, and the setting that names the command line."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider

from .algorithms.base import CLI_SETTING
from .algorithms.coverage import Coverage
from .algorithms.letters import Letters
from .algorithms.site import Site
from .algorithms.size_parcels import SizeParcels


class FacilitySizingProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "facility_sizing"

    def name(self) -> str:
        return "托育设施配建 Facility sizing"

    def longName(self) -> str:
        return "托育设施配建计算 infant-care facility sizing (facility-sizing)"

    def load(self) -> bool:
        try:  # the setting lives in Processing's options dialog (Providers), when Processing is there
            from processing.core.ProcessingConfig import ProcessingConfig, Setting
        except ImportError:
            return super().load()
        ProcessingConfig.addSetting(
            Setting(
                self.name(),
                CLI_SETTING,
                "facility-sizing 命令路径（留空则依次查找环境变量 FACILITY_SIZING_CLI、PATH、项目目录的 venv）"
                "— path of the facility-sizing command (empty: FACILITY_SIZING_CLI, PATH, the project's venv)",
                "",
                valuetype=Setting.FILE,
            )
        )
        ProcessingConfig.readSettings()
        return super().load()

    def unload(self) -> None:
        try:
            from processing.core.ProcessingConfig import ProcessingConfig
        except ImportError:
            return
        ProcessingConfig.removeSetting(CLI_SETTING)

    def loadAlgorithms(self) -> None:
        for algorithm in (SizeParcels(), Letters(), Coverage(), Site()):
            self.addAlgorithm(algorithm)

    def supportsNonFileBasedOutput(self) -> bool:
        return False  # the command writes files: no memory layers, no "save to database"

    def supportedOutputVectorLayerExtensions(self) -> list[str]:
        return ["gpkg"]  # aliases are kept in the GeoPackage (its default style)

    def defaultVectorFileExtension(self, _has_geometry: bool = True) -> str:
        return "gpkg"
