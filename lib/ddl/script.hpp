#pragma once
// A whole schema as one SQL script, pg_dump style: `up` builds it in an empty database, `down`
// removes it again.
//
// up: one transaction (BEGIN ... COMMIT) with check_function_bodies off, client_min_messages
// warning, standard_conforming_strings on and search_path '' (every name schema-qualified),
// then pg_dump's three sections:
//   pre-data   extensions, schemas, types, functions, sequences, tables with their columns and
//              defaults, views ..., each followed by its ALTER ... OWNER TO and COMMENT ON (and
//              its columns' comments);
//   data       the rows of every table that holds rows, then the sequence positions (setval
//              with is_called, so the next nextval() gives the same number);
//   post-data  indexes, constraints, foreign keys, triggers, rules, policies ... and what belongs
//              to earlier objects but must wait for the rows (KindWriter::post_data), then the
//              KindWriter::finish texts (materialized view refreshes), then the privileges:
//              GRANT / REVOKE reproducing every ACL exactly, column grants included;
//   last       event triggers, so that none fires on the script's own statements.
// Objects are in dependency order (lib/order); an object that depends on a post-data object
// (a view on a primary key) moves to post-data with everything that depends on it.
//
// down: the same objects dropped one by one in reverse order (event triggers first), in one
// transaction, never with CASCADE; roles are never dropped.
#include <cstddef>
#include <set>
#include <string>

#include "catalog/model.hpp"
#include "ddl/data.hpp"

namespace schemakit::ddl {

struct ScriptOptions {
  bool with_data = true;        // rows (from `data`) and sequence positions (data.* attributes)
  bool with_privileges = true;  // GRANT / REVOKE
  bool with_ownership = true;   // ALTER ... OWNER TO
  bool with_comments = true;    // COMMENT ON
  // Objects owned by this role get no OWNER TO, so the script applies as whoever runs it (the
  // superuser that replayed the migrations). Empty: every owner is written.
  std::string skip_owner = "postgres";
  // Objects left out of up and down (what a --setup script made before the replay).
  std::set<catalog::ObjectId> leave_out;
  // Text for the top of both scripts; each line is written as an SQL comment.
  std::string header;
  size_t rows_per_insert = 1000;
};

struct Script {
  std::string up;
  std::string down;
};

// The search_path up.sql and the row export run with. Every name they write is schema-qualified,
// so it only reaches what the server evaluates on its own: SQL function bodies inlined while an
// index is built or a query over such a table is planned (an IMMUTABLE wrapper of unaccent() that
// names it without a schema), generated columns computed over loaded rows. Those ran in the
// replay with the search_path a new session of the database gets: the database's own setting
// (as the server stores it) when the migrations made one, else the default "$user", public.
std::string session_search_path(const catalog::Catalog& catalog);

// Throws Error for a dependency loop that cannot be broken (naming the objects) and for an
// object kind without a writer.
Script write_script(const catalog::Catalog& catalog, const TableData* data, const ScriptOptions& options);

}  // namespace schemakit::ddl
