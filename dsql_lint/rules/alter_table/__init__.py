"""Built-in rules: alter_table family."""
