#include "squash/pg_dump.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/core.h>
#include <sstream>
#include <vector>

#include "common/error.hpp"
#include "pg/connection.hpp"

extern char** environ;

namespace schemakit::squash {
namespace {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] with no shell (the conninfo may hold anything), stdin from /dev/null.
ProcessResult run_process(const std::vector<std::string>& argv) {
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0) throw IoError(fmt::format("pipe: {}", std::strerror(errno)));
  if (pipe(err_pipe) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    throw IoError(fmt::format("pipe: {}", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawned != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw IoError(fmt::format("cannot run {}: {}", argv[0], std::strerror(spawned)));
  }
  ProcessResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

std::string exact_table_pattern(const DumpedTable& table) {
  auto quoted = [](const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  };
  return quoted(table.schema) + "." + quoted(table.name);
}

std::string pg_dump_schema(const std::string& bindir, const std::string& conninfo,
                           const std::vector<DumpedTable>& excluded) {
  const std::string program = (std::filesystem::path(bindir) / "pg_dump").string();
  std::vector<std::string> args = {program, "--schema-only", "--no-password", "--dbname=" + conninfo};
  for (const DumpedTable& table : excluded) args.push_back("--exclude-table=" + exact_table_pattern(table));
  ProcessResult r = run_process(args);
  if (r.exit_code != 0) {
    while (!r.err.empty() && r.err.back() == '\n') r.err.pop_back();
    throw ServerError(ExitCode::trouble,
                      fmt::format("pg_dump of {} failed (exit {}): {}",
                                  pg::mask_password(conninfo), r.exit_code, r.err));
  }
  return r.out;
}

std::string normalize_pg_dump(const std::string& dump) {
  std::vector<std::string> lines;
  for (auto& line : split_lines(dump)) {
    // restrict-key
    if (starts_with(line, "\\restrict ") || starts_with(line, "\\unrestrict ")) continue;
    lines.push_back(std::move(line));
  }
  std::string out;
  for (const auto& line : lines) {
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace schemakit::squash
