"""The algorithms of the facility_sizing provider, one module each, on what base.py gives them."""
