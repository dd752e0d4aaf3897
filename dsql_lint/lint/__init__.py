"""The engine: which rules meet which statement, and suppression comments."""
