// Roles, pre-data and first: created only when missing (a DO block that looks in pg_roles), with
// their attributes, memberships and comment; a role that exists is left as it is. Roles are
// shared by every database of the server, so nothing ever drops them.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

std::string role_create(const catalog::Object& object, const catalog::Catalog&) {
  const std::string role = quote_ident(object.id.name);
  auto flag = [&](const char* attribute, const char* yes, const char* no) {
    return std::string(" ") + (object.attr(attribute) == "true" ? yes : no);
  };
  std::string create = "CREATE ROLE " + role;
  create += flag("superuser", "SUPERUSER", "NOSUPERUSER");
  create += flag("inherit", "INHERIT", "NOINHERIT");
  create += flag("create_role", "CREATEROLE", "NOCREATEROLE");
  create += flag("create_db", "CREATEDB", "NOCREATEDB");
  create += flag("login", "LOGIN", "NOLOGIN");
  create += flag("replication", "REPLICATION", "NOREPLICATION");
  create += flag("bypass_rls", "BYPASSRLS", "NOBYPASSRLS");
  if (object.has("connection_limit")) create += " CONNECTION LIMIT " + object.attr("connection_limit");
  if (object.has("valid_until")) create += " VALID UNTIL " + quote_literal(object.attr("valid_until"));
  std::string body = "IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = " +
                     quote_literal(object.id.name) + ") THEN\n    " + create + ";\n";
  // member_of: 'reader, "Writers" WITH ADMIN OPTION', one GRANT per role.
  const std::string& member_of = object.attr("member_of");
  const std::string admin = " WITH ADMIN OPTION";
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i <= member_of.size(); ++i) {
    if (i < member_of.size() && member_of[i] == '"') quoted = !quoted;
    if (i < member_of.size() && (quoted || member_of[i] != ',')) continue;
    std::string granted = member_of.substr(start, i - start);
    start = i + 1;
    while (!granted.empty() && granted.front() == ' ') granted.erase(0, 1);
    if (granted.empty()) continue;
    bool with_admin = granted.size() > admin.size() && granted.compare(granted.size() - admin.size(), admin.size(), admin) == 0;
    if (with_admin) granted.resize(granted.size() - admin.size());
    body += "    GRANT " + granted + " TO " + role + (with_admin ? admin : "") + ";\n";
  }
  if (object.has(catalog::attr::comment)) {
    body += "    COMMENT ON ROLE " + role + " IS " + quote_literal(object.attr(catalog::attr::comment)) + ";\n";
  }
  body += "  END IF;";
  return "DO " + dollar_quote("BEGIN\n  " + body + "\nEND") + ";\n";
}

std::string role_drop(const catalog::Object&, const catalog::Catalog&) { return ""; }

}  // namespace

void add_role_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::role;
  writer.section = Section::pre_data;
  writer.create = &role_create;
  writer.drop = &role_drop;
  // No reference: a role's comment is written inside the DO block, so that an existing role
  // (shared by every database of the server) is never changed, and roles own nothing.
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
