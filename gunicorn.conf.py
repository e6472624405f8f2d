"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py portal.wsgi`.

Everything can be overridden from the environment, so one file serves every
app server behind the load balancer. See docs/deployment.md.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from None


# Loopback by default: a reverse proxy (nginx, HAProxy) terminates TLS in front.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: Django pages are short and PostgreSQL does the waiting. The usual
# 2 × cores + 1 keeps the CPUs busy while some workers wait on the database.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
# A slow export (indicators XLSX) may take a few seconds; nothing takes 30.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so memory stays flat over weeks; rarely, since a new
# worker costs a second of CPU and starts with an empty in-memory page cache.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = max_requests // 10
# Limits on what a client may send (the default 8 KB headers are plenty).
limit_request_line = 8190
limit_request_fields = 100
# Only the local proxy may tell us the original scheme and client address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The portal logs one line per request itself (portal/logs.py), with the route instead of
# the path a visitor asked for, so gunicorn's access log is off unless asked for
# (GUNICORN_ACCESS_LOG=-): it would write raw paths, and a follow-up link's token with them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(M)sms'  # no address, no query string
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "passerelles"
# systemd drives the service (reload = SIGHUP): no gunicornc control socket in the
# service user's home, where two instances on one host would share its path.
control_socket_disable = True

# LOG_FORMAT=json: gunicorn's own lines (start, stop, worker timeouts) in the same JSON as
# the portal's, so that a log collector reads one format.
if os.environ.get("LOG_FORMAT", "plain") == "json":
    _json_handler = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "stream": "ext://sys.stderr",
    }
    logconfig_dict = {
        "root": {"level": "INFO", "handlers": ["error_console"]},
        "loggers": {
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["error_console"],
                "propagate": False,
            },
            # With a logconfig_dict gunicorn always writes access lines: silence them
            # unless GUNICORN_ACCESS_LOG asked for them.
            "gunicorn.access": {
                "level": "INFO" if accesslog else "WARNING",
                "handlers": ["console"],
                "propagate": False,
            },
        },
        "handlers": {"console": _json_handler, "error_console": _json_handler},
        "formatters": {"json": {"()": "portal.logs.JsonFormatter"}},
    }
