#include "catalog/privilege_lists.hpp"

#include <algorithm>
#include <vector>

namespace schemakit::catalog {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

bool is_privilege_attribute(std::string_view name) {
  return name == "privileges" || starts_with(name, "privileges.") || starts_with(name, "column_privileges:");
}

std::string privilege_items_sorted(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool quoted = false;
  bool in_list = false;
  std::vector<std::string> items;
  std::string item;
  for (char c : value) {
    if (!in_list) {
      out += c;
      if (c == '"') quoted = !quoted;
      if (c == '{' && !quoted) in_list = true;
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == ',' || c == '}')) {
      if (!item.empty() || c == ',') items.push_back(std::move(item));
      item.clear();
      if (c == '}') {
        std::sort(items.begin(), items.end());
        for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
        out += '}';
        items.clear();
        in_list = false;
      }
      continue;
    }
    item += c;
  }
  for (const std::string& kept : items) out += kept + ",";  // an unterminated list stays as written
  out += item;
  return out;
}

bool same_attribute_value(std::string_view name, const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (!is_privilege_attribute(name) || a.size() != b.size()) return false;
  return privilege_items_sorted(a) == privilege_items_sorted(b);
}

}  // namespace schemakit::catalog
