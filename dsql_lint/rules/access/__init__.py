"""Built-in rules: access family."""
