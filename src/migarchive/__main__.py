"""`python -m migarchive` does what the `migarchive` console script does."""

from migarchive.cli import main

# Guarded: indexing worker processes import the main module again.
if __name__ == "__main__":
    raise SystemExit(main())
