// Database-level settings, pre-data. PostgreSQL before 16 has no ALTER DATABASE CURRENT, and a
// script must not name the database it was made from: a DO block puts current_database() in
// with format(). Down resets them the same way.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

// Settings whose stored value is a list of separately quoted items; given one literal, the
// server would quote the whole list as one item (pg_dump keeps the same list).
bool is_quoted_list(const std::string& name) {
  return name == "search_path" || name == "temp_tablespaces" || name == "session_preload_libraries" ||
         name == "shared_preload_libraries" || name == "local_preload_libraries" ||
         name == "unix_socket_directories";
}

// '"$user", public' -> {"$user", "public"}: items are bare or in double quotes ("" for ").
std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> items;
  size_t at = 0;
  while (at < value.size()) {
    while (at < value.size() && value[at] == ' ') ++at;
    std::string item;
    if (at < value.size() && value[at] == '"') {
      ++at;
      while (at < value.size()) {
        if (value[at] == '"') {
          if (at + 1 < value.size() && value[at + 1] == '"') {
            item += '"';
            at += 2;
            continue;
          }
          ++at;
          break;
        }
        item += value[at++];
      }
      while (at < value.size() && value[at] != ',') ++at;
    } else {
      while (at < value.size() && value[at] != ',') item += value[at++];
      while (!item.empty() && item.back() == ' ') item.pop_back();
    }
    items.push_back(item);
    if (at < value.size() && value[at] == ',') ++at;
  }
  return items;
}

// "search_path TO '$user', 'public'"
std::string set_clause(const catalog::Object& object) {
  const std::string& value = object.attr("value");
  std::string values;
  if (is_quoted_list(object.id.name)) {
    for (const auto& item : split_list(value)) values += (values.empty() ? "" : ", ") + quote_literal(item);
    if (values.empty()) values = "''";
  } else {
    values = quote_literal(value);
  }
  return quote_ident(object.id.name) + " TO " + values;
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
