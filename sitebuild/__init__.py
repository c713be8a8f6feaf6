"""Build helpers for the help center site (used by build.py)."""
