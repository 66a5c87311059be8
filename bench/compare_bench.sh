#!/usr/bin/env bash
# schema-compare on two large catalogs with a few hundred scattered differences, against what
# users script today (`pg_dump --schema-only` of both plus `diff`) and against the floor (the
# library's catalog queries run raw by psql on both databases at once). Run by hand, not in the
# test suite:
#
#   bench/compare_bench.sh                          # 5,000 tables, 300 differences
#   TABLES=2000 CHANGES=200 BUILD=/path/to/build bench/compare_bench.sh
#   USE_SERVER=1 PGHOST=... PGPORT=... PGUSER=... bench/compare_bench.sh   # an existing server
#   USE_SERVER=1 REUSE=1 ... bench/compare_bench.sh  # keep the two databases of an earlier run
#   BASELINE=/path/to/older/schema-compare bench/compare_bench.sh          # before / after
#
# Without USE_SERVER it starts a throwaway cluster (fsync off) in a temporary directory and
# removes it afterwards. Needs the build's schema-compare and introspect_bench (for the floor's
# query list): cmake --build build --target schema-compare introspect_bench
# Each time is the best of RUNS (default 3); peak memory from /usr/bin/time -v. The timed
# commands take turns (schema-compare, its one-connection-per-side form, the baseline, the dumps,
# the floor, then again), so that a change in the machine's load meets all of them alike.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$here/build}
SCHEMA_COMPARE=${SCHEMA_COMPARE:-$BUILD/bin/schema-compare}
INTROSPECT_BENCH=${INTROSPECT_BENCH:-$BUILD/bin/introspect_bench}
BASELINE=${BASELINE:-}
TABLES=${TABLES:-5000}
CHANGES=${CHANGES:-300}
RUNS=${RUNS:-3}
[ -x "$SCHEMA_COMPARE" ] || { echo "schema-compare not found at $SCHEMA_COMPARE (build first, or set BUILD=...)" >&2; exit 2; }
[ -z "$BASELINE" ] || [ -x "$BASELINE" ] || { echo "BASELINE=$BASELINE is not an executable schema-compare" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed for peak memory (apt-get install time)" >&2; exit 2; }

bindir=${PG_BINDIR:-$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
work=$(mktemp -d "${TMPDIR:-/tmp}/compare-bench-XXXXXX")
started_cluster=
cleanup() {
  if [ -n "$started_cluster" ]; then as_server_user "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -z "${USE_SERVER:-}" ]; then
  [ "$(id -u)" = 0 ] && chown postgres "$work"
  as_server_user "$bindir/initdb" -D "$work/data" -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  as_server_user "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o \
    "-k $work -c listen_addresses='' -p 5439 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_locks_per_transaction=512" \
    start >/dev/null
  started_cluster=1
  export PGHOST=$work PGPORT=5439 PGUSER=postgres
fi
unset PGDATABASE
db_a=schemakit_bench_compare_a
db_b=schemakit_bench_compare_b

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
psql_q() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# REUSE keeps the databases an earlier run built with the same TABLES and CHANGES (the database
# comment says which).
shape="schemakit compare bench: $TABLES tables, $CHANGES changes"
built=$(psql_q -At -d postgres -c "SELECT count(*) FROM pg_database d WHERE d.datname IN ('$db_a', '$db_b') AND pg_catalog.shobj_description(d.oid, 'pg_database') = '$shape'")
if [ -n "${REUSE:-}" ] && [ "$built" = 2 ]; then
  echo "reusing $db_a and $db_b ($shape)"
else
  echo "building: $TABLES tables in A, then B = A with $CHANGES scattered changes"
  psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db_a" -c "DROP DATABASE IF EXISTS $db_b" -c "CREATE DATABASE $db_a"
  t0=$(now)
  "$here/bench/gen_catalog.sql.sh" --catalog "$TABLES" | psql_q -d "$db_a" >/dev/null
  echo "  generated A in $(elapsed "$t0" "$(now)") s"
  psql_q -d postgres -c "CREATE DATABASE $db_b TEMPLATE $db_a"
  "$here/bench/gen_catalog.sql.sh" --changes "$TABLES" "$CHANGES" | psql_q -d "$db_b" >/dev/null
  psql_q -d "$db_a" -c "VACUUM ANALYZE" && psql_q -d "$db_b" -c "VACUUM ANALYZE"
  psql_q -d postgres -c "COMMENT ON DATABASE $db_a IS '$shape'" -c "COMMENT ON DATABASE $db_b IS '$shape'"
fi
relations=$(psql_q -At -d "$db_a" -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench'")
echo "  $relations relations in schema bench"

# Whether this schema-compare can be told how many connections to read each database on.
jobs_option=
if "$SCHEMA_COMPARE" --help | grep -q -- '--jobs'; then jobs_option=1; fi
default_jobs=$("$SCHEMA_COMPARE" --help | awk '/--jobs/ { if (match($0, /\(=[0-9]+\)/)) print substr($0, RSTART + 2, RLENGTH - 3) }')

# The floor: the library's own catalog queries, run raw by psql on both databases at once, each
# in one REPEATABLE READ READ ONLY transaction with the library's settings (see prepare() in
# lib/introspect/introspect.cpp), output discarded. The queries are schema-compare's: no
# privileges/comments switched off, no sequence positions, no pg_depend (it compares attributes,
# not edges).
floor_ready=
if [ -x "$INTROSPECT_BENCH" ]; then
  "$INTROSPECT_BENCH" "dbname=$db_a" --runs 1 --for schema-compare --queries-out "$work/queries.sql" >"$work/introspect.txt" 2>&1 ||
    "$INTROSPECT_BENCH" "dbname=$db_a" --runs 1 --queries-out "$work/queries.sql" >"$work/introspect.txt"
  queries=$(awk '/catalog queries:/ { print $3 }' "$work/introspect.txt")
  {
    echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
    echo "SET LOCAL search_path = '';"
    echo "SET LOCAL work_mem = '64MB';"
    echo "SET LOCAL jit = off;"
    cat "$work/queries.sql"
    echo "COMMIT;"
  } >"$work/floor.sql"
  floor_ready=1
else
  echo "introspect_bench not found at $INTROSPECT_BENCH: no floor (cmake --build BUILD --target introspect_bench)" >&2
fi

# CPU seconds of each timed command: what this shell's waited-for children used (user + system:
# the tools, psql, diff), and, when the server runs on this machine and its postmaster's /proc entry
# is readable, what its ended backends used (the postmaster's cutime + cstime). Wall times move
# with the machine's load; CPU times much less.
postmaster_pid=
data_directory=$(psql_q -At -d postgres -c "SHOW data_directory" 2>/dev/null || true)
if [ -n "$data_directory" ] && [ -r "$data_directory/postmaster.pid" ]; then
  postmaster_pid=$(head -1 "$data_directory/postmaster.pid")
  [ -r "/proc/$postmaster_pid/stat" ] || postmaster_pid=
fi
ticks=$(getconf CLK_TCK)
client_cpu() {  # `times` in this shell (a subshell would count its own children only)
  times >"$work/times.out"
  awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$work/times.out"
}
server_cpu() {
  if [ -n "$postmaster_pid" ]; then awk -v t="$ticks" '{ printf "%.3f", ($16 + $17) / t }' "/proc/$postmaster_pid/stat"; else echo 0; fi
}

# timed NAME COMMAND...: one run; wall seconds to $work/NAME.wall, "client server" CPU seconds to
# $work/NAME.cpu.
timed() {
  local name=$1 c0 s0 t0 t1
  shift
  client_cpu >"$work/c0"; s0=$(server_cpu); c0=$(cat "$work/c0")
  t0=$(now)
  "$@"
  t1=$(now)
  sleep 0.5  # the postmaster reaps the backends that just ended
  client_cpu >"$work/c1"
  elapsed "$t0" "$t1" >>"$work/$name.wall"; echo >>"$work/$name.wall"
  awk -v c0="$c0" -v c1="$(cat "$work/c1")" -v s0="$s0" -v s1="$(server_cpu)" \
    'BEGIN { printf "%.3f %.3f\n", c1 - c0, s1 - s0 }' >>"$work/$name.cpu"
}

# schema-compare (exit 1, different, is the expected answer); peak RSS to $work/NAME.rss.
run_compare() {
  local name=$1 code rss
  shift
  set +e
  /usr/bin/time -v -o "$work/$name.time" "$@" --format json "dbname=$db_a" "dbname=$db_b" >"$work/$name.json"
  code=$?
  set -e
  [ "$code" = 1 ] || { echo "$name exited $code (expected 1)" >&2; cat "$work/$name.time" >&2; exit 1; }
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
  [ "$rss" -gt "$(cat "$work/$name.rss" 2>/dev/null || echo 0)" ] && echo "$rss" >"$work/$name.rss"
  return 0
}

# What users script today: both dumps, one after the other, then diff.
dump_serial() {
  /usr/bin/time -v -o "$work/dump.time" "$bindir/pg_dump" --schema-only -d "$db_a" -f "$work/a.sql"
  "$bindir/pg_dump" --schema-only -d "$db_b" -f "$work/b.sql"
  diff "$work/a.sql" "$work/b.sql" >"$work/dump.diff" || true
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/dump.time")
  [ "$rss" -gt "$(cat "$work/dump.rss" 2>/dev/null || echo 0)" ] && echo "$rss" >"$work/dump.rss"
  return 0
}

# The same, with the two dumps side by side (schema-compare reads both databases at once).
dump_parallel() {
  "$bindir/pg_dump" --schema-only -d "$db_a" -f "$work/a.sql" &
  "$bindir/pg_dump" --schema-only -d "$db_b" -f "$work/b.sql" &
  wait
  diff "$work/a.sql" "$work/b.sql" >/dev/null || true
}

floor_queries() {
  for db in "$db_a" "$db_b"; do
    psql_q -At -o /dev/null -d "$db" -f "$work/floor.sql" &
  done
  wait
}

load_before=$(load)
for _ in $(seq "$RUNS"); do
  timed compare run_compare compare "$SCHEMA_COMPARE"
  if [ -n "$jobs_option" ]; then timed single run_compare single "$SCHEMA_COMPARE" --jobs 1; fi
  if [ -n "$BASELINE" ]; then timed baseline run_compare baseline "$BASELINE"; fi
  timed dump dump_serial
  timed parallel dump_parallel
  if [ -n "$floor_ready" ]; then timed floor floor_queries; fi
done
load_after=$(load)

walls() { grep . "$work/$1.wall"; }
best_wall() { walls "$1" | sort -g | head -1; }
range() { echo "best of $RUNS; range $(best_wall "$1") - $(walls "$1" | sort -g | tail -1) s"; }
# The least CPU of the runs, client + server: "total (client a + server b)".
cpu_total() { awk '{ t = $1 + $2; if (NR == 1 || t < best) best = t } END { printf "%.2f", best }' "$work/$1.cpu"; }
cpu() {
  awk '{ t = $1 + $2; if (NR == 1 || t < best) { best = t; c = $1; s = $2 } } END { printf "CPU %.2f s = client %.2f + server %.2f", best, c, s }' "$work/$1.cpu"
}
[ -n "$postmaster_pid" ] || cpu() { echo "CPU: client only (the server is not on this machine)"; }

compare=$(best_wall compare)
differences=$(grep -c '"change": ' "$work/compare.json" || true)
objects=$(awk '/"counts"/ { c = 1 } c && /"a": / { gsub(/[^0-9]/, "", $0); s += $0 } /"differences"/ { c = 0 } END { print s }' "$work/compare.json")
if [ -n "$jobs_option" ]; then
  cmp -s "$work/compare.json" "$work/single.json" || { echo "schema-compare --jobs 1 reported something else than the default" >&2; exit 1; }
fi
if [ -n "$BASELINE" ]; then
  cmp -s "$work/compare.json" "$work/baseline.json" || echo "note: the baseline's report differs from this build's (diff $work/compare.json $work/baseline.json)" >&2
fi
"$SCHEMA_COMPARE" "dbname=$db_a" "dbname=$db_b" >"$work/compare.txt" || true
dump=$(best_wall dump)
parallel=$(best_wall parallel)
diff_lines=$(grep -c '^[<>]' "$work/dump.diff" || true)
floor=
[ -n "$floor_ready" ] && floor=$(best_wall floor)

server=$(psql_q -At -d postgres -c "SHOW server_version")
echo
echo "PostgreSQL $server, $(nproc) cores, load average $load_before before and $load_after after"
echo "$TABLES tables ($relations relations), $objects objects per side, $CHANGES changes"
echo "schema-compare A B:                   $compare s  ($(range compare); $(cpu compare); ${default_jobs:-1} connection(s) per side; $differences differences; peak RSS $(($(cat "$work/compare.rss") / 1024)) MB)"
if [ -n "$jobs_option" ]; then
  echo "schema-compare --jobs 1 A B:          $(best_wall single) s  ($(range single); $(cpu single); peak RSS $(($(cat "$work/single.rss") / 1024)) MB)"
fi
if [ -n "$BASELINE" ]; then
  echo "baseline schema-compare A B:          $(best_wall baseline) s  ($(range baseline); $(cpu baseline); peak RSS $(($(cat "$work/baseline.rss") / 1024)) MB)"
fi
echo "pg_dump -s A; pg_dump -s B; diff:     $dump s  ($(range dump); $(cpu dump); $diff_lines diff lines; pg_dump peak RSS $(($(cat "$work/dump.rss") / 1024)) MB)"
echo "pg_dump -s A & pg_dump -s B; diff:    $parallel s  ($(range parallel); $(cpu parallel))"
[ -n "$floor" ] && echo "raw catalog queries, A & B (floor):   $floor s  ($(range floor); $(cpu floor); $queries queries per side)"
echo
echo "schema-compare / (pg_dump + diff):          $(ratio "$compare" "$dump")   (goal <= 0.25)"
echo "schema-compare / (parallel pg_dump + diff): $(ratio "$compare" "$parallel")"
[ -n "$floor" ] && echo "schema-compare / floor:                     $(ratio "$compare" "$floor")   (goal <= 2)"
if [ -n "$jobs_option" ]; then
  echo "schema-compare --jobs 1 / (pg_dump + diff): $(ratio "$(best_wall single)" "$dump")"
fi
[ -n "$BASELINE" ] && echo "schema-compare / baseline:                  $(ratio "$compare" "$(best_wall baseline)")"
if [ -n "$postmaster_pid" ]; then
  echo "CPU, schema-compare / (pg_dump + diff):     $(ratio "$(cpu_total compare)" "$(cpu_total dump)")"
  [ -n "$BASELINE" ] && echo "CPU, schema-compare / baseline:             $(ratio "$(cpu_total compare)" "$(cpu_total baseline)")"
fi
echo
echo "first lines of the text report:"
head -25 "$work/compare.txt"
