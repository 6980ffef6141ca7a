#!/usr/bin/env bash
# The install a host makes: a clean copy of HEAD, `npm ci --omit=dev`, then
# `npm start` on an empty database. Passes when the demo is imported and
# served (/healthz 200, a theme page 200) and every process of the server has
# MALLOC_ARENA_MAX in its environment (npm start sets it). Run by .ci/run;
# by hand: bash scripts/check-production-install.sh (needs network to the npm registry).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/parcours-prod-XXXXXX)"
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM -- "-$server" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

git -C "$repo" archive --format=tar HEAD | tar -x -C "$work"
cd "$work"
start=$(date +%s)
npm ci --omit=dev --no-audit --no-fund --loglevel=error
echo "npm ci --omit=dev: $(( $(date +%s) - start )) s, node_modules $(du -sm node_modules | cut -f1) MB"
for dev in typescript eslint playwright-core knip; do
  if [ -e "node_modules/$dev" ]; then echo "production install: $dev (a devDependency) was installed" >&2; exit 1; fi
done

port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' 2>/dev/null || python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
env -u MALLOC_ARENA_MAX PORT="$port" DATABASE_URL="$work/data/parcours.db" WORKERS=2 setsid npm start > "$work/start.log" 2>&1 &
server=$!
for i in $(seq 1 180); do
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)"
  [ "$code" = 200 ] && break
  if ! kill -0 "$server" 2>/dev/null; then echo "production install: npm start exited:" >&2; cat "$work/start.log" >&2; exit 1; fi
  sleep 1
done
if [ "$code" != 200 ]; then echo "production install: /healthz did not answer 200 within 180 s:" >&2; cat "$work/start.log" >&2; exit 1; fi
echo "npm start: /healthz 200 after ${i} s (first start: the demo imported)"
theme="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/fr/visite/la-liberation-de-la-drome")"
[ "$theme" = 200 ] || { echo "production install: the theme page answered $theme" >&2; exit 1; }

# Every node process of the server (primary, serving processes) has MALLOC_ARENA_MAX=2.
checked=0
for pid in $(pgrep -s "$server" || true); do
  # Node's processes are named MainThread; theirs run src/main.ts (the primary) or src/worker.ts.
  argv0="$(head -z -n1 "/proc/$pid/cmdline" 2>/dev/null | tr -d '\0')"
  [ "$(basename "$argv0")" = node ] || continue
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -Eq 'src/(main|worker)\.ts' || continue
  if ! tr '\0' '\n' < "/proc/$pid/environ" | grep -qx 'MALLOC_ARENA_MAX=2'; then
    echo "production install: process $pid runs without MALLOC_ARENA_MAX=2" >&2; exit 1
  fi
  checked=$((checked + 1))
done
[ "$checked" -ge 3 ] || { echo "production install: expected a primary and 2 serving processes, found $checked node processes" >&2; exit 1; }
echo "production install: OK (theme page 200; MALLOC_ARENA_MAX=2 in all $checked node processes)"
