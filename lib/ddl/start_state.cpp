#include "ddl/start_state.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <tuple>
#include <utility>

#include "catalog/start_state.hpp"
#include "common/error.hpp"

namespace schemakit::ddl {
namespace {

namespace attr = catalog::attr;

// A member as privilege_statements takes it: the GRANT target and, for a column, its name
// (unquoted). "COLUMN <column> OF TABLE public.t" -> {"TABLE public.t", "column"}.
struct MemberTarget {
  std::string target;
  std::string column;
};

MemberTarget member_target(const std::string& text) {
  constexpr std::string_view kColumn = "COLUMN ";
  if (text.rfind(kColumn, 0) != 0) return {text, ""};
  std::string column;
  size_t at = kColumn.size();
  if (at < text.size() && text[at] == '"') {
    for (++at; at < text.size(); ++at) {
      if (text[at] == '"') {
        if (at + 1 < text.size() && text[at + 1] == '"') {
          column += '"';
          ++at;
          continue;
        }
        ++at;
        break;
      }
      column += text[at];
    }
  } else {
    while (at < text.size() && text[at] != ' ') column += text[at++];
  }
  constexpr std::string_view kOf = " OF ";
  if (text.compare(at, kOf.size(), kOf) != 0) {
    throw Error(ExitCode::trouble, fmt::format("cannot read the extension member \"{}\"", text));
  }
  return {text.substr(at + kOf.size()), column};
}

// The two ACLs of a member's value, "{now} (after CREATE EXTENSION: {initial})". Role names in
// an ACL are double-quoted when they hold anything special, braces included.
std::pair<std::string, std::string> member_acls(const std::string& value) {
  bool quoted = false;
  size_t end = 0;
  for (; end < value.size(); ++end) {
    if (value[end] == '"') quoted = !quoted;
    if (value[end] == '}' && !quoted) break;
  }
  const std::string separator = attr::member_privileges_initial;
  if (end >= value.size() || value.compare(end + 1, separator.size(), separator) != 0 || value.back() != ')') {
    throw Error(ExitCode::trouble, fmt::format("cannot read the privileges of an extension member: {}", value));
  }
  const size_t initial = end + 1 + separator.size();
  return {value.substr(0, end + 1), value.substr(initial, value.size() - 1 - initial)};
}

// For each member the extension records: (target, privileges now, privileges after CREATE
// EXTENSION).
template <typename Write>
std::string for_each_member(const catalog::Object& extension, Write write) {
  const std::string prefix = attr::member_privileges_prefix;
  std::string sql;
  for (auto it = extension.attributes.lower_bound(prefix);
       it != extension.attributes.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    const auto [now, initial] = member_acls(it->second);
    sql += write(member_target(it->first.substr(prefix.size())), now, initial);
  }
  return sql;
}

}  // namespace

std::vector<AclEntry> start_public_acl(const std::string& owner, int server_version) {
  return {{owner, "UC", owner}, {"", server_version >= 150000 ? "U" : "UC", owner}};
}

bool is_start_public_acl(const std::string& acl, const std::string& owner, int server_version) {
  auto sorted = [](std::vector<AclEntry> entries) {
    std::sort(entries.begin(), entries.end(), [](const AclEntry& a, const AclEntry& b) {
      return std::tie(a.grantee, a.grantor, a.privileges) < std::tie(b.grantee, b.grantor, b.privileges);
    });
    return entries;
  };
  return sorted(parse_acl(acl)) == sorted(start_public_acl(owner, server_version));
}

std::string extension_member_privileges(const catalog::Object& extension, int server_version,
                                        const std::string& running_role) {
  return for_each_member(extension, [&](const MemberTarget& member, const std::string& now,
                                        const std::string& initial) {
    const std::vector<AclEntry> start = parse_acl(initial);
    return privilege_statements(member.target, catalog::Kind::extension, running_role, now, server_version,
                                member.column, running_role, &start);
  });
}

std::string restore_extension_member_privileges(const catalog::Object& extension, int server_version,
                                                const std::string& running_role) {
  if (!extension.has(attr::start_state)) return {};
  return for_each_member(extension, [&](const MemberTarget& member, const std::string& now,
                                        const std::string& initial) {
    const std::vector<AclEntry> start = parse_acl(now);
    return privilege_statements(member.target, catalog::Kind::extension, running_role, initial, server_version,
                                member.column, running_role, &start);
  });
}

}  // namespace schemakit::ddl
