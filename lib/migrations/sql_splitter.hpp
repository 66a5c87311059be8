#pragma once
// Statements of a migration script, split by PostgreSQL's own parser (libpg_query), with the
// file line and column each starts at. A syntax error stops everything before a server is
// touched: InputError "<file>:<line>:<column>: <parser message>".
#include <filesystem>
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

// How files are named in messages: root / file (or file alone when root is empty).
std::string display_path(const std::filesystem::path& root, const std::filesystem::path& file);

}  // namespace schemakit::migrations
