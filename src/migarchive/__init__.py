"""migarchive: an offline archive browser for the UN Coordination Meetings on International Migration."""

__version__ = "0.1.0"
