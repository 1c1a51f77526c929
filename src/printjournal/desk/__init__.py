"""The desk package (its modules follow)."""
