#pragma once
// A migration history as the runners see it. Pure data; readers per layout fill it
// (lib/migrations/reader.hpp). No server is touched in this module.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "migrations/flyway_config.hpp"

namespace schemakit::migrations {

enum class Layout { hasura, diesel, golang_migrate, plain, flyway, dbmate, goose, prisma };

std::string to_string(Layout layout);                      // "hasura", "golang-migrate", ...
std::optional<Layout> layout_from_string(const std::string& name);
// Every layout name `--format` accepts, in a fixed order (for --help and error messages).
std::vector<std::string> layout_names();

// How the runner wraps a file: its own transaction (the default), none (a marker or a statement
// that cannot run in a transaction block), or as written (the file has its own BEGIN/COMMIT).
enum class TxMode { transaction, none, as_written };
std::string to_string(TxMode mode);

// The rows a `COPY ... FROM STDIN` statement takes from the lines that follow it in the file, up
// to a line `\.` (or the end of the file), as psql and Flyway send them with the copy protocol.
struct CopyData {
  std::string rows;  // the data lines byte for byte, without the `\.` line
  size_t offset = 0;  // byte offset of the first data line in the section's text
  size_t end = 0;     // one past the `\.` line (or the text's end): where SQL resumes
  // FORMAT csv (a quoted value may span lines), with its QUOTE and ESCAPE characters.
  bool csv = false;
  char quote = '"';
  char escape = '"';
};

// One SQL statement of a file, with where it starts (1-based) for error messages.
struct Statement {
  std::string sql;
  int line = 1;
  int column = 1;
  size_t offset = 0;  // byte offset of the statement in the section's text
  std::optional<CopyData> copy_data;  // set for COPY ... FROM STDIN only
};

// A span of Script::text that stands for a span of the file: a Flyway placeholder and its value.
struct TextReplacement {
  size_t offset = 0;  // in Script::text
  size_t length = 0;
  size_t source_offset = 0;  // in the file's text
  size_t source_length = 0;
};

// The SQL of one direction of a migration. `text` is what the runner would send; `file` and
// `first_line` say where it came from (sections inside one file start below line 1).
struct Script {
  std::filesystem::path file;  // relative to the migrations folder
  int first_line = 1;
  std::string text;
  TxMode tx_mode = TxMode::transaction;
  std::vector<Statement> statements;  // split with libpg_query; lines are file lines
  // Why tx_mode is not `transaction` ("CREATE INDEX CONCURRENTLY (line 3)", "metadata.toml:
  // run_in_transaction = false", ...); empty for the default.
  std::string tx_mode_reason;
  // Per line of `text`: the columns the reader removed at the line's start (the "-- " of a plain
  // layout's rollback section), so columns in messages are file columns. Empty when none.
  std::vector<int> column_shifts;
  // Flyway placeholders replaced in `text`, in order, and the file's text as written (kept only
  // when there are some): positions in `text` are told as positions in the file through them.
  std::vector<TextReplacement> replacements;
  std::string source_text;
};

struct MigrationFile {
  std::filesystem::path path;  // relative to the migrations folder
  std::string sha256;          // lowercase hex of the file's bytes
  unsigned long long size = 0;
};

struct Migration {
  std::string version;  // as the runner names it ("1700000000000", "V1_2" -> "1.2", ...)
  std::string name;
  Script up;
  std::optional<Script> down;  // absent when the history has none
  std::vector<MigrationFile> files;  // every file that belongs to it (up, down, metadata, conf)
  // For folder layouts (hasura, diesel, prisma), the folder relative to the migrations folder.
  std::optional<std::filesystem::path> folder;
  // Flyway R__: no version; runs after every versioned migration, by name.
  bool repeatable = false;
};

// The Flyway lifecycle events whose SQL callbacks `flyway migrate` runs on an empty database
// with Flyway's default configuration, in the order it fires them (see docs/squash.md, "Flyway
// callbacks"). The validate events fire because migrate validates first (validateOnMigrate).
enum class CallbackEvent {
  before_validate,
  after_validate,
  before_migrate,
  before_each_migrate,  // in the migration's transaction, before it
  after_each_migrate,   // in the migration's transaction, after it
  after_versioned,      // after the last versioned migration (before the repeatables, if any)
  before_repeatables,   // before the first repeatable migration, when there is one
  after_migrate_applied,
  after_migrate,
};
std::string to_string(CallbackEvent event);  // Flyway's name: "beforeMigrate", ...

// A Flyway SQL callback kept beside the migrations (beforeMigrate.sql, afterMigrate__grants.sql).
// Not a migration: Flyway runs it on every migrate and records it nowhere.
struct Callback {
  CallbackEvent event{};
  std::string description;  // "grants" for afterMigrate__grants.sql; empty for afterMigrate.sql
  Script script;            // empty (no statements) when read without scripts
  std::vector<MigrationFile> files;  // the .sql file, and its .sql.conf when there is one
};

struct History {
  std::filesystem::path root;
  Layout layout{};
  std::vector<Migration> migrations;  // in the runner's order
  // Flyway SQL callbacks that migrate runs, by event in firing order, then in Flyway's order
  // within an event (no description first, then descriptions as strings). Callbacks of events
  // migrate does not fire (afterClean.sql, ...) are in ignored_files.
  std::vector<Callback> callbacks;
  // Files the runner itself would ignore (README next to diesel's folders, ...), reported.
  std::vector<std::filesystem::path> ignored_files;
  // Flyway: the configuration `flyway migrate` reads, when there is one (ReadOptions).
  std::optional<FlywayConfig> flyway_config;
};

}  // namespace schemakit::migrations
