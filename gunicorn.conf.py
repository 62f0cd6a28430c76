"""gunicorn's settings for Karvan, as README deploys it: `gunicorn -c gunicorn.conf.py wsgi:app`
(command-line options override these, e.g. `-b 0.0.0.0:8000`).

Pages spend their time in Python (templates, iCalendar) and short database queries: one worker
process per core, with threads for the waits on PostgreSQL and the network (`gthread`), serves
calendar polls without one slow client holding a worker; keep-alive lets nginx reuse connections.
No request renders a large PDF or a solve (they run in `flask worker`), so the longest request is
a one-page PDF or the board of a large day: `timeout` is above it with room, and a stuck worker is
still restarted.
"""
from __future__ import annotations

import gc
import logging
import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("WEB_THREADS", "8"))
keepalive = 5
timeout = 60
graceful_timeout = 30
bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")


def post_worker_init(worker) -> None:
    """Read the reference data every page may name (the HS and ISIC code trees) once, then
    freeze what the worker holds: the collector stops walking these long-lived objects on every
    full collection, which otherwise costs a large page (the board of a day) a good part of its
    time."""
    try:
        from planner.taxonomy.codes import code_tree

        with worker.wsgi.app_context():
            code_tree("product")
            code_tree("sector")
    except Exception:  # a page reads them on first use instead
        logging.getLogger(__name__).exception("could not read the code trees at start")
    gc.freeze()
