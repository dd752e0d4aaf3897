"""Live mode: ask a real Aurora DSQL cluster about each statement (``dsql-lint check --live``).

Nothing in this package is imported by the static lint path: boto3 and psycopg are
imported only by the modules that talk to AWS or to the cluster, and only when
``--live`` or ``dsql-lint doctor`` runs. :mod:`dsql_lint.live.rules` holds the rule
classes (metadata only) and is safe to import anywhere.
"""
