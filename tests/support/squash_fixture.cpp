#include "support/squash_fixture.hpp"

#include <algorithm>

namespace fs = std::filesystem;

namespace schemakit::testing {

fs::path realistic_fixture(const std::string& name) { return source_dir() / "tests/fixtures/realistic" / name; }

std::vector<std::string> sql_files_in_name_order(const std::string& name) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(realistic_fixture(name))) {
    if (entry.path().extension() == ".sql") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string first_difference(const std::string& replayed, const std::string& built) {
  size_t at = 0;
  int line = 1;
  while (at < replayed.size() || at < built.size()) {
    const size_t end_a = std::min(replayed.find('\n', at), replayed.size());
    const size_t end_b = std::min(built.find('\n', at), built.size());
    const std::string la = at < replayed.size() ? replayed.substr(at, end_a - at) : "<end>";
    const std::string lb = at < built.size() ? built.substr(at, end_b - at) : "<end>";
    if (la != lb) return "line " + std::to_string(line) + ":\n  replayed: " + la + "\n  built:    " + lb;
    at = end_a + 1;
    ++line;
  }
  return "";
}

int SquashFixtureTest::run_squash(const std::string& name, const std::string& arguments, std::string* output) {
  return run_command("cd " + shell_quote(source_dir().string()) + " && " + shell_quote(tool_path("squash").string()) +
                         " tests/fixtures/realistic/" + name + " --output " + shell_quote(out().string()) +
                         " --scratch-url " + shell_quote(test_server().admin_conninfo()) +
                         (arguments.empty() ? "" : " " + arguments),
                     output);
}

void SquashFixtureTest::expect_squash_proves(const std::string& name, const std::string& arguments) {
  std::string output;
  ASSERT_EQ(run_squash(name, arguments, &output), 0) << output;
  for (const char* file : {"up.sql", "down.sql", "squash.json"}) {
    ASSERT_TRUE(fs::is_regular_file(out() / file)) << file;
  }
  const std::string report = read_file(out() / "squash.json");
  EXPECT_EQ(report.find("\"failed\""), std::string::npos) << report;
}

void SquashFixtureTest::expect_same_dump_as_replay_per_file(const std::string& name, std::vector<std::string> files,
                                                            const std::string& arguments, std::string* replayed) {
  expect_squash_proves(name, arguments);
  if (HasFatalFailure()) return;
  if (files.empty()) files = sql_files_in_name_order(name);
  const std::string database = make_database("replayed per file");
  if (replayed != nullptr) *replayed = database;
  for (const auto& file : files) {
    SCOPED_TRACE(file);
    exec_on(database, read_file(realistic_fixture(name) / file));
    if (HasFatalFailure()) return;
  }
  exec(up_sql());
  if (HasFatalFailure()) return;
  const std::string replayed_dump = pg_dump_text(database, "--schema-only");
  if (replayed_dump.empty()) GTEST_SKIP() << "pg_dump is not installed";
  EXPECT_EQ(first_difference(replayed_dump, pg_dump_text(conninfo(), "--schema-only")), "");
}

}  // namespace schemakit::testing
