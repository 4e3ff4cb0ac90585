"""Offline training code for `make train` (imports the core; never imported by workers at run time)."""
