#include "ddl/kinds/extra_common.hpp"

#include <fmt/core.h>

#include "ddl/privileges.hpp"
#include "ddl/quote.hpp"

namespace schemakit::ddl::extra {

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

std::string column_extras(const catalog::Object& object, const catalog::Catalog& catalog) {
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
      out += privilege_statements("TABLE " + relation, catalog::Kind::column, "", value, catalog.server_version,
                                  name.substr(std::string_view("column_privileges:").size()));
    }
  }
  return out;
}

}  // namespace schemakit::ddl::extra
