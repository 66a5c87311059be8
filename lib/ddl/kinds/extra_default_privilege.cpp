// Default privileges, post-data (so that the objects the script creates get the privileges
// written for them, not these defaults).
//
// The defaults for all schemas replace the built-in ones (what acldefault gives the role: its
// own full rights, and EXECUTE / USAGE for PUBLIC on functions / types), so they are written as
// pg_dump writes an object's ACL: from the built-in list, revoke what is missing and grant the
// rest (`ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC` comes back as just
// that). Those IN SCHEMA only add to them: grants. Dropping revokes what was read and, for all
// schemas, grants the built-in defaults back, after which the server forgets the entry.
//
// The defaults of the role that replayed (ScriptOptions::skip_owner, whose objects get no OWNER
// TO) are written without FOR ROLE and with CURRENT_USER where their list names that role, so
// they become the defaults of whoever runs the script, as its objects become that role's.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/privileges.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

// "ALTER DEFAULT PRIVILEGES FOR ROLE app IN SCHEMA app "
std::string head(const catalog::Object& object, const std::string& running_role) {
  std::string out = "ALTER DEFAULT PRIVILEGES ";
  if (object.attr("role") != running_role || running_role.empty()) out += "FOR ROLE " + quote_ident(object.attr("role")) + " ";
  if (!object.id.schema.empty()) out += "IN SCHEMA " + quote_ident(object.id.schema) + " ";
  return out;
}

// The kind whose built-in privileges (ddl::default_acl) the defaults for all schemas replace.
catalog::Kind builtin_kind(const std::string& object_type) {
  if (object_type == "tables") return catalog::Kind::table;
  if (object_type == "sequences") return catalog::Kind::sequence;
  if (object_type == "functions") return catalog::Kind::function;
  if (object_type == "types") return catalog::Kind::domain;
  return catalog::Kind::schema;
}

// Every line of `statements` (GRANT / REVOKE ... ON TABLES ...) after `prefix`.
std::string prefixed(const std::string& statements, const std::string& prefix) {
  std::string out;
  size_t at = 0;
  while (at < statements.size()) {
    size_t end = statements.find('\n', at);
    if (end == std::string::npos) end = statements.size();
    out += prefix + statements.substr(at, end - at) + "\n";
    at = end + 1;
  }
  return out;
}

std::string default_privilege_create(const catalog::Object& object, const catalog::Catalog& catalog,
                                     const std::string& running_role) {
  const std::string& type = object.attr("object_type");
  // In one schema there is nothing built in to start from (owner ""): only grants. The grantor
  // is always the role itself, so no SET ROLE is ever written.
  const std::string owner = object.id.schema.empty() ? object.attr("role") : std::string();
  const std::string statements =
      privilege_statements(upper_case(type), builtin_kind(type), owner, object.attr(catalog::attr::privileges),
                           catalog.server_version, "", running_role);
  return prefixed(statements, head(object, running_role));
}

std::string default_privilege_drop(const catalog::Object& object, const catalog::Catalog& catalog,
                                   const std::string& running_role) {
  const std::string type = upper_case(object.attr("object_type"));
  const std::string prefix = head(object, running_role);
  std::string out;
  for (const auto& entry : parse_acl(object.attr(catalog::attr::privileges))) {
    out += fmt::format("{}REVOKE ALL ON {} FROM {};\n", prefix, type, grant_role_sql(entry.grantee, running_role));
  }
  if (object.id.schema.empty()) {
    for (const auto& entry : default_acl(builtin_kind(object.attr("object_type")), object.attr("role"),
                                         catalog.server_version)) {
      std::string letters;
      for (char letter : entry.privileges) letters += (letters.empty() ? "" : ", ") + privilege_name(letter);
      out += fmt::format("{}GRANT {} ON {} TO {};\n", prefix, letters, type, grant_role_sql(entry.grantee, running_role));
    }
  }
  return out;
}

std::string create_by_name(const catalog::Object& object, const catalog::Catalog& catalog) {
  return default_privilege_create(object, catalog, "");
}

std::string drop_by_name(const catalog::Object& object, const catalog::Catalog& catalog) {
  return default_privilege_drop(object, catalog, "");
}

}  // namespace

void add_default_privilege_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::default_privilege;
  writer.section = Section::post_data;
  writer.create = &create_by_name;
  writer.drop = &drop_by_name;
  writer.create_as = &default_privilege_create;
  writer.drop_as = &default_privilege_drop;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
