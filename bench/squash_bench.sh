#!/usr/bin/env bash
# squash on a generated history with realistic churn, against the floor: replaying the same files
# one by one with psql, each in its own transaction as the runner does (or none, for the
# no-transaction files). Then the time to apply the consolidated up.sql against the time to
# apply the sequential history. Run by hand, not in the test suite:
#
#   bench/squash_bench.sh                         # 320 migrations (hasura layout)
#   MIGRATIONS=600 RUNS=5 BUILD=/path/to/build bench/squash_bench.sh
#   USE_SERVER=1 PGHOST=... PGPORT=... PGUSER=... bench/squash_bench.sh   # an existing server
#
# Without USE_SERVER it starts a throwaway cluster (fsync off, like squash's embedded one) in a
# temporary directory and removes it afterwards; squash gets that server with --scratch-url, so
# both sides pay the same server. squash with its own embedded server (start included) is printed
# too. Each time is the best of RUNS (default 3). docs/benchmarks.md has figures.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$here/build}
SQUASH=${SQUASH:-$BUILD/bin/squash}
MIGRATIONS=${MIGRATIONS:-320}
RUNS=${RUNS:-3}
[ -x "$SQUASH" ] || { echo "squash not found at $SQUASH (build first, or set BUILD=...)" >&2; exit 2; }
[ "$MIGRATIONS" -ge 20 ] || { echo "MIGRATIONS must be at least 20" >&2; exit 2; }

