#pragma once
// The life of a consolidated schema after squash wrote it: apply it to a database, roll it back,
// verify that a live database is what up.sql builds.
#include <filesystem>
#include <string>
#include <vector>

#include "squash/console.hpp"

namespace schemakit::squash {

struct LifecycleOptions {
  std::string db;  // --db: a database name, conninfo or URI (pg::resolve_conninfo)
  std::filesystem::path out_dir;
  bool force = false;            // apply: run down.sql first, in the same transaction
  std::string scratch_url;       // verify
  std::string pg_bindir;         // verify
  std::vector<std::filesystem::path> setup_files;  // verify: what the live database has besides
  bool color = false;            // verify: colours in the report
};

// Runs up.sql in one transaction. Refuses (InputError, exit 1; nothing changed) when the schema's
// objects already exist, unless `force`, which runs down.sql first in the same transaction.
// Returns the line for stdout.
std::string apply(const LifecycleOptions& options, Console& console);

// Runs down.sql in one transaction. Returns the line for stdout.
std::string rollback(const LifecycleOptions& options, Console& console);

struct VerifyOutcome {
  bool identical = false;
  std::string report;  // the schema-compare style text report
};
// Builds up.sql in a scratch database and compares the live database with it (A: live, B: built
// by up.sql), leaving out the runner's tracking table and what --setup scripts make.
VerifyOutcome verify(const LifecycleOptions& options, Console& console);

// The text of a generated script with its own BEGIN; / COMMIT; lines blanked (line numbers
// stay), so several scripts can run in one transaction.
std::string without_transaction_lines(const std::string& script);

}  // namespace schemakit::squash
