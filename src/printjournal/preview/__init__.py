"""The preview package (its modules follow)."""
