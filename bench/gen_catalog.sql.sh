#!/usr/bin/env bash
# Prints SQL that builds a large catalog in schema "bench", generated server-side (DO blocks that
# commit every 200 tables, so the lock table never fills), and, with --changes, SQL that makes a
# number of scattered differences in a copy of it. Used by bench/compare_bench.sh.
#
#   bench/gen_catalog.sql.sh --catalog TABLES | psql -d a
#   bench/gen_catalog.sql.sh --changes TABLES CHANGES | psql -d b
#
# The catalog: TABLES tables of 20 columns (bigint key, integers, text, numeric, timestamptz,
# boolean, jsonb, an enum) with 2 indexes each, a foreign key on every fifth table, 20 enums,
# TABLES/10 views, TABLES/10 plpgsql functions, TABLES/100 range-partitioned tables of 4
# partitions, a comment on every tenth table.
set -euo pipefail

mode=${1:-}
tables=${2:-5000}

case "$mode" in
--catalog)
  cat <<SQL
CREATE SCHEMA bench;
DO \$\$
BEGIN
  FOR e IN 1..20 LOOP
    EXECUTE format('CREATE TYPE bench.state_%s AS ENUM (%L, %L, %L)', e, 'new', 'active', 'closed');
  END LOOP;
END \$\$;
DO \$\$
DECLARE
  n int := $tables;
BEGIN
  FOR t IN 1..n LOOP
    EXECUTE format(
      'CREATE TABLE bench.t_%s (id bigint PRIMARY KEY, parent_id bigint, c_int1 integer, c_int2 integer, '
      'c_int3 integer NOT NULL DEFAULT 0, c_text1 text, c_text2 text NOT NULL DEFAULT %L, c_text3 varchar(80), '
      'c_num1 numeric(12,2), c_num2 numeric(12,2) DEFAULT 0, c_ts1 timestamptz NOT NULL DEFAULT now(), '
      'c_ts2 timestamptz, c_bool1 boolean NOT NULL DEFAULT false, c_bool2 boolean, c_json1 jsonb, '
      'c_json2 jsonb NOT NULL DEFAULT %L, c_state bench.state_%s NOT NULL DEFAULT %L, c_big1 bigint, '
      'c_big2 bigint, c_note text)', t, '', '{}', 1 + t % 20, 'new');
    EXECUTE format('CREATE INDEX t_%s_text1_idx ON bench.t_%s (c_text1)', t, t);
    EXECUTE format('CREATE INDEX t_%s_state_ts_idx ON bench.t_%s (c_state, c_ts1 DESC) WHERE c_bool1', t, t);
    IF t % 5 = 0 AND t > 1 THEN
      EXECUTE format('ALTER TABLE bench.t_%s ADD CONSTRAINT t_%s_parent_fk FOREIGN KEY (parent_id) '
                     'REFERENCES bench.t_%s (id) ON DELETE CASCADE', t, t, t - 1);
    END IF;
    IF t % 10 = 0 THEN
      EXECUTE format('COMMENT ON TABLE bench.t_%s IS %L', t, 'table number ' || t);
      EXECUTE format('CREATE VIEW bench.v_%s AS SELECT a.id, a.c_text1, b.c_int1 FROM bench.t_%s a '
                     'JOIN bench.t_%s b ON b.id = a.parent_id WHERE a.c_bool1', t, t, t - 1);
      EXECUTE format('CREATE FUNCTION bench.f_%s(p_id bigint) RETURNS integer LANGUAGE plpgsql STABLE AS %L',
                     t, format(E'DECLARE\n  result integer;\nBEGIN\n  SELECT c_int1 INTO result FROM bench.t_%s WHERE id = p_id;\n  RETURN coalesce(result, 0);\nEND', t));
    END IF;
    IF t % 100 = 0 THEN
      EXECUTE format('CREATE TABLE bench.p_%s (id bigint, at date NOT NULL, amount numeric(12,2)) '
                     'PARTITION BY RANGE (at)', t);
      FOR q IN 1..4 LOOP
        EXECUTE format('CREATE TABLE bench.p_%s_q%s PARTITION OF bench.p_%s FOR VALUES FROM (%L) TO (%L)',
                       t, q, t, make_date(2024, 3 * q - 2, 1), make_date(2024 + (q / 4), (3 * q) % 12 + 1, 1));
      END LOOP;
    END IF;
    IF t % 200 = 0 THEN
      COMMIT;
    END IF;
  END LOOP;
END \$\$;
SQL
  ;;
--changes)
  changes=${3:-300}
  cat <<SQL
DO \$\$
DECLARE
  n int := $tables;
  m int := $changes;
  step int := greatest(1, n / m);
  t int;
BEGIN
  -- Tables are picked every \`step\`; each kind of change goes to different tables, and never to
  -- a column a view reads (c_text1, c_int1, c_bool1, parent_id).
  FOR i IN 0..m - 1 LOOP
    t := 1 + (i * step + (i % 7)) % n;
    CASE i % 6
      WHEN 0 THEN EXECUTE format('ALTER TABLE bench.t_%s ALTER COLUMN c_int2 TYPE bigint', t);
      WHEN 1 THEN EXECUTE format('ALTER TABLE bench.t_%s ADD COLUMN c_added text', t);
      WHEN 2 THEN EXECUTE format('DROP INDEX bench.t_%s_text1_idx', t);
      WHEN 3 THEN EXECUTE format('COMMENT ON COLUMN bench.t_%s.c_note IS %L', t, 'changed');
      WHEN 4 THEN EXECUTE format('ALTER TABLE bench.t_%s ALTER COLUMN c_num2 SET DEFAULT 1', t);
      ELSE EXECUTE format('ALTER TABLE bench.t_%s ALTER COLUMN c_text3 SET NOT NULL', t);
    END CASE;
  END LOOP;
END \$\$;
SQL
  ;;
*)
  echo "usage: $0 --catalog TABLES | --changes TABLES CHANGES" >&2
  exit 2
  ;;
esac
