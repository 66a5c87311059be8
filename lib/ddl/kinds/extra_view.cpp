// Views: CREATE VIEW with its options and the server's definition, pre-data (in dependency order
// with the tables and functions they read), then column defaults, column comments and column
// grants, which belong to no other object.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {

namespace {

std::string view_create(const catalog::Object& object, const catalog::Catalog& catalog) {
  const std::string relation = name_of(object);
  const std::string with = object.has("options") ? " WITH (" + options_sql(object.attr("options")) + ")" : "";
  std::string out = fmt::format("CREATE VIEW {}{} AS\n{}", relation, with,
                                statement(object.attr(catalog::attr::definition)));
  for (const auto& [name, value] : object.attributes) {
    if (name.rfind("column_default:", 0) == 0) {
      out += fmt::format("ALTER VIEW {} ALTER COLUMN {} SET DEFAULT {};\n", relation,
                         quote_ident(name.substr(std::string_view("column_default:").size())), value);
    }
  }
  return out + column_extras(object, catalog);
}

std::string view_reference(const catalog::Object& object) {
  return "VIEW " + name_of(object);
}

std::string view_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + view_reference(object) + ";\n";
}

}  // namespace

void add_view_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::view;
  writer.section = Section::pre_data;
  writer.create = &view_create;
  writer.drop = &view_drop;
  writer.reference = &view_reference;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
