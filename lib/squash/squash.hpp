#pragma once
// The squash pipeline: read the history, replay it into a scratch database, write the
// consolidated up.sql / down.sql / squash.json to a staging directory, prove them, and only then
// move them into OUT_DIR. Any failure leaves OUT_DIR exactly as it was.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "migrations/migration.hpp"
#include "squash/console.hpp"
#include "squash/report.hpp"

namespace schemakit::squash {

struct SquashOptions {
  std::filesystem::path migrations_dir;  // as given: named so in up.sql and squash.json
  std::filesystem::path output_dir;      // may be empty with dry_run
  std::string scratch_url;               // empty: embedded PostgreSQL
  std::string pg_bindir;
  std::optional<migrations::Layout> format;
  std::optional<std::string> through;
  bool dry_run = false;
  bool no_data = false;
  bool allow_duplicate_versions = false;
  std::vector<std::filesystem::path> setup_files;
  // --flyway-config: the Flyway configuration files migrate reads (empty: found beside the
  // migrations; see migrations::ReadOptions::flyway_config_files).
  std::vector<std::filesystem::path> flyway_config_files;
};

struct SquashOutcome {
  Report report;
  bool written = false;
  std::string summary;  // what stdout shows
};

// Throws InputError (exit 1) when the history or the proof fails (the proof's differences are
// printed through `console` first), UsageError / IoError / ServerError (exit 2) for the rest.
SquashOutcome run_squash(const SquashOptions& options, Console& console);

// The source folder as up.sql names it: as given when relative, else relative to the current
// directory when that is shorter than the absolute path; "/" separators either way.
std::string source_label(const std::filesystem::path& migrations_dir);

// up.sql / down.sql headers: no timestamps, no temporary paths, so the same input gives the
// same bytes.
struct HeaderFacts {
  std::string source;
  std::string format;
  std::string through;
  std::string first_version, first_name, last_version, last_name;
  size_t count = 0;
  std::string server_version;
  std::string fingerprint;
  bool data = true;
};
std::string up_header(const HeaderFacts& facts);
std::string down_header(const HeaderFacts& facts);

// "15.20" from 150020, "12.3" from 120003.
std::string server_version_text(int server_version_num);

}  // namespace schemakit::squash
