// Database-level settings, pre-data. PostgreSQL before 16 has no ALTER DATABASE CURRENT, and a
// script must not name the database it was made from: a DO block puts current_database() in
// with format(). Down resets them the same way.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/setting_value.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

// "search_path TO '$user', 'public'"
std::string set_clause(const catalog::Object& object) {
  return quote_ident(object.id.name) + " TO " + setting_value_sql(object.id.name, object.attr("value"));
}

// A DO block running ALTER DATABASE <current> <action> (or ALTER ROLE ... IN DATABASE).
std::string for_current_database(const catalog::Object& object, const std::string& action) {
  std::string body;
  if (object.id.table.empty()) {
    body = fmt::format("EXECUTE pg_catalog.format('ALTER DATABASE %I %s', pg_catalog.current_database(), {});",
                       quote_literal(action));
  } else {
    body = fmt::format(
        "EXECUTE pg_catalog.format('ALTER ROLE %I IN DATABASE %I %s', {}, pg_catalog.current_database(), {});",
        quote_literal(object.id.table), quote_literal(action));
  }
  return "DO " + dollar_quote("BEGIN\n  " + body + "\nEND") + ";\n";
}

std::string setting_create(const catalog::Object& object, const catalog::Catalog&) {
  return for_current_database(object, "SET " + set_clause(object));
}

std::string setting_drop(const catalog::Object& object, const catalog::Catalog&) {
  return for_current_database(object, "RESET " + quote_ident(object.id.name));
}

}  // namespace

void add_database_setting_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::database_setting;
  writer.section = Section::pre_data;
  writer.create = &setting_create;
  writer.drop = &setting_drop;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
