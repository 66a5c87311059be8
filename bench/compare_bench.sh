#!/usr/bin/env bash
# schema-compare on two large catalogs with a few hundred scattered differences, against what
# users script today (`pg_dump --schema-only` of both plus `diff`) and against the floor (the
# library's catalog queries run raw by psql on both databases at once). Run by hand, not in the
# test suite:
#
#   bench/compare_bench.sh                          # 5,000 tables, 300 differences
#   TABLES=2000 CHANGES=200 BUILD=/path/to/build bench/compare_bench.sh
#   USE_SERVER=1 PGHOST=... PGPORT=... PGUSER=... bench/compare_bench.sh   # an existing server
#
# Without USE_SERVER it starts a throwaway cluster (fsync off) in a temporary directory and
# removes it afterwards. Needs the build's schema-compare and introspect_bench (for the floor's
# query list): cmake --build build --target schema-compare introspect_bench
# Each time is the best of RUNS (default 3); peak memory from /usr/bin/time -v.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$here/build}
SCHEMA_COMPARE=${SCHEMA_COMPARE:-$BUILD/bin/schema-compare}
INTROSPECT_BENCH=${INTROSPECT_BENCH:-$BUILD/bin/introspect_bench}
TABLES=${TABLES:-5000}
CHANGES=${CHANGES:-300}
RUNS=${RUNS:-3}
[ -x "$SCHEMA_COMPARE" ] || { echo "schema-compare not found at $SCHEMA_COMPARE (build first, or set BUILD=...)" >&2; exit 2; }
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
best() { printf '%s\n' "$@" | sort -g | head -1; }
psql_q() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "building: $TABLES tables in A, then B = A with $CHANGES scattered changes"
psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db_a" -c "DROP DATABASE IF EXISTS $db_b" -c "CREATE DATABASE $db_a"
t0=$(now)
"$here/bench/gen_catalog.sql.sh" --catalog "$TABLES" | psql_q -d "$db_a" >/dev/null
echo "  generated A in $(elapsed "$t0" "$(now)") s"
psql_q -d postgres -c "CREATE DATABASE $db_b TEMPLATE $db_a"
"$here/bench/gen_catalog.sql.sh" --changes "$TABLES" "$CHANGES" | psql_q -d "$db_b" >/dev/null
psql_q -d "$db_a" -c "VACUUM ANALYZE" && psql_q -d "$db_b" -c "VACUUM ANALYZE"
relations=$(psql_q -At -d "$db_a" -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench'")
echo "  $relations relations in schema bench"

# schema-compare: exit 1 (different) is the expected answer.
compare_times=()
compare_rss=0
for _ in $(seq "$RUNS"); do
  t0=$(now)
  set +e
  /usr/bin/time -v -o "$work/compare.time" "$SCHEMA_COMPARE" --format json "dbname=$db_a" "dbname=$db_b" >"$work/compare.json"
  code=$?
  set -e
  compare_times+=("$(elapsed "$t0" "$(now)")")
  [ "$code" = 1 ] || { echo "schema-compare exited $code (expected 1)" >&2; cat "$work/compare.time" >&2; exit 1; }
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/compare.time")
  [ "$rss" -gt "$compare_rss" ] && compare_rss=$rss
done
compare=$(best "${compare_times[@]}")
differences=$(grep -c '"change": ' "$work/compare.json" || true)
objects=$(awk '/"counts"/ { c = 1 } c && /"a": / { gsub(/[^0-9]/, "", $0); s += $0 } /"differences"/ { c = 0 } END { print s }' "$work/compare.json")
"$SCHEMA_COMPARE" "dbname=$db_a" "dbname=$db_b" >"$work/compare.txt" || true

# What users script today: both dumps, one after the other, then diff.
dump_times=()
dump_rss=0
for _ in $(seq "$RUNS"); do
  t0=$(now)
  /usr/bin/time -v -o "$work/dump.time" "$bindir/pg_dump" --schema-only -d "$db_a" -f "$work/a.sql"
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/dump.time")
  "$bindir/pg_dump" --schema-only -d "$db_b" -f "$work/b.sql"
  diff "$work/a.sql" "$work/b.sql" >"$work/dump.diff" || true
  dump_times+=("$(elapsed "$t0" "$(now)")")
  [ "$rss" -gt "$dump_rss" ] && dump_rss=$rss
done
dump=$(best "${dump_times[@]}")
diff_lines=$(grep -c '^[<>]' "$work/dump.diff" || true)

# The same, with the two dumps side by side (the fairest comparison: schema-compare reads both
# databases at once).
parallel_times=()
for _ in $(seq "$RUNS"); do
  t0=$(now)
  "$bindir/pg_dump" --schema-only -d "$db_a" -f "$work/a.sql" &
  "$bindir/pg_dump" --schema-only -d "$db_b" -f "$work/b.sql" &
  wait
  diff "$work/a.sql" "$work/b.sql" >/dev/null || true
  parallel_times+=("$(elapsed "$t0" "$(now)")")
done
parallel=$(best "${parallel_times[@]}")

# The floor: the library's own catalog queries, run raw by psql on both databases at once, each
# in one REPEATABLE READ READ ONLY transaction, output discarded.
floor=
if [ -x "$INTROSPECT_BENCH" ]; then
  "$INTROSPECT_BENCH" "dbname=$db_a" --runs 1 --queries-out "$work/queries.sql" >"$work/introspect.txt"
  queries=$(awk '/catalog queries:/ { print $3 }' "$work/introspect.txt")
  # As introspection runs them (see bench/catalog_bench.sh): one snapshot, empty search_path.
  {
    echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
    echo "SET LOCAL search_path = '';"
    cat "$work/queries.sql"
    echo "COMMIT;"
  } >"$work/floor.sql"
  floor_times=()
  for _ in $(seq "$RUNS"); do
    t0=$(now)
    for db in "$db_a" "$db_b"; do
      psql_q -At -o /dev/null -d "$db" -f "$work/floor.sql" &
    done
    wait
    floor_times+=("$(elapsed "$t0" "$(now)")")
  done
  floor=$(best "${floor_times[@]}")
else
  echo "introspect_bench not found at $INTROSPECT_BENCH: no floor (cmake --build BUILD --target introspect_bench)" >&2
fi

server=$(psql_q -At -d postgres -c "SHOW server_version")
echo
echo "PostgreSQL $server, $(nproc) cores; $TABLES tables ($relations relations), $objects objects per side, $CHANGES changes"
echo "schema-compare A B:                   $compare s  (best of $RUNS; $differences differences; peak RSS $((compare_rss / 1024)) MB)"
echo "pg_dump -s A; pg_dump -s B; diff:     $dump s  ($diff_lines diff lines; pg_dump peak RSS $((dump_rss / 1024)) MB)"
echo "pg_dump -s A & pg_dump -s B; diff:    $parallel s"
[ -n "$floor" ] && echo "raw catalog queries, A & B (floor):   $floor s  ($queries queries per side)"
echo
echo "schema-compare / (pg_dump + diff):          $(ratio "$compare" "$dump")   (goal <= 0.25)"
echo "schema-compare / (parallel pg_dump + diff): $(ratio "$compare" "$parallel")"
[ -n "$floor" ] && echo "schema-compare / floor:                     $(ratio "$compare" "$floor")   (goal <= 2)"
echo
echo "first lines of the text report:"
head -25 "$work/compare.txt"
