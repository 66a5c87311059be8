#pragma once
// GRANT / REVOKE text that reproduces an ACL exactly, the order of its items included (the text
// ReadContext::acl_sql reads: '' for the built-in defaults, else '{item,item}' in the order the
// server stores them, each item grantee=privs/grantor as aclitem prints it, an empty grantee
// being PUBLIC and '*' marking a grant option). pg_dump prints grants in that order.
//
// As pg_dump does, the statements start from the built-in default privileges of the object's
// kind for its owner (acldefault): default entries that are missing or out of place are revoked,
// the rest is granted in list order. Entries granted by someone other than the owner are granted
// under SET ROLE grantor.
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"

namespace schemakit::ddl {

struct AclEntry {
  std::string grantee;     // "" is PUBLIC
  std::string privileges;  // aclitem letters, each followed by '*' when grantable: "r*w"
  std::string grantor;
  bool operator==(const AclEntry&) const = default;
};

// Parses '{=U/app,"Bob Smith"=r*w/app}'. Throws Error on text that is not an ACL.
std::vector<AclEntry> parse_acl(std::string_view acl);

// The built-in default ACL of an object of `kind` owned by `owner` (what acldefault() gives), in
// acldefault's order; empty for kinds whose default is no privileges (columns).
std::vector<AclEntry> default_acl(catalog::Kind kind, const std::string& owner, int server_version);

// Statements turning the default privileges of the object named `target` ("TABLE app.t",
// "FUNCTION app.f(integer)") into `acl`. `column` non-empty: column privileges on that column
// of the table `target` (whose default is no privileges; `owner` is then the table's, so that
// entries another role granted are granted under SET ROLE). Empty `acl`: nothing to do.
// Empty `owner` (ownership not read): only GRANTs, no REVOKE of defaults.
// `running_role` (ScriptOptions::skip_owner: the role that replayed, whose objects get no
// OWNER TO) is written CURRENT_USER wherever the list names it, and never SET ROLE to, so the
// statements mean the same whoever runs the script. Empty: every role by name.
// `start`: the ACL the object has before the statements run when that is not its kind's
// built-in default (an extension member's pg_init_privs entry, the public schema of a new
// database); the statements turn it into `acl`. nullptr: the built-in default.
std::string privilege_statements(const std::string& target, catalog::Kind kind, const std::string& owner,
                                 const std::string& acl, int server_version, const std::string& column = "",
                                 const std::string& running_role = "", const std::vector<AclEntry>* start = nullptr);

// A role in GRANT / REVOKE / FOR ROLE: PUBLIC for "", CURRENT_USER for `running_role` (when not
// empty), else the quoted name.
std::string grant_role_sql(const std::string& role, const std::string& running_role);

// SQL name of one privilege letter: 'r' -> "SELECT". Throws Error on an unknown letter.
std::string privilege_name(char letter);

}  // namespace schemakit::ddl

namespace schemakit::ddl {
// How GRANT names an object whose COMMENT ON / ALTER name is `reference`: views, materialized
// views and foreign tables are TABLEs to GRANT, aggregates are FUNCTIONs; the rest unchanged.
std::string grant_target(const std::string& reference);
}  // namespace schemakit::ddl
