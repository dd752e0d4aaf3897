"""Built-in rules: limits family."""
