"""Road centrelines noded and densified as arrays: streets that cross meet, long edges get vertices.

The lines become their vertices (:func:`vertices`: one array of coordinates, and which line piece
each belongs to; consecutive vertices of a piece are a segment). :func:`node` inserts a vertex
wherever two segments meet: a spatial index (shapely's STRtree on the segments' boxes) finds the
pairs that may meet, and one vectorised pass over those pairs finds where they do: a crossing,
an end of one segment on the other (a T junction), or a shared stretch of two segments on one
line (each gets the other's ends). :func:`densify` then adds vertices along every segment longer
than the longest edge, as GEOS's ``Densifier`` (``shapely.segmentize``) places them.

No global ``union_all``: the work grows with the segments and the pairs that meet, not with the
whole network's overlay. The graph made of the result is the one the overlay gave (the same nodes
to the millimetre, the same edges, the same lengths to rounding); ``tests/test_network.py`` keeps
the overlay as the reference and checks it.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["TOUCH_M", "crossing", "densify", "node", "vertices"]

#: How close (metres) an end of one segment must be to another segment to meet it: far below the
#: millimetre the graph's nodes are rounded to, far above floating-point rounding at city scale.
TOUCH_M = 1e-7


def vertices(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every vertex of the lines (multi-lines taken apart) and the piece it belongs to.

    A vertex repeating the one before it is dropped, and so is a piece of no length (a point).
    """
    xy, piece = shapely.get_coordinates(shapely.get_parts(lines), return_index=True)
    keep = np.ones(len(xy), dtype=bool)
    keep[1:] = (piece[1:] != piece[:-1]) | (xy[1:] != xy[:-1]).any(axis=1)
    xy, piece = xy[keep], piece[keep]
    lone = np.ones(len(xy), dtype=bool)  # a piece's only vertex
    lone[1:] &= piece[1:] != piece[:-1]
    lone[:-1] &= piece[:-1] != piece[1:]
    return xy[~lone], piece[~lone]


def node(xy: np.ndarray, piece: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The vertices with a vertex added wherever a segment meets another (crossing, touching or overlapping)."""
    seg = np.flatnonzero(piece[1:] == piece[:-1])  # segment k runs from vertex seg[k] to seg[k] + 1
    if len(seg) < 2:
        return xy, piece
    a, b = xy[seg], xy[seg + 1]
    where, t, pts = _meetings(a, b, *_candidates(a, b, seg))
    if not len(where):
        return xy, piece
    at = seg[where]  # the added vertex goes after vertex ``at``
    position = np.concatenate([np.arange(len(xy), dtype=np.float64), at + np.clip(t, 0.0, 1.0) * 0.5 + 0.25])
    order = np.argsort(position, kind="stable")
    return np.concatenate([xy, pts])[order], np.concatenate([piece, piece[at]])[order]


def _candidates(a: np.ndarray, b: np.ndarray, seg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of segments (i < j) whose boxes are within :data:`TOUCH_M` of each other (an STRtree), but for
    a segment and the next one of its line, which meet at their shared vertex only, unless the next turns
    straight back."""
    # boxes widened by half of TOUCH_M each way overlap when the segments' boxes are within TOUCH_M:
    # a street's end a hair short of another (a T junction after a projection) still meets it
    lo, hi = np.minimum(a, b) - TOUCH_M / 2, np.maximum(a, b) + TOUCH_M / 2
    boxes = shapely.box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1])
    i, j = shapely.STRtree(boxes).query(boxes)
    i, j = i[i < j], j[i < j]
    follows = seg[j] == seg[i] + 1
    r, s = b[i[follows]] - a[i[follows]], b[j[follows]] - a[j[follows]]
    back = (np.abs(_side(a[i[follows]], r, np.hypot(r[:, 0], r[:, 1]), b[j[follows]])) <= TOUCH_M) & (
        (r * s).sum(axis=1) < 0
    )
    follows[follows] = ~back
    return i[~follows], j[~follows]


