// The current database (Kind::database): its privileges, comment and connection limit, pre-data
// (after the roles its grants name). A script never names the database it was made from, and
// PostgreSQL before 16 has no ALTER DATABASE CURRENT (nor GRANT ... ON DATABASE CURRENT), so one
// DO block runs each statement through format() with current_database(). The database's owner is
// whoever owns the database the script runs in: the ACL's entries of the owner the catalog was
// read with are written for the database's owner at that time, never by the name read.
//
// Down puts back what a new database has: connection limit -1, no comment, the default ACL
// (every role granted something by the owner revoked, CASCADE taking what they granted on;
// PUBLIC CONNECT and TEMPORARY; the owner everything), which the reader compares as a set.
#include <fmt/core.h>

#include <set>

#include "catalog/attributes.hpp"
#include "common/error.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/privileges.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

// Stand-ins that no role name or SQL text holds (a NUL byte cannot be in either), replaced by
// format()'s arguments once the statements are written.
const std::string kThisDatabase("\0database\0", 10);
const std::string kDatabaseOwner("\0owner\0", 7);

// A role as aclitem text writes it: PUBLIC is empty, every other name in double quotes.
std::string acl_role(const std::string& role) {
  if (role.empty()) return role;
  std::string out = "\"";
  for (char c : role) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The ACL with the owner read replaced by kDatabaseOwner.
std::string acl_for_any_owner(const std::string& acl, const std::string& owner) {
  auto role = [&](const std::string& name) { return !owner.empty() && name == owner ? kDatabaseOwner : name; };
  std::string out = "{";
  for (const AclEntry& entry : parse_acl(acl)) {
    if (out.size() > 1) out += ",";
    out += acl_role(role(entry.grantee)) + "=" + entry.privileges + "/" + acl_role(role(entry.grantor));
  }
  return out + "}";
}

// Statements ("...;\n" each, names double-quoted, no string literals) one by one.
std::vector<std::string> statements_of(const std::string& sql) {
  std::vector<std::string> out;
  std::string current;
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '"') quoted = !quoted;
    if (!quoted && c == ';' && (i + 1 == sql.size() || sql[i + 1] == '\n')) {
      out.push_back(current);
      current.clear();
      if (i + 1 < sql.size()) ++i;
      continue;
    }
    current += c;
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

// `statement` (with the stand-ins) as a format() string: %1$I the database, %2$I its owner.
std::string format_string(std::string statement) {
  std::string out;
  const std::string quoted_owner = "\"" + kDatabaseOwner + "\"";
  for (size_t i = 0; i < statement.size();) {
    if (statement.compare(i, kThisDatabase.size(), kThisDatabase) == 0) {
      out += "%1$I";
      i += kThisDatabase.size();
    } else if (statement.compare(i, quoted_owner.size(), quoted_owner) == 0) {
      out += "%2$I";
      i += quoted_owner.size();
    } else if (statement[i] == '\0') {
      throw Error(ExitCode::trouble, "database privileges: a stand-in was left in a statement");
    } else {
      out += statement[i] == '%' ? std::string("%%") : std::string(1, statement[i]);
      ++i;
    }
  }
  return out;
}

// One DO block: `this_database` and `database_owner` set, then each format() string EXECUTEd.
std::string do_block(const std::vector<std::string>& formats) {
  if (formats.empty()) return {};
  std::string body =
      "\nDECLARE\n"
      "  this_database pg_catalog.text := pg_catalog.current_database();\n"
      "  database_owner pg_catalog.text := (SELECT pg_catalog.pg_get_userbyid(d.datdba) FROM pg_catalog.pg_database d\n"
      "                                     WHERE d.datname = pg_catalog.current_database());\n"
      "BEGIN\n";
  for (const std::string& format : formats) {
    body += fmt::format("  EXECUTE pg_catalog.format({}, this_database, database_owner);\n", quote_literal(format));
  }
  body += "END\n";
  return "DO " + dollar_quote(body) + ";\n";
}

std::string database_create(const catalog::Object& object, const catalog::Catalog& catalog) {
  std::vector<std::string> formats;
  if (object.has("connection_limit")) {
    formats.push_back("ALTER DATABASE %1$I WITH CONNECTION LIMIT " + object.attr("connection_limit"));
  }
  if (object.has(catalog::attr::comment)) {
    // %% in the comment's literal is format()'s, not the comment's.
    formats.push_back(format_string("COMMENT ON DATABASE " + kThisDatabase + " IS " +
                                    quote_literal(object.attr(catalog::attr::comment))));
  }
  const std::string& acl = object.attr(catalog::attr::privileges);
  if (!acl.empty()) {
    const std::string& owner = object.attr(catalog::attr::owner);
    const std::string sql =
        privilege_statements("DATABASE " + kThisDatabase, catalog::Kind::database, owner.empty() ? "" : kDatabaseOwner,
                             acl_for_any_owner(acl, owner), catalog.server_version);
    for (const std::string& statement : statements_of(sql)) formats.push_back(format_string(statement));
  }
  return do_block(formats);
}

std::string database_drop(const catalog::Object& object, const catalog::Catalog&) {
  std::vector<std::string> formats;
  if (object.has("connection_limit")) formats.push_back("ALTER DATABASE %1$I WITH CONNECTION LIMIT -1");
  if (object.has(catalog::attr::comment)) formats.push_back("COMMENT ON DATABASE %1$I IS NULL");
  const std::string& acl = object.attr(catalog::attr::privileges);
  if (!acl.empty()) {
    const std::string& owner = object.attr(catalog::attr::owner);
    const std::vector<AclEntry> entries = parse_acl(acl);
    std::set<std::string> revoked;  // grantees holding something the owner granted, PUBLIC aside
    bool public_as_new = false;
    bool owner_as_new = owner.empty();
    for (const AclEntry& entry : entries) {
      if (entry.grantee.empty()) {
        public_as_new = entry.privileges == "Tc" && entry.grantor == owner;
      } else if (entry.grantee == owner) {
        owner_as_new = entry.privileges == "CTc" && entry.grantor == owner;
      } else if (owner.empty() || entry.grantor == owner) {
        revoked.insert(entry.grantee);
      }
    }
    for (const std::string& grantee : revoked) {
      formats.push_back(format_string("REVOKE ALL ON DATABASE " + kThisDatabase + " FROM " + quote_ident(grantee) +
                                      " CASCADE"));
    }
    if (!public_as_new) {
      formats.push_back("REVOKE ALL ON DATABASE %1$I FROM PUBLIC CASCADE");
      formats.push_back("GRANT CONNECT, TEMPORARY ON DATABASE %1$I TO PUBLIC");
    }
    if (!owner_as_new) formats.push_back("GRANT ALL ON DATABASE %1$I TO %2$I");
  }
  return do_block(formats);
}

}  // namespace

void add_database_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::database;
  writer.section = Section::pre_data;
  writer.create = &database_create;
  writer.drop = &database_drop;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
