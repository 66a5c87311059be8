#pragma once
// Statements that name a database. Migration histories name their own database literally
// (`ALTER DATABASE myapp SET search_path = ...`, `GRANT CONNECT ON DATABASE myapp TO app_ro`),
// while squash replays them into a scratch database with another name: run as written they fail
// (3D000) or, on a --scratch-url server that holds a database of that name, change it. The
// replay rewrites each such name to the scratch database's.
//
// The parse tree (libpg_query) says which statements name a database and which names; the
// scanner's tokens say where the name is written, found from the grammar's fixed keywords
// before it (ALTER DATABASE <name>, ON DATABASE <names>, IN DATABASE <name>, REINDEX DATABASE
// [CONCURRENTLY] <name>). No pattern is matched against raw text.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "migrations/migration.hpp"

namespace schemakit::migrations {

// One database name written in a statement's text.
struct DatabaseName {
  size_t begin = 0;  // byte range of the name's token in the text given to find_database_names
  size_t end = 0;
  std::string name;       // as the server reads it (unquoted names folded to lower case)
  std::string statement;  // what names it: "ALTER DATABASE ... SET", "GRANT ... ON DATABASE", ...
  // Non-empty when squash cannot reproduce what the statement does to the database (renaming it,
  // changing its owner, making it a template, ...): why. `refusal_at` is where to point.
  std::string refusal;
  size_t refusal_at = 0;
};

// Every database name in `sql` (one statement, or a goose block of several), in text order.
// CREATE DATABASE and DROP DATABASE name other databases and are not included. Throws
// InputError "<source_name>: <parser message>" when `sql` does not parse.
std::vector<DatabaseName> find_database_names(std::string_view sql, const std::string& source_name);

// The database names of a whole history, checked before anything runs.
struct DatabaseNaming {
  // The name the history uses for its own database (the first one it writes), if any.
  std::optional<std::string> application_database;
  std::string first_named_at;  // "file:line:column" of that first name
  // (migration index, statement index in its up script) -> the names in that statement.
  std::map<std::pair<size_t, size_t>, std::vector<DatabaseName>> names;
  // The same for History::callbacks (callback index, statement index).
  std::map<std::pair<size_t, size_t>, std::vector<DatabaseName>> callback_names;
};

// Finds the database names of every up script and callback script. A history squashes into one database, so it may
// name one database only: a second name, or a statement whose effect on the database squash
// cannot reproduce (DatabaseName::refusal), is an InputError at its file:line:column, raised
// before any server is touched. `root` names files in messages as split_script does.
DatabaseNaming find_history_database_names(const History& history);

// `sql` with every name of `names` (found in that same text) replaced by `replacement`, an
// identifier already quoted for SQL. `original_position` maps a server's error position in the
// rewritten text back to the original's (1-based characters; inside a replaced name it gives the
// name's first character).
struct RewrittenSql {
  std::string sql;
  struct Edit {
    size_t at = 0;         // character index in the rewritten text where the replacement starts
    long long shift = 0;   // rewritten length minus original length, in characters
    size_t length = 0;     // the replacement's length in characters
  };
  std::vector<Edit> edits;
  int original_position(int position) const;
};
RewrittenSql rewrite_database_names(std::string_view sql, const std::vector<DatabaseName>& names,
                                    std::string_view replacement);

}  // namespace schemakit::migrations
