// Database-level objects in squash: statements that name the history's database by name act on
// the replay database (and on no other database of a --scratch-url server), and what they make
// comes out in up.sql for the current database, never by name.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "migrations/reader.hpp"
#include "squash/replay.hpp"
#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace schemakit;
using schemakit::testing::read_file;
using schemakit::testing::run_command;
using schemakit::testing::ServerTest;
using schemakit::testing::shell_quote;
using schemakit::testing::TempDir;
using schemakit::testing::test_server;
using schemakit::testing::tool_path;
using schemakit::testing::write_file;

namespace {

class SquashDatabase : public ServerTest {
 protected:
  // What a database carries at the database level: settings (per role), ACL, comment,
  // connection limit. Read on the admin connection, so any database of the server can be looked
  // at.
  static std::string database_state(const std::string& name) {
    return scalar_on(test_server().admin_conninfo(),
                     "SELECT coalesce(d.datacl::text, 'default acl') || ' | ' || "
                     "coalesce(pg_catalog.shobj_description(d.oid, 'pg_database'), 'no comment') || ' | ' || "
                     "d.datconnlimit || ' | ' || coalesce((SELECT string_agg(coalesce(r.rolname, '*') || ':' || "
                     "array_to_string(s.setconfig, ','), ';' ORDER BY r.rolname NULLS FIRST) "
                     "FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole "
                     "WHERE s.setdatabase = d.oid), 'no settings') "
                     "FROM pg_database d WHERE d.datname = " +
                         quote(name))
        .value_or("(no such database)");
  }
  static std::string quote(const std::string& literal) {
    std::string out = "'";
    for (char c : literal) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  // Replays as squash does: the runner's tracking table first, then every up.
  void replay(const fs::path& root) {
    migrations::History history = migrations::read_history(root);
    {
      pg::Session session(conninfo(), "schemakit-test");
      squash::create_tracking_table(session, history.layout);
    }
    squash::replay(history, conninfo(), {});
  }
  static std::string squash(const std::string& arguments) {
    std::string output;
    const int code = run_command(shell_quote(tool_path("squash").string()) + " " + arguments + " --scratch-url " +
                                     shell_quote(test_server().admin_conninfo()),
                                 &output);
    return std::to_string(code) + "\n" + output;
  }
};

}  // namespace

TEST_F(SquashDatabase, ReplayPointsNamedStatementsAtTheReplayDatabase) {
  TempDir dir;
  write_file(dir.path() / "1_settings.up.sql",
             "ALTER DATABASE app_production SET work_mem = '8MB';\n"
             "ALTER ROLE ALL IN DATABASE \"app_production\" SET lock_timeout = '2s';\n");
  replay(dir.path());
  EXPECT_EQ(database_state(db_name()), "default acl | no comment | -1 | *:work_mem=8MB,lock_timeout=2s");
}

TEST_F(SquashDatabase, ReplayErrorInARewrittenStatementPointsAtTheFile) {
  TempDir dir;
  write_file(dir.path() / "1_bad.up.sql", "CREATE TABLE t (id int);\nALTER DATABASE app_production SET work_mem = 'lots';\n");
  try {
    replay(dir.path());
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind((dir.path() / "1_bad.up.sql").string() + ":2:1: ERROR 22023: ", 0), 0u)
        << e.what();
  }
}

