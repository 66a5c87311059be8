// The squash binary end to end: exit codes, messages, OUT_DIR left untouched on failure, the
// outputs and their proof on every fixture history, byte-identical reruns, and the lifecycle
// subcommands on a real database. Scratch databases go to the harness's server (--scratch-url)
// except where the embedded default is the point.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using schemakit::testing::read_file;
using schemakit::testing::run_command;
using schemakit::testing::shell_quote;
using schemakit::testing::ServerTest;
using schemakit::testing::source_dir;
using schemakit::testing::TempDir;
using schemakit::testing::test_server;
using schemakit::testing::tool_path;
using schemakit::testing::tricky_corpus;
using schemakit::testing::write_file;

namespace {

struct Result {
  int code = -1;
  std::string output;  // stdout and stderr
};

// Runs squash from the source directory (so fixture paths are relative, as a user types them).
Result squash(const std::string& arguments) {
  Result r;
  r.code = run_command("cd " + shell_quote(source_dir().string()) + " && " + shell_quote(tool_path("squash").string()) +
                           " " + arguments,
                       &r.output);
  return r;
}

std::string scratch() { return "--scratch-url " + shell_quote(test_server().admin_conninfo()); }

std::string fixture(const std::string& name) { return "tests/fixtures/squash/" + name; }

// Every file below `dir` with its bytes: what "left exactly as it was" compares.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(entry.path(), dir).generic_string();
    files[name] = entry.is_regular_file() ? read_file(entry.path()) : std::string("<dir>");
  }
  return files;
}

class SquashCli : public ServerTest {
 protected:
  // A pre-existing OUT_DIR with an old squash in it, to prove failures do not touch it.
  fs::path existing_out_dir() {
    const fs::path out = tmp_.path() / "out";
    write_file(out / "up.sql", "-- an older squash\n");
    write_file(out / "down.sql", "-- its down\n");
    write_file(out / "notes" / "README", "kept\n");
    return out;
  }

  // Asserts a failing run left OUT_DIR and its parent exactly as they were.
  void expect_untouched_on_failure(const std::string& arguments, int expected_code,
                                   const std::string& expected_message) {
    const fs::path out = existing_out_dir();
    const auto before = snapshot(tmp_.path());
    Result r = squash(arguments + " --output " + shell_quote(out.string()));
    EXPECT_EQ(r.code, expected_code) << r.output;
    EXPECT_NE(r.output.find(expected_message), std::string::npos) << r.output;
    EXPECT_EQ(snapshot(tmp_.path()), before) << "OUT_DIR or its parent changed";
  }

  // Squashes `history` into a fresh OUT_DIR and checks the three files are there.
  fs::path squash_ok(const std::string& history, const std::string& extra = "") {
    const fs::path out = tmp_.path() / ("out-" + std::to_string(counter_++));
    Result r = squash(history + " --output " + shell_quote(out.string()) + " " + scratch() + " " + extra);
    EXPECT_EQ(r.code, 0) << r.output;
    for (const char* name : {"up.sql", "down.sql", "squash.json"}) {
      EXPECT_TRUE(fs::is_regular_file(out / name)) << name << " missing in " << out;
    }
    return out;
  }

  TempDir tmp_;
  int counter_ = 0;
};

TEST_F(SquashCli, HelpListsEveryOptionAndTheExitCodes) {
  Result r = squash("--help");
  EXPECT_EQ(r.code, 0);
  for (const char* option :
       {"--output", "--scratch-url", "--pg-bindir", "--format", "--through", "--dry-run",
        "--no-data", "--setup", "--allow-duplicate-versions", "--verbose", "--db", "--force",
        "squash apply", "squash rollback", "squash verify", "hasura, diesel, golang-migrate, plain",
        "Exit codes (the same for every schemakit tool)"}) {
    EXPECT_NE(r.output.find(option), std::string::npos) << option;
  }
}

