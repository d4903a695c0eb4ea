#!/usr/bin/env bash
# Make sure PostgreSQL answers on 127.0.0.1:5432; start the Debian cluster if it does not.
# Fails loudly (exit 1) when it cannot: CI must never skip the PostgreSQL run silently.
set -u
up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! command -v pg_isready >/dev/null 2>&1; then
  echo "ensure-postgres: PostgreSQL client tools missing; installing postgresql" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2 || true
fi
if up; then exit 0; fi
echo "ensure-postgres: PostgreSQL is down; starting it" >&2
for v in $(ls /etc/postgresql 2>/dev/null); do
  pg_ctlcluster --skip-systemctl-redirect "$v" main start >&2 || true
done
for _ in $(seq 1 30); do up && exit 0; sleep 1; done
echo "ensure-postgres: PostgreSQL is not reachable on 127.0.0.1:5432" >&2
exit 1
