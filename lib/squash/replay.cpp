#include "squash/replay.hpp"

#include <chrono>
#include <map>
#include <fmt/core.h>

#include "common/error.hpp"
#include "ddl/quote.hpp"
#include "migrations/database_names.hpp"
#include "migrations/sql_splitter.hpp"
#include "migrations/sql_text.hpp"

namespace fs = std::filesystem;

namespace schemakit::squash {
namespace {

using migrations::CallbackEvent;
using migrations::Layout;
using migrations::Migration;
using migrations::Script;
using migrations::Statement;
using migrations::TxMode;

std::string display_path(const fs::path& root, const fs::path& file) {
  return migrations::display_path(root, file);
}

// Turns a failed statement into the error the user sees. A lost connection stays trouble (2):
// the history is not to blame for that.
[[noreturn]] void throw_located(const pg::ExecError& error, const SourceLocation& where) {
  std::string message = fmt::format("{}:{}:{}: {}", where.file, where.line, where.column,
                                    pg::format_diagnostics(error.diagnostics()));
  if (error.code() == ExitCode::trouble) {
    throw ServerError(ExitCode::trouble, message, error.sqlstate(), error.query());
  }
  throw InputError(message);
}

// Runs a statement; a COPY ... FROM STDIN gets the rows that follow it in the file.
void send_statement(pg::Session& session, const Statement& statement, const std::string& sql, ExitCode on_error) {
  if (statement.copy_data) {
    session.copy_in(sql, statement.copy_data->rows, on_error);
  } else {
    session.exec(sql, on_error);
  }
}

// Where, in the text the statement came from, the COPY row starts that a server error names in
// its CONTEXT ("COPY t, line 3, column b: ..."); nullopt for other errors.
std::optional<size_t> failed_copy_row(const Statement& statement, const pg::ServerDiagnostics& diagnostics) {
  if (!statement.copy_data) return std::nullopt;
  const auto line = migrations::copy_context_line(diagnostics.context);
  if (!line) return std::nullopt;
  const auto in_rows = migrations::copy_data_line_offset(*statement.copy_data, *line);
  if (!in_rows) return std::nullopt;
  return statement.copy_data->offset + *in_rows;
}

// `rewritten`: the statement with its database names pointed at the replay database; errors
// are still located in the file as written.
void run_statement(pg::Session& session, const fs::path& root, const Script& script,
                   const Statement& statement, const migrations::RewrittenSql* rewritten = nullptr) {
  try {
    send_statement(session, statement, rewritten != nullptr ? rewritten->sql : statement.sql, ExitCode::no);
  } catch (const pg::ExecError& e) {
    if (const auto row = failed_copy_row(statement, e.diagnostics())) {
      const migrations::TextPosition at = migrations::file_position(script, *row);
      throw_located(e, {display_path(root, script.file), at.line, at.column});
    }
    int position = e.diagnostics().position;
    if (rewritten != nullptr) position = rewritten->original_position(position);
    throw_located(e, locate_error(root, script, statement, position));
  }
}

// Bookkeeping SQL exactly as the runner sends it; failures here are ours, not the history's,
// unless a migration changed the table (then the message says which table).
void run_bookkeeping(pg::Session& session, const std::string& sql, const Migration& migration) {
  try {
    session.exec(sql, ExitCode::no);
  } catch (const pg::ExecError& e) {
    throw InputError(fmt::format("recording migration {} in the runner's tracking table: {}",
                                 migration.version, pg::format_diagnostics(e.diagnostics())));
  }
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

SourceLocation locate_error(const fs::path& root, const Script& script, const Statement& statement,
                            int position) {
  size_t offset = statement.offset;
  if (position > 0) {
    offset += migrations::byte_offset_of_character(statement.sql, static_cast<size_t>(position - 1));
  }
  migrations::TextPosition at = migrations::file_position(script, offset);
  return {display_path(root, script.file), at.line, at.column};
}

std::optional<TrackingTable> tracking_table(Layout layout) {
  switch (layout) {
    case Layout::diesel:
      // diesel_migrations' setup_database(), verbatim.
      return TrackingTable{"public", "__diesel_schema_migrations",
                           "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations ("
                           "version VARCHAR(50) PRIMARY KEY NOT NULL, "
                           "run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"};
    case Layout::golang_migrate:
      // golang-migrate's postgres driver ensureVersionTable(), verbatim.
      return TrackingTable{"public", "schema_migrations",
                           "CREATE TABLE IF NOT EXISTS schema_migrations ("
                           "version bigint not null primary key, dirty boolean not null)"};
    default:
      return std::nullopt;
  }
}

void create_tracking_table(pg::Session& session, Layout layout) {
  auto table = tracking_table(layout);
  if (!table) return;
  session.exec(table->create_sql);
}

namespace {

using NameMap = std::map<std::pair<size_t, size_t>, std::vector<migrations::DatabaseName>>;

// One replay: a session, the history, and where its database names are.
class Replayer {
 public:
  Replayer(const migrations::History& history, const std::string& conninfo, const ReplayOptions& options,
           const migrations::DatabaseNaming& naming)
      : history_(history), options_(options), naming_(naming), session_(conninfo, "schemakit squash replay") {
    // What the history calls its database is, during the replay, the replay database.
    if (naming_.application_database) {
      replay_database_ = ddl::quote_ident(*session_.query("SELECT pg_catalog.current_database()").at(0).at(0));
    }
    // Named with its schema: a migration may empty the search_path (pg_dump baselines do) before
    // the runner records it.
    if (auto table = tracking_table(history.layout)) tracking_name_ = ddl::qualified(table->schema, table->name);
    // Flyway puts its default schema before the connection's search_path for every migration and
    // callback (PostgreSQLConnection.changeCurrentSchemaTo), once the schema exists.
    if (history.flyway_config && !history.flyway_config->default_schema.empty()) {
      const std::string& schema = history.flyway_config->default_schema;
      const std::string original = *session_.query("SHOW search_path").at(0).at(0);
      if (schema != original && original.rfind(schema + ",", 0) != 0) {
        std::string quoted = "\"";
        for (char c : schema) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        quoted += "\"";
        flyway_search_path_ = fmt::format(
            "SELECT pg_catalog.set_config('search_path', {}, false) FROM pg_catalog.pg_namespace WHERE nspname = {}",
            ddl::quote_literal(original.empty() ? quoted : quoted + "," + original), ddl::quote_literal(schema));
      }
    }
  }

  ReplayStats run() {
    const size_t total = history_.migrations.size();
    // `flyway migrate` on an empty database: validate (validateOnMigrate), beforeMigrate, each
    // migration between its each-migrate callbacks, afterVersioned once the versioned ones are
    // done (before beforeRepeatables and the first repeatable, if any), then afterMigrateApplied
    // (at least one migration ran) and afterMigrate. Other layouts have no callbacks.
    run_event_callbacks(CallbackEvent::before_validate);
    run_event_callbacks(CallbackEvent::after_validate);
    if (history_.flyway_config) create_flyway_schemas(*history_.flyway_config);
    run_event_callbacks(CallbackEvent::before_migrate);
    bool versioned_done = false;
    for (size_t i = 0; i < total; ++i) {
      const Migration& migration = history_.migrations[i];
      if (migration.repeatable && !versioned_done) {
        run_event_callbacks(CallbackEvent::after_versioned);
        run_event_callbacks(CallbackEvent::before_repeatables);
        versioned_done = true;
      }
      run_migration(i, total);
    }
    if (!versioned_done) run_event_callbacks(CallbackEvent::after_versioned);
    if (total > 0) run_event_callbacks(CallbackEvent::after_migrate_applied);
    run_event_callbacks(CallbackEvent::after_migrate);
    return stats_;
  }

 private:
  // After validating, `flyway migrate` on an empty database creates the configured schemas that
  // do not exist (createSchemas, the default) and its schema history table in the default one.
  void create_flyway_schemas(const migrations::FlywayConfig& config) {
    for (const std::string& schema : config.schemas) {
      const bool exists = !session_
                               .query(fmt::format("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = {}",
                                                  ddl::quote_literal(schema)))
                               .empty();
      if (exists) continue;
      if (!config.create_schemas) {
        if (schema != config.default_schema) continue;
        throw InputError(fmt::format(
            "createSchemas=false and the default schema {} does not exist when flyway migrate creates its schema "
            "history table in it: Flyway fails there too (create the schema in a beforeValidate callback or a "
            "--setup script)",
            schema));
      }
      if (options_.log) options_.log(fmt::format("flyway: created schema {} (schemas, createSchemas)", schema));
      try {
        session_.exec("CREATE SCHEMA " + ddl::quote_ident(schema), ExitCode::no);
      } catch (const pg::ExecError& e) {
        throw InputError(fmt::format("creating schema {} as flyway migrate does (schemas): {}", schema,
                                     pg::format_diagnostics(e.diagnostics())));
      }
    }
  }

  // Flyway's default schema first in the search_path, before a migration or callback runs.
  void enter_default_schema() {
    if (!flyway_search_path_.empty()) session_.query(flyway_search_path_);
  }

  void run_statements(const Script& script, const NameMap& names, size_t script_index) {
    for (size_t s = 0; s < script.statements.size(); ++s) {
      const Statement& statement = script.statements[s];
      auto named = names.find({script_index, s});
      if (named == names.end()) {
        run_statement(session_, history_.root, script, statement);
      } else {
        const migrations::RewrittenSql rewritten =
            migrations::rewrite_database_names(statement.sql, named->second, replay_database_);
        if (options_.log) {
          const SourceLocation at = locate_error(history_.root, script, statement, 0);
          options_.log(fmt::format("  {}:{}:{}: {}: database \"{}\" is the replay database here", at.file, at.line,
                                   at.column, named->second.front().statement, *naming_.application_database));
        }
        run_statement(session_, history_.root, script, statement, &rewritten);
      }
      ++stats_.statements;
    }
  }

  void check_transaction_closed(const Script& script) {
    if (script.tx_mode == TxMode::as_written && session_.in_transaction()) {
      throw InputError(fmt::format(
          "{}: the file opens a transaction (BEGIN) that it never ends (COMMIT or ROLLBACK)",
          display_path(history_.root, script.file)));
    }
  }

  // Deferred constraints are checked at COMMIT: the script's last line is the place.
  void commit(const Script& script) {
    try {
      session_.exec("COMMIT", ExitCode::no);
    } catch (const pg::ExecError& e) {
      const Statement& last = script.statements.empty() ? Statement{} : script.statements.back();
      throw_located(e, locate_error(history_.root, script, last, 0));
    }
  }

  std::string describe(const Script& script) const {
    return fmt::format("{} ({}, {} statement{}{})", display_path(history_.root, script.file), to_string(script.tx_mode),
                       script.statements.size(), script.statements.size() == 1 ? "" : "s",
                       script.tx_mode_reason.empty() ? "" : ": " + script.tx_mode_reason);
  }

  // Callbacks of an event Flyway fires around the migrations: each in a transaction of its own
  // (unless its script cannot run in one), from a fresh session's state, as Flyway restores its
  // connection before each callback.
  void run_event_callbacks(CallbackEvent event) {
    for (size_t c = 0; c < history_.callbacks.size(); ++c) {
      const migrations::Callback& callback = history_.callbacks[c];
      if (callback.event != event) continue;
      const Script& script = callback.script;
      if (options_.log) options_.log(fmt::format("callback {}: {}", to_string(event), describe(script)));
      const bool wrap = script.tx_mode == TxMode::transaction;
      enter_default_schema();
      if (wrap) session_.exec("BEGIN");
      run_statements(script, naming_.callback_names, c);
      check_transaction_closed(script);
      if (wrap) commit(script);
      session_.exec("DISCARD ALL");
      ++stats_.callbacks;
    }
  }

  // beforeEachMigrate / afterEachMigrate: in the migration's session and transaction (none when
  // the migration runs outside one), so what they set holds for the migration, and a failure in
  // them fails the migration, as in Flyway.
  void run_each_migrate_callbacks(CallbackEvent event, const Migration& migration) {
    for (size_t c = 0; c < history_.callbacks.size(); ++c) {
      const migrations::Callback& callback = history_.callbacks[c];
      if (callback.event != event) continue;
      if (options_.log) {
        options_.log(fmt::format("  callback {} ({}): {}", to_string(event),
                                 display_path(history_.root, migration.up.file), describe(callback.script)));
      }
      run_statements(callback.script, naming_.callback_names, c);
      ++stats_.callbacks;
    }
  }

  void run_migration(size_t i, size_t total) {
    const Migration& migration = history_.migrations[i];
    const Script& up = migration.up;
    if (options_.on_migration) options_.on_migration({i + 1, total, &migration});
    if (options_.log) options_.log(fmt::format("migration {} of {}: {}", i + 1, total, describe(up)));

    std::string golang_version;
    if (history_.layout == Layout::golang_migrate) {
      if (!all_digits(migration.version)) {
        throw InputError(fmt::format("{}: golang-migrate versions are unsigned integers, not '{}'",
                                     display_path(history_.root, up.file), migration.version));
      }
      golang_version = migration.version;
      // golang-migrate marks the version dirty before running it and clean afterwards.
      run_bookkeeping(session_,
                      fmt::format("BEGIN; TRUNCATE {0}; INSERT INTO {0} (version, dirty) VALUES ({1}, true); COMMIT",
                                  tracking_name_, golang_version),
                      migration);
    }
    const std::string diesel_record =
        history_.layout == Layout::diesel
            ? fmt::format("INSERT INTO {} (version) VALUES ({})", tracking_name_,
                          ddl::quote_literal(migration.version))
            : std::string();

    const bool wrap = up.tx_mode == TxMode::transaction;
    enter_default_schema();
    if (wrap) session_.exec("BEGIN");
    run_each_migrate_callbacks(CallbackEvent::before_each_migrate, migration);
    run_statements(up, naming_.names, i);
    check_transaction_closed(up);
    run_each_migrate_callbacks(CallbackEvent::after_each_migrate, migration);
    if (!diesel_record.empty()) run_bookkeeping(session_, diesel_record, migration);
    if (wrap) commit(up);
    // Each migration starts from a fresh session's state, as when psql runs each file, or Flyway
    // restores the connection after each migration: a SET search_path, SET ROLE or temporary
    // table of one migration does not reach the next.
    session_.exec("DISCARD ALL");
    if (!golang_version.empty()) {
      run_bookkeeping(session_,
                      fmt::format("BEGIN; TRUNCATE {0}; INSERT INTO {0} (version, dirty) VALUES ({1}, false); COMMIT",
                                  tracking_name_, golang_version),
                      migration);
    }
    ++stats_.migrations;
  }

  const migrations::History& history_;
  const ReplayOptions& options_;
  const migrations::DatabaseNaming& naming_;
  pg::Session session_;
  std::string replay_database_;
  std::string tracking_name_;
  std::string flyway_search_path_;  // the query that sets it; empty: the session's own
  ReplayStats stats_;
};

}  // namespace

ReplayStats replay(const migrations::History& history, const std::string& conninfo,
                   const ReplayOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  migrations::DatabaseNaming own_naming;
  const migrations::DatabaseNaming* naming = options.database_names;
  if (naming == nullptr) {
    own_naming = migrations::find_history_database_names(history);
    naming = &own_naming;
  }
  ReplayStats stats = Replayer(history, conninfo, options, *naming).run();
  stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

void run_script_text(pg::Session& session, const std::string& sql, const std::string& display_name,
                     ExitCode on_error) {
  // Statement by statement, so that an error the server reports without a position (DROP of a
  // missing table) still points at its statement. A syntax error stops everything first.
  const std::vector<Statement> statements = migrations::split_statements(sql, display_name);
  for (const Statement& statement : statements) {
    try {
      send_statement(session, statement, statement.sql, on_error);
    } catch (const pg::ExecError& e) {
      const int position = e.diagnostics().position;
      size_t offset = statement.offset;
      if (const auto row = failed_copy_row(statement, e.diagnostics())) {
        offset = *row;
      } else if (position > 0) {
        offset += migrations::byte_offset_of_character(statement.sql, static_cast<size_t>(position - 1));
      }
      const migrations::TextPosition at = migrations::position_at(sql, offset);
      std::string message = fmt::format("{}:{}:{}: {}", display_name, at.line, at.column,
                                        pg::format_diagnostics(e.diagnostics()));
      if (e.code() == ExitCode::no) throw ScriptError(message, e.sqlstate());
      throw ServerError(e.code(), message, e.sqlstate(), e.query());
    }
  }
}

std::set<std::string> role_names(const std::string& conninfo) {
  pg::Session session(conninfo, "schemakit squash");
  std::set<std::string> names;
  for (const auto& row : session.query("SELECT rolname FROM pg_catalog.pg_roles")) names.insert(*row[0]);
  return names;
}

void run_setup_scripts(const std::string& conninfo, const std::vector<fs::path>& files) {
  if (files.empty()) return;
  pg::Session session(conninfo, "schemakit squash setup");
  for (const fs::path& file : files) {
    std::string text;
    {
      std::error_code ec;
      if (!fs::is_regular_file(file, ec)) {
        throw IoError(fmt::format("--setup {}: no such file", file.generic_string()));
      }
      FILE* f = std::fopen(file.c_str(), "rb");
      if (f == nullptr) throw IoError(fmt::format("--setup {}: cannot read", file.generic_string()));
      char buffer[65536];
      size_t n;
      while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
      std::fclose(f);
    }
    // Statement by statement, each committed on its own, as `psql -f` runs a file: setup scripts
    // may hold what no transaction block allows (CREATE DATABASE, ALTER SYSTEM).
    run_script_text(session, text, file.generic_string(), ExitCode::no);
  }
}

}  // namespace schemakit::squash