TEST_F(SquashCli, VersionPrintsTheVersion) {
  Result r = squash("--version");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.output.rfind("squash (schemakit) ", 0), 0u) << r.output;
}

TEST_F(SquashCli, UsageErrorsExitTwo) {
  EXPECT_EQ(squash("--bogus").code, 2);
  EXPECT_EQ(squash("").code, 2);
  Result r = squash(fixture("hasura_traps"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("--output OUT_DIR is required"), std::string::npos) << r.output;
  r = squash(fixture("hasura_traps") + " --output x --format nonsense");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("--format nonsense: not a layout"), std::string::npos) << r.output;
  r = squash("apply " + fixture("hasura_traps"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("--db CONN is required"), std::string::npos) << r.output;
  EXPECT_EQ(squash("rollback --db x --force out").code, 2);
}

TEST_F(SquashCli, MissingMigrationsFolderExitsTwo) {
  expect_untouched_on_failure("tests/fixtures/squash/does_not_exist", 2, "does_not_exist");
}

TEST_F(SquashCli, OutputThatIsAFileExitsTwo) {
  write_file(tmp_.path() / "file", "x");
  Result r = squash(fixture("hasura_traps") + " --output " + shell_quote((tmp_.path() / "file").string()));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("exists and is not a directory"), std::string::npos) << r.output;
}

TEST_F(SquashCli, MissingSetupFileExitsTwoAndLeavesOutDir) {
  expect_untouched_on_failure(fixture("hasura_traps") + " --setup nowhere.sql " + scratch(), 2,
                              "--setup nowhere.sql: no such file");
}

TEST_F(SquashCli, SyntaxErrorExitsOneWithFileLineColumnAndLeavesOutDir) {
  expect_untouched_on_failure(fixture("bad_syntax") + " " + scratch(), 1,
                              "squash: error: tests/fixtures/squash/bad_syntax/2_typo.up.sql:3:8: "
                              "syntax error at or near \"TABEL\"");
}

TEST_F(SquashCli, DuplicateVersionsExitOneNamingBothFiles) {
  expect_untouched_on_failure(fixture("bad_duplicate") + " " + scratch(), 1,
                              "duplicate version 1: tests/fixtures/squash/bad_duplicate/001_second.up.sql "
                              "and tests/fixtures/squash/bad_duplicate/1_first.up.sql");
}

TEST_F(SquashCli, AllowDuplicateVersionsKeepsBoth) {
  Result r = squash(fixture("bad_duplicate") + " --allow-duplicate-versions --dry-run " + scratch());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("squash: 2 migrations of tests/fixtures/squash/bad_duplicate (golang-migrate)"),
            std::string::npos)
      << r.output;
}

TEST_F(SquashCli, FormatOverridesDetectionAndAWrongOneIsRefused) {
  expect_untouched_on_failure(fixture("golang_tracking") + " --format hasura " + scratch(), 1,
                              "golang_tracking/10_after_two.down.sql: matches no pattern of the hasura layout");
  Result r = squash(fixture("golang_tracking") + " --format golang-migrate --dry-run " + scratch());
  EXPECT_EQ(r.code, 0) << r.output;
}

TEST_F(SquashCli, FailingMigrationExitsOneWithSqlstateAndLeavesOutDir) {
  expect_untouched_on_failure(fixture("bad_failing") + " " + scratch(), 1,
                              "squash: error: tests/fixtures/squash/bad_failing/2_broken_view/up.sql:4:12: "
                              "ERROR 42703: column \"title\" does not exist");
}

TEST_F(SquashCli, UnsupportedObjectExitsOneNamingItAndLeavesOutDir) {
  expect_untouched_on_failure(fixture("bad_unsupported") + " " + scratch(), 1,
                              "squash_fixture_ts");
}

