#pragma once
// The object model: pure data, no libpqxx. Every database object is an `Object` with an identity
// that is stable across databases (never an OID), a flat set of normalized attributes that the
// diff compares one by one, and the identities it depends on. Kind-specific meaning lives in the
// per-kind modules (lib/introspect/kinds/, lib/ddl/), which agree on attribute names through the
// constants in attributes.hpp.
#include <compare>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schemakit::catalog {

// Declaration order is the kind priority of the topological sort (pg_dump's idea: when the
// dependencies allow either order, schemas come before types before tables ...).
enum class Kind {
  role,              // referenced roles (owners, grantees) and roles the migrations created
  database_setting,  // ALTER DATABASE ... SET name = value
  database,          // the current database itself: privileges, comment, connection limit
  schema,
  extension,
  collation,
  enum_type,
  domain,
  composite_type,
  range_type,
  function,
  procedure,
  aggregate,
  // Used by columns (generated expressions, defaults), indexes, constraints and views, which
  // pg_depend records for dictionaries, configurations and operators; casts have no such edge
  // (an expression depends on the cast's function), so their priority alone puts them first.
  text_search_dictionary,
  text_search_configuration,
  operator_,  // "operator" (a C++ keyword)
  cast,
  sequence,
  table,
  column,
  foreign_server,
  foreign_table,
  view,
  materialized_view,
  index,
  constraint,
  trigger,
  event_trigger,
  rule,
  policy,
  statistics,
  publication,
  default_privilege,
};

std::string_view to_string(Kind kind);           // "table", "materialized_view", ...
std::optional<Kind> kind_from_string(std::string_view name);
std::string_view plural_label(Kind kind);        // "tables", "materialized views", ... for reports
const std::vector<Kind>& all_kinds();

// Identity across databases. `table` is set for objects that live on a table (columns,
// constraints, indexes, triggers, policies, rules); `signature` holds the identity arguments of
// routines ("integer, text") and operators ("integer, integer", NONE for a prefix operator's left
// side); a cast has no schema, its name is the source type and its signature the target type
// (both as format_type writes them). Schema is empty for global objects (roles, extensions'
// identity is their name, event triggers, publications, foreign servers, database settings).
// The current database (Kind::database) has an empty identity: compared databases are never the
// same one, and what is compared is what each holds for itself.
struct ObjectId {
  Kind kind{};
  std::string schema;
  std::string table;
  std::string name;
  std::string signature;

  auto operator<=>(const ObjectId&) const = default;
  bool operator==(const ObjectId&) const = default;
};

// The name as SQL would write it, quoted where needed: app."Audit Log", public.f(integer),
// public.t.col, "fk_name" ON public.t.
std::string display_name(const ObjectId& id);

using Attributes = std::map<std::string, std::string>;

struct Object {
  ObjectId id;
  // Normalized attributes, compared by the diff. Names starting with "data." are data (sequence
  // positions) and are compared only on request. See attributes.hpp for the shared names.
  Attributes attributes;
  // Objects this one needs to exist first (from pg_depend and friends), lifted to identities.
  std::vector<ObjectId> depends_on;

  const std::string& attr(std::string_view name) const;  // "" when absent
  bool has(std::string_view name) const { return attributes.count(std::string(name)) > 0; }
};

// Something in the database that the model does not cover, named so that nothing is skipped
// silently. Callers decide whether it is fatal (squash: yes).
struct Unsupported {
  std::string kind;      // e.g. "text search configuration"
  std::string identity;  // e.g. public.my_config
  std::string reason;
  auto operator<=>(const Unsupported&) const = default;
};

struct Catalog {
  int server_version = 0;      // e.g. 150004
  std::string database;        // the database it was read from
  std::vector<Object> objects; // kept sorted by id (see sort_by_id)
  std::vector<Unsupported> unsupported;

  void sort_by_id();
  const Object* find(const ObjectId& id) const;  // binary search; objects must be sorted
  // Objects that live on `table` (columns in position order, then the rest by id).
  std::vector<const Object*> children_of(const ObjectId& table) const;
  std::map<Kind, size_t> counts() const;
};

}  // namespace schemakit::catalog
