"""spatial: parcels sized and mapped, and the analyses of who lives within reach of what.

Its rooms, each importing only from those below it (the contract in ``pyproject.toml``):

* :mod:`.parcels` is fs.size_parcels; :mod:`.siting` is fs.site, where new facilities should
  go; :mod:`.maps` draws sized parcels and a siting result.
* :mod:`.access` is who reaches what: the nearest facility, the road network, the pairs within
  reach, fs.isochrones, fs.coverage and fs.gap_analysis, and the inputs they check.
* :mod:`.geometry` is where things are and how they are measured: the coordinate-system policy
  of them all (:mod:`.geometry.crs`), web-map coordinates (:mod:`.geometry.chinacrs`), the checks
  of a parcel's geometry and frames located in metres.
"""
