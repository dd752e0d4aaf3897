"""``python -m dsql_lint`` runs the command line."""

from dsql_lint.cli import main

main()
