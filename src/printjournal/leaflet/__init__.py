"""The leaflet package (its modules follow)."""
