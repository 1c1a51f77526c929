"""Render jobs in; their results out, from bounded worker processes."""
