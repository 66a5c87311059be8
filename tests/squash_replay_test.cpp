// Replay: each fixture history runs the way its runner runs it, on a real server; failures point
// at file:line:column with the SQLSTATE.
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
using schemakit::testing::ServerTest;
using schemakit::testing::TempDir;
using schemakit::testing::write_file;

namespace {

fs::path fixture(const std::string& name) {
  return schemakit::testing::source_dir() / "tests" / "fixtures" / "squash" / name;
}

class ReplayTest : public ServerTest {
 protected:
  // Reads a fixture and replays it as squash does: tracking table first, then every up.
  static squash::ReplayStats replay_into(const std::string& conninfo, const fs::path& root) {
    migrations::History history = migrations::read_history(root);
    {
      pg::Session session(conninfo, "replay test");
      squash::create_tracking_table(session, history.layout);
    }
    return squash::replay(history, conninfo, {});
  }
  squash::ReplayStats replay_fixture(const std::string& name) {
    return replay_into(conninfo(), fixture(name));
  }

  std::string replay_error(const fs::path& root) {
    try {
      replay_into(conninfo(), root);
    } catch (const InputError& e) {
      return e.what();
    }
    ADD_FAILURE() << "replay of " << root << " did not fail";
    return {};
  }
};

TEST_F(ReplayTest, EnumValueAddedInOneFileIsUsableInTheNext) {
  squash::ReplayStats stats = replay_fixture("hasura_traps");
  EXPECT_EQ(stats.migrations, 10u);
  EXPECT_EQ(scalar("SELECT status::text FROM tasks WHERE title = 'old report'"), "archived");
}

TEST_F(ReplayTest, NoTransactionMarkerRunsConcurrentIndexOutsideATransaction) {
  replay_fixture("hasura_traps");
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_indexes WHERE indexname IN ('tasks_status_idx', "
                   "'tasks_title_idx')"),
            "2");
  EXPECT_EQ(scalar("SELECT bool_and(indisvalid) FROM pg_index WHERE indexrelid::regclass::text "
                   "IN ('tasks_status_idx', 'tasks_title_idx')"),
            "t");
}

TEST_F(ReplayTest, PartitionsCreatedFromPlpgsqlExist) {
  replay_fixture("hasura_traps");
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_inherits WHERE inhparent = 'task_events'::regclass"),
            "3");
  EXPECT_EQ(scalar("SELECT count(*) FROM task_events_2024_02"), "1");
}

TEST_F(ReplayTest, DieselTrackingTableExistsBeforeTheFirstMigrationAndGetsARowEach) {
  replay_fixture("diesel_tracking");
  EXPECT_EQ(scalar("SELECT string_agg(version, ',' ORDER BY version) FROM __diesel_schema_migrations"),
            "00000000000000,20240101000000,20240102000000,20240103000000");
}

TEST_F(ReplayTest, GolangMigrateTrackingTableHoldsTheLastVersionClean) {
  replay_fixture("golang_tracking");
  EXPECT_EQ(scalar("SELECT version || ':' || dirty FROM schema_migrations"), "10:false");
  EXPECT_EQ(scalar("SELECT column_default FROM information_schema.columns WHERE table_name = "
                   "'accounts' AND column_name = 'created_at'"),
            "now()");
}

TEST_F(ReplayTest, EveryLayoutFixtureReplays) {
  for (const char* name : {"plain_layout", "flyway_layout", "dbmate_layout", "goose_layout",
                           "prisma_layout"}) {
    SCOPED_TRACE(name);
    const std::string db = make_database("layout");
    try {
      replay_into(db, fixture(name));
    } catch (const Error& e) {
      ADD_FAILURE() << e.what();
    }
  }
}

TEST_F(ReplayTest, FailingStatementIsReportedAtFileLineColumnWithSqlstate) {
  const std::string message = replay_error(fixture("bad_failing"));
  EXPECT_EQ(message, (fixture("bad_failing") / "2_broken_view/up.sql").generic_string() +
                         ":4:12: ERROR 42703: column \"title\" does not exist");
}

TEST_F(ReplayTest, ErrorPositionCountsCharactersNotBytes) {
  TempDir dir;
  write_file(dir.path() / "1_unicode.up.sql",
             "-- Grüße\nSELECT 'äöü', 'ß' || missing_column;\n");
  const std::string message = replay_error(dir.path());
  EXPECT_EQ(message, (dir.path() / "1_unicode.up.sql").generic_string() +
                         ":2:22: ERROR 42703: column \"missing_column\" does not exist");
}

TEST_F(ReplayTest, FailingMigrationLeavesNothingOfItself) {
  replay_error(fixture("bad_failing"));
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_class WHERE relname = 'item_names'"), "0");
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_class WHERE relname = 'items'"), "1");
}

TEST_F(ReplayTest, ErrorWithoutPositionPointsAtTheStatement) {
  TempDir dir;
  write_file(dir.path() / "1_raise.up.sql",
             "CREATE TABLE t (id int);\n\n  DO $$ BEGIN RAISE EXCEPTION 'boom'; END $$;\n");
  const std::string message = replay_error(dir.path());
  EXPECT_EQ(message, (dir.path() / "1_raise.up.sql").generic_string() +
                         ":3:3: ERROR P0001: boom\nCONTEXT: PL/pgSQL function inline_code_block "
                         "line 1 at RAISE");
}

TEST_F(ReplayTest, OpenTransactionAtTheEndOfAFileIsRefused) {
  TempDir dir;
  write_file(dir.path() / "1_open.up.sql", "BEGIN;\nCREATE TABLE t (id int);\n");
  migrations::History history = migrations::read_history(dir.path());
  // The reader calls a file as_written only when it has both ends; a runner that trusted a
  // marker would meet this.
  history.migrations[0].up.tx_mode = migrations::TxMode::as_written;
  {
    pg::Session session(conninfo(), "replay test");
    squash::create_tracking_table(session, history.layout);
  }
  try {
    squash::replay(history, conninfo(), {});
    ADD_FAILURE() << "replay did not fail";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              (dir.path() / "1_open.up.sql").generic_string() +
                  ": the file opens a transaction (BEGIN) that it never ends (COMMIT or ROLLBACK)");
  }
}

TEST_F(ReplayTest, SetupScriptErrorsPointIntoTheScript) {
  TempDir dir;
  write_file(dir.path() / "setup.sql", "CREATE SCHEMA platform;\nCREATE TABLE platform.x (id nonsense);\n");
  try {
    squash::run_setup_scripts(conninfo(), {dir.path() / "setup.sql"});
    ADD_FAILURE() << "setup did not fail";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), (dir.path() / "setup.sql").generic_string() +
                                         ":2:29: ERROR 42704: type \"nonsense\" does not exist");
  }
}

TEST_F(ReplayTest, MissingSetupScriptIsAnIoError) {
  EXPECT_THROW(squash::run_setup_scripts(conninfo(), {"/nonexistent/setup.sql"}), IoError);
}

}  // namespace
