"""Settings from configuration files and options: presets, selection, per-file ignores, excludes."""
