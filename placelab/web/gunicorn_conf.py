"""gunicorn's settings for placelab: ``gunicorn -c placelab/web/gunicorn_conf.py placelab.web.wsgi``.

Read by gunicorn, not by Django. Each value comes from the environment (README, "Running it in
production"). Sync workers, one request at a time per process, suit a Django app whose pages
spend their time in Python rather than waiting: the processes, not threads, use both cores.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r}: expected a whole number") from None


bind = os.environ.get("PLACELAB_BIND", "127.0.0.1:8000")
# gunicorn's own advice: two per core plus one, so that one waiting on the database or the
# network does not leave a core idle.
workers = _int("PLACELAB_WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1)
# Above 1, gunicorn switches to its threaded worker.
threads = _int("PLACELAB_WEB_THREADS", 1)
# On PostgreSQL each worker process keeps a pool of as many connections as it has threads
# (settings.DATABASES): open across requests, never more. Read by settings, which the workers
# load after this file has run.
os.environ.setdefault("PLACELAB_DB_POOL_MAX", str(threads))
# Heavy work (analyses, reports, exports, roster reading) runs in the worker process, so a page
# taking a minute is stuck: it is killed and its process replaced.
timeout = _int("PLACELAB_WEB_TIMEOUT", 60)
# On SIGTERM (a deploy), requests under way get this long to finish.
graceful_timeout = _int("PLACELAB_WEB_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# A process is replaced after this many requests (staggered), bounding any slow growth in memory.
max_requests = _int("PLACELAB_WEB_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Heartbeat files in memory: on a container's overlay disk a slow write can look like a hung
# worker.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Logs to standard output and error unless files are given. The access log's fields are the
# combined format plus the time taken; placelab.web.logging takes survey tokens out of every one.
accesslog = os.environ.get("PLACELAB_ACCESS_LOG", "-")
errorlog = os.environ.get("PLACELAB_ERROR_LOG", "-")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss'
logger_class = "placelab.web.logging.GunicornLogger"
proc_name = "placelab-web"