TEST_F(SquashCli, FailedSetupScriptExitsOneAndLeavesOutDir) {
  write_file(tmp_.path() / "setup.sql", "CREATE SCHEMA platform;\nCREATE TABLE platform.x (id nonsense);\n");
  expect_untouched_on_failure(
      fixture("hasura_traps") + " --setup " + shell_quote((tmp_.path() / "setup.sql").string()) + " " + scratch(), 1,
      "setup.sql:2:29: ERROR 42704: type \"nonsense\" does not exist");
}

TEST_F(SquashCli, HasuraTrapsSquashAndProve) {
  const fs::path out = squash_ok(fixture("hasura_traps"));
  const std::string up = read_file(out / "up.sql");
  EXPECT_NE(up.find("-- Source:      tests/fixtures/squash/hasura_traps (hasura layout)"), std::string::npos) << up;
  EXPECT_NE(up.find("-- Migrations:  10, 1 (enum_and_role) through 10 (empty_down)"), std::string::npos) << up;
  EXPECT_NE(up.find("archived"), std::string::npos) << "the seed row using the added enum value";
  EXPECT_EQ(up.find(tmp_.path().string()), std::string::npos) << "a temporary path in up.sql";
  const auto report = nlohmann::json::parse(read_file(out / "squash.json"));
  EXPECT_EQ(report["format"], "hasura");
  EXPECT_EQ(report["count"], 10);
  EXPECT_EQ(report["migrations"][0]["version"], "1");
  EXPECT_EQ(report["migrations"][0]["files"][0]["path"], "1_enum_and_role/up.sql");
  EXPECT_EQ(report["migrations"][0]["files"][0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(report["verification"]["result"], "proved");
  EXPECT_EQ(report["rows"]["public.labels"], 3);
}

TEST_F(SquashCli, EveryLayoutFixtureSquashesAndProves) {
  for (const char* name : {"diesel_tracking", "golang_tracking", "plain_layout", "flyway_layout",
                           "dbmate_layout", "goose_layout", "prisma_layout"}) {
    SCOPED_TRACE(name);
    const fs::path out = squash_ok(fixture(name));
    const std::string up = read_file(out / "up.sql");
    // The runner's tracking table is the runner's business, not the schema's.
    EXPECT_EQ(up.find("__diesel_schema_migrations"), std::string::npos);
    EXPECT_EQ(up.find("schema_migrations ("), std::string::npos);
  }
}

TEST_F(SquashCli, TrackingTableChangedByMigrationsStaysOut) {
  const fs::path out = squash_ok(fixture("golang_tracking_altered"));
  const std::string up = read_file(out / "up.sql");
  EXPECT_EQ(up.find("schema_migrations"), std::string::npos) << up;
  EXPECT_NE(up.find("GRANT SELECT ON TABLE public.reports TO squash_fixture_reader"), std::string::npos) << up;
  EXPECT_EQ(read_file(out / "down.sql").find("schema_migrations"), std::string::npos);
}

TEST_F(SquashCli, SameInputGivesByteIdenticalFiles) {
  const fs::path a = squash_ok(fixture("hasura_traps"));
  const fs::path b = squash_ok(fixture("hasura_traps"));
  EXPECT_EQ(read_file(a / "up.sql"), read_file(b / "up.sql"));
  EXPECT_EQ(read_file(a / "down.sql"), read_file(b / "down.sql"));
  // (Not squash.json here: the fixture creates a role, roles are the cluster's, and the second
  // run on the same server finds it made already, so created_roles differs, rightly.)
  const fs::path c = squash_ok(fixture("golang_tracking"), "--no-data");
  const fs::path d = squash_ok(fixture("golang_tracking"), "--no-data");
  EXPECT_EQ(read_file(c / "up.sql"), read_file(d / "up.sql"));
  EXPECT_EQ(read_file(c / "down.sql"), read_file(d / "down.sql"));
  EXPECT_EQ(read_file(c / "squash.json"), read_file(d / "squash.json"));
}

TEST_F(SquashCli, ExistingOutDirGetsTheNewFilesAndKeepsOthers) {
  const fs::path out = existing_out_dir();
  Result r = squash(fixture("golang_tracking") + " --output " + shell_quote(out.string()) + " " + scratch());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(read_file(out / "up.sql"), "-- an older squash\n");
  EXPECT_EQ(read_file(out / "notes" / "README"), "kept\n");
  EXPECT_TRUE(fs::is_regular_file(out / "squash.json"));
  // No staging directory left beside it.
  for (const auto& entry : fs::directory_iterator(tmp_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".squash-"), std::string::npos) << entry.path();
  }
}

TEST_F(SquashCli, DryRunProvesAndWritesNothing) {
  const fs::path out = tmp_.path() / "dry";
  Result r = squash(fixture("golang_tracking") + " --dry-run --output " + shell_quote(out.string()) + " " + scratch());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("written:     nothing (--dry-run)"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(snapshot(tmp_.path()).size(), 0u);
}

TEST_F(SquashCli, NoDataLeavesRowsOut) {
  const fs::path out = squash_ok(fixture("golang_tracking"), "--no-data");
  EXPECT_EQ(read_file(out / "up.sql").find("root@example.org"), std::string::npos);
  const auto report = nlohmann::json::parse(read_file(out / "squash.json"));
  EXPECT_EQ(report["data"], false);
}

TEST_F(SquashCli, ThroughStopsAtTheVersion) {
  const fs::path out = squash_ok(fixture("golang_tracking"), "--through 2");
  const auto report = nlohmann::json::parse(read_file(out / "squash.json"));
  EXPECT_EQ(report["count"], 2);
  EXPECT_EQ(report["last_version"], "2");
  EXPECT_EQ(report["through"], "2");
}

TEST_F(SquashCli, SetupObjectsAreLeftOut) {
  write_file(tmp_.path() / "setup.sql",
             "CREATE SCHEMA platform;\nCREATE TABLE platform.tenants (id int PRIMARY KEY);\n");
  const fs::path out = squash_ok(fixture("golang_tracking"),
                                 "--setup " + shell_quote((tmp_.path() / "setup.sql").string()));
  EXPECT_EQ(read_file(out / "up.sql").find("platform"), std::string::npos);
  EXPECT_EQ(read_file(out / "down.sql").find("platform"), std::string::npos);
}

TEST_F(SquashCli, RolesTheSetupMadeAreLeftOutEvenWhenMigrationsGrantToThem) {
  // A name of its own: roles outlive databases on the shared test server.
  const std::string role = "squash_setup_role_" + std::to_string(::getpid()) + "_" + std::to_string(counter_);
  write_file(tmp_.path() / "setup.sql", "CREATE ROLE " + role + " NOLOGIN;\n");
  write_file(tmp_.path() / "history" / "1_items.up.sql",
             "CREATE TABLE items (id int PRIMARY KEY);\nGRANT SELECT ON items TO " + role + ";\n");
  const fs::path out = squash_ok(shell_quote((tmp_.path() / "history").string()),
                                 "--setup " + shell_quote((tmp_.path() / "setup.sql").string()));
  const std::string up = read_file(out / "up.sql");
  EXPECT_EQ(up.find("CREATE ROLE " + role), std::string::npos) << up;
  EXPECT_NE(up.find("GRANT SELECT ON TABLE public.items TO " + role), std::string::npos) << up;
}

TEST_F(SquashCli, SampleHistoryWithTheEmbeddedServer) {
  const fs::path out = tmp_.path() / "consolidated";
  Result r = squash("schema/migrations --output " + shell_quote(out.string()));
  ASSERT_EQ(r.code, 0) << r.output;
  const auto report = nlohmann::json::parse(read_file(out / "squash.json"));
  EXPECT_EQ(report["count"], 17);
  EXPECT_EQ(report["objects"]["tables"], 10);
  EXPECT_EQ(report["verification"]["result"], "proved");
}

TEST_F(SquashCli, TrickyCorpusSquashesAndProves) {
  if (tricky_corpus().empty()) GTEST_SKIP() << schemakit::testing::kNoSharedCorpus;
  const fs::path out = squash_ok(shell_quote(tricky_corpus().string()));
  const auto report = nlohmann::json::parse(read_file(out / "squash.json"));
  EXPECT_EQ(report["count"], 12);
  for (const auto& check : report["verification"]["checks"]) {
    EXPECT_NE(check["result"], "failed") << check.dump();
  }
}

TEST_F(SquashCli, ProgressOnATerminalQuietWhenPiped) {
  const std::string arguments = fixture("hasura_traps") + " --dry-run " + scratch();
  Result piped = squash(arguments);
  ASSERT_EQ(piped.code, 0) << piped.output;
  EXPECT_EQ(piped.output.find("migration 1 of 10"), std::string::npos) << piped.output;
  if (run_command("command -v script >/dev/null") != 0) GTEST_SKIP() << "util-linux script is not installed";
  // script(1) gives the command a terminal.
  Result tty;
  tty.code = run_command("cd " + shell_quote(source_dir().string()) + " && script -qec " +
                             shell_quote(shell_quote(tool_path("squash").string()) + " " + arguments) + " /dev/null",
                         &tty.output);
  ASSERT_EQ(tty.code, 0) << tty.output;
  EXPECT_NE(tty.output.find("migration 10 of 10: tests/fixtures/squash/hasura_traps/10_empty_down/up.sql"),
            std::string::npos)
      << tty.output;
}

TEST_F(SquashCli, VerboseListsEachStep) {
  Result r = squash(fixture("hasura_traps") + " --dry-run --verbose " + scratch());
  ASSERT_EQ(r.code, 0) << r.output;
  for (const char* step : {"squash: read 10 migrations from tests/fixtures/squash/hasura_traps (hasura layout)",
                           "squash: migration 5 of 10: tests/fixtures/squash/hasura_traps/5_concurrent_index/up.sql "
                           "(none, 2 statements: -- hasura:no-transaction (line 1))",
                           "squash: proof: pg_dump", "squash: proof: up_again passed"}) {
    EXPECT_NE(r.output.find(step), std::string::npos) << step << "\n" << r.output;
  }
}

TEST_F(SquashCli, ApplyRollbackVerifyRoundTrip) {
  const fs::path out = squash_ok(fixture("hasura_traps"));
  const std::string db = "--db " + shell_quote(conninfo()) + " " + shell_quote(out.string());

  Result r = squash("apply " + db);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(scalar("SELECT count(*) FROM labels"), "3");

  r = squash("verify " + db + " " + scratch());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("No differences."), std::string::npos) << r.output;

  r = squash("apply " + db);
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("refusing to apply: the schema's objects already exist"), std::string::npos) << r.output;

  exec("ALTER TABLE tasks ADD COLUMN extra int");
  r = squash("verify " + db + " " + scratch());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("extra"), std::string::npos) << r.output;

  r = squash("apply --force " + db);
  ASSERT_EQ(r.code, 0) << r.output;
  r = squash("verify " + db + " " + scratch());
  EXPECT_EQ(r.code, 0) << r.output;

  r = squash("rollback " + db);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_class WHERE relname IN ('tasks', 'labels', 'task_events')"), "0");
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_type WHERE typname = 'task_status'"), "0");
}

TEST_F(SquashCli, ApplyFailureChangesNothing) {
  const fs::path out = tmp_.path() / "broken";
  write_file(out / "up.sql", "BEGIN;\nCREATE TABLE a (id int);\nCREATE TABLE b (id nonsense);\nCOMMIT;\n");
  write_file(out / "down.sql", "BEGIN;\nDROP TABLE a;\nCOMMIT;\n");
  Result r = squash("apply --db " + shell_quote(conninfo()) + " " + shell_quote(out.string()));
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("up.sql:3:20: ERROR 42704: type \"nonsense\" does not exist"), std::string::npos)
      << r.output;
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_class WHERE relname = 'a'"), "0");
}

}  // namespace
