// Database names in migration statements (migrations/database_names.hpp): found through the parse
// tree and the scanner's tokens, rewritten in place, refused where squash cannot reproduce them.
// Pure logic: no server.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "common/error.hpp"
#include "migrations/database_names.hpp"
#include "migrations/reader.hpp"
#include "support/error_of.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace schemakit;
using namespace schemakit::migrations;
using schemakit::testing::TempDir;
using schemakit::testing::write_file;

namespace {

std::string error_of(const std::function<void()>& body) { return schemakit::testing::error_of<InputError>(body); }

// "name@written" for every name found: what the server reads, and the token as written.
std::vector<std::string> found(const std::string& sql) {
  std::vector<std::string> out;
  for (const DatabaseName& name : find_database_names(sql, "t.sql")) {
    out.push_back(name.name + "@" + sql.substr(name.begin, name.end - name.begin));
  }
  return out;
}

std::string refusal(const std::string& sql) {
  for (const DatabaseName& name : find_database_names(sql, "t.sql")) {
    if (!name.refusal.empty()) return name.refusal;
  }
  return "(none)";
}

using Names = std::vector<std::string>;

}  // namespace

TEST(DatabaseNames, AlterDatabaseSetAndReset) {
  EXPECT_EQ(found("ALTER DATABASE myapp SET search_path = app, public"), Names{"myapp@myapp"});
  EXPECT_EQ(found("alter database MyApp set timezone to 'UTC'"), Names{"myapp@MyApp"});
  EXPECT_EQ(found("ALTER DATABASE \"My \"\"App\"\"\" RESET ALL"), Names{"My \"App\"@\"My \"\"App\"\"\""});
  EXPECT_EQ(found("ALTER DATABASE myapp WITH CONNECTION LIMIT 20"), Names{"myapp@myapp"});
  EXPECT_EQ(found("ALTER DATABASE myapp REFRESH COLLATION VERSION"), Names{"myapp@myapp"});
  EXPECT_EQ(found("ALTER /* why */ DATABASE -- the app\n  myapp SET work_mem = '8MB'"), Names{"myapp@myapp"});
}

TEST(DatabaseNames, KeywordsThatAreValidNamesAreNames) {
  // "data" and "database" are unreserved keywords, so both are valid database names.
  EXPECT_EQ(found("ALTER DATABASE data SET work_mem = '8MB'"), Names{"data@data"});
  EXPECT_EQ(found("COMMENT ON DATABASE database IS 'x'"), Names{"database@database"});
}

TEST(DatabaseNames, GrantsAndRevokesNameEveryDatabaseOfTheirList) {
  EXPECT_EQ(found("GRANT CONNECT, TEMPORARY ON DATABASE myapp TO app_ro"), Names{"myapp@myapp"});
  EXPECT_EQ(found("REVOKE ALL ON DATABASE /* the app */ myapp FROM PUBLIC"), Names{"myapp@myapp"});
  EXPECT_EQ(found("GRANT CONNECT ON DATABASE a , \"B\" TO r"), (Names{"a@a", "B@\"B\""}));
  EXPECT_EQ(found("GRANT SELECT ON TABLE database TO r"), Names{});
}

TEST(DatabaseNames, CommentRoleSettingReindexAndSecurityLabel) {
  EXPECT_EQ(found("COMMENT ON DATABASE myapp IS 'the app'"), Names{"myapp@myapp"});
  // The role may itself be called "database": the name is the one after IN DATABASE.
  EXPECT_EQ(found("ALTER ROLE database IN DATABASE myapp SET statement_timeout = '5s'"), Names{"myapp@myapp"});
  EXPECT_EQ(found("ALTER USER app IN DATABASE myapp RESET ALL"), Names{"myapp@myapp"});
  EXPECT_EQ(found("ALTER ROLE ALL IN DATABASE myapp SET work_mem = '4MB'"), Names{"myapp@myapp"});
  EXPECT_EQ(found("ALTER ROLE app SET statement_timeout = '5s'"), Names{});
  EXPECT_EQ(found("REINDEX (VERBOSE) DATABASE CONCURRENTLY myapp"), Names{"myapp@myapp"});
  EXPECT_EQ(found("REINDEX SYSTEM myapp"), Names{"myapp@myapp"});
  EXPECT_EQ(found("SECURITY LABEL FOR dummy ON DATABASE myapp IS 'x'"), Names{"myapp@myapp"});
}

TEST(DatabaseNames, OtherDatabasesAndTextAreNotNames) {
  EXPECT_EQ(found("CREATE DATABASE other"), Names{});
  EXPECT_EQ(found("DROP DATABASE IF EXISTS other"), Names{});
  EXPECT_EQ(found("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET work_mem = ''8MB''', current_database()); END $$"),
            Names{});
  EXPECT_EQ(found("SELECT 'ALTER DATABASE myapp SET x = 1'"), Names{});
}

TEST(DatabaseNames, SeveralStatementsInOneTextAreEachLookedAt) {
  // A goose StatementBegin/End block is one text holding several statements.
  EXPECT_EQ(found("CREATE TABLE t (id int);\nALTER DATABASE myapp SET work_mem = '8MB';\n"
                  "COMMENT ON DATABASE myapp IS 'x';"),
            (Names{"myapp@myapp", "myapp@myapp"}));
}

