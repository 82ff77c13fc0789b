"""district: beyond one project.

:mod:`.inventory` reads a district's figures, :mod:`.scorecard` scores them against its
targets, :mod:`.duties` says what employers, parks and kindergartens must do.
"""
