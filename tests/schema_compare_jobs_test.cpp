// schema-compare --jobs: each database read on several connections of one snapshot reports
// exactly what one connection per database reports, and every connection is set up alike
// (application_name, lock_timeout, statement_timeout, read-only).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fmt/core.h>
#include <string>
#include <thread>
#include <vector>

#include "pg/connection.hpp"
#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace schemakit::testing {
namespace {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

CliRun schema_compare(const std::vector<std::string>& arguments) {
  TempDir dir;
  // A subshell: run_command sends the whole command's stderr to its stdout.
  // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) on "..." + string.
  std::string command = "(";
  command += shell_quote(tool_path("schema-compare").string());
  for (const auto& a : arguments) {
    command += ' ';
    command += shell_quote(a);
  }
  command += " >";
  command += shell_quote((dir.path() / "out").string());
  command += " 2>";
  command += shell_quote((dir.path() / "err").string());
  command += ')';
  CliRun run;
  run.code = run_command(command);
  run.out = read_file(dir.path() / "out");
  run.err = read_file(dir.path() / "err");
  return run;
}

void expect_one_line_error(const CliRun& run, const std::string& must_contain) {
  EXPECT_EQ(run.code, 2) << run.out << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_EQ(run.err.rfind("schema-compare: error: ", 0), 0u) << run.err;
  EXPECT_NE(run.err.find(must_contain), std::string::npos) << run.err;
}

class SchemaCompareJobs : public ServerTest {};

TEST(SchemaCompareJobsUsage, JobsOutOfRangeIsOneLineExitTwo) {
  expect_one_line_error(schema_compare({"--jobs", "0", "a", "b"}), "--jobs");
  expect_one_line_error(schema_compare({"--jobs", "17", "a", "b"}), "--jobs");
  expect_one_line_error(schema_compare({"-j", "many", "a", "b"}), "many");
  CliRun help = schema_compare({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--jobs"), std::string::npos) << help.out;
}

TEST_F(SchemaCompareJobs, SameReportOnOneOrSeveralConnections) {
  const std::string fixture = read_file(source_dir() / "tests/fixtures/catalog-core/core_kinds.sql");
  exec(fixture);
  const std::string b = make_database("b");
  exec_on(b, fixture);
  exec_on(b,
          "ALTER TABLE app.parent ADD COLUMN added text; COMMENT ON TABLE app.\"order\" IS 'changed'; "
          "CREATE TABLE app.only_in_b (id integer PRIMARY KEY); ALTER TABLE app.parent ALTER COLUMN v SET DEFAULT 'q'");
  CliRun one = schema_compare({"--jobs", "1", "--format", "json", conninfo(), b});
  ASSERT_EQ(one.code, 1) << one.out << one.err;
  for (const std::string jobs : {"2", "4"}) {
    CliRun several = schema_compare({"--jobs", jobs, "--format", "json", conninfo(), b});
    EXPECT_EQ(several.code, 1) << several.err;
    EXPECT_EQ(one.out, several.out) << "--jobs " << jobs;
    EXPECT_TRUE(several.err.empty()) << several.err;
  }
  CliRun text_one = schema_compare({"--jobs", "1", "--no-color", conninfo(), b});
  CliRun text_default = schema_compare({"--no-color", conninfo(), b});
  EXPECT_EQ(text_one.out, text_default.out);
  CliRun same = schema_compare({"--jobs", "3", conninfo(), conninfo()});
  EXPECT_EQ(same.code, 0) << same.out << same.err;
}

// Two catalog reads that must wait for locks held elsewhere (a sequence's position, a generated
// column's expression), reached by different connections of each side: every one of them waits
// under schema-compare's application_name and gives up at its lock_timeout, so the run ends in
// about that time with the lock error (a connection without the settings would wait until the
// statement_timeout, or for ever).
TEST_F(SchemaCompareJobs, EveryConnectionHasTheSessionSettings) {
  exec("CREATE SEQUENCE busy_seq; CREATE TABLE busy_t (a integer, b integer GENERATED ALWAYS AS (a * 2) STORED)");
  pg::Session holder(conninfo(), "schemakit-test-lock-holder");
  holder.exec("BEGIN; ALTER SEQUENCE busy_seq RENAME TO busy_seq_renamed; LOCK TABLE busy_t IN ACCESS EXCLUSIVE MODE");
  std::atomic<bool> done{false};
  std::atomic<int> most_waiting{0};
  bool released = false;  // by the watcher, after 8 s: a connection without the settings waits for ever
  const auto started = std::chrono::steady_clock::now();
  std::thread watcher([&] {
    while (!done) {
      auto waiting = scalar(
          "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'schemakit schema-compare' "
          "AND wait_event_type = 'Lock'");
      if (waiting) most_waiting = std::max(most_waiting.load(), std::stoi(*waiting));
      if (!released && std::chrono::steady_clock::now() - started > std::chrono::seconds(8)) {
        holder.exec("ROLLBACK");
        released = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  CliRun run = schema_compare(
      {"--jobs", "2", "--sequence-positions", "--lock-timeout", "1s", "--statement-timeout", "60s", conninfo(), conninfo()});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  done = true;
  watcher.join();
  if (!released) holder.exec("ROLLBACK");
  expect_one_line_error(run, "SQLSTATE 55P03");
  EXPECT_LT(seconds, 6.0);
  // Two sides, each with one connection on the sequence and one on the table.
  EXPECT_EQ(most_waiting, 4) << "sessions named 'schemakit schema-compare' seen waiting for a lock at once";
}

}  // namespace
}  // namespace schemakit::testing