TEST(DatabaseNames, WhatSquashCannotReproduceIsRefusedWithTheReason) {
  EXPECT_EQ(refusal("ALTER DATABASE myapp SET search_path = app"), "(none)");
  EXPECT_EQ(refusal("ALTER DATABASE myapp WITH CONNECTION LIMIT 5"), "(none)");
  EXPECT_NE(refusal("ALTER DATABASE myapp OWNER TO app").find("does not reproduce the database's owner"),
            std::string::npos);
  EXPECT_NE(refusal("ALTER DATABASE myapp RENAME TO other").find("cannot rename"), std::string::npos);
  EXPECT_NE(refusal("ALTER DATABASE myapp ALLOW_CONNECTIONS false").find("ALLOW_CONNECTIONS"), std::string::npos);
  EXPECT_NE(refusal("ALTER DATABASE myapp IS_TEMPLATE true").find("IS_TEMPLATE"), std::string::npos);
  EXPECT_NE(refusal("ALTER DATABASE myapp SET TABLESPACE fast").find("tablespace"), std::string::npos);
}

TEST(DatabaseNames, RewriteReplacesTheNameTokensOnly) {
  const std::string sql = "GRANT CONNECT ON DATABASE \"MyApp\", myapp TO myapp";
  const RewrittenSql out = rewrite_database_names(sql, find_database_names(sql, "t.sql"), "scratch_db_1");
  EXPECT_EQ(out.sql, "GRANT CONNECT ON DATABASE scratch_db_1, scratch_db_1 TO myapp");
}

TEST(DatabaseNames, ErrorPositionsInTheRewrittenTextMapBackToTheOriginal) {
  const std::string sql = "ALTER ROLE nobody IN DATABASE ä SET x = 1";
  const RewrittenSql out = rewrite_database_names(sql, find_database_names(sql, "t.sql"), "\"scratch\"");
  ASSERT_EQ(out.sql, "ALTER ROLE nobody IN DATABASE \"scratch\" SET x = 1");
  EXPECT_EQ(out.original_position(12), 12);  // before the name: unchanged
  EXPECT_EQ(out.original_position(31), 31);  // the name's first character
  EXPECT_EQ(out.original_position(35), 31);  // inside the replacement: the name's start
  EXPECT_EQ(out.original_position(41), 33);  // "SET": 8 characters shorter in the original ("ä" is one)
  EXPECT_EQ(out.original_position(0), 0);    // no position
}

TEST(DatabaseNames, HistoryNamesOneDatabaseEveryStatementRecorded) {
  TempDir dir;
  write_file(dir.path() / "1_a.up.sql", "CREATE TABLE t (id int);\nALTER DATABASE myapp SET work_mem = '8MB';\n");
  write_file(dir.path() / "2_b.up.sql", "GRANT CONNECT ON DATABASE MyApp TO PUBLIC;\n");
  const DatabaseNaming naming = find_history_database_names(read_history(dir.path()));
  ASSERT_TRUE(naming.application_database.has_value());
  EXPECT_EQ(*naming.application_database, "myapp");
  EXPECT_EQ(naming.first_named_at, (dir.path() / "1_a.up.sql").string() + ":2:16");
  ASSERT_EQ(naming.names.size(), 2u);
  EXPECT_EQ(naming.names.count({0, 1}), 1u);
  EXPECT_EQ(naming.names.count({1, 0}), 1u);
}

TEST(DatabaseNames, HistoryNamingASecondDatabaseIsRefusedAtItsPlace) {
  TempDir dir;
  write_file(dir.path() / "1_a.up.sql", "ALTER DATABASE myapp SET work_mem = '8MB';\n");
  write_file(dir.path() / "2_b.up.sql", "CREATE TABLE t (id int);\n\n  REVOKE ALL ON DATABASE postgres FROM PUBLIC;\n");
  EXPECT_EQ(error_of([&] { find_history_database_names(read_history(dir.path())); }),
            (dir.path() / "2_b.up.sql").string() +
                ":3:26: REVOKE ... ON DATABASE names database \"postgres\", but " +
                (dir.path() / "1_a.up.sql").string() +
                ":1:16 named \"myapp\": a history is squashed into one database, so it may name only that one "
                "(squash points every such statement at the database it replays into)");
}

TEST(DatabaseNames, HistoryRefusalPointsAtTheStatement) {
  TempDir dir;
  write_file(dir.path() / "1_a.up.sql", "CREATE TABLE t (id int);\nALTER DATABASE myapp OWNER TO app;\n");
  const std::string message = error_of([&] { find_history_database_names(read_history(dir.path())); });
  EXPECT_EQ(message.rfind((dir.path() / "1_a.up.sql").string() + ":2:1: ALTER DATABASE ... OWNER TO:", 0), 0u)
      << message;
}

TEST(DatabaseNames, HistoryWithoutDatabaseNamesHasNone) {
  TempDir dir;
  write_file(dir.path() / "1_a.up.sql", "CREATE TABLE database_events (id int);\nCOMMENT ON TABLE database_events IS 'system';\n");
  const DatabaseNaming naming = find_history_database_names(read_history(dir.path()));
  EXPECT_FALSE(naming.application_database.has_value());
  EXPECT_TRUE(naming.names.empty());
}