def _meetings(a: np.ndarray, b: np.ndarray, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where segments ``i`` and ``j`` meet inside one of them: (segment, fraction along it, point) per added vertex.

    A segment's end within :data:`TOUCH_M` of the other segment meets it there, at the end's own
    coordinates; two segments whose ends all lie on the other's line share a stretch, and each
    end of one inside the other is added to it; otherwise a proper crossing adds the crossing
    point, computed once, to both.
    """
    r, s = b[i] - a[i], b[j] - a[j]
    len_r, len_s = np.hypot(r[:, 0], r[:, 1]), np.hypot(s[:, 0], s[:, 1])
    # signed distances of each segment's ends from the other's line
    q0, q1 = _side(a[i], r, len_r, a[j]), _side(a[i], r, len_r, b[j])
    p0, p1 = _side(a[j], s, len_s, a[i]), _side(a[j], s, len_s, b[i])
    on_q0, on_q1, on_p0, on_p1 = (np.abs(v) <= TOUCH_M for v in (q0, q1, p0, p1))
    apart = ((q0 > TOUCH_M) & (q1 > TOUCH_M)) | ((q0 < -TOUCH_M) & (q1 < -TOUCH_M))
    apart |= ((p0 > TOUCH_M) & (p1 > TOUCH_M)) | ((p0 < -TOUCH_M) & (p1 < -TOUCH_M))
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    # an end of one segment on the other (touching, or a shared stretch): the end itself is added
    for on, end, into, other in ((on_q0, a, i, j), (on_q1, b, i, j), (on_p0, a, j, i), (on_p1, b, j, i)):
        k = np.flatnonzero(on & ~apart)
        found.append(_inside(a, b, into[k], end[other[k]]))
    cross = np.flatnonzero(~apart & ~(on_q0 | on_q1 | on_p0 | on_p1))
    pts = crossing(a[i[cross]], b[i[cross]], a[j[cross]], b[j[cross]])
    found.append(_inside(a, b, i[cross], pts))
    found.append(_inside(a, b, j[cross], pts))
    where, t, xy = (np.concatenate([f[n] for f in found]) for n in range(3))
    return where, t, xy


def crossing(p1: np.ndarray, p2: np.ndarray, q1: np.ndarray, q2: np.ndarray) -> np.ndarray:
    """Where segments p1–p2 and q1–q2, known to cross, cross: the computation GEOS's noder makes.

    Homogeneous coordinates about the middle of the two boxes' overlap (which conditions the
    products), as ``geos::algorithm::Intersection``; a point that rounding puts outside either
    segment's box is replaced by the end nearest the other segment, as GEOS's ``LineIntersector`` does.
    """
    lo = np.maximum(np.minimum(p1, p2), np.minimum(q1, q2))
    hi = np.minimum(np.maximum(p1, p2), np.maximum(q1, q2))
    mid = (lo + hi) / 2.0
    p1, p2, q1, q2 = p1 - mid, p2 - mid, q1 - mid, q2 - mid
    px, py, pw = p1[:, 1] - p2[:, 1], p2[:, 0] - p1[:, 0], p1[:, 0] * p2[:, 1] - p2[:, 0] * p1[:, 1]
    qx, qy, qw = q1[:, 1] - q2[:, 1], q2[:, 0] - q1[:, 0], q1[:, 0] * q2[:, 1] - q2[:, 0] * q1[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        w = px * qy - qx * py
        pt = np.column_stack([(py * qw - qy * pw) / w, (qx * pw - px * qw) / w])
    boxed = np.isfinite(pt).all(axis=1)
    for u, v in ((p1, p2), (q1, q2)):
        boxed &= ((pt >= np.minimum(u, v)) & (pt <= np.maximum(u, v))).all(axis=1)
    if not boxed.all():
        k = ~boxed
        pt[k] = _nearest_end(p1[k], p2[k], q1[k], q2[k])
    return pt + mid


def _nearest_end(p1: np.ndarray, p2: np.ndarray, q1: np.ndarray, q2: np.ndarray) -> np.ndarray:
    """Of the four ends, the one nearest the other segment (the first of equals, in the order p1, p2, q1, q2)."""
    ends = np.stack([p1, p2, q1, q2])
    far = np.stack([_to_segment(p1, q1, q2), _to_segment(p2, q1, q2), _to_segment(q1, p1, p2), _to_segment(q2, p1, p2)])
    return ends[np.argmin(far, axis=0), np.arange(len(p1))]


def _to_segment(pt: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from each point to its segment a–b."""
    d = b - a
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.clip(((pt - a) * d).sum(axis=1) / (d * d).sum(axis=1), 0.0, 1.0)
    t = np.nan_to_num(t)
    near = a + t[:, None] * d
    return np.hypot(pt[:, 0] - near[:, 0], pt[:, 1] - near[:, 1])


def _side(origin: np.ndarray, direction: np.ndarray, length: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Signed distance (metres) of ``point`` from the line through ``origin`` along ``direction``."""
    d = point - origin
    with np.errstate(invalid="ignore", divide="ignore"):
        return (direction[:, 0] * d[:, 1] - direction[:, 1] * d[:, 0]) / length


def _inside(
    a: np.ndarray, b: np.ndarray, seg: np.ndarray, pts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The points strictly inside their segments (more than :data:`TOUCH_M` from both ends), with their fraction."""
    r = b[seg] - a[seg]
    length2 = (r * r).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = ((pts - a[seg]) * r).sum(axis=1) / length2
    length = np.sqrt(length2)
    keep = (t * length > TOUCH_M) & ((1 - t) * length > TOUCH_M)
    return seg[keep], t[keep], pts[keep]


def densify(xy: np.ndarray, piece: np.ndarray, longest: float) -> tuple[np.ndarray, np.ndarray]:
    """Vertices added along every segment longer than ``longest``, evenly, as GEOS's ``Densifier`` adds them.

    A segment of length L gets ``ceil(L / longest)`` equal parts; the k-th added vertex is at the
    fraction ``(k × (L / parts)) / L`` along it (the arithmetic of ``shapely.segmentize``).
    """
    seg = np.flatnonzero(piece[1:] == piece[:-1])
    d = xy[seg + 1] - xy[seg]
    length = np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1])
    parts = np.where(length > longest, np.ceil(length / longest), 1.0)
    extra = (parts - 1).astype(np.int64)
    if not extra.any():
        return xy, piece
    owner = np.repeat(np.arange(len(seg)), extra)
    k = np.arange(len(owner)) - np.repeat(np.cumsum(extra) - extra, extra) + 1
    fraction = (k * (length / parts)[owner]) / length[owner]
    added = xy[seg[owner]] + fraction[:, None] * d[owner]
    position = np.concatenate([np.arange(len(xy), dtype=np.float64), seg[owner] + k / (extra[owner] + 1)])
    order = np.argsort(position, kind="stable")
    return np.concatenate([xy, added])[order], np.concatenate([piece, piece[seg[owner]]])[order]
