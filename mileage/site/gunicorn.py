"""gunicorn settings for `make serve` (production form), all from the environment.

PORT             port to listen on (default 8000)
HOST             address to bind (default 127.0.0.1: put a TLS reverse proxy in front;
                 0.0.0.0 in a container)
WEB_CONCURRENCY  worker processes (default 2 x CPUs + 1)
WEB_THREADS      threads per worker (default 1)
WEB_TIMEOUT      seconds before a stuck request's worker is restarted (default 60)
FORWARDED_ALLOW_IPS  addresses of the proxy whose X-Forwarded-* headers are trusted
                 (default 127.0.0.1)
"""

from __future__ import annotations

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (memory held by large uploads)
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Do not tell clients which server runs the site.
proc_name = "mileage-web"
