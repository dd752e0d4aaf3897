"""``python -m dsql_lint`` runs the command line (an unchanged repeat run is replayed, see fastpath)."""

from dsql_lint.fastpath import main

main()
