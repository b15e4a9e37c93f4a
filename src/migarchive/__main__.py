"""`python -m migarchive` does what the `migarchive` console script does."""

from migarchive.cli import main

raise SystemExit(main())
