"""``python -m dsql_lint`` runs the command line (an unchanged repeat run is replayed, see fastpath)."""

from dsql_lint.cli.fastpath import main

main()
