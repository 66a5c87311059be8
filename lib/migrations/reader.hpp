#pragma once
// Reads a migration folder the way its runner does: which files belong to which migration, in
// which order, with which SQL in each direction and how each is wrapped in a transaction. Every
// script is split (and so syntax-checked) with libpg_query. Never touches a server.
//
// Errors: InputError (exit 1) for what is wrong with the history (duplicate versions, a file
// that matches no pattern, an empty up, a non-UTF-8 file, a syntax error at file:line:column);
// IoError (exit 2) for a folder or file that cannot be read.
#include <filesystem>
#include <optional>
#include <string>

#include "migrations/migration.hpp"

namespace schemakit::migrations {

struct ReadOptions {
  std::optional<Layout> layout;  // --format; detected when absent
  bool allow_duplicate_versions = false;
  // --through: the history stops after this version (all migrations that carry it). Written as
  // the runner writes it: "3" or "003" for numbered layouts, "2019-01-01-000000" or
  // "20190101000000" for diesel, "1.2", "1_2" or "V1_2" for Flyway.
  std::optional<std::string> through_version;
  // false: only which files make up each migration, in the runner's order, with their checksums;
  // the SQL is neither split nor syntax-checked. archive moves files as they are and must not
  // refuse an old migration whose SQL is empty or no longer parses.
  bool read_scripts = true;
  // Flyway: the configuration files `flyway migrate` reads (--flyway-config; a later one
  // overrides an earlier one). Empty: a flyway.conf or flyway.toml in the folder, else in its
  // parent (migrations/flyway_config.hpp). Given files, or one in the folder itself, make the
  // layout flyway; one found in the parent is read only when the layout is flyway.
  std::vector<std::filesystem::path> flyway_config_files;
  // The value of ${flyway:timestamp} ("2024-05-01 12:00:00"): Flyway writes the time migrate
  // runs. Empty: a script that uses it is refused.
  std::string flyway_timestamp;
};

History read_history(const std::filesystem::path& root, const ReadOptions& options = {});

// The layout of a folder, from its file names and, for numbered .sql files, their markers
// (`-- migrate:up` is dbmate, `-- +goose Up` is goose, neither is plain).
Layout detect_layout(const std::filesystem::path& root);

}  // namespace schemakit::migrations
