"""`python -m migarchive` does what the `migarchive` console script does; it is also the frozen
bundle's entry point (packaging/migarchive.spec)."""

import sys

from migarchive.cli import run_command

# Guarded: indexing worker processes import the main module again.
if __name__ == "__main__":
    # In the frozen bundle a "spawn" indexing worker is this executable started again; this
    # turns it into the worker instead of a second app. Elsewhere it does nothing, and importing
    # multiprocessing for it was 8 ms of every command.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    run_command()
