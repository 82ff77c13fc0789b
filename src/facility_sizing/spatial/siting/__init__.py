"""Siting the shortfall: fs.site.

:mod:`.site` runs it; :mod:`.admissibility` checks each candidate against the rules in force,
:mod:`.models` holds the LSCP, MCLP and p-median programmes, and :mod:`.result` is the
:class:`~.result.Siting` it returns.
"""
