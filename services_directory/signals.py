"""Signals the directory sends for writes that bypass the models' save() (bulk imports).

The public page cache (portal/caching.py) listens: pages must change with the content.
"""

from django.dispatch import Signal

# Sent after a bulk write to the directory (an import): `sender` is the model written.
directory_changed = Signal()
