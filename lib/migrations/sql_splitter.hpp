#pragma once
// Statements of a migration script, split by PostgreSQL's own parser (libpg_query), with the
// file line and column each starts at. A syntax error stops everything before a server is
// touched: InputError "<file>:<line>:<column>: <parser message>".
//
// `COPY ... FROM STDIN;` takes the lines after it, up to a line `\.` (or the end of the text), as
// its rows (Statement::copy_data), as psql and Flyway do; SQL resumes after that line. COPY from
// or to a file on the server, or a PROGRAM, is refused; COPY ... TO STDOUT is an ordinary
// statement (its output is discarded). A psql meta-command (`\connect`, `\set`, `\i`) where a
// statement starts is refused by name: it is not SQL.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migrations/migration.hpp"
#include "migrations/sql_text.hpp"

namespace schemakit::migrations {

struct SplitOptions {
  // Messages name files as root / Script::file; empty root names them as they are.
  std::filesystem::path root;
  // goose: the text between `-- +goose StatementBegin` and `-- +goose StatementEnd` is sent as
  // one statement, so it is one Statement here too.
  bool goose_statement_blocks = false;
  // Runners that send a file to the server as SQL text (golang-migrate, diesel, ...) have no
  // rows to give a COPY ... FROM STDIN: when this names such a runner, the statement is refused
  // with that name. Empty: rows are read from the file (psql, Flyway, squash's own scripts).
  std::string copy_data_unsupported_by;
};

// Fills script.statements from script.text. Statement::sql starts at the statement's first
// token (leading blanks and comments dropped) and ends at its last token (no semicolon, no
// trailing comment); Statement::offset is the byte offset of that first token in script.text.
void split_script(Script& script, const SplitOptions& options = {});

// The same for text that is not a migration file (a --setup script, a test): lines count from
// `first_line`, messages name `source_name`.
std::vector<Statement> split_statements(std::string_view text, const std::string& source_name,
                                        int first_line = 1, const SplitOptions& options = {});

// The file line and column of `byte_offset` in script.text (applies first_line and
// column_shifts).
TextPosition file_position(const Script& script, size_t byte_offset);

// The line of a COPY's data that the server names in an error's CONTEXT ("COPY t, line 3,
// column b: ..."), if the context has one.
std::optional<long long> copy_context_line(std::string_view context);

// The byte offset in data.rows of the row that the server's `line` names: in text format a line
// is a row (a backslash before a newline continues it, and the server counts it once); in CSV
// format the server counts the line ends inside quoted values too, so a row that spans lines is
// named by its last line. nullopt when the data is shorter.
std::optional<size_t> copy_data_line_offset(const CopyData& data, long long line);

// script.text with the COPY data of its statements (and their `\.` lines) blanked, newlines
// kept, so that a parser sees only SQL, at the same offsets.
std::string text_without_copy_data(const Script& script);

// How files are named in messages: root / file (or file alone when root is empty).
std::string display_path(const std::filesystem::path& root, const std::filesystem::path& file);

}  // namespace schemakit::migrations
