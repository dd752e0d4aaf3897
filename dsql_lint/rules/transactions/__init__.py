"""Built-in rules: transactions family."""
