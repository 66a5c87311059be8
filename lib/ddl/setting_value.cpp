#include "ddl/setting_value.hpp"

#include <vector>

#include "ddl/quote.hpp"

namespace schemakit::ddl {
namespace {

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

}  // namespace

std::string setting_value_sql(const std::string& name, const std::string& stored) {
  if (!is_quoted_list(name)) return quote_literal(stored);
  std::string values;
  for (const auto& item : split_list(stored)) values += (values.empty() ? "" : ", ") + quote_literal(item);
  return values.empty() ? "''" : values;
}

}  // namespace schemakit::ddl
