#!/usr/bin/env bash
# Archive and restore of a large history against what the disk allows: a verified copy by hand
# (`cp -r` + `sha256sum` + `sync -f`) and a verified move by hand (the same + `rm -rf` of the
# source). Run by hand, not in the test suite:
#
#   bench/archive_bench.sh                 # 10,000 files (5,000 golang-migrate migrations)
#   FILES=2000 ARCHIVE=/path/to/archive bench/archive_bench.sh
#
# Prints each time and its ratio to both baselines. Per file, archive creates a copy, re-reads it
# from the disk (cached pages dropped), re-hashes the original and removes it; restore writes a
# temporary file, renames it, re-reads it and removes the set's copy. It also reads the folder
# with lib/migrations (names, order and checksums; the SQL is not parsed), printed separately. docs/archive.md has figures.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
ARCHIVE=${ARCHIVE:-$here/build/bin/archive}
FILES=${FILES:-10000}
migrations=$((FILES / 2))
[ -x "$ARCHIVE" ] || { echo "archive binary not found at $ARCHIVE (build first, or set ARCHIVE=...)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/archive-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# Migrations of 0.5 to 4 KB, like a real history; golang-migrate layout, up and down per version.
mkdir migrations
awk -v n="$migrations" 'BEGIN {
  srand(42);
  for (i = 1; i <= n; i++) {
    up = sprintf("migrations/%06d_step_%d.up.sql", i, i);
    down = sprintf("migrations/%06d_step_%d.down.sql", i, i);
    printf "CREATE TABLE step_%d (\n  id bigint PRIMARY KEY,\n", i > up;
    columns = 10 + int(rand() * 100);
    for (c = 1; c <= columns; c++) printf "  column_%d text NOT NULL DEFAULT %c%s%c,\n", c, 39, "value", 39 > up;
    printf "  created_at timestamptz NOT NULL DEFAULT now()\n);\n" > up;
    printf "DROP TABLE step_%d;\n", i > down;
    close(up); close(down);
  }
}'
bytes=$(du -sb migrations | cut -f1)
last=$(printf '%06d' "$migrations")
find migrations -type f | sort | xargs sha256sum > before.sha256

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# Two baselines: A = `cp -r` + `sha256sum` of the copy + `sync -f` (a verified copy by hand), and
# B = A + `rm -rf` of the source + `sync -f` (a verified move by hand, which is what archive and
# restore do). Each runs before and after the archive and restore and the two are averaged: on a
# shared machine the disk's speed drifts, and a single baseline can flatter or damn the ratios.
baseline_once() {
  cp -r migrations baseline_source
  sync -f .
  local t0 t1 t2
  t0=$(now)
  cp -r baseline_source baseline_copy
  (cd baseline_copy && find . -type f -print0 | xargs -0 sha256sum > /dev/null)
  sync -f .
  t1=$(now)
  rm -rf baseline_source
  sync -f .
  t2=$(now)
  rm -rf baseline_copy
  sync -f .
  echo "$(elapsed "$t0" "$t1") $(elapsed "$t0" "$t2")"
}
baseline_before=$(baseline_once)

# Reading the folder (lib/migrations: names, order, checksums) is part of archive's time.
t0=$(now)
"$ARCHIVE" list --migrations migrations --through "$last" > /dev/null
t1=$(now)
read_time=$(elapsed "$t0" "$t1")

sync -f .
t0=$(now)
"$ARCHIVE" archive --migrations migrations --through "$last" --name bench > /dev/null
t1=$(now)
archive_time=$(elapsed "$t0" "$t1")

t0=$(now)
"$ARCHIVE" verify bench > /dev/null
t1=$(now)
verify_time=$(elapsed "$t0" "$t1")

t0=$(now)
"$ARCHIVE" restore bench > /dev/null
t1=$(now)
restore_time=$(elapsed "$t0" "$t1")

find migrations -type f | sort | xargs sha256sum > after.sha256
cmp -s before.sha256 after.sha256 || { echo "restored folder differs from the original!" >&2; exit 1; }
baseline_after=$(baseline_once)
average() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (a + b) / 2 }'; }
copy_before=${baseline_before% *}; move_before=${baseline_before#* }
copy_after=${baseline_after% *}; move_after=${baseline_after#* }
baseline=$(average "$copy_before" "$copy_after")
move_baseline=$(average "$move_before" "$move_after")

printf '%d files, %d bytes (%d migrations, golang-migrate layout)\n' "$FILES" "$bytes" "$migrations"
row() { printf '%-46s %9s s  %6sx A  %6sx B\n' "$1" "$2" "$(ratio "$2" "$baseline")" "$(ratio "$2" "$move_baseline")"; }
printf '%-46s %9s s  (before %s, after %s)\n' "A: cp -r + sha256sum + sync" "$baseline" "$copy_before" "$copy_after"
printf '%-46s %9s s  (before %s, after %s)\n' "B: A + rm -rf of the source + sync" "$move_baseline" "$move_before" "$move_after"
row "archive archive" "$archive_time"
row "  of which reading the folder (archive list)" "$read_time"
row "archive verify" "$verify_time"
row "archive restore" "$restore_time"
echo "restored folder is byte-identical to the original"
