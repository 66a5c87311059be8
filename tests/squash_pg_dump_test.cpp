// The pg_dump half of the proof: each normalization rule is shown to be needed (raw dumps of two
// semantically equal databases differ) and sufficient (normalized, they are equal), and real
// differences survive normalization.
#include <gtest/gtest.h>

#include <string>

#include "diff/render.hpp"
#include "squash/pg_dump.hpp"
#include "squash/rows.hpp"
#include "support/server_fixture.hpp"

using namespace schemakit;
using schemakit::testing::ServerTest;
using schemakit::testing::test_server;

namespace {

class PgDumpTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (test_server().client_bindir().empty()) GTEST_SKIP() << "pg_dump is not installed";
  }
  std::string dump(const std::string& conninfo) {
    return squash::pg_dump_schema(test_server().client_bindir(), conninfo);
  }
};

const char* kRoles =
    "DO $$ BEGIN "
    "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'squash_dump_r1') THEN CREATE ROLE squash_dump_r1; END IF; "
    "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'squash_dump_r2') THEN CREATE ROLE squash_dump_r2; END IF; "
    "END $$;";

TEST_F(PgDumpTest, RestrictKeyLinesAreDropped) {
  const std::string text = "\\restrict AbC123\nCREATE TABLE t ();\n\\unrestrict AbC123\n";
  EXPECT_EQ(squash::normalize_pg_dump(text), "CREATE TABLE t ();\n");
}

// pg_dump prints grants in ACL order, the order they were made in. An outside check diffs the
// raw dumps, so the proof does not normalize the order either: up.sql must rebuild it.
TEST_F(PgDumpTest, GrantOrderIsNotNormalized) {
  const std::string other = make_database("grants");
  exec(kRoles);
  exec("CREATE TABLE t (id int); GRANT SELECT ON t TO squash_dump_r1; GRANT INSERT ON t TO squash_dump_r2;");
  exec_on(other, "CREATE TABLE t (id int); GRANT INSERT ON t TO squash_dump_r2; GRANT SELECT ON t TO squash_dump_r1;");
  const std::string a = squash::normalize_pg_dump(dump(conninfo())), b = squash::normalize_pg_dump(dump(other));
  EXPECT_NE(a, b) << "grants made in another order print in another order";
}

TEST_F(PgDumpTest, RealDifferencesSurviveNormalization) {
  const std::string other = make_database("differs");
  exec(kRoles);
  exec("CREATE TABLE t (id int); GRANT SELECT ON t TO squash_dump_r1;");
  exec_on(other, "CREATE TABLE t (id int); GRANT INSERT ON t TO squash_dump_r1;");
  const std::string text = diff::unified_diff(squash::normalize_pg_dump(dump(conninfo())),
                                              squash::normalize_pg_dump(dump(other)), "", false);
  EXPECT_NE(text.find("-GRANT SELECT ON TABLE public.t TO squash_dump_r1;"), std::string::npos) << text;
  EXPECT_NE(text.find("+GRANT INSERT ON TABLE public.t TO squash_dump_r1;"), std::string::npos) << text;
}

TEST_F(PgDumpTest, ExcludedTableIsMatchedExactly) {
  EXPECT_EQ(squash::exact_table_pattern({"public", "schema_migrations"}), "\"public\".\"schema_migrations\"");
  EXPECT_EQ(squash::exact_table_pattern({"App", "we\"ird*"}), "\"App\".\"we\"\"ird*\"");
  exec("CREATE TABLE schema_migrations (version bigint PRIMARY KEY); CREATE TABLE schema_migrationsx (id int);");
  const std::string text = squash::pg_dump_schema(test_server().client_bindir(), conninfo(),
                                                  {{"public", "schema_migrations"}});
  EXPECT_EQ(text.find("CREATE TABLE public.schema_migrations ("), std::string::npos) << text;
  EXPECT_NE(text.find("CREATE TABLE public.schema_migrationsx ("), std::string::npos) << text;
}

TEST_F(PgDumpTest, DataSnapshotSeesRowsAndSequencePositions) {
  const std::string other = make_database("data");
  exec("CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) VALUES ('a'), (NULL), ('');");
  exec_on(other, "CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) VALUES ('a'), (''), (NULL);");
  pg::Session a(conninfo(), "test"), b(other, "test");
  // Same rows, different order of insertion: the ids differ, so the rows differ.
  auto problems = squash::compare_data(squash::snapshot_data(a, {}), squash::snapshot_data(b, {}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("table public.t: the same number of rows (3) but different values", 0), 0u)
      << problems[0];
  exec_on(other, "TRUNCATE t; ALTER SEQUENCE t_id_seq RESTART; INSERT INTO t (v) VALUES ('a'), (NULL), (''), ('x'); DELETE FROM t WHERE v = 'x';");
  problems = squash::compare_data(squash::snapshot_data(a, {}), squash::snapshot_data(b, {}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "sequence public.t_id_seq: last_value 3 is_called true in the replayed "
                         "database, last_value 4 is_called true in the rebuilt");
  EXPECT_TRUE(squash::compare_data(squash::snapshot_data(a, {}),
                                   squash::snapshot_data(b, {"public.t_id_seq"})).size() == 1u);
}

// Rows are compared as a multiset: the same distinct rows in other multiplicities differ.
TEST_F(PgDumpTest, DataSnapshotCountsDuplicateRows) {
  const std::string other = make_database("duplicates");
  exec("CREATE TABLE t (v text); INSERT INTO t VALUES ('a'), ('a'), ('b');");
  exec_on(other, "CREATE TABLE t (v text); INSERT INTO t VALUES ('a'), ('b'), ('b');");
  pg::Session a(conninfo(), "test"), b(other, "test");
  auto problems = squash::compare_data(squash::snapshot_data(a, {}), squash::snapshot_data(b, {}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("table public.t: the same number of rows (3) but different values", 0), 0u)
      << problems[0];
  exec_on(other, "DELETE FROM t; INSERT INTO t VALUES ('b'), ('a'), ('a');");
  EXPECT_TRUE(squash::compare_data(squash::snapshot_data(a, {}), squash::snapshot_data(b, {})).empty());
}

}  // namespace
