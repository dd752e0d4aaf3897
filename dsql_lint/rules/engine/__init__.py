"""Built-in rules: engine family."""
