"""Parcels of one ring measured from their coordinates: GEOS's validity and GEOS's area, to the last bit.

``size_parcels`` reads most parcels' coordinates once (issue 26): a strictly convex ring is valid
without asking GEOS, and every one-ring parcel's area is the shoelace sum GEOS computes
(``Area::ofRingSigned``) on the projected coordinates. Both are checked here against shapely itself.
"""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from facility_sizing.spatial.geometry import rings

TO_GK = Transformer.from_crs(4490, 4549, always_xy=True)


def _polygons(seed: int, n: int) -> np.ndarray:
    """Convex and concave polygons, stars, bow-ties, slivers, repeated corners and a long ring, near Hangzhou."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        m = int(rng.integers(3, 12))
        angle = rng.uniform(0, 2 * np.pi, m)
        angle = np.sort(angle) if k % 4 else angle  # unsorted angles: rings that cross themselves
        radius = np.ones(m) if k % 3 else rng.uniform(0.2, 1.0, m)  # on a circle: convex; else often concave
        corners = np.column_stack([np.cos(angle), np.sin(angle)]) * radius[:, None]
        if k % 7 == 0:
            corners[:, 1] *= 1e-9  # a sliver: nearly a line
        if k % 11 == 0:
            corners = np.repeat(corners, 2, axis=0)  # every corner twice
        out.append(shapely.Polygon(rng.uniform([119.9, 29.9], [120.6, 30.4]) + 0.001 * corners))
    star = [(np.cos(4 * np.pi * i / 5), np.sin(4 * np.pi * i / 5)) for i in range(5)]
    out += [shapely.Polygon(star), shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])]
    out += [shapely.Point(120.2, 30.2).buffer(0.01, quad_segs=3000)]  # 12,000 corners
    out += [shapely.box(120, 30, 120.01, 30.01).difference(shapely.box(120.002, 30.002, 120.004, 30.004))]
    return np.array([*out, None, shapely.Polygon()], dtype=object)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_a_ring_called_valid_is_valid_to_geos(seed: int) -> None:
    geoms = _polygons(seed, 60)
    found = rings.one_ring(geoms)
    sure = rings.surely_valid(found)
    assert not (sure & ~shapely.is_valid(geoms[found.which])).any()
    assert sure.any()  # and it does find some


def test_what_is_left_to_geos() -> None:
    """A star, a bow-tie, a flat ring and a ring with a repeated corner are never called valid here
    (GEOS decides them); a box and a convex hexagon are."""
    star = [(np.cos(4 * np.pi * i / 5), np.sin(4 * np.pi * i / 5)) for i in range(5)]
    geoms = np.array(
        [
            shapely.Polygon(star),
            shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]),
            shapely.Polygon([(0, 0), (1, 0), (2, 0)]),
            shapely.Polygon([(0, 0), (1, 0), (1, 0), (1, 1)]),
            shapely.box(0, 0, 1, 1),
            shapely.Polygon([(0, 0), (2, 0), (3, 1), (2, 2), (0, 2), (-1, 1)]),
        ],
        dtype=object,
    )
    found = rings.one_ring(geoms)
    assert rings.surely_valid(found).tolist() == [False, False, False, False, True, True]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_a_ring_area_is_the_area_geos_gives(seed: int) -> None:
    geoms = _polygons(seed, 60)
    found = rings.one_ring(geoms)
    assert len(found.which) == len(geoms) - 3  # not the one with a hole, nor the missing or the empty one
    xy = np.column_stack(TO_GK.transform(found.xy[:, 0], found.xy[:, 1]))
    projected = shapely.transform(geoms[found.which], lambda c: np.column_stack(TO_GK.transform(c[:, 0], c[:, 1])))
    np.testing.assert_array_equal(rings.ring_areas(xy, found.start), shapely.area(projected))


def test_a_square_hectare() -> None:
    x, y = 500_000.0, 3_350_000.0
    found = rings.one_ring(np.array([shapely.box(x, y, x + 100, y + 100)], dtype=object))
    assert rings.ring_areas(found.xy, found.start).tolist() == [10_000.0]