bindir=${PG_BINDIR:-$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
work=$(mktemp -d "${TMPDIR:-/tmp}/squash-bench-XXXXXX")
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
  as_server_user "$bindir/initdb" -D "$work/data" -U postgres -E UTF8 --locale=C.UTF-8 --no-sync -A trust >/dev/null
  as_server_user "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o \
    "-k $work -c listen_addresses='' -p 5439 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  started_cluster=1
  export PGHOST=$work PGPORT=5439 PGUSER=postgres
fi
unset PGDATABASE
scratch_url="host=$PGHOST port=${PGPORT:-5432} user=${PGUSER:-$(id -un)} dbname=postgres"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
best() { printf '%s\n' "$@" | sort -g | head -1; }
psql_q() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
fresh_db() {
  psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
}

# The history: one table every 10 migrations, and the churn real histories have around it
# (columns added, renamed, retyped, added then dropped; indexes, some CONCURRENTLY outside a
# transaction; foreign keys; views replaced; seed rows; enum values added in one migration and
# used in the next; a scratch table created and dropped again).
history=$work/migrations
mkdir "$history"
awk -v n="$MIGRATIONS" -v dir="$history" '
function migration(i, name, body,    folder) {
  folder = sprintf("%s/%.0f_%s", dir, 1700000000000 + i * 3600000, name);
  system("mkdir -p " folder);
  printf "%s", body > (folder "/up.sql");
  close(folder "/up.sql");
}
function step_migration(i, step, k, t,    body, r, remark, end) {
    if (step == 1) {
      migration(i, "create_" t, sprintf("CREATE TABLE %s (\n    id bigserial PRIMARY KEY,\n    name text NOT NULL,\n    state item_state NOT NULL DEFAULT \047new\047,\n" \
        "    created_at timestamptz NOT NULL DEFAULT now(),\n    updated_at timestamptz\n);\n" \
        "CREATE TRIGGER %s_touch BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION touch_updated_at();\n" \
        "COMMENT ON TABLE %s IS \047table number %d\047;\n", t, t, t, t, k));
    } else if (step == 2) {
      migration(i, "add_note_" t, sprintf("ALTER TABLE %s ADD COLUMN note text;\nCREATE INDEX %s_name_idx ON %s (name);\n", t, t, t));
    } else if (step == 3) {
      migration(i, "rename_note_" t, sprintf("ALTER TABLE %s RENAME COLUMN note TO remark;\n", t));
    } else if (step == 4) {
      migration(i, "retype_remark_" t, sprintf("ALTER TABLE %s ALTER COLUMN remark TYPE varchar(200);\n", t));
    } else if (step == 5) {
      body = sprintf("INSERT INTO %s (name, remark) VALUES\n", t);
      for (r = 1; r <= 20; r++) {
        remark = "NULL"; if (r % 3 != 0) remark = "\047it\047\047s fine\047";
        end = ";"; if (r < 20) end = ",";
        body = body sprintf("    (\047row %d of %s\047, %s)%s\n", r, t, remark, end);
      }
      migration(i, "seed_" t, body);
    } else if (step == 6) {
      if (k > 1) {
        migration(i, "link_" t, sprintf("ALTER TABLE %s ADD COLUMN parent_id bigint REFERENCES t_%d (id) ON DELETE SET NULL;\nCREATE INDEX %s_parent_idx ON %s (parent_id);\n", t, k - 1, t, t));
      } else {
        migration(i, "link_" t, sprintf("ALTER TABLE %s ADD COLUMN parent_id bigint;\n", t));
      }
    } else if (step == 7) {
      migration(i, "view_" t, sprintf("CREATE OR REPLACE VIEW %s_named AS SELECT id, name, state FROM %s WHERE remark IS NOT NULL;\n", t, t));
    } else if (step == 8) {
      migration(i, "add_legacy_" t, sprintf("ALTER TABLE %s ADD COLUMN legacy_flag boolean DEFAULT false;\nUPDATE %s SET legacy_flag = true WHERE id %% 2 = 0;\n", t, t));
    } else if (step == 9) {
      migration(i, "drop_legacy_" t, sprintf("ALTER TABLE %s DROP COLUMN legacy_flag;\nCREATE OR REPLACE VIEW %s_named AS SELECT id, name, state, created_at FROM %s WHERE remark IS NOT NULL;\n", t, t, t));
    } else {
      migration(i, "index_created_" t, sprintf("-- hasura:no-transaction\nCREATE INDEX CONCURRENTLY %s_created_idx ON %s (created_at);\n", t, t));
    }
}
BEGIN {
  migration(0, "init",
    "CREATE TYPE item_state AS ENUM (\047new\047, \047done\047);\n" \
    "CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n" \
    "BEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n$$;\n");
  states = 0; m = 1;
  for (k = 1; m < n; k++) {
    t = "t_" k;
    for (step = 1; step <= 10 && m < n; step++) {
      step_migration(m++, step, k, t);
      if (m % 37 == 0 && m < n - 1) {
        states++;
        migration(m++, "add_state_" states, sprintf("ALTER TYPE item_state ADD VALUE \047s%d\047;\n", states));
        migration(m++, "use_state_" states, sprintf("INSERT INTO t_1 (name, state) VALUES (\047state %d\047, \047s%d\047);\n", states, states));
      }
      if (m % 53 == 0 && m < n - 1) {
        migration(m, "scratch_" m, sprintf("CREATE TABLE scratch_%d (id int PRIMARY KEY, v text);\nINSERT INTO scratch_%d VALUES (1, \047x\047);\n", m, m));
        migration(m + 1, "drop_scratch_" m, sprintf("DROP TABLE scratch_%d;\n", m));
        m += 2;
      }
    }
  }
}'
count=$(find "$history" -name up.sql | wc -l)
echo "history: $count migrations (hasura layout) in $history"

# The floor: psql, file by file, each in its own transaction unless it says otherwise.
replay_with_psql() {
  local db=$1
  fresh_db "$db"
  while IFS= read -r folder; do
    if grep -q '^-- hasura:no-transaction' "$folder/up.sql"; then
      psql_q -d "$db" -f "$folder/up.sql" >/dev/null
    else
      psql_q --single-transaction -d "$db" -f "$folder/up.sql" >/dev/null
    fi
  done < <(find "$history" -mindepth 1 -maxdepth 1 -type d | awk -F/ '{ split($NF, p, "_"); print p[1] "\t" $0 }' | sort -n | cut -f2)
}

floor_times=()
for _ in $(seq "$RUNS"); do
  t0=$(now)
  replay_with_psql schemakit_bench_history
  floor_times+=("$(elapsed "$t0" "$(now)")")
done
floor=$(best "${floor_times[@]}")

squash_times=()
for run in $(seq "$RUNS"); do
  rm -rf "$work/out"
  t0=$(now)
  "$SQUASH" "$history" --output "$work/out" --scratch-url "$scratch_url" >"$work/squash.out"
  squash_times+=("$(elapsed "$t0" "$(now)")")
  [ "$run" = 1 ] && cat "$work/squash.out"
done
squash_time=$(best "${squash_times[@]}")
replay_seconds=$(grep -o '"replay": [0-9.]*' "$work/out/squash.json" | awk '{ print $2 }')
proof_seconds=$(grep -o '"proof": [0-9.]*' "$work/out/squash.json" | awk '{ print $2 }')

embedded_times=()
for _ in $(seq "$RUNS"); do
  t0=$(now)
  "$SQUASH" "$history" --dry-run >/dev/null
  embedded_times+=("$(elapsed "$t0" "$(now)")")
done
embedded=$(best "${embedded_times[@]}")

up_times=()
for _ in $(seq "$RUNS"); do
  fresh_db schemakit_bench_up
  t0=$(now)
  psql_q -d schemakit_bench_up -f "$work/out/up.sql" >/dev/null
  up_times+=("$(elapsed "$t0" "$(now)")")
done
up_time=$(best "${up_times[@]}")

# The history as one psql session (no process per file): the sequential apply's best case. The
# script is put together before the clock starts.
while IFS= read -r folder; do
  if grep -q '^-- hasura:no-transaction' "$folder/up.sql"; then cat "$folder/up.sql"; else printf 'BEGIN;\n'; cat "$folder/up.sql"; printf 'COMMIT;\n'; fi
done < <(find "$history" -mindepth 1 -maxdepth 1 -type d | awk -F/ '{ split($NF, p, "_"); print p[1] "\t" $0 }' | sort -n | cut -f2) >"$work/history.sql"
history_one_times=()
for _ in $(seq "$RUNS"); do
  fresh_db schemakit_bench_history_one
  t0=$(now)
  psql_q -d schemakit_bench_history_one -f "$work/history.sql" >/dev/null
  history_one_times+=("$(elapsed "$t0" "$(now)")")
done
history_one=$(best "${history_one_times[@]}")

psql_q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS schemakit_bench_history" \
  -c "DROP DATABASE IF EXISTS schemakit_bench_up" -c "DROP DATABASE IF EXISTS schemakit_bench_history_one" >/dev/null

echo
echo "best of $RUNS runs, $count migrations:"
printf '  floor: psql file by file                      %8.3f s\n' "$floor"
printf '  squash --scratch-url (proof included)         %8.3f s   %s x the floor   (last run: replay %s s, proof %s s)\n' \
  "$squash_time" "$(ratio "$squash_time" "$floor")" "$replay_seconds" "$proof_seconds"
printf '  squash, embedded server (start included)      %8.3f s   %s x the floor\n' "$embedded" "$(ratio "$embedded" "$floor")"
printf '  history apply, psql file by file              %8.3f s\n' "$floor"
printf '  history apply, one psql session               %8.3f s\n' "$history_one"
printf '  up.sql apply                                  %8.3f s   %s x faster than file by file, %s x faster than one session\n' \
  "$up_time" "$(ratio "$floor" "$up_time")" "$(ratio "$history_one" "$up_time")"
