#include "ddl/kinds/common.hpp"

#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/privileges.hpp"
#include "ddl/quote.hpp"

namespace schemakit::ddl {

std::string name_of(const catalog::Object& object) { return qualified(object.id.schema, object.id.name); }
std::string table_of(const catalog::Object& object) { return qualified(object.id.schema, object.id.table); }

std::string statement(std::string_view text) {
  while (!text.empty() && (text.back() == ';' || text.back() == ' ' || text.back() == '\n' ||
                           text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return std::string(text) + ";\n";
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string upper_case(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

std::string options_sql(std::string_view stored) {
  std::string out;
  size_t start = 0;
  while (start < stored.size()) {
    size_t comma = stored.find(',', start);
    if (comma == std::string_view::npos) comma = stored.size();
    std::string_view item = stored.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (!item.empty()) {
      if (!out.empty()) out += ", ";
      const size_t equals = item.find('=');
      if (equals == std::string_view::npos) {
        out += item;
      } else {
        out += std::string(item.substr(0, equals)) + "=" + quote_literal(item.substr(equals + 1));
      }
    }
    start = comma + 1;
  }
  return out;
}

std::string enable_clause(const std::string& enabled) {
  if (enabled == "disabled") return "DISABLE";
  if (enabled == "replica") return "ENABLE REPLICA";
  if (enabled == "always") return "ENABLE ALWAYS";
  return "";
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

std::string column_extras(const catalog::Object& object, const catalog::Catalog& catalog) {
  std::string out;
  const std::string relation = name_of(object);
  for (const auto& [name, value] : object.attributes) {
    if (name.rfind("column_comment:", 0) == 0) {
      out += fmt::format("COMMENT ON COLUMN {}.{} IS {};\n", relation,
                         quote_ident(name.substr(std::string_view("column_comment:").size())), quote_literal(value));
    }
  }
  for (const auto& [name, value] : object.attributes) {
    if (name.rfind("column_privileges:", 0) == 0) {
      out += privilege_statements("TABLE " + relation, catalog::Kind::column, object.attr(catalog::attr::owner), value,
                                  catalog.server_version, name.substr(std::string_view("column_privileges:").size()));
    }
  }
  return out;
}

std::string extension_marks_sql(const catalog::Object& object, const std::string& reference) {
  std::string out;
  std::string_view names = object.attr(catalog::attr::depends_on_extension);
  while (!names.empty()) {
    const size_t comma = names.find(", ");
    out += fmt::format("ALTER {} DEPENDS ON EXTENSION {};\n", reference, names.substr(0, comma));
    names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 2);
  }
  return out;
}

}  // namespace schemakit::ddl
