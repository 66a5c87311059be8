#pragma once
// Replay: runs a migration history into a scratch database exactly the way its runner would
// (one transaction per migration by default, each statement alone for files that cannot run in
// a transaction, as written for files with their own BEGIN/COMMIT), statement by statement so
// that a failure points at file:line:column.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "migrations/database_names.hpp"
#include "migrations/migration.hpp"
#include "pg/connection.hpp"

namespace schemakit::squash {

// A place in a migration file, as an editor shows it (1-based line and column in characters).
struct SourceLocation {
  std::string file;  // the migrations folder as given, joined with the file's relative path
  int line = 1;
  int column = 1;
};

// Where a server error points: `position` is the server's 1-based character offset into
// `statement.sql` (0 when the server gave none: the statement's start is used).
SourceLocation locate_error(const std::filesystem::path& root, const migrations::Script& script,
                            const migrations::Statement& statement, int position);

// The table a runner keeps its applied versions in, created by the runner before the first
// migration (migrations may refer to it), and left out of every squash output.
struct TrackingTable {
  std::string schema;  // where the runner creates it: the first schema of the search_path
  std::string name;
  std::string create_sql;
};
std::optional<TrackingTable> tracking_table(migrations::Layout layout);

struct ReplayStep {
  size_t index = 0;  // 1-based
  size_t total = 0;
  const migrations::Migration* migration = nullptr;
};

struct ReplayOptions {
  // Called before each migration runs (progress display).
  std::function<void(const ReplayStep&)> on_migration;
  // Called with one line per step (--verbose).
  std::function<void(const std::string&)> log;
  // The database names the history writes (migrations::find_history_database_names), when the
  // caller checked them already; replay finds them itself otherwise. Each is replaced by the
  // replay database's name before its statement runs.
  const migrations::DatabaseNaming* database_names = nullptr;
};

struct ReplayStats {
  size_t migrations = 0;
  size_t callbacks = 0;   // Flyway callback scripts run (an each-migrate one once per migration)
  size_t statements = 0;  // migrations' and callbacks'
  double seconds = 0;
};

// Runs every migration's up script on `conninfo`, recording each in the runner's tracking table
// (created beforehand with create_tracking_table), and Flyway's SQL callbacks where `flyway
// migrate` runs them (History::callbacks; docs/squash.md, "Flyway callbacks"); a callback's errors
// are located in its file like a migration's. Statements that name the history's own
// database (ALTER DATABASE myapp SET ..., GRANT ... ON DATABASE myapp) act on the replay
// database instead (see migrations/database_names.hpp). A failing statement throws InputError
// "file:line:column: ERROR <SQLSTATE>: <message>" (exit 1); a lost connection stays trouble.
ReplayStats replay(const migrations::History& history, const std::string& conninfo,
                   const ReplayOptions& options);

// Creates the runner's tracking table, empty, as the runner does before its first migration.
// No-op for layouts whose runner keeps its bookkeeping elsewhere.
void create_tracking_table(pg::Session& session, migrations::Layout layout);

// Names of every role on the server (roles are cluster-wide).
std::set<std::string> role_names(const std::string& conninfo);

// Runs each --setup script statement by statement, each committed on its own (as `psql -f`);
// errors are reported at file:line:column of the script.
void run_setup_scripts(const std::string& conninfo, const std::vector<std::filesystem::path>& files);

// A statement of a script that the server refused: the message is located
// ("up.sql:12:3: ERROR 42P07: ..."), the SQLSTATE kept for callers that decide on it.
class ScriptError : public InputError {
 public:
  ScriptError(const std::string& message, std::string sqlstate)
      : InputError(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// Runs a whole SQL text (up.sql, down.sql, a setup script) statement by statement (split with
// libpg_query: a syntax error is an InputError before anything runs), with errors located in it as
// `display_name:line:column`: ScriptError for statement failures when `on_error` is
// ExitCode::no, ServerError otherwise (and always for a lost connection).
void run_script_text(pg::Session& session, const std::string& sql, const std::string& display_name,
                     ExitCode on_error);

}  // namespace schemakit::squash
