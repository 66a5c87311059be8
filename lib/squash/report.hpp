#pragma once
// squash.json: what a squash covered and how it was proved. `archive` reads `migrations[]` to
// know which files a consolidated schema already covers; the lifecycle subcommands read `format`
// and `files`. The layout is documented in docs/squash.md; keep both in step.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "migrations/migration.hpp"

namespace schemakit::squash {

struct ReportFile {
  std::string path;  // relative to the migrations folder (or as given, for setup scripts)
  std::string sha256;
};

struct ReportMigration {
  std::string version;
  std::string name;
  std::vector<ReportFile> files;
};

// A Flyway SQL callback the replay ran (History::callbacks): not a migration, so `archive`, which
// reads migrations[], never moves it.
struct ReportCallback {
  std::string event;        // "afterMigrate"
  std::string description;  // "grants" for afterMigrate__grants.sql, "" for afterMigrate.sql
  std::vector<ReportFile> files;
};

// The Flyway configuration a squash read (History::flyway_config).
struct ReportFlywayConfig {
  std::vector<ReportFile> files;  // as given (--flyway-config) or found, in the order read
  std::string found;              // "--flyway-config", "in the migrations folder", "in the parent folder"
  std::string environment;        // flyway.toml's environment read
  std::vector<std::string> applied;         // settings squash honoured, as written
  std::vector<std::string> not_applicable;  // settings that change nothing migrate does here
};

struct Check {
  std::string name;    // "catalog", "rows", "sequences", "pg_dump", "down", "up_again", "roles"
  std::string result;  // "passed", "failed", "skipped"
  std::string detail;  // why skipped, or what differed (first lines)
};

struct Report {
  int report_version = 1;
  std::string tool_version;
  std::string source;  // the migrations folder as given
  std::string format;
  std::string through;  // --through, empty when absent
  std::vector<ReportMigration> migrations;
  std::vector<ReportCallback> callbacks;  // in the order Flyway fires them
  std::vector<ReportFile> setup;
  std::vector<std::string> ignored_files;
  // Flyway: the configuration read; absent (no key in squash.json) when none was.
  std::optional<ReportFlywayConfig> flyway_config;
  // The roles the migrations created (on the server after the replay, not before it), sorted:
  // up.sql makes each when missing, whether the database refers to it or not; verify reads them
  // with this list. Absent from reports of older squash versions (read as none).
  std::vector<std::string> created_roles;
  std::string server_version;  // "15.20"
  std::string fingerprint;
  bool data = true;  // false with --no-data
  std::map<std::string, size_t> objects;    // kind name -> count, kinds with objects only
  std::map<std::string, long long> rows;    // table -> rows (tables with rows only)
  std::map<std::string, ReportFile> outputs;  // "up.sql" -> {path, sha256}
  // Step -> seconds, in run order: shown in the summary, not written to squash.json, which the
  // same input must reproduce byte for byte.
  std::vector<std::pair<std::string, double>> timings;
  bool proved = false;
  std::vector<Check> checks;
};

// From the migration model: versions, names and files relative to the migrations folder.
std::vector<ReportMigration> report_migrations(const migrations::History& history);
std::vector<ReportCallback> report_callbacks(const migrations::History& history);

std::string to_json(const Report& report);  // pretty-printed, ends with a newline
// Throws InputError naming `source_name` when the text is not a squash report.
Report report_from_json(const std::string& text, const std::string& source_name);

}  // namespace schemakit::squash
