#!/usr/bin/env bash
# Make sure Redis answers on 127.0.0.1:6379 (Celery's broker in CI); start it if it does not.
set -u
up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
if ! command -v redis-server >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >&2 || true
fi
up && exit 0
mkdir -p /var/lib/redis /var/log/redis
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/ci.log >&2 || true
for _ in $(seq 1 20); do up && exit 0; sleep 0.5; done
echo "ensure-redis: Redis is not reachable on 127.0.0.1:6379" >&2
exit 1
