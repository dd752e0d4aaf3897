"""Built-in rules: commands family."""