// --scratch-url on a server that holds a database of the name the history writes: the squash
// acts on its scratch databases only, and the named database is as it was.
TEST_F(SquashDatabase, NamedDatabaseOnTheScratchServerIsNotTouched) {
  TempDir dir;
  const fs::path history = dir.path() / "history";
  // This test's own database stands for the production database the history names.
  write_file(history / "1_base.up.sql", "CREATE TABLE items (id int PRIMARY KEY);\n");
  write_file(history / "2_settings.up.sql",
             "ALTER DATABASE " + db_name() + " SET search_path = public, pg_catalog;\n"
             "ALTER DATABASE " + db_name() + " SET timezone TO 'UTC';\n"
             "ALTER ROLE ALL IN DATABASE " + db_name() + " SET lock_timeout = '3s';\n");
  write_file(history / "3_access.up.sql",
             "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'squash_db_reader') THEN "
             "CREATE ROLE squash_db_reader; END IF; END$$;\n"
             "REVOKE ALL ON DATABASE " + db_name() + " FROM PUBLIC;\n"
             "GRANT CONNECT ON DATABASE " + db_name() + " TO squash_db_reader;\n"
             "COMMENT ON DATABASE " + db_name() + " IS 'production';\n"
             "ALTER DATABASE " + db_name() + " WITH CONNECTION LIMIT 40;\n");
  const std::string admin_database =
      scalar_on(test_server().admin_conninfo(), "SELECT current_database()").value_or("");
  const std::string before = database_state(db_name());
  const std::string admin_before = database_state(admin_database);

  const std::string result = squash(shell_quote(history.string()) + " --output " + shell_quote((dir.path() / "out").string()));
  ASSERT_EQ(result.rfind("0\n", 0), 0u) << result;
  EXPECT_EQ(database_state(db_name()), before);
  EXPECT_EQ(database_state(admin_database), admin_before);
  const std::string up = read_file(dir.path() / "out" / "up.sql");
  EXPECT_EQ(up.find(db_name()), std::string::npos) << "up.sql names the database:\n" << up;
  EXPECT_EQ(read_file(dir.path() / "out" / "down.sql").find(db_name()), std::string::npos);
  EXPECT_NE(up.find("ALTER DATABASE %I %s', pg_catalog.current_database(), 'SET \"TimeZone\" TO ''UTC'''"),
            std::string::npos)
      << up;
}

TEST_F(SquashDatabase, HistoryNamingTwoDatabasesIsRefusedBeforeAnythingRuns) {
  TempDir dir;
  const fs::path history = dir.path() / "history";
  write_file(history / "1_a.up.sql", "ALTER DATABASE myapp SET work_mem = '8MB';\n");
  write_file(history / "2_b.up.sql", "GRANT CONNECT ON DATABASE other_app TO PUBLIC;\n");
  const std::string result = squash(shell_quote(history.string()) + " --output " + shell_quote((dir.path() / "out").string()));
  EXPECT_EQ(result.rfind("1\n", 0), 0u) << result;
  EXPECT_NE(result.find((history / "2_b.up.sql").string() +
                        ":1:27: GRANT ... ON DATABASE names database \"other_app\", but " +
                        (history / "1_a.up.sql").string() + ":1:16 named \"myapp\""),
            std::string::npos)
      << result;
  EXPECT_FALSE(fs::exists(dir.path() / "out"));
}

// up.sql's database privileges are for whoever owns the database it runs in (the owner of the
// replay database is not named), and down.sql gives that owner the defaults back.
TEST_F(SquashDatabase, DatabasePrivilegesFollowTheOwnerOfTheDatabaseTheyRunIn) {
  TempDir dir;
  const fs::path history = dir.path() / "history";
  write_file(history / "1_access.up.sql",
             "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'squash_db_reader') THEN "
             "CREATE ROLE squash_db_reader; END IF; "
             "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'squash_db_owner') THEN "
             "CREATE ROLE squash_db_owner; END IF; END$$;\n"
             "REVOKE ALL ON DATABASE myapp FROM PUBLIC;\n"
             "GRANT CONNECT ON DATABASE myapp TO squash_db_reader WITH GRANT OPTION;\n"
             "COMMENT ON DATABASE myapp IS '100% mine';\n");
  const std::string result = squash(shell_quote(history.string()) + " --output " + shell_quote((dir.path() / "out").string()));
  ASSERT_EQ(result.rfind("0\n", 0), 0u) << result;

  const std::string acl_sql =
      "SELECT array_to_string(ARRAY(SELECT i::text FROM unnest(datacl) AS i ORDER BY 1), ',') FROM pg_database "
      "WHERE datname = current_database()";
  exec("ALTER DATABASE " + db_name() + " OWNER TO squash_db_owner");
  exec(read_file(dir.path() / "out" / "up.sql"));
  EXPECT_EQ(scalar(acl_sql), "squash_db_owner=CTc/squash_db_owner,squash_db_reader=c*/squash_db_owner");
  EXPECT_EQ(scalar("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"),
            "100% mine");
  exec(read_file(dir.path() / "out" / "down.sql"));
  EXPECT_EQ(scalar(acl_sql), "=Tc/squash_db_owner,squash_db_owner=CTc/squash_db_owner");
  EXPECT_EQ(scalar("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"),
            std::nullopt);
  exec("ALTER DATABASE " + db_name() + " OWNER TO CURRENT_USER");
}
