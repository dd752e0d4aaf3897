"""From tokens to statements: split, kinds and tags, PostgreSQL's parse tree, DSQL's syntax, transactions."""
