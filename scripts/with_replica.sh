#!/usr/bin/env bash
# Run a command beside a streaming read replica of the throw-away PostgreSQL:
#   scripts/with_postgres.sh scripts/with_replica.sh <command> [args…]
# Takes a base backup of the primary that with_postgres.sh started (DATABASE_URL, PG_BINDIR),
# starts it as a hot standby (standby.signal + primary_conninfo) on another free loopback port,
# exports SIKUBE_TEST_REPLICA_URL (the replica's address; ops/tests/test_replica.py reads it),
# runs the command, then stops the standby and deletes it. Without a PostgreSQL primary it runs
# the command alone and says why. Exit status is the command's.
set -euo pipefail

if [[ "${DATABASE_URL:-}" != postgres* ]] || [ -z "${PG_BINDIR:-}" ]; then
  echo "SKIP replica: no throw-away PostgreSQL primary here (run under scripts/with_postgres.sh)" >&2
  exec "$@"
fi
# postgres://user@host:port/db
rest="${DATABASE_URL#*://}"; user="${rest%%@*}"; rest="${rest#*@}"
host="${rest%%:*}"; rest="${rest#*:}"; primary_port="${rest%%/*}"; dbname="${rest#*/}"

workdir="$(mktemp -d /tmp/sikube-replica.XXXXXX)"
run_as=()
if [ "$(id -u)" = "0" ]; then
  chown postgres "$workdir"
  run_as=(runuser -u postgres --)
fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

stop() {
  "${run_as[@]}" "$PG_BINDIR/pg_ctl" -D "$workdir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop EXIT

echo "==> starting a streaming replica of 127.0.0.1:$primary_port on 127.0.0.1:$port"
# -R writes standby.signal and primary_conninfo; -X stream copies the WAL written meanwhile.
if ! "${run_as[@]}" "$PG_BINDIR/pg_basebackup" -h "$host" -p "$primary_port" -U "$user" -D "$workdir/data" \
     -R -X stream -c fast >"$workdir/basebackup.log" 2>&1; then
  echo "SKIP replica: pg_basebackup failed: $(tail -3 "$workdir/basebackup.log")" >&2
  set +e; "$@"; exit $?
fi
"${run_as[@]}" "$PG_BINDIR/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=200" \
  start >/dev/null

export SIKUBE_TEST_REPLICA_URL="postgres://$user@127.0.0.1:$port/$dbname"
set +e
"$@"
status=$?
set -e
exit $status
