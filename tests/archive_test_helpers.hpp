#pragma once
// Shared by the archive_*_test binaries: a project folder with a migration history in it, the real
// `archive` binary run as a child process, and exact snapshots of folders (every file's bytes and
// the listing, folders included) to prove that nothing was lost or altered.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/test_paths.hpp"

namespace schemakit::testing::archive_tests {

namespace fs = std::filesystem;

// Relative path -> content for files, "<dir>" for folders, "<symlink -> target>" for symlinks.
using Snapshot = std::map<std::string, std::string>;

inline Snapshot snapshot(const fs::path& root) {
  Snapshot result;
  if (!fs::exists(root)) return result;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const std::string relative = it->path().lexically_relative(root).generic_string();
    if (it->is_symlink())
      result[relative] = "<symlink -> " + fs::read_symlink(it->path()).string() + ">";
    else if (it->is_directory())
      result[relative] = "<dir>";
    else
      result[relative] = read_file(it->path());
  }
  return result;
}

inline std::vector<std::string> keys(const Snapshot& snapshot) {
  std::vector<std::string> out;
  for (const auto& [key, value] : snapshot) out.push_back(key);
  return out;
}

using schemakit::testing::shell_quote;

struct ToolRun {
  int code = -1;
  std::string output;  // stdout and stderr
};

// Runs build/bin/archive in `cwd` with `args` (each quoted) and extra environment assignments.
inline ToolRun run_archive(const fs::path& cwd, const std::vector<std::string>& args,
                       const std::vector<std::string>& environment = {}) {
  std::string command = "cd " + shell_quote(cwd.string()) + " && env";
  for (const std::string& assignment : environment) command += " " + shell_quote(assignment);
  command += " " + shell_quote(tool_path("archive").string());
  for (const std::string& arg : args) command += " " + shell_quote(arg);
  ToolRun run;
  run.code = run_command(command, &run.output);
  return run;
}

// A small hasura-layout history (folders <version>_<name>/up.sql, down.sql): folder creation
// and removal are exercised, and reading it is fast.
inline void write_hasura_history(const fs::path& root, int count) {
  for (int i = 1; i <= count; ++i) {
    const std::string folder = std::to_string(1700000000000LL + i * 1000) + "_step_" + std::to_string(i);
    write_file(root / folder / "up.sql", "CREATE TABLE t" + std::to_string(i) + " (id int PRIMARY KEY, note text);\n");
    write_file(root / folder / "down.sql", "DROP TABLE t" + std::to_string(i) + ";\n");
  }
}

inline std::string hasura_version(int i) { return std::to_string(1700000000000LL + i * 1000); }

// Copies a history into <project>/migrations.
inline void copy_history(const fs::path& from, const fs::path& project) {
  fs::create_directories(project);
  fs::copy(from, project / "migrations", fs::copy_options::recursive);
}

}  // namespace schemakit::testing::archive_tests
