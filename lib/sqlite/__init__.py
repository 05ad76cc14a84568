"""SQLite backend whose write transactions queue for a file lock (see base.py)."""
