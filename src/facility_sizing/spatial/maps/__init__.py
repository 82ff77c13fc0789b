"""Maps of sized parcels and of a siting result.

:mod:`.static` draws with matplotlib, fully offline (fs.plot_map, fs.plot_siting);
:mod:`.interactive` with folium (fs.explore_map). What both share — the frame checked, the rows
with an error or no figure drawn apart and labelled — is :mod:`.layers`. They need the ``map``
extra: ``pip install "facility-sizing[map]"``.
"""
