"""What every output calls a result column: one vocabulary for the console, CSV, Excel, GeoPackage and notebook.

A result column has a Chinese and an English label (:data:`HEADERS`). Outputs that planners read
are headed Chinese first (``style="zh"``: 「托育设施建筑面积 (m²) floor_area_m2」, the column's own
name kept so a program can still find it, and :func:`facility_sizing.read_table` reads it back);
a system asks for the plain names (``style="en"``: ``floor_area_m2``); the console shows the short
Chinese label alone (``style="short"``: 「建筑面积m²」). A column the library did not make (the
user's own 地块编号, 户数) keeps its name in every style.

The households and population a row was sized with are 「采用户数」 and 「采用人口」: a file's own
户数 column (as typed) sits beside them and is not the same column.

Examples
--------
>>> header("floor_area_m2"), header("floor_area_m2", "short"), header("floor_area_m2", "en")
('托育设施建筑面积 (m²) floor_area_m2', '建筑面积m²', 'floor_area_m2')
>>> header("地块编号"), header("households", "short")
('地块编号', '采用户数')
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from .columns import basis_column
from .quantities import QUANTITIES
from .vocabulary import COLUMN_LABELS, FIELD_LABELS

__all__ = ["HEADERS", "HEADER_STYLES", "Header", "HeaderStyle", "header", "headers"]

HeaderStyle = Literal["zh", "en", "short"]

#: The styles a caller may ask for, as the command line's ``--headers`` takes them.
HEADER_STYLES: tuple[str, ...] = ("zh", "en")


class Header(NamedTuple):
    """A column's labels: full Chinese (with its unit), short Chinese (a console column), English."""

    zh: str
    short: str
    en: str


def _quantity_headers() -> dict[str, Header]:
    out = {}
    for name, spec in QUANTITIES.items():
        label = COLUMN_LABELS.get(spec.column)
        zh = label.zh if label else spec.label.zh
        bare = re.sub(r"\s*[(（].*[)）]$", "", zh)  # 托育设施建筑面积 (m²) → 托育设施建筑面积
        unit = "m²" if spec.column.endswith("_m2") else "m" if spec.column.endswith("_m") else ""
        short = spec.label.zh.removesuffix("数") + unit
        out[spec.column] = Header(zh, short, label.en if label else spec.label.en)
        out[basis_column(name)] = Header(
            f"{bare}依据", f"{spec.label.zh.removesuffix('数')}依据", f"{spec.label.en}: basis"
        )
    return out


