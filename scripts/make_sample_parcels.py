"""Make the shipped sample parcels (synthetic, real-looking) in EPSG:4490.

The parcels are invented: rectangles and pentagons of plausible size placed in residential
parts of Xihu and Binjiang (Hangzhou) and Keqiao (Shaoxing). They are not real land parcels.
Run from the repository root:  python scripts/make_sample_parcels.py
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

OUT = Path(__file__).resolve().parents[1] / "src" / "facility_sizing" / "data" / "samples" / "parcels.geojson"
M_PER_DEG_LAT = 111_320.0

# (district, code prefix, unit name, centre lon, centre lat, area types, count)
AREAS = [
    ("西湖区", "XH", "三墩", 120.085, 30.315, ["new_build"] * 7 + ["existing"] * 3, 10),
    ("西湖区", "XH", "蒋村", 120.075, 30.285, ["new_build"] * 4 + ["existing"] * 2, 6),
    ("滨江区", "BJ", "浦沿", 120.160, 30.180, ["new_build"] * 4 + ["existing"] * 2, 6),
    ("柯桥区", "KQ", "柯桥", 120.490, 30.075, ["new_build"] * 8 + ["existing"] * 2, 10),
    ("柯桥区", "KQ", "钱清", 120.410, 30.100, ["new_build"] * 4 + ["existing"] * 2, 6),
]


def parcel(lon: float, lat: float, w: float, h: float, angle: float, pentagon: bool) -> shapely.Polygon:
    pts = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    if pentagon:
        pts.insert(3, (0.0, h / 2 + 0.25 * h))
    c, s = math.cos(angle), math.sin(angle)
    m_per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(lat))
    ring = [(lon + (x * c - y * s) / m_per_deg_lon, lat + (x * s + y * c) / M_PER_DEG_LAT) for x, y in pts]
    return shapely.Polygon(ring)


def main() -> None:
    rng = np.random.default_rng(20251122)
    rows, geoms = [], []
    for district, prefix, unit, lon0, lat0, types, count in AREAS:
        for i in range(count):
            lon = lon0 + (i % 4) * 0.0045 + rng.uniform(-0.0008, 0.0008)
            lat = lat0 + (i // 4) * 0.0040 + rng.uniform(-0.0008, 0.0008)
            w, h = rng.uniform(140, 320), rng.uniform(120, 280)
            geom = parcel(lon, lat, w, h, rng.uniform(-0.4, 0.4), pentagon=bool(i % 3 == 2))
            area_type = types[i]
            new = area_type == "new_build"
            far = round(float(rng.choice([1.8, 2.0, 2.2, 2.5, 2.8, 3.0])), 1) if new else None
            households = None if new else int(rng.integers(600, 2600))
            rows.append(
                {
                    "parcel_id": f"{prefix}-{unit}-{i + 1:02d}",
                    "name": f"{unit}单元{prefix}{i + 1:02d}地块",
                    "jurisdiction": district,
                    "area_type": area_type,
                    "far": far,
                    "residential_share": 0.95 if new else None,
                    "unit_area_m2": 100.0 if new else None,
                    "households": households,
                    "persons_per_household": 2.8,
                    "include_drafts": district == "滨江区",
                }
            )
            geoms.append(geom)
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs=4490)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    gdf.to_file(OUT, driver="GeoJSON", COORDINATE_PRECISION=7)
    print(f"wrote {len(gdf)} parcels to {OUT}")


if __name__ == "__main__":
    main()
