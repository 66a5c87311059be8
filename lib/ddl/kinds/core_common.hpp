#pragma once
// Small pieces the core writers share.
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "ddl/quote.hpp"

namespace schemakit::ddl::core {

inline std::string name_of(const catalog::Object& object) {
  return qualified(object.id.schema, object.id.name);
}

// "fillfactor=70, toast.autovacuum_enabled=false" -> "fillfactor='70', toast.autovacuum_enabled='false'"
// (reloptions never hold ", " inside a value: they are numbers, booleans and enum words).
inline std::string options_sql(std::string_view options) {
  std::string out;
  size_t at = 0;
  while (at <= options.size()) {
    size_t end = options.find(", ", at);
    if (end == std::string_view::npos) end = options.size();
    std::string_view item = options.substr(at, end - at);
    if (!item.empty()) {
      if (!out.empty()) out += ", ";
      size_t eq = item.find('=');
      if (eq == std::string_view::npos) {
        out += item;
      } else {
        out += std::string(item.substr(0, eq)) + "=" + quote_literal(item.substr(eq + 1));
      }
    }
    at = end + 2;
  }
  return out;
}

inline bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace schemakit::ddl::core
