#!/bin/bash
# Entrypoint of localhost/runway-postgres:15 (deploy/Containerfile.postgres). On the first start (no PG_VERSION in
# PGDATA) it runs initdb with POSTGRES_PASSWORD for the superuser `postgres` (scram-sha-256), then
# deploy/postgres-roles.sql with DB_MIGRATOR_PASSWORD, DB_APP_PASSWORD and, when set, DB_KEDA_PASSWORD (the read-only
# role KEDA counts the queue with). Then, and on every later start, PostgreSQL itself becomes PID 1 (exec), so the
# runtime's SIGTERM is a smart shutdown. Extra arguments are passed to postgres (e.g. -c max_connections=200).
set -euo pipefail

PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  for name in POSTGRES_PASSWORD DB_MIGRATOR_PASSWORD DB_APP_PASSWORD; do
    [[ -n ${!name:-} ]] || { echo "runway-postgres: $name must be set for the first start" >&2; exit 1; }
  done
  # A subfolder of the volume: a fresh volume may hold lost+found, and initdb wants an empty folder it owns.
  install -d -m 0700 "$PGDATA"
  pwfile=$(mktemp)
  trap 'rm -f "$pwfile"' EXIT
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  # Local socket connections are trusted (only processes inside this container reach the socket: pg_isready, the
  # probe); every TCP connection needs a password.
  initdb --username=postgres --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 > /dev/null
  rm -f "$pwfile"
  printf '%s\n' "host all all 0.0.0.0/0 scram-sha-256" "host all all ::/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"

  # Roles and database, listening on no TCP address while it happens.
  pg_ctl --wait --silent -o "-c listen_addresses=''" start
  psql --username=postgres --dbname=postgres --no-psqlrc --quiet -v ON_ERROR_STOP=1 \
    -v migrator_password="$DB_MIGRATOR_PASSWORD" -v app_password="$DB_APP_PASSWORD" \
    -v keda_password="${DB_KEDA_PASSWORD:-}" \
    -f /usr/local/share/runway/postgres-roles.sql
  pg_ctl --wait --silent -m fast stop
  echo "runway-postgres: initialised $PGDATA (roles runway_owner, runway_migrator, runway_app$([[ -n ${DB_KEDA_PASSWORD:-} ]] && echo ', runway_keda'), database runway)"
fi

exec postgres -c listen_addresses='*' "$@"
