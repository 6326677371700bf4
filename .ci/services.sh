# Sourced by .ci/run. Each function reuses the machine's service if it answers, otherwise
# starts a private one on a free local port (a contributor's machine may have none running).

start_postgres() {
  local bin=/usr/lib/postgresql/15/bin
  if "$bin/pg_isready" -q -h 127.0.0.1 -p 5432 2>/dev/null \
     && psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    export TEST_PG_ADMIN_URL="postgresql://postgres@127.0.0.1:5432/postgres"
    return
  fi
  local dir=/tmp/lightbox-ci-pg port=55432
  rm -rf "$dir" && mkdir -p "$dir" && chown postgres "$dir"
  su postgres -c "$bin/initdb -D $dir -U postgres --auth=trust" >/dev/null
  su postgres -c "$bin/pg_ctl -D $dir -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off' -w -l $dir/log start" >/dev/null
  export TEST_PG_ADMIN_URL="postgresql://postgres@127.0.0.1:$port/postgres"
}

start_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    export TEST_REDIS_URL="redis://127.0.0.1:6379"
    return
  fi
  local port=56379
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
  export TEST_REDIS_URL="redis://127.0.0.1:$port"
}
