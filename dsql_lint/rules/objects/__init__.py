"""Built-in rules: objects family."""
