"""Where things are and how they are measured.

:mod:`.crs` is the coordinate-system policy (the CRS a frame declares, degrees or metres, the
projections areas and distances are measured in); :mod:`.chinacrs` converts web-map coordinates
(GCJ-02, BD-09) to WGS 84 for it. :mod:`.checks` checks each parcel's geometry and
:mod:`.locate` brings frames into the CRS distances are measured in.
"""
