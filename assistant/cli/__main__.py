"""`python -m assistant.cli`: the command line, as the `assistant` script runs it."""

from assistant.cli import main

raise SystemExit(main())
