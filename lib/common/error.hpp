#pragma once
// One error type for the whole library. Every error knows the exit code it maps to, so the three
// front ends share one catch and one exit-code table (docs/usage.md).
#include <stdexcept>
#include <string>

namespace schemakit {

enum class ExitCode : int {
  ok = 0,        // success; schema-compare: identical; archive verify: intact
  no = 1,        // the answer is "no": differences, a failed proof or migration, tampering
  trouble = 2,   // usage, I/O, connection or server trouble
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

// Bad arguments or options.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(ExitCode::trouble, message) {}
};

// A file or directory that cannot be read, written or moved.
class IoError : public Error {
 public:
  explicit IoError(const std::string& message) : Error(ExitCode::trouble, message) {}
};

// An error the server reported (or a connection that failed). `sqlstate` is empty for
// connection failures. The exit code depends on who is to blame: a migration that fails is the
// history's fault (1); a server we cannot reach is trouble (2).
class ServerError : public Error {
 public:
  ServerError(ExitCode code, const std::string& message, std::string sqlstate = {},
              std::string query = {})
      : Error(code, message), sqlstate_(std::move(sqlstate)), query_(std::move(query)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  const std::string& query() const noexcept { return query_; }

 private:
  std::string sqlstate_;
  std::string query_;
};

// Bad input content: a syntax error in a migration, a duplicate version, a manifest that lies.
class InputError : public Error {
 public:
  explicit InputError(const std::string& message) : Error(ExitCode::no, message) {}
};

}  // namespace schemakit
