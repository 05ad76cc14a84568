#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster:
#   scripts/with_postgres.sh <command> [args…]
# Installs Debian's postgresql package when it is missing (as root), starts a cluster
# under a temporary directory on a free loopback port, exports DATABASE_URL, runs the
# command, then stops the cluster and deletes it. Exit status is the command's.
set -euo pipefail

find_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  done
}

bindir="$(find_bindir || true)"
if [ -z "$bindir" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
    bindir="$(find_bindir || true)"
  fi
fi
if [ -z "$bindir" ]; then
  echo "SKIP PostgreSQL: no PostgreSQL server binaries and they cannot be installed here" \
       "(needs root and apt-get). Install Debian's 'postgresql' package to run this part." >&2
  exit 0
fi

workdir="$(mktemp -d /tmp/sikube-pg.XXXXXX)"
run_as=()
if [ "$(id -u)" = "0" ]; then
  # initdb and postgres refuse to run as root.
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  chown postgres "$workdir"
  run_as=(runuser -u postgres --)
fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

stop() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop EXIT

echo "==> starting throw-away PostgreSQL ($("$bindir/postgres" --version)) on 127.0.0.1:$port"
"${run_as[@]}" "$bindir/initdb" -D "$workdir/data" -U sikube --auth=trust -E UTF8 \
  --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
"${run_as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U sikube sikube

export DATABASE_URL="postgres://sikube@127.0.0.1:$port/sikube"
export PG_BINDIR="$bindir"
set +e
"$@"
status=$?
set -e
exit $status
