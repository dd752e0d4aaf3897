"""Built-in rules: indexes family."""
