#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine:
#   1. installs what the tests need when it is missing (PostgreSQL server; later Chromium, fonts, poppler-utils, aiosmtpd),
#   2. starts a private PostgreSQL cluster on 127.0.0.1, port 55432 or the next free one (removed again on exit),
#   3. runs every test project, and ends with the line "N passed, N failed".
# Usage: scripts/test.sh [extra dotnet test args, e.g. --filter Name~Import]
set -uo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

need_pkgs=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_pkgs+=(postgresql)
if ((${#need_pkgs[@]})); then
  echo "installing: ${need_pkgs[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null \
    || { echo "could not install ${need_pkgs[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

# --- private PostgreSQL ---------------------------------------------------------------------------
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
# A port nobody listens on: PURR_PG_PORT if set, else the first free one from 55432 (another suite or
# cluster may already hold 55432 on a shared machine).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pgport="${PURR_PG_PORT:-}"
if [ -z "$pgport" ]; then
  for p in $(seq 55432 55531); do port_free "$p" && { pgport=$p; break; }; done
  [ -n "$pgport" ] || { echo "no free port for PostgreSQL in 55432-55531"; echo "0 passed, 1 failed"; exit 1; }
fi
pgdir="$(mktemp -d /tmp/purr-pg.XXXXXX)"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres "$pgdir"; fi
stop_pg() { as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pgdir"; }
trap stop_pg EXIT
as_pg "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --no-locale >"$pgdir/initdb.log" 2>&1 \
  || { cat "$pgdir/initdb.log"; echo "0 passed, 1 failed"; exit 1; }
as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/pg.log" -w -t 60 \
  -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
  || { cat "$pgdir/pg.log"; echo "0 passed, 1 failed"; exit 1; }
export PURR_TEST_PG="Host=127.0.0.1;Port=$pgport;Username=postgres;Timeout=15"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$pgport"

# --- tests ------------------------------------------------------------------------------------------
dotnet build Purr.slnx -c Release -nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
passed=0; failed=0; status=0
for proj in tests/*/*.csproj; do
  log="$(mktemp)"
  dotnet test "$proj" -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line="$(grep -E '(Passed|Failed)!  - Failed:' "$log" | tail -1)"
  if [ -n "$line" ]; then
    f=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$line"); p=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line")
    passed=$((passed + p)); failed=$((failed + f))
  elif [ $rc -ne 0 ]; then
    failed=$((failed + 1)); echo "!! $proj did not report results (exit $rc)"
  fi
  [ $rc -ne 0 ] && status=1
  rm -f "$log"
done
echo "$passed passed, $failed failed"
exit $status
