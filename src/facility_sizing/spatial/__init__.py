"""spatial: parcels and maps, and the service-circle analyses.

:mod:`.crs` holds the coordinate-system policy of them all (the CRS a frame declares, degrees
or metres, the projections areas and distances are measured in) and :mod:`.chinacrs` converts
web-map coordinates for it. :mod:`.parcels` sizes parcel files and :mod:`.mapping` draws them.
The analyses: :mod:`.inputs` checks their inputs, :mod:`.network` is the road graph,
:mod:`.reach` finds the pairs within reach, :mod:`.coverage` is fs.coverage and :mod:`.gap` is
fs.gap_analysis.
"""
