// Table data export: rows read as the server's text and written as INSERTs must come back
// exactly, whatever the type, in a deterministic order.
#include <gtest/gtest.h>

#include "catalog_test_helpers.hpp"

namespace schemakit::testing {
namespace {

class DataExport : public ServerTest {
 protected:
  ddl::TableData read_data(const std::string& conninfo) {
    auto catalog = introspect::introspect(conninfo, introspect::IntrospectOptions{});
    return introspect::read_table_data(conninfo, catalog);
  }

  // Creates `ddl` in this database and in a second one, loads `rows` here, copies the rows
  // over through INSERT text, and returns the second database.
  std::string copy_through_inserts(const std::string& ddl, const std::string& rows, size_t batch = 1000) {
    exec(ddl);
    exec(rows);
    const std::string b = make_database("b");
    run_sql(b, ddl);
    std::string inserts;
    for (const auto& table : read_data(conninfo()).tables) inserts += ddl::insert_statements(table, batch);
    run_sql(b, "BEGIN; SET LOCAL search_path = ''; " + inserts + " COMMIT;");
    return b;
  }

  // Every row of `table` as one text per row (row-to-text with every column), in `order`.
  static std::vector<std::string> rows_of(const std::string& conninfo, const std::string& table,
                                          const std::string& order) {
    pg::Session session(conninfo, "schemakit-test");
    std::vector<std::string> out;
    for (const auto& row : session.query("SELECT t::text FROM " + table + " t ORDER BY " + order)) {
      out.push_back(row[0].value_or("<NULL>"));
    }
    return out;
  }
};

constexpr const char* kValuesTable =
    "CREATE TABLE v (k int PRIMARY KEY, t text, b bytea, bits bit(4), vb varbit, arr text[], iarr int[][], "
    "j jsonb, js json, n numeric, f float8, r real, ts timestamptz, tsl timestamp, d date, i interval, "
    "u uuid, inet_ inet, c char(3), tr tstzrange, pt point, hs text COLLATE \"C\")";

TEST_F(DataExport, EveryValueRoundTripsExactly) {
  const std::string b = copy_through_inserts(
      kValuesTable,
      "SET TimeZone = 'America/New_York';"
      "INSERT INTO v VALUES "
      "(1, '', '\\x', B'0000', B'', '{}', '{}', '{}', '{\"b\":1,  \"a\":2}', 0, 0, 0, 'epoch', 'epoch', 'epoch', '0', "
      " '00000000-0000-0000-0000-000000000000', '::1', 'a', 'empty', '(0,0)', ''),"
      "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
      " NULL, NULL, NULL),"
      "(3, E'quote '' backslash \\\\ newline \\n tab \\t cr \\r unicode ✓ 世界 \\u0001', '\\xdeadbeef00', B'1010', "
      " B'10101', ARRAY['a b', NULL, '\"q\"', 'NULL', '', E'back\\\\slash', '{x}'], '{{1,2},{3,4}}', "
      " '{\"k\": [1, 2.50, \"x\\\"y\"], \"u\": \"ü\", \"n\": null}', '[1 , 2]', "
      " 123456789012345678901234567890.123456789012345678901, 'Infinity', 'NaN', '2025-03-01 12:34:56.789012+05:30', "
      " 'infinity', '-infinity', '1 year 2 mons 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', "
      " '10.0.0.1/8', 'ab', '[2025-01-01,2026-01-01)', '(1.5,-2e-300)', 'Z'),"
      "(4, 'x', '\\x00', B'1111', B'0', '{\"\"}', NULL, 'null', 'null', '-0.0000000001', '-Infinity', "
      " '1.17549435e-38', '1999-12-31 23:59:59+00', '2000-01-01', '2000-02-29', '-1 day -00:00:01', NULL, NULL, "
      " '   ', '(,)', NULL, 'a'),"
      "(5, 'y', NULL, NULL, NULL, NULL, NULL, '\"str\"', NULL, 'NaN', 2.2250738585072014e-308, 3.4028235e+38, "
      " '0001-01-01 00:00:00+00 BC', NULL, '5874897-12-31', '178000000 years', NULL, NULL, NULL, NULL, NULL, NULL)");
  EXPECT_EQ(rows_of(conninfo(), "v", "k"), rows_of(b, "v", "k"));
  // NULL stays NULL and '' stays '', column by column.
  auto nulls = [](const std::string& db) {
    return query_value(db, "SELECT string_agg(k || ':' || (t IS NULL) || (b IS NULL) || coalesce(length(t), -1), ',' "
                           "ORDER BY k) FROM v");
  };
  EXPECT_EQ(nulls(conninfo()), nulls(b));
  // Binary equality where text could hide a difference.
  EXPECT_EQ(query_value(conninfo(), "SELECT md5(string_agg(b::text || f::text || r::text || n::text, '|' ORDER BY k)) FROM v"),
            query_value(b, "SELECT md5(string_agg(b::text || f::text || r::text || n::text, '|' ORDER BY k)) FROM v"));
}

TEST_F(DataExport, RowsComeInPrimaryKeyOrderElseByEveryColumn) {
  exec("CREATE TABLE keyed (k int PRIMARY KEY, v text); INSERT INTO keyed VALUES (3, 'c'), (1, 'a'), (2, 'b');"
       "CREATE TABLE loose (a text, b int); INSERT INTO loose VALUES ('z', 1), ('a', 2), (NULL, 3), ('a', 1);"
       "CREATE TABLE empty_one (a int);");
  auto data = read_data(conninfo());
  ASSERT_EQ(data.tables.size(), 2u);  // the empty table is not listed
  EXPECT_EQ(ddl::insert_statements(data.tables[0]),
            "INSERT INTO public.keyed (k, v) VALUES\n('1', 'a'),\n('2', 'b'),\n('3', 'c');\n");
  EXPECT_EQ(ddl::insert_statements(data.tables[1]),
            "INSERT INTO public.loose (a, b) VALUES\n('a', '1'),\n('a', '2'),\n('z', '1'),\n(NULL, '3');\n");
}

TEST_F(DataExport, BatchesOfRows) {
  exec("CREATE TABLE t (k int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 5)");
  auto data = read_data(conninfo());
  ASSERT_EQ(data.tables.size(), 1u);
  EXPECT_EQ(ddl::insert_statements(data.tables[0], 2),
            "INSERT INTO public.t (k) VALUES\n('1'),\n('2');\n"
            "INSERT INTO public.t (k) VALUES\n('3'),\n('4');\n"
            "INSERT INTO public.t (k) VALUES\n('5');\n");
}

TEST_F(DataExport, GeneratedColumnsAreLeftOutAndIdentityAlwaysIsOverridden) {
  const std::string ddl =
      "CREATE TABLE g (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, x int, "
      "y int GENERATED ALWAYS AS (x * 2) STORED, \"Select\" text DEFAULT 'd');"
      "CREATE TABLE z ();";
  const std::string b = copy_through_inserts(ddl, "INSERT INTO g (x) VALUES (1), (NULL), (3); DELETE FROM g WHERE x = 1;"
                                                  "INSERT INTO z DEFAULT VALUES; INSERT INTO z DEFAULT VALUES;");
  auto data = read_data(conninfo());
  ASSERT_EQ(data.tables.size(), 2u);
  EXPECT_EQ(data.tables[0].columns, (std::vector<std::string>{"id", "x", "Select"}));
  EXPECT_TRUE(data.tables[0].overriding_system_value);
  EXPECT_EQ(rows_of(conninfo(), "g", "id"), rows_of(b, "g", "id"));
  EXPECT_EQ(rows_of(b, "g", "id"), (std::vector<std::string>{"(2,,,d)", "(3,3,6,d)"}));
  EXPECT_EQ(query_value(b, "SELECT count(*) FROM z"), "2");
}

TEST_F(DataExport, PartitionsThroughTheirLeavesInheritanceParentsWithOnly) {
  const std::string ddl =
      "CREATE TABLE p (id int, at date) PARTITION BY RANGE (at);"
      "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');"
      "CREATE TABLE p2 PARTITION OF p DEFAULT;"
      "CREATE TABLE base (id int); CREATE TABLE child (extra int) INHERITS (base);";
  const std::string b = copy_through_inserts(
      ddl, "INSERT INTO p VALUES (1, '2020-06-01'), (2, '2030-01-01'); INSERT INTO base VALUES (10);"
           "INSERT INTO child VALUES (20, 7);");
  std::vector<std::string> tables;
  for (const auto& t : read_data(conninfo()).tables) tables.push_back(catalog::display_name(t.table));
  EXPECT_EQ(tables, (std::vector<std::string>{"public.base", "public.child", "public.p1", "public.p2"}));
  EXPECT_EQ(rows_of(b, "p", "id"), (std::vector<std::string>{"(1,2020-06-01)", "(2,2030-01-01)"}));
  EXPECT_EQ(rows_of(b, "ONLY base", "id"), (std::vector<std::string>{"(10)"}));
  EXPECT_EQ(rows_of(b, "child", "id"), (std::vector<std::string>{"(20,7)"}));
}

TEST_F(DataExport, TablesLoadInForeignKeyOrder) {
  exec("CREATE TABLE a_child (id int PRIMARY KEY, parent int); CREATE TABLE z_parent (id int PRIMARY KEY);"
       "ALTER TABLE a_child ADD FOREIGN KEY (parent) REFERENCES z_parent;"
       "INSERT INTO z_parent VALUES (1); INSERT INTO a_child VALUES (1, 1);"
       // A loop: broken at the smallest identity.
       "CREATE TABLE m1 (id int PRIMARY KEY, o int); CREATE TABLE m2 (id int PRIMARY KEY, o int REFERENCES m1);"
       "ALTER TABLE m1 ADD FOREIGN KEY (o) REFERENCES m2; INSERT INTO m1 VALUES (1, NULL); INSERT INTO m2 VALUES (1, 1);");
  std::vector<std::string> tables;
  for (const auto& t : read_data(conninfo()).tables) tables.push_back(catalog::display_name(t.table));
  EXPECT_EQ(tables, (std::vector<std::string>{"public.z_parent", "public.a_child", "public.m1", "public.m2"}));
}

TEST_F(DataExport, TimestampsDoNotDependOnTheSessionTimeZone) {
  exec("ALTER DATABASE " + db_name() + " SET TimeZone = 'Asia/Kolkata';"
       "CREATE TABLE t (k int PRIMARY KEY, at timestamptz); INSERT INTO t VALUES (1, '2025-01-01 00:00:00+00')");
  auto data = read_data(conninfo());
  ASSERT_EQ(data.tables.size(), 1u);
  EXPECT_EQ(*data.tables[0].rows[0][1], "2025-01-01 00:00:00+00");
}

}  // namespace
}  // namespace schemakit::testing