#: Every column a result of the library can hold, with its labels.
HEADERS: dict[str, Header] = {
    **_quantity_headers(),
    "households": Header("采用户数", "采用户数", "households used"),
    "population": Header("采用人口", "采用人口", "population used"),
    "persons_per_household": Header(FIELD_LABELS["persons_per_household"], "户均人口", "persons per household"),
    "households_derived": Header("户数为推算", "户数推算", "households derived"),
    "population_derived": Header("人口为推算", "人口推算", "population derived"),
    "jurisdiction": Header(FIELD_LABELS["jurisdiction"], "行政区", "jurisdiction"),
    "area_type": Header(FIELD_LABELS["area_type"], "类型", "area type"),
    "on": Header(FIELD_LABELS["on"], "日期", "date"),
    "include_drafts": Header(FIELD_LABELS["include_drafts"], "采用草案", "include drafts"),
    "trust": Header(FIELD_LABELS["trust"], "以何为准", "trust"),
    "draft": Header("草案", "草案", "draft"),
    "reported": Header("据报道", "据报道", "reported"),
    "stale": Header("规划期外", "规划期外", "after the plan period"),
    "rule_set": Header("规则集", "规则集", "rule set"),
    "error": Header("错误", "错误", "error"),
    # sized by residential area (居住区): api/areas.py
    "area_id": Header("居住区编号", "居住区", "residential area"),
    "area_parcel_id": Header("地块编号（居住区）", "地块", "parcel id in the area"),
    "area_host": Header("承建地块", "承建", "host parcel"),
    "area_host_id": Header("承建地块编号", "承建地块", "host parcel id"),
    "area_parcels": Header("居住区地块数", "地块数", "parcels in the area"),
    "area_households": Header("居住区户数", "居住区户数", "area households"),
    "area_floor_area_m2": Header("居住区建筑面积 (m²)", "居住区面积m²", "area floor area (m²)"),
    "area_outdoor_area_m2": Header("居住区户外活动场地 (m²)", "居住区户外m²", "area outdoor area (m²)"),
    "area_slots": Header("居住区托位", "居住区托位", "area slots"),
    "parcels": Header("居住区地块", "地块", "parcels"),
    "hosts": Header("承建地块", "承建地块", "host parcels"),
    "share_basis": Header("份额分配依据", "份额依据", "shares by"),
    "area_host_rule": Header("承建地块的选定方式", "承建选定", "how the hosts were chosen"),
    "host_rule": Header("承建地块的选定方式", "承建选定", "how the hosts were chosen"),
    "area_served_by": Header("服务本地块的承建地块", "服务地块", "served by host parcel"),
    "hosted_floor_area_m2": Header("本地块承建设施建筑面积 (m²)", "承建面积m²", "hosted floor area (m²)"),
    "hosted_outdoor_area_m2": Header("本地块承建设施户外活动场地 (m²)", "承建户外m²", "hosted outdoor area (m²)"),
    "hosted_slots": Header("本地块承建设施托位", "承建托位", "hosted slots"),
    "hosted_households": Header("承建设施按户数计", "承建户数", "households the hosted facility is for"),
    "hosted_population": Header("承建设施按人口计", "承建人口", "population the hosted facility is for"),
    "build_condition": Header("同步建设要求（原文）", "同步要求", "build condition (quoted)"),
    "build_trigger": Header("建成时点", "建成时点", "build trigger"),
    "area_epsg": Header("面积投影EPSG", "面积EPSG", "area EPSG"),
    "far": Header("容积率", "容积率", "floor area ratio"),
    "residential_share": Header("住宅占比", "住宅占比", "residential share"),
    "unit_area_m2": Header("套均面积 (m²)", "套均面积m²", "unit floor area (m²)"),
    "households_estimated": Header("户数为估算", "户数估算", "households estimated"),
    "geometry_repaired": Header("几何已修复", "几何修复", "geometry repaired"),
    "parcel_area_m2": Header("地块面积 (m²)", "地块面积m²", "parcel area (m²)"),
    "parcel_id": Header("地块编号", "地块编号", "parcel id"),
    "name": Header("名称", "名称", "name"),
    "geometry": Header("几何(WKT)", "几何", "geometry (WKT)"),
    "index": Header("行号", "行号", "index"),
    # coverage, each home (spatial/access/coverage.py): what the QGIS provider shows as field aliases too
    "covered": Header("在服务半径内", "覆盖", "within reach of a facility"),
    "distance_m": Header("至最近机构距离 (m)", "距离m", "distance to the nearest facility (m)"),
    "nearest_facility": Header("最近机构", "最近机构", "nearest facility"),
    "access_per_1000": Header("每千人可及托位（2SFCA）", "千人可及托位", "slots within reach per 1,000 residents"),
    # siting, each chosen site (spatial/siting/site.py)
    "assigned_demand": Header("分配需求", "分配需求", "demand assigned"),
    "assigned_points": Header("分配需求点数", "需求点", "demand points assigned"),
    "slots_required": Header("须设托位", "须设托位", "slots required"),
    "provide_basis": Header("配建依据", "依据", "where the figures come from"),
    "site_status": Header("规则核对", "规则核对", "rules checked"),
    "site_flags": Header("未能核对的规则", "未核对", "rules that could not be checked"),
}


def header(column: str, style: HeaderStyle = "zh") -> str:
    """The header of ``column`` in ``style``; a column the library did not make keeps its name.

    Examples
    --------
    >>> header("slots"), header("floor_area_basis"), header("my_col")
    ('托位 slots', '托育设施建筑面积依据 floor_area_basis', 'my_col')
    """
    known = HEADERS.get(column)
    if known is None or style == "en":
        return column
    if style == "short":
        return known.short
    return f"{known.zh} {column}"


def headers(columns: list[str], style: HeaderStyle = "zh") -> list[str]:
    """The headers of ``columns``, made unique: a user's column that reads like one of ours keeps its own name.

    Examples
    --------
    >>> headers(["采用户数", "households"], "short")
    ['采用户数', 'households']
    """
    out = [header(c, style) for c in columns]
    taken = set(columns)
    return [h if h == c or (h not in taken and out.count(h) == 1) else c for h, c in zip(out, columns, strict=True)]
