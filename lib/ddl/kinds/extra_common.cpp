#include "ddl/kinds/extra_common.hpp"

#include <fmt/core.h>

#include "common/error.hpp"
#include "ddl/quote.hpp"

namespace schemakit::ddl::extra {
namespace {

// Reads a role name as aclitemout writes it: bare, or in double quotes with "" for a quote.
std::string read_role(std::string_view text, size_t& at, std::string_view acl) {
  std::string name;
  if (at < text.size() && text[at] == '"') {
    ++at;
    while (at < text.size()) {
      if (text[at] == '"') {
        if (at + 1 < text.size() && text[at + 1] == '"') {
          name += '"';
          at += 2;
          continue;
        }
        ++at;
        return name;
      }
      name += text[at++];
    }
    throw Error(ExitCode::trouble, fmt::format("unterminated quoted role name in ACL {}", acl));
  }
  while (at < text.size() && text[at] != '=' && text[at] != '/' && text[at] != ',') name += text[at++];
  return name;
}

struct Letter {
  char letter;
  const char* name;
};
constexpr Letter kLetters[] = {
    {'r', "SELECT"},  {'a', "INSERT"},     {'w', "UPDATE"},  {'d', "DELETE"},
    {'D', "TRUNCATE"}, {'x', "REFERENCES"}, {'t', "TRIGGER"}, {'m', "MAINTAIN"},
    {'X', "EXECUTE"}, {'U', "USAGE"},      {'C', "CREATE"},  {'c', "CONNECT"},
    {'T', "TEMPORARY"}, {'s', "SET"},      {'A', "ALTER SYSTEM"},
};

}  // namespace

std::string statement(std::string_view text) {
  while (!text.empty() && (text.back() == ';' || text.back() == ' ' || text.back() == '\n' ||
                           text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return std::string(text) + ";\n";
}

catalog::ObjectId parent_relation(const catalog::Object& object) {
  for (const auto& dep : object.depends_on) {
    if (dep.schema == object.id.schema && dep.name == object.id.table && dep.table.empty() &&
        (dep.kind == catalog::Kind::table || dep.kind == catalog::Kind::view ||
         dep.kind == catalog::Kind::materialized_view || dep.kind == catalog::Kind::foreign_table)) {
      return dep;
    }
  }
  return {catalog::Kind::table, object.id.schema, "", object.id.table, ""};
}

std::string relation_keyword(catalog::Kind kind) {
  switch (kind) {
    case catalog::Kind::view: return "VIEW";
    case catalog::Kind::materialized_view: return "MATERIALIZED VIEW";
    case catalog::Kind::foreign_table: return "FOREIGN TABLE";
    default: return "TABLE";
  }
}

std::vector<AclItem> parse_acl(std::string_view acl) {
  std::vector<AclItem> items;
  if (acl.size() < 2 || acl.front() != '{' || acl.back() != '}') return items;
  std::string_view body = acl.substr(1, acl.size() - 2);
  size_t at = 0;
  while (at < body.size()) {
    AclItem item;
    item.grantee = read_role(body, at, acl);
    if (at >= body.size() || body[at] != '=') {
      throw Error(ExitCode::trouble, fmt::format("malformed ACL item in {}", acl));
    }
    ++at;
    while (at < body.size() && body[at] != '/') item.privileges += body[at++];
    if (at < body.size()) {
      ++at;
      item.grantor = read_role(body, at, acl);
    }
    items.push_back(std::move(item));
    if (at < body.size() && body[at] == ',') ++at;
  }
  return items;
}

std::vector<Privilege> privilege_names(std::string_view letters) {
  std::vector<Privilege> out;
  for (size_t i = 0; i < letters.size(); ++i) {
    const char* name = nullptr;
    for (const auto& l : kLetters) {
      if (l.letter == letters[i]) name = l.name;
    }
    if (name == nullptr) {
      throw Error(ExitCode::trouble, fmt::format("unknown privilege letter '{}' in ACL item {}", letters[i], letters));
    }
    bool grantable = i + 1 < letters.size() && letters[i + 1] == '*';
    if (grantable) ++i;
    out.push_back({name, grantable});
  }
  return out;
}

std::string grantee_sql(const std::string& grantee) {
  return grantee.empty() ? "PUBLIC" : quote_ident(grantee);
}

std::string grant_statements(const std::vector<AclItem>& items, const std::string& target,
                             const std::string& column) {
  std::string out;
  const std::string columns = column.empty() ? "" : " (" + quote_ident(column) + ")";
  for (const auto& item : items) {
    std::string plain, grantable;
    for (const auto& privilege : privilege_names(item.privileges)) {
      std::string& list = privilege.grantable ? grantable : plain;
      if (!list.empty()) list += ", ";
      list += privilege.name + columns;
    }
    if (!plain.empty()) out += fmt::format("GRANT {} ON {} TO {};\n", plain, target, grantee_sql(item.grantee));
    if (!grantable.empty()) {
      out += fmt::format("GRANT {} ON {} TO {} WITH GRANT OPTION;\n", grantable, target, grantee_sql(item.grantee));
    }
  }
  return out;
}

std::string relation_options(const std::string& list) {
  std::string out;
  size_t start = 0;
  while (start < list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    const std::string item = list.substr(start, comma - start);
    const size_t equals = item.find('=');
    if (!item.empty()) {
      if (!out.empty()) out += ", ";
      out += equals == std::string::npos ? item : item.substr(0, equals) + "=" + quote_literal(item.substr(equals + 1));
    }
    start = comma + 1;
  }
  return out;
}

std::string column_extras(const catalog::Object& object) {
  std::string out;
  const std::string relation = qualified(object.id.schema, object.id.name);
  for (const auto& [name, value] : object.attributes) {
    if (name.rfind("column_comment:", 0) == 0) {
      out += fmt::format("COMMENT ON COLUMN {}.{} IS {};\n", relation,
                         quote_ident(name.substr(std::string_view("column_comment:").size())), quote_literal(value));
    }
  }
  for (const auto& [name, value] : object.attributes) {
    if (name.rfind("column_privileges:", 0) == 0) {
      out += grant_statements(parse_acl(value), "TABLE " + relation,
                              name.substr(std::string_view("column_privileges:").size()));
    }
  }
  return out;
}

}  // namespace schemakit::ddl::extra
