# A throw-away PostgreSQL server in a temporary directory (initdb + pg_ctl).
# Sourced by .ci/run and the benchmarks; sets PGPORT and PG_TMP.

start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_TMP=$(mktemp -d /tmp/jumelage-pg.XXXXXX)
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_TMP"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$PG_TMP/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
  # fsync off: the server lives for one test run; durability is tested on SQLite.
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -s \
    -o "-p $PGPORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" start
  PG_BIN=$bin
  PG_AS=("${as[@]}")
  export PGPORT PG_TMP
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"
}

stop_postgres() {
  if [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP/data" ]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w -s stop || true
    rm -rf "$PG_TMP"
  fi
}
