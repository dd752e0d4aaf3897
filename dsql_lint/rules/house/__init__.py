"""Built-in rules: house family."""
