"""Built-in rules that need history: a schema model replayed through the migration files in order."""
