#pragma once
// SQL for what every new database has before the first migration runs (catalog/start_state.hpp):
// the public schema's start privileges, and GRANT / REVOKE for the members of extensions, which
// CREATE EXTENSION makes with the privileges its script gives them.
#include <string>
#include <vector>

#include "catalog/model.hpp"
#include "ddl/privileges.hpp"

namespace schemakit::ddl {

// The public schema's ACL in a new database, with the owner it has now: ALTER SCHEMA ... OWNER
// TO moves every entry of the old owner to the new one. PostgreSQL 15 and later:
// {owner=UC/owner,=U/owner}; before: {owner=UC/owner,=UC/owner}.
std::vector<AclEntry> start_public_acl(const std::string& owner, int server_version);

// Whether the normalized ACL `acl` holds the same entries as start_public_acl(owner).
bool is_start_public_acl(const std::string& acl, const std::string& owner, int server_version);

// up.sql: GRANT / REVOKE turning each member's privileges from what CREATE EXTENSION left into
// what `extension` records (its privileges.member:* attributes), in member order. The members
// belong to the role running the script (`running_role`, written CURRENT_USER).
std::string extension_member_privileges(const catalog::Object& extension, int server_version,
                                        const std::string& running_role);

// down.sql, for an extension that is not dropped (start_state: plpgsql): the members'
// privileges put back to what a new database has.
std::string restore_extension_member_privileges(const catalog::Object& extension, int server_version,
                                                const std::string& running_role);

}  // namespace schemakit::ddl
