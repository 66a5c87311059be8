#include "catalog/privilege_lists.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace schemakit::catalog {
namespace {

// `value` with the items of each brace-enclosed list handed to `rewrite` and written back in the
// order and form it leaves them. Text outside the braces is kept, and so is an unterminated list;
// a double-quoted role name may hold braces and commas.
template <typename Rewrite>
std::string with_lists_rewritten(std::string_view value, Rewrite rewrite) {
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
        rewrite(items);
        for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
        out += '}';
        items.clear();
        in_list = false;
      }
      continue;
    }
    item += c;
  }
  for (const std::string& kept : items) out += kept + ",";
  out += item;
  return out;
}

// A role name as aclitem's output writes it (putid in acl.c): quoted unless letters, digits, _.
std::string aclitem_name(std::string_view role) {
  bool plain = !role.empty();
  for (char c : role) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') plain = false;
  }
  if (plain) return std::string(role);
  std::string written = "\"";
  for (char c : role) written += c == '"' ? std::string("\"\"") : std::string(1, c);
  return written + '"';
}

}  // namespace

bool is_privilege_attribute(std::string_view name) {
  return name == "privileges" || name.starts_with("privileges.") || name.starts_with("column_privileges:");
}

std::string privilege_items_sorted(std::string_view value) {
  return with_lists_rewritten(value, [](std::vector<std::string>& items) { std::sort(items.begin(), items.end()); });
}

std::string privileges_with_owner_marked(std::string_view value, std::string_view owner) {
  const std::string written = aclitem_name(owner);
  constexpr std::string_view kMark = "\x01owner\x01";
  // Each item is grantee=privileges/grantor; a name may be quoted and hold = and /.
  auto mark = [&](std::string& item) {
    size_t equals = std::string::npos, slash = std::string::npos;
    bool in_quotes = false;
    for (size_t i = 0; i < item.size(); ++i) {
      if (item[i] == '"') in_quotes = !in_quotes;
      if (in_quotes) continue;
      if (item[i] == '=' && equals == std::string::npos) equals = i;
      if (item[i] == '/') slash = i;
    }
    if (equals == std::string::npos || slash == std::string::npos || slash < equals) return;
    const std::string_view grantee(item.data(), equals);
    const std::string_view rights(item.data() + equals, slash - equals + 1);
    const std::string_view grantor(item.data() + slash + 1, item.size() - slash - 1);
    std::string marked;
    marked += grantee == written ? kMark : grantee;
    marked += rights;
    marked += grantor == written ? kMark : grantor;
    item = std::move(marked);
  };
  return with_lists_rewritten(value, [&](std::vector<std::string>& items) {
    for (std::string& item : items) mark(item);
  });
}

bool same_attribute_value(std::string_view name, const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (!is_privilege_attribute(name) || a.size() != b.size()) return false;
  return privilege_items_sorted(a) == privilege_items_sorted(b);
}

}  // namespace schemakit::catalog
