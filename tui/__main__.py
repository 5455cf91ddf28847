"""`python -m zorgoverleg`: the same entry point as the `zorgoverleg` command."""

from zorgoverleg.cli import main

raise SystemExit(main())
