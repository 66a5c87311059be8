// Roles, pre-data and first: created only when missing (a DO block that looks in pg_roles), with
// their attributes, memberships, settings (ALTER ROLE ... SET for every database) and comment; a
// role that exists is left as it is. A membership is granted when either of its roles is made:
// by the member's block, or by the granted role's when the member exists already. Roles are shared by every database of the server, so
// nothing ever drops them. The role that runs the script (ScriptOptions::skip_owner) is not
// written at all. Passwords are never written: a role that has one is created without it, and
// a comment above its block says so.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/setting_value.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

struct Membership {
  std::string granted;  // the role granted, as SQL (quoted where needed)
  bool with_admin = false;
};

// member_of: 'reader, "Writers" WITH ADMIN OPTION'.
std::vector<Membership> memberships(const catalog::Object& role) {
  std::vector<Membership> out;
  const std::string& member_of = role.attr("member_of");
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
    const bool with_admin =
        granted.size() > admin.size() && granted.compare(granted.size() - admin.size(), admin.size(), admin) == 0;
    if (with_admin) granted.resize(granted.size() - admin.size());
    out.push_back({granted, with_admin});
  }
  return out;
}

std::string role_create(const catalog::Object& object, const catalog::Catalog& catalog,
                        const std::string& running_role) {
  if (!running_role.empty() && object.id.name == running_role) return "";
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
  for (const Membership& m : memberships(object)) {
    body += "    GRANT " + m.granted + " TO " + role + (m.with_admin ? " WITH ADMIN OPTION" : "") + ";\n";
  }
  // Members that exist already (made before the script, so their own block will not run) are
  // granted the role with it; members the script makes are granted it in their own block.
  for (const catalog::Object& other : catalog.objects) {
    if (other.id.kind != catalog::Kind::role || other.id.name == object.id.name) continue;
    for (const Membership& m : memberships(other)) {
      if (m.granted != role) continue;
      const std::string admin = m.with_admin ? " WITH ADMIN OPTION" : "";
      if (!running_role.empty() && other.id.name == running_role) {
        body += "    GRANT " + role + " TO CURRENT_USER" + admin + ";\n";  // it runs the script: it exists
        continue;
      }
      body += "    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = " + quote_literal(other.id.name) +
              ") THEN\n      GRANT " + role + " TO " + quote_ident(other.id.name) + admin + ";\n    END IF;\n";
    }
  }
  const std::string setting_prefix = "setting.";
  for (const auto& [name, value] : object.attributes) {
    if (name.rfind(setting_prefix, 0) != 0) continue;
    const std::string setting = name.substr(setting_prefix.size());
    body += "    ALTER ROLE " + role + " SET " + quote_ident(setting) + " TO " + setting_value_sql(setting, value) + ";\n";
  }
  if (object.has(catalog::attr::comment)) {
    body += "    COMMENT ON ROLE " + role + " IS " + quote_literal(object.attr(catalog::attr::comment)) + ";\n";
  }
  body += "  END IF;";
  std::string out;
  if (object.attr("password") == "set") {
    // A line break in the name would end the comment and start a statement.
    std::string named = role;
    for (char& c : named) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    out += "-- " + named + " has a password where this script was made; passwords are never written, so it is\n"
           "-- created without one here: set it with ALTER ROLE " + named + " PASSWORD ... where needed.\n";
  }
  return out + "DO " + dollar_quote("BEGIN\n  " + body + "\nEND") + ";\n";
}

std::string role_create_by_name(const catalog::Object& object, const catalog::Catalog& catalog) {
  return role_create(object, catalog, "");
}

std::string role_drop(const catalog::Object&, const catalog::Catalog&) { return ""; }

}  // namespace

void add_role_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::role;
  writer.section = Section::pre_data;
  writer.create = &role_create_by_name;
  writer.create_as = &role_create;
  writer.drop = &role_drop;
  // No reference: a role's comment is written inside the DO block, so that an existing role
  // (shared by every database of the server) is never changed, and roles own nothing.
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
