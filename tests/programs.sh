#!/usr/bin/env bash
# The programs the test suite drives, made present before it runs: `make test` calls
#
#     tests/programs.sh COMMAND...
#
# and this script runs COMMAND once every program is there. `make check`, which runs no
# browser test, calls `tests/programs.sh --no-browser COMMAND...`: Chromium is not needed.
#
# - Chromium (the browser tests): FORUM_TEST_CHROMIUM, default /usr/bin/chromium, Debian's
#   package `chromium` (never a browser download).
# - nginx, PgBouncer, redis-server and openssl (the cluster test): FORUM_TEST_NGINX,
#   FORUM_TEST_PGBOUNCER, FORUM_TEST_REDIS_SERVER, FORUM_TEST_OPENSSL, default Debian's paths
#   (/usr/sbin/nginx, /usr/sbin/pgbouncer, /usr/bin/redis-server, /usr/bin/openssl), Debian's
#   packages of the same names. The test starts its own processes on free loopback ports;
#   the packages' own services are not used.
# - Redis (the rate-limit tests): the server at 127.0.0.1:6379 (FORUM_TEST_REDIS_PORT) unless
#   FORUM_TEST_REDIS_URL names another one. When nothing answers there, Debian's `redis-server` is installed if
#   missing and started for this run only (127.0.0.1, nothing kept on disk), and stopped by
#   its PID when COMMAND ends.
#
# A missing package is installed with apt-get (as root, or through `sudo -n`). Where that
# cannot run, the script stops at once with one line naming the program and the command
# that installs it: a test is never skipped for want of a program. FORUM_APT_GET replaces
# the apt-get command (tests/unit/test_programs.py uses it to check both outcomes).
set -euo pipefail

apt_get() {
    if [ -n "${FORUM_APT_GET:-}" ]; then
        "$FORUM_APT_GET" "$@"
    elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo -n apt-get "$@"
    else
        return 1
    fi
}

# install PACKAGE: quietly, so a test run's output stays the tests'.
install_package() {
    echo "make test: installing Debian's $1 (missing)" >&2
    { apt_get update -qq && DEBIAN_FRONTEND=noninteractive apt_get install -y -qq "$1"; } >/dev/null 2>&1
}

# require FILE PACKAGE: FILE must be an executable once PACKAGE is installed.
require() {
    local file=$1 package=$2
    [ -x "$file" ] && return 0
    install_package "$package" || true
    if [ ! -x "$file" ]; then
        echo "make test: $file is missing; install it with: sudo apt-get install -y $package" >&2
        exit 1
    fi
}

redis_port=${FORUM_TEST_REDIS_PORT:-6379}
redis_answers() {
    # bash's /dev/tcp: no client program needed to see whether a server listens.
    (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null
}

if [ "${1:-}" = --no-browser ]; then
    shift  # `make check`: the unit and web layers, which need neither a browser nor the cluster's programs
else
    require "${FORUM_TEST_CHROMIUM:-/usr/bin/chromium}" chromium
    # The cluster test (tests/cluster) runs deploy/'s files: Debian's nginx and PgBouncer, a
    # Redis server of its own, and openssl for its self-signed certificate.
    require "${FORUM_TEST_NGINX:-/usr/sbin/nginx}" nginx
    require "${FORUM_TEST_PGBOUNCER:-/usr/sbin/pgbouncer}" pgbouncer
    require "${FORUM_TEST_REDIS_SERVER:-/usr/bin/redis-server}" redis-server
    require "${FORUM_TEST_OPENSSL:-/usr/bin/openssl}" openssl
fi

redis_pid=""
stop_redis() {
    if [ -n "$redis_pid" ]; then
        kill "$redis_pid" 2>/dev/null || true
        wait "$redis_pid" 2>/dev/null || true
    fi
}
if [ -z "${FORUM_TEST_REDIS_URL:-}" ] && ! redis_answers; then
    require "$(command -v redis-server || echo /usr/bin/redis-server)" redis-server
    redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --daemonize no \
        --logfile "" >/dev/null &
    redis_pid=$!
    trap stop_redis EXIT
    for _ in $(seq 50); do redis_answers && break; sleep 0.1; done
    if ! redis_answers; then
        echo "make test: redis-server did not start on 127.0.0.1:$redis_port" >&2
        exit 1
    fi
fi

if [ -n "$redis_pid" ]; then
    "$@"  # not exec: the trap stops the Redis this script started
else
    exec "$@"
fi
