"""The plugin object: registers the Processing provider (in QGIS and under ``qgis_process``)."""

from __future__ import annotations

from qgis.core import QgsApplication

from .provider import FacilitySizingProvider


class FacilitySizingPlugin:
    def __init__(self) -> None:
        self.provider: FacilitySizingProvider | None = None

    def initProcessing(self) -> None:
        self.provider = FacilitySizingProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:
        self.initProcessing()

    def unload(self) -> None:
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
