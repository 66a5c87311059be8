#pragma once
// Per-kind SQL writers (pgquarrel's idea: one module per kind, the same verbs for each).
// lib/ddl/kinds/core.cpp registers the core kinds, lib/ddl/kinds/extra.cpp the rest.
#include <string>
#include <vector>

#include "catalog/model.hpp"

namespace schemakit::ddl {

// pg_dump's three sections: objects that must exist before rows are loaded, the rows, and what
// is cheaper or only possible after (indexes, constraints, triggers, policies, grants); then
// `last`: after everything else in up.sql (privileges and materialized view refreshes included)
// and first in down.sql, for event triggers, which would otherwise fire on the script's own
// statements (a ddl_command_end trigger on CREATE INDEX, an sql_drop trigger in down.sql).
// Declared in script order: an object never comes in an earlier section than its dependencies.
enum class Section { pre_data, data, post_data, last };

struct KindWriter {
  catalog::Kind kind{};
  Section section = Section::pre_data;
  // CREATE text ending in ";\n". Empty for objects written as part of another (columns are
  // written by their table).
  std::string (*create)(const catalog::Object&, const catalog::Catalog&) = nullptr;
  // DROP text ending in ";\n" (empty when dropping the parent removes it).
  std::string (*drop)(const catalog::Object&, const catalog::Catalog&) = nullptr;
  // How COMMENT ON / ALTER ... OWNER TO / GRANT name it: "TABLE app.t", "FUNCTION f(integer)".
  std::string (*reference)(const catalog::Object&) = nullptr;
  // For kinds whose text would name the role that replayed (a role's own CREATE, ALTER DEFAULT
  // PRIVILEGES FOR ROLE): create / drop given `running_role`, ScriptOptions::skip_owner, the
  // role whose objects get no OWNER TO. They write it as the current user (or not at all), so
  // the script applies as whoever runs it. Used instead of create / drop when set.
  std::string (*create_as)(const catalog::Object&, const catalog::Catalog&, const std::string& running_role) = nullptr;
  std::string (*drop_as)(const catalog::Object&, const catalog::Catalog&, const std::string& running_role) = nullptr;
  // Text for the very end of post-data, in dependency order, after indexes and constraints:
  // materialized views are created WITH NO DATA in pre-data and refreshed here once the rows are
  // loaded, as pg_dump does. nullptr (or empty text): nothing to do.
  std::string (*finish)(const catalog::Object&, const catalog::Catalog&) = nullptr;
  // Text for post-data (after the rows, with the indexes and constraints, in dependency order)
  // that belongs to an object created earlier: a domain's NOT VALID checks (rows must not meet
  // them), a sequence's OWNED BY. nullptr (or empty text): nothing to do.
  std::string (*post_data)(const catalog::Object&, const catalog::Catalog&) = nullptr;
};

// The writer of `kind`; throws Error naming the kind when none is registered.
const KindWriter& writer_for(catalog::Kind kind);

void register_core_writers(std::vector<KindWriter>& writers);
void register_extra_writers(std::vector<KindWriter>& writers);

}  // namespace schemakit::ddl
