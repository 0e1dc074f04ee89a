#!/bin/sh
# The README's two commands land here: `npm start` runs the gateway, `npm test` runs every test.
# On a fresh Debian machine with Node.js 20 and npm, it installs what is missing first: the npm dependencies
# (npm ci), Debian's redis-server (apt, needed by the tests and by `start` without REDIS_URL) and, for the
# tests, Debian's chromium (the console's browser tests).
set -eu
cd "$(dirname "$0")/.."

cmd="${1:-}"
[ $# -gt 0 ] && shift

say() { printf '%s\n' "[taxii-gateway] $*" >&2; }

ensure_node_modules() {
  if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

ensure_redis_server() {
  if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then return 0; fi
  say "installing Debian's redis-server (apt-get)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    say "redis-server is missing and this user cannot install it: run 'apt-get install redis-server' as root"; exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
}

# The browser tests (test/browser/) drive Debian's chromium headless; nothing is downloaded at run time.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  say "installing Debian's chromium (apt-get), for the console's browser tests"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    say "chromium is missing and this user cannot install it: run 'apt-get install chromium' as root"; exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
}

ensure_build() {
  if [ ! -f dist/main/cli.js ] || [ -n "$(find src schemas -newer dist/main/cli.js -type f 2>/dev/null | head -n 1)" ]; then
    say "building (npm run build)"
    npm run --silent build
  fi
}

case "$cmd" in
  start)
    ensure_node_modules
    [ -z "${REDIS_URL:-}" ] && ensure_redis_server
    ensure_build
    # start runs the worker too: a larger young generation for its batches (as docker-compose.yml's worker)
    exec node --max-semi-space-size=64 bin/taxii-gateway start "$@"
    ;;
  test)
    ensure_node_modules
    ensure_redis_server
    ensure_chromium
    npm run --silent typecheck
    npm run --silent lint
    exec npx jest "$@"
    ;;
  *)
    say "usage: scripts/run.sh start|test [args]"; exit 2
    ;;
esac
