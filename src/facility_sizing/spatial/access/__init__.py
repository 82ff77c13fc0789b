"""Who lives within reach of what: the access analyses.

:mod:`.inputs` checks the service distance and numeric columns; :mod:`.nearest` finds the nearest
of a set of points; :mod:`.network` is the road graph; :mod:`.reach` finds the pairs within
reach. On them stand :mod:`.coverage` (fs.coverage), :mod:`.gap` (fs.gap_analysis) and
:mod:`.isochrones` (fs.isochrones).
"""
