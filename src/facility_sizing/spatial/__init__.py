"""spatial: parcels and maps, and the service-circle analyses.

:mod:`.parcels` sizes parcel files, :mod:`.mapping` draws them and :mod:`.chinacrs` converts
web-map coordinates. The analyses: :mod:`.inputs` checks their inputs and holds the CRS
policy of distances, :mod:`.network` is the road graph, :mod:`.reach` finds the pairs within
reach, :mod:`.coverage` is fs.coverage and :mod:`.gap` is fs.gap_analysis.
"""
