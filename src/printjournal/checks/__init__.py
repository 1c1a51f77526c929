"""The checks package (its modules follow)."""
