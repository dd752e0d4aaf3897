"""Built-in rules: types family."""
