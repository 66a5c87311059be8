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

// pg_dump baselines and seed files load rows with COPY ... FROM stdin and the lines after it.
TEST_F(ReplayTest, CopyFromStdinLoadsTheRowsThatFollowIt) {
  TempDir dir;
  write_file(dir.path() / "V1__baseline.sql",
             "CREATE TABLE currencies (code char(3) PRIMARY KEY, name text, minor_units smallint NOT NULL);\n"
             "COPY currencies (code, name, minor_units) FROM stdin;\n"
             "EUR\tEuro\t2\n"
             "KWD\tKuwaiti dinar\t3\n"
             "XTS\t\\N\t0\n"
             "\\.\n"
             "COPY currencies FROM stdin WITH (FORMAT csv);\n"
             "JPY,\"Yen\n(two lines)\",0\n"
             "\\.\n"
             "UPDATE currencies SET name = upper(name);\n");
  squash::ReplayStats stats = replay_into(conninfo(), dir.path());
  EXPECT_EQ(stats.statements, 4u);
  EXPECT_EQ(scalar("SELECT string_agg(code || ':' || coalesce(name, 'NULL') || ':' || minor_units, ',' ORDER BY code) "
                   "FROM currencies"),
            "EUR:EURO:2,JPY:YEN\n(TWO LINES):0,KWD:KUWAITI DINAR:3,XTS:NULL:0");
}

// A bad value on a data line is reported at that line of the file, with the server's SQLSTATE,
// message and context; the migration's transaction takes the COPY back with the rest.
TEST_F(ReplayTest, BadCopyRowIsReportedAtItsFileLine) {
  TempDir dir;
  write_file(dir.path() / "V1__baseline.sql",
             "CREATE TABLE currencies (code char(3) PRIMARY KEY, minor_units smallint NOT NULL);\n"
             "\n"
             "COPY currencies (code, minor_units) FROM stdin;\n"
             "EUR\t2\n"
             "JPY\t0\n"
             "KWD\tthree\n"
             "\\.\n");
  EXPECT_EQ(replay_error(dir.path()), (dir.path() / "V1__baseline.sql").generic_string() +
                                          ":6:1: ERROR 22P02: invalid input syntax for type smallint: \"three\"\n"
                                          "CONTEXT: COPY currencies, line 3, column minor_units: \"three\"");
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_class WHERE relname = 'currencies'"), "0");
}

TEST_F(ReplayTest, CopyRowErrorsFollowTheServersLineCount) {
  TempDir dir;
  // CSV: the server counts line ends inside quoted values only once it has seen a first row
  // end, so the duplicate on file line 6 is its "line 3".
  write_file(dir.path() / "0001_seed.sql",
             "CREATE TABLE notes (id int PRIMARY KEY, body text);\n"
             "COPY notes FROM stdin CSV;\n"
             "1,\"first\n"
             "line\"\n"
             "2,second\n"
             "1,again\n"
             "\\.\n");
  EXPECT_EQ(replay_error(dir.path()),
            (dir.path() / "0001_seed.sql").generic_string() +
                ":6:1: ERROR 23505: duplicate key value violates unique constraint \"notes_pkey\"\n"
                "DETAIL: Key (id)=(1) already exists.\nCONTEXT: COPY notes, line 3");
}

TEST_F(ReplayTest, CopyOfAMissingTablePointsAtTheStatement) {
  TempDir dir;
  write_file(dir.path() / "V1__seed.sql", "SELECT 1;\n  COPY missing FROM stdin;\nx\n\\.\n");
  EXPECT_EQ(replay_error(dir.path()), (dir.path() / "V1__seed.sql").generic_string() +
                                          ":2:3: ERROR 42P01: relation \"missing\" does not exist");
}

TEST_F(ReplayTest, SetupScriptsTakeCopyRowsToo) {
  TempDir dir;
  write_file(dir.path() / "setup.sql",
             "CREATE TABLE platform_flags (name text);\nCOPY platform_flags FROM stdin;\nbeta\ngamma\n\\.\n"
             "COPY platform_flags FROM stdin;\nok\n\\.\n");
  squash::run_setup_scripts(conninfo(), {dir.path() / "setup.sql"});
  EXPECT_EQ(scalar("SELECT string_agg(name, ',' ORDER BY name) FROM platform_flags"), "beta,gamma,ok");
  write_file(dir.path() / "bad.sql", "COPY platform_flags (name) FROM stdin;\nfine\ntoo\tmany\n\\.\n");
  try {
    squash::run_setup_scripts(conninfo(), {dir.path() / "bad.sql"});
    ADD_FAILURE() << "setup did not fail";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), (dir.path() / "bad.sql").generic_string() +
                                         ":3:1: ERROR 22P04: extra data after last expected column\n"
                                         "CONTEXT: COPY platform_flags, line 2: \"too\tmany\"");
  }
}

TEST_F(ReplayTest, MissingSetupScriptIsAnIoError) {
  EXPECT_THROW(squash::run_setup_scripts(conninfo(), {"/nonexistent/setup.sql"}), IoError);
}

}  // namespace
