#!/usr/bin/env bash
# Installs Debian's PostgreSQL server and starts a private test cluster on 127.0.0.1, so the store tests
# run against a real server as well as SQLite (tests/conftest.py, fixture `tmp_db`).
#
# What it sets up, and what the tests assume when ALLIANCEGRAPH_TEST_PG is not set:
#   URL   postgresql://alliancegraph:alliancegraph@127.0.0.1:54329/alliancegraph
#   role  alliancegraph (LOGIN CREATEDB, password auth on 127.0.0.1): each test creates and drops its
#         own database through it.
# The cluster is the script's own (initdb in $ALLIANCEGRAPH_PG_DATA), never Debian's `main` cluster; it
# runs with fsync off, which suits throw-away test data only. The server refuses to run as root, so as
# root the cluster belongs to, and runs as, the `postgres` user that Debian's package creates.
#
# Idempotent: installs only when the server binaries are missing, initialises only an empty data folder,
# starts only a stopped cluster, creates the role and database only when they are missing.
# Overrides: ALLIANCEGRAPH_PG_PORT (54329), ALLIANCEGRAPH_PG_DATA (the cluster's folder).
set -euo pipefail

PORT="${ALLIANCEGRAPH_PG_PORT:-54329}"
ROLE=alliancegraph
PASSWORD=alliancegraph
DATABASE=alliancegraph
say() { echo "install-postgres: $*" >&2; }

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    SUDO="none"
fi

server_bin() {
    # The newest installed server version's programs (Debian keeps them out of PATH).
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        echo "$dir"
    fi
}

BIN=$(server_bin)
if [ -z "$BIN" ]; then
    if [ "$SUDO" = "none" ]; then
        say "the PostgreSQL server is not installed and this user cannot run apt-get."
        say "run 'sudo apt-get install -y postgresql', then this script again; until then the PostgreSQL"
        say "store tests are skipped (and fail when CI is set)."
        exit 0
    fi
    say "installing Debian's postgresql for the store tests"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq postgresql >/dev/null
    BIN=$(server_bin)
    if [ -z "$BIN" ]; then
        say "apt-get installed postgresql but no server programs were found under /usr/lib/postgresql."
        exit 1
    fi
fi

# Who owns and runs the cluster: root hands it to `postgres`; anyone else runs it as themselves.
if [ "$(id -u)" -eq 0 ]; then
    OWNER=postgres
    DATA="${ALLIANCEGRAPH_PG_DATA:-/var/lib/postgresql/alliancegraph-test-$PORT}"
    as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
    OWNER="$(id -un)"
    DATA="${ALLIANCEGRAPH_PG_DATA:-${TMPDIR:-/tmp}/alliancegraph-pg-$(id -u)-$PORT}"
    as_owner() { "$@"; }
fi

MARKER="$DATA/alliancegraph-test-cluster"   # only a folder holding this file is ever wiped

init_cluster() {
    say "creating a test cluster in $DATA (owner $OWNER, port $PORT)"
    mkdir -p "$DATA"
    chown "$OWNER" "$DATA"
    chmod 700 "$DATA"
    local locale=C.UTF-8
    locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || locale=C
    # Databases collate like most servers' (en-US, through ICU), not by code point: the store must
    # order text the same on both databases whatever the collation (store/engine.py, `bytewise`).
    local icu=(--locale-provider=icu --icu-locale=en-US)
    "$BIN/initdb" --help | grep -q -- --locale-provider || icu=()
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --encoding=UTF8 --locale="$locale" "${icu[@]}" \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    cat >>"$DATA/postgresql.conf" <<CONF

# alliancegraph test cluster (scripts/install-postgres.sh): loopback only, throw-away data.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
# Test databases live for seconds: autovacuum would only compete with the tests, and a worker of it
# holds a database the test role (no superuser) cannot then drop at once (tests/conftest.py retries).
autovacuum = off
CONF
    as_owner touch "$MARKER"
}

running() { as_owner "$BIN/pg_isready" -q -h "$DATA" -p "$PORT" >/dev/null 2>&1; }

start_cluster() {
    # A server killed with its session leaves postmaster.pid behind; on a new machine its PID may
    # belong to another process, and the server would refuse to start. Only our own postmaster counts.
    local pid
    pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$(readlink -f "/proc/$pid/cwd" 2>/dev/null)" != "$(readlink -f "$DATA")" ]; then
        rm -f "$DATA/postmaster.pid" "$DATA/.s.PGSQL.$PORT.lock"
    fi
    say "starting the test cluster on 127.0.0.1:$PORT"
    # setsid: the server outlives the shell (and the make job) that started it.
    as_owner setsid "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start >/dev/null
}

[ -s "$DATA/PG_VERSION" ] || init_cluster
if ! running && ! start_cluster; then
    say "the server did not start; the end of $DATA/server.log says why:"
    tail -n 20 "$DATA/server.log" >&2 || true
    if [ -f "$MARKER" ] && ! running; then
        say "re-creating the test cluster (its data is throw-away)"
        as_owner "$BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$DATA"
        init_cluster
        if ! start_cluster; then
            tail -n 20 "$DATA/server.log" >&2 || true
            say "free port $PORT (or set ALLIANCEGRAPH_PG_PORT), then run this script again."
            exit 1
        fi
    else
        say "free port $PORT (or set ALLIANCEGRAPH_PG_PORT), or remove $DATA to start over."
        exit 1
    fi
fi

psql_admin() { as_owner "$BIN/psql" -h "$DATA" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" ]; then
    psql_admin -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'"
fi
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]; then
    psql_admin -c "CREATE DATABASE $DATABASE OWNER $ROLE"
fi

say "ready: postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE (tests read ALLIANCEGRAPH_TEST_PG, default this URL)"
