// Index definitions rebuilt on the client (introspect/kinds/index_definition.hpp) against the
// server's own pg_get_indexdef: every operator class of every built-in access method on every
// built-in type (and a user enum, range, composite, domains, arrays, an extension's types and
// operator classes) that the server accepts, plus ordering, collations, INCLUDE, NULLS NOT
// DISTINCT, partial and partitioned indexes, hostile names. The rules are pure logic and are
// tested first without a server.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <string>

#include "catalog/attributes.hpp"
#include "catalog/model.hpp"
#include "introspect/introspect.hpp"
#include "introspect/kinds/index_definition.hpp"
#include "pg/connection.hpp"
#include "support/server_fixture.hpp"

using namespace schemakit;
namespace idx = schemakit::introspect::index_definition;
using schemakit::testing::ServerTest;

namespace {

constexpr uint32_t kBtree = 403;
constexpr uint32_t kText = 25, kVarchar = 1043, kName = 19, kInt4 = 23, kAnyArray = 2277, kInt4Array = 1007;

idx::Facts btree_facts() {
  idx::Facts facts;
  // text_ops (text, preferred in category S), name_ops (name), array_ops (anyarray), int4_ops.
  facts.operator_classes[3126] = {"text_ops", "pg_catalog", true, kBtree, kText, true, 'S', true, false};
  facts.operator_classes[1986] = {"name_ops", "pg_catalog", true, kBtree, kName, true, 'S', false, false};
  facts.operator_classes[397] = {"array_ops", "pg_catalog", true, kBtree, kAnyArray, true, 'P', false, false};
  facts.operator_classes[1978] = {"int4_ops", "pg_catalog", true, kBtree, kInt4, true, 'N', false, false};
  facts.operator_classes[4217] = {"text_pattern_ops", "pg_catalog", true, kBtree, kText, false, 'S', true, false};
  facts.binary_casts.insert(idx::Facts::pair_key(kVarchar, kText));
  facts.types[kText] = {kText, 'b', 'S', false, false, false};
  facts.types[kVarchar] = {kVarchar, 'b', 'S', false, false, false};
  facts.types[kInt4] = {kInt4, 'b', 'N', false, false, false};
  facts.types[kInt4Array] = {kInt4Array, 'b', 'A', false, true, false};
  return facts;
}

TEST(IndexDefinitionRules, ParsesVectorsAsTheServerPrintsThem) {
  EXPECT_EQ(idx::parse_vector("1 2 0"), (std::vector<int64_t>{1, 2, 0}));
  EXPECT_EQ(idx::parse_vector(""), std::vector<int64_t>{});
  EXPECT_EQ(idx::parse_vector("3126"), std::vector<int64_t>{3126});
  EXPECT_EQ(idx::parse_vector("12 x"), std::vector<int64_t>{}) << "a token that is no number spoils the vector";
}

TEST(IndexDefinitionRules, DefaultOperatorClassAsGetDefaultOpClassChooses) {
  const idx::Facts facts = btree_facts();
  EXPECT_EQ(idx::default_operator_class(kText, kBtree, facts), 3126u) << "exact input type";
  EXPECT_EQ(idx::default_operator_class(kVarchar, kBtree, facts), 3126u) << "binary-coercible to text";
  EXPECT_EQ(idx::default_operator_class(kInt4Array, kBtree, facts), 397u) << "any array is an anyarray";
  EXPECT_EQ(idx::default_operator_class(kInt4, kBtree, facts), 1978u);
  EXPECT_EQ(idx::default_operator_class(kInt4, 405, facts), 0u) << "no default class for the method";
  EXPECT_EQ(idx::default_operator_class(16, kBtree, facts), std::nullopt) << "a type it was not told about";
}

TEST(IndexDefinitionRules, TwoCoercibleDefaultsWithoutAPreferredOneMeanNone) {
  idx::Facts facts = btree_facts();
  facts.operator_classes[3126].input_preferred = false;
  facts.operator_classes[1986].input_preferred = false;
  facts.binary_casts.insert(idx::Facts::pair_key(kVarchar, kName));
  EXPECT_EQ(idx::default_operator_class(kVarchar, kBtree, facts), 0u);
  facts.operator_classes[3126].input_preferred = true;
  EXPECT_EQ(idx::default_operator_class(kVarchar, kBtree, facts), 3126u) << "the preferred type of the category wins";
}

TEST(IndexDefinitionRules, WritesWhatPgGetIndexdefWrites) {
  idx::Facts facts = btree_facts();
  facts.columns[idx::Facts::column_key(500, 1)] = {"select", kInt4, 0};
  facts.columns[idx::Facts::column_key(500, 3)] = {"Name", kVarchar, 100};
  facts.columns[idx::Facts::column_key(500, 4)] = {"note", kText, 100};
  facts.collations[950] = {"C", "pg_catalog", true};
  facts.collations[951] = {"my coll", "Odd Schema", false};
  idx::IndexRow row;
  row.name = "Order idx";
  row.schema = "Odd Schema";
  row.table = "order";
  row.table_oid = 500;
  row.access_method = "btree";
  row.unique = true;
  row.keys = {1, 3, 4, 4};
  row.key_count = 3;
  row.operator_classes = {1978, 3126, 4217};
  row.collations = {0, 950, 951};
  row.options = {1, 2, 3};
  row.nulls_not_distinct = true;
  row.predicate = "(\"select\" > 0)";
  EXPECT_EQ(idx::rebuild(row, facts),
            "CREATE UNIQUE INDEX \"Order idx\" ON \"Odd Schema\".\"order\" USING btree (\"select\" DESC NULLS LAST, "
            "\"Name\" COLLATE \"C\" NULLS FIRST, note COLLATE \"Odd Schema\".\"my coll\" text_pattern_ops DESC) "
            "INCLUDE (note) NULLS NOT DISTINCT WHERE (\"select\" > 0)");
  row.keys[0] = 0;
  EXPECT_EQ(idx::rebuild(row, facts), std::nullopt) << "an expression column is the server's to deparse";
  row.keys[0] = 1;
  facts.operator_classes[4217].takes_options = true;
  EXPECT_EQ(idx::rebuild(row, facts), std::nullopt) << "an operator class that may carry parameters";
  facts.operator_classes[4217].takes_options = false;
  row.access_method = "hash";
  EXPECT_EQ(idx::rebuild(row, facts), std::nullopt) << "ordering options on a method that does not order";
}

// Every index of the database with the server's text, under the reader's search_path ('').
std::map<std::string, std::string> server_definitions(const std::string& conninfo) {
  pg::Session session(conninfo, "schemakit-test");
  session.exec("SET search_path = ''");
  std::map<std::string, std::string> out;
  for (const auto& row : session.query(
           "SELECT n.nspname || '.' || c.relname, pg_catalog.pg_get_indexdef(c.oid) FROM pg_catalog.pg_class c "
           "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('i', 'I') "
           "AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')")) {
    out[row[0].value_or("")] = row[1].value_or("");
  }
  return out;
}

// How many indexes the reader rebuilt nothing for and sent to pg_get_indexdef in its last index
// query, which lists their OIDs (expression indexes and storage parameters are deparsed in the first
// query and are not counted).
size_t left_to_server(const introspect::IntrospectStats& stats) {
  for (const auto& sql : stats.query_texts) {
    if (sql.find("pg_get_indexdef(x.oid)") == std::string::npos) continue;
    const size_t open = sql.find("'{");
    const size_t close = sql.find("}'", open);
    if (open == std::string::npos || close == std::string::npos || close == open + 2) return 0;
    return static_cast<size_t>(std::count(sql.begin() + static_cast<long>(open), sql.begin() + static_cast<long>(close), ',')) + 1;
  }
  return 0;
}

class IndexDefinitionTest : public ServerTest {
 protected:
  // Reads the database as the library does and holds every index's definition to the server's.
  void expect_server_text(size_t minimum_not_sent_back) {
    introspect::IntrospectOptions options;
    options.jobs = 1;
    introspect::IntrospectStats stats;
    stats.record_queries = true;
    const catalog::Catalog model = introspect::introspect(conninfo(), options, &stats);
    const auto expected = server_definitions(conninfo());
    size_t compared = 0;
    for (const auto& object : model.objects) {
      if (object.id.kind != catalog::Kind::index) continue;
      const std::string key = object.id.schema + "." + object.id.name;
      auto found = expected.find(key);
      ASSERT_NE(found, expected.end()) << key;
      EXPECT_EQ(object.attr(catalog::attr::definition), found->second) << key;
      ++compared;
    }
    const size_t by_server = left_to_server(stats);
    EXPECT_GE(compared - std::min(compared, by_server), minimum_not_sent_back)
        << compared << " indexes compared, " << by_server << " sent back to pg_get_indexdef";
    std::cout << compared << " indexes compared, " << by_server << " sent back to pg_get_indexdef\n";
  }
};

TEST_F(IndexDefinitionTest, EveryOperatorClassOnEveryTypeItAccepts) {
  exec(R"sql(
    CREATE SCHEMA "Zoo Schema";
    CREATE SCHEMA ext;
    CREATE EXTENSION citext SCHEMA ext;
    CREATE EXTENSION btree_gist SCHEMA ext;
    CREATE TYPE "Zoo Schema".mood AS ENUM ('sad', 'ok');
    CREATE TYPE "Zoo Schema".floatrange AS RANGE (subtype = float8);
    CREATE TYPE "Zoo Schema".pair AS (x int, y text);
    CREATE DOMAIN "Zoo Schema".short_text AS varchar(20);
    CREATE DOMAIN "Zoo Schema".shorter_text AS "Zoo Schema".short_text;
    CREATE DOMAIN "Zoo Schema".int_list AS int4[];
    CREATE DOMAIN "Zoo Schema".pairs AS "Zoo Schema".pair[];
  )sql");
  // One table per type, one index per operator class that could take it (and one with the
  // method's default); what the server refuses is skipped.
  exec(R"sql(
    DO $$
    DECLARE
      ty regtype; am record; opc record; n int := 0; made int := 0;
    BEGIN
      FOR ty IN
        SELECT t.oid::regtype FROM pg_type t
        WHERE (t.typnamespace = 'pg_catalog'::regnamespace AND t.typtype IN ('b', 'r', 'm') AND t.typisdefined
               AND t.typcategory NOT IN ('P', 'X') AND (t.typelem = 0 OR t.typname IN ('_int4', '_text', '_varchar', '_numeric')))
           OR t.typnamespace IN ('"Zoo Schema"'::regnamespace, 'ext'::regnamespace) AND t.typtype IN ('b', 'e', 'r', 'm', 'd', 'c')
           OR t.oid IN ('"Zoo Schema".mood[]'::regtype, '"Zoo Schema".floatrange[]'::regtype)
        ORDER BY t.oid
      LOOP
        n := n + 1;
        BEGIN
          EXECUTE format('CREATE TABLE "Zoo Schema".%I (dropped int, "the col" %s)', 't ' || n, ty);
          EXECUTE format('ALTER TABLE "Zoo Schema".%I DROP COLUMN dropped', 't ' || n);
        EXCEPTION WHEN others THEN CONTINUE;
        END;
        FOR am IN SELECT amname FROM pg_am WHERE amtype = 'i' ORDER BY amname LOOP
          BEGIN
            EXECUTE format('CREATE INDEX ON "Zoo Schema".%I USING %I ("the col")', 't ' || n, am.amname);
            made := made + 1;
          EXCEPTION WHEN others THEN NULL;
          END;
          FOR opc IN
            SELECT o.opcname, nsp.nspname FROM pg_opclass o JOIN pg_am a ON a.oid = o.opcmethod
            JOIN pg_namespace nsp ON nsp.oid = o.opcnamespace JOIN pg_type it ON it.oid = o.opcintype
            WHERE a.amname = am.amname AND (it.typtype = 'p' OR o.opcintype = ty
              OR o.opcintype = (SELECT CASE WHEN d.typtype = 'd' THEN d.typbasetype END FROM pg_type d WHERE d.oid = ty)
              OR EXISTS (SELECT FROM pg_cast c WHERE c.castsource = ty AND c.casttarget = o.opcintype))
            ORDER BY o.oid
          LOOP
            BEGIN
              EXECUTE format('CREATE INDEX ON "Zoo Schema".%I USING %I ("the col" %I.%I)', 't ' || n, am.amname,
                             opc.nspname, opc.opcname);
              made := made + 1;
            EXCEPTION WHEN others THEN NULL;
            END;
          END LOOP;
        END LOOP;
      END LOOP;
      RAISE NOTICE '% types, % indexes', n, made;
    END $$;
  )sql");
  expect_server_text(400);
}

TEST_F(IndexDefinitionTest, OrderingCollationsIncludePartialPartitionedAndHostileNames) {
  exec(R"sql(
    CREATE SCHEMA "Odd Schema";
    CREATE SCHEMA ext;
    CREATE EXTENSION pg_trgm SCHEMA ext;
    CREATE COLLATION "Odd Schema"."my coll" (locale = 'C');
    CREATE DOMAIN "Odd Schema".short_text AS varchar(20);
    CREATE TABLE "Odd Schema"."Order" ("select" int, gone int, "Mixed Case" text, plain varchar(10), amount numeric,
                                       t text, tags text[], d "Odd Schema".short_text, v tsvector);
    ALTER TABLE "Odd Schema"."Order" DROP COLUMN gone;
    CREATE INDEX "idx ""quoted"" desc" ON "Odd Schema"."Order" ("select" DESC, "Mixed Case" NULLS FIRST,
                                                               plain DESC NULLS LAST, amount ASC NULLS LAST);
    CREATE INDEX ON "Odd Schema"."Order" ("select" DESC NULLS FIRST);
    CREATE UNIQUE INDEX ON "Odd Schema"."Order" ("select") INCLUDE (plain, "Mixed Case");
    CREATE UNIQUE INDEX ON "Odd Schema"."Order" (plain) NULLS NOT DISTINCT;
    CREATE INDEX ON "Odd Schema"."Order" (t COLLATE "C");
    CREATE INDEX ON "Odd Schema"."Order" (t COLLATE "POSIX" text_pattern_ops DESC);
    CREATE INDEX ON "Odd Schema"."Order" (t COLLATE "Odd Schema"."my coll", "Mixed Case" COLLATE "default");
    CREATE INDEX ON "Odd Schema"."Order" (plain varchar_pattern_ops, plain text_pattern_ops);
    CREATE INDEX ON "Odd Schema"."Order" (d, d COLLATE "C");
    CREATE INDEX ON "Odd Schema"."Order" USING gin (tags);
    CREATE INDEX ON "Odd Schema"."Order" USING gin (t ext.gin_trgm_ops);
    CREATE INDEX ON "Odd Schema"."Order" USING gist (t ext.gist_trgm_ops (siglen = 32));
    CREATE INDEX ON "Odd Schema"."Order" USING gist (v tsvector_ops (siglen = 100));
    CREATE INDEX ON "Odd Schema"."Order" USING gist (v);
    CREATE INDEX ON "Odd Schema"."Order" USING brin ("select" int4_minmax_multi_ops (values_per_range = 16));
    CREATE INDEX ON "Odd Schema"."Order" USING brin ("select") WITH (pages_per_range = 8);
    CREATE INDEX ON "Odd Schema"."Order" USING hash (plain);
    CREATE INDEX ON "Odd Schema"."Order" (lower(t));
    CREATE INDEX ON "Odd Schema"."Order" ("select") WHERE amount > 0 AND t <> 'x';
    CREATE INDEX ON "Odd Schema"."Order" ("select", lower(t)) WHERE plain IS NOT NULL;
    CREATE INDEX ON "Odd Schema"."Order" (amount) WITH (fillfactor = 70, deduplicate_items = off);
    CREATE TABLE "Odd Schema".parted (k int, "Val" text) PARTITION BY RANGE (k);
    CREATE TABLE "Odd Schema".parted_1 PARTITION OF "Odd Schema".parted FOR VALUES FROM (0) TO (10);
    CREATE INDEX ON "Odd Schema".parted (k, "Val" DESC);
    CREATE INDEX "only parent" ON ONLY "Odd Schema".parted ("Val");
    CREATE MATERIALIZED VIEW "Odd Schema".mv AS SELECT 1 AS one, 'x'::text AS "Two";
    CREATE INDEX ON "Odd Schema".mv ("Two" COLLATE "C", one);
    CREATE TABLE "Odd Schema".c_coll (k text COLLATE "C", j text COLLATE "Odd Schema"."my coll", n int);
    CREATE UNIQUE INDEX ON "Odd Schema".c_coll (k, j DESC) INCLUDE (n) NULLS NOT DISTINCT WHERE n > 1;
    CREATE INDEX ON "Odd Schema".c_coll (k COLLATE "default", j COLLATE "C");
    CREATE INDEX ON "Odd Schema".c_coll USING hash (j);
    CREATE TABLE public."user" ("table" int, "Column" text);
    CREATE INDEX "where" ON public."user" ("table", "Column");
  )sql");
  expect_server_text(20);
}

}  // namespace
