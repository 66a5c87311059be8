// An interrupted squash (Ctrl-C: SIGINT to the process in the middle of its replay) leaves OUT_DIR
// and the directory that holds it exactly as they were: no staging directory beside OUT_DIR, no
// half-written file in it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using schemakit::testing::read_file;
using schemakit::testing::TempDir;
using schemakit::testing::test_server;
using schemakit::testing::tool_path;
using schemakit::testing::write_file;

namespace {

// Every entry below `dir` (names, and the bytes of files): what "as it was" compares.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> entries;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(entry.path(), dir).generic_string();
    entries[name] = entry.is_regular_file() ? read_file(entry.path()) : std::string("<dir>");
  }
  return entries;
}

bool has_staging_directory(const fs::path& parent) {
  for (const auto& entry : fs::directory_iterator(parent)) {
    if (entry.path().filename().string().find(".squash-") != std::string::npos) return true;
  }
  return false;
}

// Starts squash with `arguments` (stdout and stderr to `log`), waits until the log shows that the
// replay reached `marker` and a staging directory exists in `parent`, sends SIGINT, and returns
// how the process ended (waitpid status).
int interrupt_squash(const std::vector<std::string>& arguments, const fs::path& log, const std::string& marker,
                     const fs::path& parent) {
  const std::string tool = tool_path("squash").string();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(tool.c_str()));
  for (const auto& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls until exec: the test process has threads
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0) _exit(126);
    execv(tool.c_str(), argv.data());
    _exit(127);
  }
  EXPECT_GT(pid, 0);
  bool reached = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(log) && read_file(log).find(marker) != std::string::npos && has_staging_directory(parent)) {
      reached = true;
      break;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      ADD_FAILURE() << "squash ended before it was interrupted:\n" << read_file(log);
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(reached) << "the replay never reached '" << marker << "':\n" << read_file(log);
  kill(pid, SIGINT);
  int status = 0;
  for (int i = 0; i < 3000; ++i) {  // up to 30 s
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "squash did not end after SIGINT";
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return status;
}

// A history whose second migration sleeps: the signal arrives in the middle of the replay.
void write_slow_history(const fs::path& history) {
  write_file(history / "1_items.up.sql", "CREATE TABLE items (id int PRIMARY KEY);\n");
  write_file(history / "2_slow.up.sql", "SELECT pg_sleep(20);\nCREATE TABLE more_items (id int);\n");
}

}  // namespace

// The default: the embedded server, stopped and removed by the same handler. OUT_DIR exists,
// with an older squash's files and one of the user's own.
TEST(SquashInterrupt, CtrlCLeavesAnExistingOutDirAndItsParentAsTheyWere) {
  TempDir dir;
  const fs::path parent = dir.path() / "work";
  const fs::path out = parent / "out";
  write_slow_history(dir.path() / "history");
  write_file(out / "up.sql", "-- the previous squash\n");
  write_file(out / "notes.txt", "mine\n");
  const auto before = snapshot(parent);

  const int status = interrupt_squash({(dir.path() / "history").string(), "--output", out.string(), "--verbose"},
                                      dir.path() / "squash.log", "migration 2 of 2", parent);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << "status " << status << "\n"
                                                                  << read_file(dir.path() / "squash.log");
  EXPECT_EQ(snapshot(parent), before);
}

// --scratch-url, and an OUT_DIR that does not exist yet: it still does not, and nothing is left
// beside where it would be.
TEST(SquashInterrupt, CtrlCLeavesNoOutDirWhereThereWasNone) {
  TempDir dir;
  const fs::path parent = dir.path() / "work";
  fs::create_directories(parent);
  write_slow_history(dir.path() / "history");
  write_file(parent / "unrelated.txt", "untouched\n");
  const auto before = snapshot(parent);

  const int status = interrupt_squash({(dir.path() / "history").string(), "--output", (parent / "out").string(),
                                       "--verbose", "--scratch-url", test_server().admin_conninfo()},
                                      dir.path() / "squash.log", "migration 2 of 2", parent);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << "status " << status << "\n"
                                                                  << read_file(dir.path() / "squash.log");
  EXPECT_EQ(snapshot(parent), before);
  EXPECT_FALSE(fs::exists(parent / "out"));
}
