"""托育设施配建 QGIS Processing provider — the facility_sizing library's algorithms in QGIS.

The plugin runs the ``facility-sizing`` command line of the library's own environment (QGIS's
Python is older than the library needs) and exchanges GeoPackage files with it; see
``docs/howto/qgis.md``.
"""

from __future__ import annotations

from typing import Any


def classFactory(_iface: Any) -> Any:
    """The plugin object QGIS loads (its ``iface`` is None under ``qgis_process``)."""
    from .plugin import FacilitySizingPlugin

    return FacilitySizingPlugin()
