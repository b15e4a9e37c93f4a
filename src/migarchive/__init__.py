"""migarchive: an offline archive browser for the UN Coordination Meetings on International Migration."""

__version__ = "0.1.0"

import time as _time

# When the package was first imported: close to process start, for the start-up figure.
STARTED = _time.perf_counter()
