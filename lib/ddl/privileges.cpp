#include "ddl/privileges.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "common/error.hpp"
#include "ddl/quote.hpp"

namespace schemakit::ddl {
namespace {

[[noreturn]] void bad_acl(std::string_view acl, std::string_view why) {
  throw Error(ExitCode::trouble, fmt::format("cannot read the privilege list {}: {}", acl, why));
}

// A role name as aclitem prints it: bare, or double-quoted with "" for a quote.
std::string read_role(std::string_view acl, size_t& at, char stop) {
  std::string name;
  if (at < acl.size() && acl[at] == '"') {
    ++at;
    while (true) {
      if (at >= acl.size()) bad_acl(acl, "unterminated quoted role name");
      if (acl[at] == '"') {
        if (at + 1 < acl.size() && acl[at + 1] == '"') {
          name += '"';
          at += 2;
          continue;
        }
        ++at;
        break;
      }
      name += acl[at++];
    }
    return name;
  }
  while (at < acl.size() && acl[at] != stop && acl[at] != ',' && acl[at] != '}') name += acl[at++];
  return name;
}

bool grantable(std::string_view privileges, char letter) {
  auto at = privileges.find(letter);
  return at != std::string_view::npos && at + 1 < privileges.size() && privileges[at + 1] == '*';
}

// "SELECT, UPDATE" or, for a column, "SELECT (c), UPDATE (c)".
std::string privilege_list(const std::string& letters, const std::string& column) {
  std::string out;
  for (char letter : letters) {
    if (!out.empty()) out += ", ";
    out += privilege_name(letter);
    if (!column.empty()) out += " (" + quote_ident(column) + ")";
  }
  return out;
}

}  // namespace

std::string grant_role_sql(const std::string& role, const std::string& running_role) {
  if (role.empty()) return "PUBLIC";
  if (!running_role.empty() && role == running_role) return "CURRENT_USER";
  return quote_ident(role);
}

std::string privilege_name(char letter) {
  switch (letter) {
    case 'r': return "SELECT";
    case 'w': return "UPDATE";
    case 'a': return "INSERT";
    case 'd': return "DELETE";
    case 'D': return "TRUNCATE";
    case 'x': return "REFERENCES";
    case 't': return "TRIGGER";
    case 'X': return "EXECUTE";
    case 'U': return "USAGE";
    case 'C': return "CREATE";
    case 'c': return "CONNECT";
    case 'T': return "TEMPORARY";
    case 'm': return "MAINTAIN";
    case 's': return "SET";
    case 'A': return "ALTER SYSTEM";
    default: throw Error(ExitCode::trouble, fmt::format("unknown privilege letter '{}' in a privilege list", letter));
  }
}

std::vector<AclEntry> parse_acl(std::string_view acl) {
  std::vector<AclEntry> out;
  if (acl.empty()) return out;
  if (acl.front() != '{' || acl.back() != '}') bad_acl(acl, "not enclosed in braces");
  size_t at = 1;
  while (at < acl.size() - 1) {
    AclEntry entry;
    entry.grantee = read_role(acl, at, '=');
    if (at >= acl.size() || acl[at] != '=') bad_acl(acl, "an item without '='");
    ++at;
    while (at < acl.size() && acl[at] != '/') entry.privileges += acl[at++];
    if (at >= acl.size()) bad_acl(acl, "an item without a grantor");
    ++at;
    entry.grantor = read_role(acl, at, ',');
    out.push_back(std::move(entry));
    if (at < acl.size() && acl[at] == ',') ++at;
  }
  return out;
}

std::vector<AclEntry> default_acl(catalog::Kind kind, const std::string& owner, int server_version) {
  using catalog::Kind;
  switch (kind) {
    case Kind::table:
    case Kind::view:
    case Kind::materialized_view:
    case Kind::foreign_table:
      return {{owner, server_version >= 170000 ? "arwdDxtm" : "arwdDxt", owner}};
    case Kind::sequence:
      return {{owner, "rwU", owner}};
    case Kind::function:
    case Kind::procedure:
    case Kind::aggregate:
      return {{"", "X", owner}, {owner, "X", owner}};
    case Kind::enum_type:
    case Kind::domain:
    case Kind::composite_type:
    case Kind::range_type:
      return {{"", "U", owner}, {owner, "U", owner}};
    case Kind::schema:
      return {{owner, "UC", owner}};
    case Kind::foreign_server:
      return {{owner, "U", owner}};
    case Kind::database:
      return {{"", "Tc", owner}, {owner, "CTc", owner}};
    default:
      return {};
  }
}

std::string privilege_statements(const std::string& target, catalog::Kind kind, const std::string& owner,
                                  const std::string& acl, int server_version, const std::string& column,
                                  const std::string& running_role, const std::vector<AclEntry>* start) {
  if (acl.empty()) return {};
  const std::vector<AclEntry> wanted = parse_acl(acl);
  std::vector<AclEntry> defaults;
  if (start != nullptr) {
    defaults = *start;
  } else if (column.empty() && !owner.empty()) {
    defaults = default_acl(kind, owner, server_version);
  }

  auto role_sql = [&](const std::string& role) { return grant_role_sql(role, running_role); };
  std::string out;
  auto grant = [&](const std::string& letters, const AclEntry& entry, bool with_grant_option) {
    if (letters.empty()) return;
    // The script runs as the running role already: no SET ROLE to it.
    const bool as_grantor = !owner.empty() && entry.grantor != owner && !entry.grantor.empty() &&
                            entry.grantor != running_role;
    if (as_grantor) out += fmt::format("SET ROLE {};\n", quote_ident(entry.grantor));
    out += fmt::format("GRANT {} ON {} TO {}{};\n", privilege_list(letters, column), target,
                       role_sql(entry.grantee), with_grant_option ? " WITH GRANT OPTION" : "");
    if (as_grantor) out += "RESET ROLE;\n";
  };
  auto grant_entry = [&](const AclEntry& entry) {
    std::string plain, with_option;
    for (char letter : entry.privileges) {
      if (letter == '*') continue;
      (grantable(entry.privileges, letter) ? with_option : plain) += letter;
    }
    grant(plain, entry, false);
    grant(with_option, entry, true);
  };

  // The server changes an entry for the same grantee and grantor in place, appends a new one,
  // and removes one left with nothing: after the statements the list holds the start entries
  // left alone, in their order, then the granted ones in grant order. pg_dump prints a list in
  // that stored order, so it is rebuilt as read: the longest run at the front of `wanted` that
  // is start entries, unchanged and in their start order, stays; every other start entry is
  // revoked whole and every other wanted entry granted, in `wanted`'s order.
  size_t kept = 0;
  for (size_t next_start = 0; kept < wanted.size(); ++kept) {
    const auto it = std::find(defaults.begin() + static_cast<std::ptrdiff_t>(next_start), defaults.end(), wanted[kept]);
    if (it == defaults.end()) break;
    next_start = static_cast<size_t>(it - defaults.begin()) + 1;
  }
  for (const auto& given : defaults) {
    if (std::find(wanted.begin(), wanted.begin() + static_cast<std::ptrdiff_t>(kept), given) !=
        wanted.begin() + static_cast<std::ptrdiff_t>(kept)) {
      continue;
    }
    std::string letters;  // a column's start entries are revoked letter by letter: ALL would be the table's
    for (char letter : given.privileges) {
      if (letter != '*') letters += letter;
    }
    out += fmt::format("REVOKE {} ON {} FROM {};\n", column.empty() ? "ALL" : privilege_list(letters, column),
                       target, role_sql(given.grantee));
  }
  // In list order, but an entry whose grantor gets its grant option from a later entry waits
  // for it (A grants to B with grant option, B grants to C). A column's grantor may hold its
  // option on the whole table: column entries wait for nothing.
  std::vector<bool> written(wanted.size(), false);
  std::fill(written.begin(), written.begin() + static_cast<std::ptrdiff_t>(kept), true);
  std::set<std::string> may_grant;  // grantees that hold some grant option by now
  if (!owner.empty()) may_grant.insert(owner);
  for (size_t i = 0; i < kept; ++i) {
    if (wanted[i].privileges.find('*') != std::string::npos) may_grant.insert(wanted[i].grantee);
  }
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < wanted.size(); ++i) {
      if (written[i] || (column.empty() && !owner.empty() && !may_grant.count(wanted[i].grantor))) continue;
      grant_entry(wanted[i]);
      written[i] = true;
      progress = true;
      if (wanted[i].privileges.find('*') != std::string::npos) may_grant.insert(wanted[i].grantee);
    }
  }
  for (size_t i = 0; i < wanted.size(); ++i) {
    if (!written[i]) grant_entry(wanted[i]);  // a grantor nobody gave an option to: as it is
  }
  if (out.empty() && !defaults.empty() && start == nullptr) {
    // An explicit ACL equal to the defaults (left by a REVOKE of something never granted, such
    // as REVOKE ALL ON SCHEMA s FROM PUBLIC) is still an ACL, not NULL: the owner granting itself
    // its own default privileges makes it explicit without changing what anyone may do.
    const auto own = std::find_if(defaults.begin(), defaults.end(), [&](const AclEntry& e) { return e.grantee == owner; });
    if (own != defaults.end()) {
      std::string letters;
      for (char letter : own->privileges) {
        if (letter != '*') letters += letter;
      }
      if (!letters.empty()) {
        out += fmt::format("GRANT {} ON {} TO {};\n", privilege_list(letters, column), target, role_sql(owner));
      }
    }
  }
  return out;
}

std::string grant_target(const std::string& reference) {
  for (std::string_view prefix : {"VIEW ", "MATERIALIZED VIEW ", "FOREIGN TABLE "}) {
    if (reference.rfind(prefix, 0) == 0) return "TABLE " + reference.substr(prefix.size());
  }
  if (reference.rfind("AGGREGATE ", 0) == 0) {
    // COMMENT / ALTER name an aggregate without arguments agg(*); GRANT ... ON FUNCTION, agg().
    std::string function = reference.substr(10);
    if (function.size() >= 3 && function.compare(function.size() - 3, 3, "(*)") == 0) {
      function.replace(function.size() - 3, 3, "()");
    }
    return "FUNCTION " + function;
  }
  if (reference.rfind("SERVER ", 0) == 0) return "FOREIGN SERVER " + reference.substr(7);
  return reference;
}

}  // namespace schemakit::ddl
