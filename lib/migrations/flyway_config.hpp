#pragma once
// Flyway's configuration, as `flyway migrate` reads it from flyway.conf (Java properties,
// `flyway.<setting>=value`) or flyway.toml (Flyway 10: a `[flyway]` table and
// `[environments.<name>]` tables): the settings that change what migrate does to an empty
// database are honoured, those that do not (connection, validation, reporting) are accepted and
// listed as not applicable, and the rest are refused by name. Environment variables (FLYWAY_*,
// `${VAR}` in a value) and the configuration files of the user's home or Flyway's install folder
// are never read. See docs/migration-layouts.md, "Flyway configuration". Pure data and parsing:
// no server.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace schemakit::migrations {

struct FlywayConfig {
  // The files read, in order (a later one overrides an earlier one), as given or found.
  std::vector<std::filesystem::path> files;
  // How they were found: "--flyway-config", "in the migrations folder", "in the parent folder".
  std::string found;
  std::string environment = "default";  // flyway.toml: the [environments.<name>] read

  std::map<std::string, std::string> placeholders;  // flyway.placeholders.<name>
  std::string placeholder_prefix = "${";
  std::string placeholder_suffix = "}";
  bool placeholder_replacement = true;

  std::vector<std::string> schemas;  // created when missing (create_schemas), in this order
  std::string default_schema;        // search_path during the replay; empty: left as it is
  bool create_schemas = true;
  bool validate_on_migrate = true;  // false: beforeValidate / afterValidate callbacks do not run

  // Which files are migrations: <prefix><version><separator><description><suffix>.
  std::string sql_migration_prefix = "V";
  std::string sql_migration_separator = "__";
  std::vector<std::string> sql_migration_suffixes = {".sql"};
  std::string repeatable_sql_migration_prefix = "R";
  std::string undo_sql_migration_prefix = "U";

  std::string table = "flyway_schema_history";  // ${flyway:table}
  std::optional<std::string> target;            // a version (flyway.target); --through wins
  std::string user;                             // ${flyway:user}; empty: unknown
  std::string database;                         // ${flyway:database}, from a jdbc:postgresql url

  // Setting names as written ("flyway.placeholders.tenant", "environments.default.url"), in file
  // order, by what squash did with them.
  std::vector<std::string> applied;
  std::vector<std::string> not_applicable;
};

// flyway.conf or flyway.toml in `migrations_root`, else in its parent folder (the project folder
// of the common `sql/` or `migrations/` layout); nullopt when neither holds one. Both kinds at
// one level are refused (InputError): pass --flyway-config.
std::optional<std::filesystem::path> find_flyway_config(const std::filesystem::path& migrations_root);

// Reads `files` (.conf as Java properties, .toml as TOML), later files overriding earlier ones.
// `migrations_root` is the folder squash reads: `locations` must name it. InputError at
// file:line for a setting that is refused or malformed; IoError for a file that cannot be read.
FlywayConfig read_flyway_config(const std::vector<std::filesystem::path>& files,
                                const std::filesystem::path& migrations_root);

}  // namespace schemakit::migrations
