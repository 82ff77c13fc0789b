"""facility_sizing: the infant-care (托育) facility a residential project must provide.

Given a project's households, population and jurisdiction, compute the required floor area,
outdoor activity area, childcare slots and floor-level limit under the rules of the project's
district or city, with every figure traced to the clause it comes from.

Examples
--------
>>> import facility_sizing as fs
>>> req = fs.size(jurisdiction="西湖区", households=1200, area_type="new_build", on="2025-01-01")
>>> req.floor_area_m2
200.0
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import render as render  # importing it registers the renderers of result objects
from .api.areas import area_table
from .api.compare import compare, compare_frames
from .api.listing import jurisdictions, rules_in_force
from .api.result_attrs import result_errors
from .api.review import review
from .api.sizing import size, size_frame
from .api.summary import summary
from .district.duties import duties
from .district.inventory import inventory_fields
from .district.scorecard import scorecard
from .errors import (
    AreaTypeError,
    DraftOnlyError,
    FacilitySizingError,
    FacilitySizingWarning,
    InconsistentInputError,
    InputError,
    MissingDependencyError,
    MissingInputError,
    NotInForceError,
    ReportedOnlyError,
    ResultReplacedWarning,
    RuleConflictError,
    RuleDataError,
    StaleRuleWarning,
    UnknownJurisdictionError,
)
from .model.entities import Division, Document, Duty, Indicator, Rule, Target
from .notebook.display import SizingAccessor  # importing it registers the ``.sizing`` accessor of result frames
from .render.areas import area_letter
from .results.comparison import Comparison
from .results.requirement import Requirement, RuleUse
from .results.review import Design, Finding, Review
from .ruledata import RuleBook, load_rules

if TYPE_CHECKING:
    from .io.files import read_parcels, sample_parcels
    from .io.rulecheck import check_rules
    from .io.tables import FileFormatError, read_table
    from .io.write import write_result
    from .spatial.access.coverage import Coverage, coverage, service_circles
    from .spatial.access.gap import gap_analysis
    from .spatial.access.isochrones import isochrones
    from .spatial.geometry.crs import CRSError, GeometryError
    from .spatial.maps.interactive import ParcelMap, explore_map
    from .spatial.maps.static import FontWarning, plot_map, plot_siting
    from .spatial.parcels import size_parcels
    from .spatial.siting.result import Siting
    from .spatial.siting.site import site

# Geometry needs shapely, pyproj and geopandas; they load on first use of a name below, so that
# ``import facility_sizing; fs.size(...)`` stays light (tests/test_structure.py checks it).
_LAZY = {
    "check_rules": "io.rulecheck",  # reading a .docx or .pdf copy needs an extra: loaded when first used
    "read_parcels": "io.files",
    "sample_parcels": "io.files",
    "write_result": "io.write",
    "read_table": "io.tables",
    "FileFormatError": "io.tables",
    "Coverage": "spatial.access.coverage",
    "coverage": "spatial.access.coverage",
    "service_circles": "spatial.access.coverage",
    "gap_analysis": "spatial.access.gap",
    "isochrones": "spatial.access.isochrones",
    "FontWarning": "spatial.maps.static",
    "explore_map": "spatial.maps.interactive",
    "ParcelMap": "spatial.maps.interactive",
    "plot_map": "spatial.maps.static",
    "plot_siting": "spatial.maps.static",
    "CRSError": "spatial.geometry.crs",
    "GeometryError": "spatial.geometry.crs",
    "size_parcels": "spatial.parcels",
    "Siting": "spatial.siting.result",
    "site": "spatial.siting.site",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'facility_sizing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


from .model.version import VERSION as _VERSION  # noqa: E402

__version__ = _VERSION  # one place for the version: model/version.py

__all__ = [
    "AreaTypeError",
    "CRSError",
    "Comparison",
    "Coverage",
    "Design",
    "Division",
    "Document",
    "DraftOnlyError",
    "Duty",
    "FacilitySizingError",
    "FacilitySizingWarning",
    "FileFormatError",
    "Finding",
    "FontWarning",
    "GeometryError",
    "InconsistentInputError",
    "Indicator",
    "InputError",
    "MissingDependencyError",
    "MissingInputError",
    "NotInForceError",
    "ParcelMap",
    "ReportedOnlyError",
    "Requirement",
    "ResultReplacedWarning",
    "Review",
    "Rule",
    "RuleBook",
    "RuleConflictError",
    "RuleDataError",
    "RuleUse",
    "Siting",
    "SizingAccessor",
    "StaleRuleWarning",
    "Target",
    "UnknownJurisdictionError",
    "area_letter",
    "area_table",
    "check_rules",
    "compare",
    "compare_frames",
    "coverage",
    "duties",
    "explore_map",
    "gap_analysis",
    "inventory_fields",
    "isochrones",
    "jurisdictions",
    "load_rules",
    "plot_map",
    "plot_siting",
    "read_parcels",
    "read_table",
    "result_errors",
    "review",
    "rules_in_force",
    "sample_parcels",
    "scorecard",
    "service_circles",
    "site",
    "size",
    "size_frame",
    "size_parcels",
    "summary",
    "write_result",
]
