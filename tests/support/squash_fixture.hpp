#pragma once
// Squashing the small histories under tests/fixtures/realistic/<name> on the harness's server,
// and the check an outside oracle makes of a squash: the history replayed with one session and
// one transaction per file (psql --single-transaction -f, file after file), a database built
// from up.sql, and the same pg_dump --schema-only text from both.
#include <filesystem>
#include <string>
#include <vector>

#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace schemakit::testing {

std::filesystem::path realistic_fixture(const std::string& name);

// The fixture's .sql files in name order (the plain layout's order).
std::vector<std::string> sql_files_in_name_order(const std::string& name);

// The first line where two texts part, with its number, or "" when they are equal: a whole dump
// in a failure message hides the one line that matters.
std::string first_difference(const std::string& replayed, const std::string& built);

class SquashFixtureTest : public ServerTest {
 protected:
  // `squash tests/fixtures/realistic/<name> --output out() --scratch-url <server> <arguments>`,
  // run from the source folder: its exit code, and its output in `output`.
  int run_squash(const std::string& name, const std::string& arguments, std::string* output);

  // A proved squash: exit 0, the three files written, no failed check in squash.json.
  void expect_squash_proves(const std::string& name, const std::string& arguments = "");

  // expect_squash_proves, then the outside check with `files` of the fixture (up scripts in the
  // runner's order; empty: every .sql file in name order). `replayed`, when given, gets the
  // conninfo of the database the files were replayed into.
  void expect_same_dump_as_replay_per_file(const std::string& name, std::vector<std::string> files = {},
                                           const std::string& arguments = "", std::string* replayed = nullptr);

  std::filesystem::path out() const { return tmp_.path() / "out"; }
  std::string up_sql() const { return read_file(out() / "up.sql"); }

 private:
  TempDir tmp_;
};

}  // namespace schemakit::testing
