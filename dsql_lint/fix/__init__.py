"""Fixes applied as text edits on the original source, written atomically; ``--add-noqa``."""
