#include "catalog/privilege_lists.hpp"

#include <algorithm>
#include <cctype>
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

std::string privileges_with_owner_marked(std::string_view value, std::string_view owner) {
  // The owner as aclitem's output writes a role name (putid in acl.c).
  bool plain = !owner.empty();
  for (char c : owner) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') plain = false;
  }
  std::string written = plain ? std::string(owner) : "\"";
  if (!plain) {
    for (char c : owner) written += c == '"' ? std::string("\"\"") : std::string(1, c);
    written += '"';
  }
  constexpr std::string_view kMark = "\x01owner\x01";
  // Each item is grantee=privileges/grantor; a name may be quoted and hold = / , { }.
  std::string out;
  out.reserve(value.size());
  bool quoted = false;
  bool in_list = false;
  std::string item;
  auto flush = [&] {
    size_t equals = std::string::npos, slash = std::string::npos;
    bool in_quotes = false;
    for (size_t i = 0; i < item.size(); ++i) {
      if (item[i] == '"') in_quotes = !in_quotes;
      if (in_quotes) continue;
      if (item[i] == '=' && equals == std::string::npos) equals = i;
      if (item[i] == '/') slash = i;
    }
    if (equals == std::string::npos || slash == std::string::npos || slash < equals) {
      out += item;
    } else {
      const std::string_view grantee(item.data(), equals);
      const std::string_view rights(item.data() + equals, slash - equals + 1);
      const std::string_view grantor(item.data() + slash + 1, item.size() - slash - 1);
      out += grantee == written ? kMark : grantee;
      out += rights;
      out += grantor == written ? kMark : grantor;
    }
    item.clear();
  };
  for (char c : value) {
    if (!in_list) {
      out += c;
      if (c == '"') quoted = !quoted;
      if (c == '{' && !quoted) in_list = true;
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == ',' || c == '}')) {
      flush();
      out += c;
      if (c == '}') in_list = false;
      continue;
    }
    item += c;
  }
  out += item;  // an unterminated list stays as written
  return out;
}

bool same_attribute_value(std::string_view name, const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (!is_privilege_attribute(name) || a.size() != b.size()) return false;
  return privilege_items_sorted(a) == privilege_items_sorted(b);
}

}  // namespace schemakit::catalog
