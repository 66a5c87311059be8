#pragma once
// Privilege lists (ACLs) are kept in the order the server stores them: the order of the grants,
// which is the order pg_dump prints them in, and so the order up.sql must grant in for two dumps
// to read the same. What a list allows does not depend on that order: the diff and the
// fingerprint compare privilege lists as sets.
#include <string>
#include <string_view>

namespace schemakit::catalog {

// "privileges", any "privileges.<detail>" (identity sequences, extension members) and the
// per-column lists of views and foreign tables ("column_privileges:<column>").
bool is_privilege_attribute(std::string_view name);

// `value` with the items of each brace-enclosed list sorted bytewise (the C collation), so that
// two lists holding the same items read the same: "{b=r/o,a=w/o}" -> "{a=w/o,b=r/o}". Text
// outside the braces (an extension member's "(after CREATE EXTENSION: ...)") is kept; a double-
// quoted role name may hold braces and commas.
std::string privilege_items_sorted(std::string_view value);

// `value` with every grantee and grantor that is `owner` written as one mark no role name can be
// (aclitem text quotes every name that is not letters, digits and _), so that two objects owned
// by different roles compare equal when their lists differ only by the owner: ALTER ... OWNER TO
// hands the old owner's own grants, and its part as grantor, to the new one.
std::string privileges_with_owner_marked(std::string_view value, std::string_view owner);

// Whether attribute `name` holds the same in `a` and `b`: privilege lists as sets, the rest as text.
bool same_attribute_value(std::string_view name, const std::string& a, const std::string& b);

}  // namespace schemakit::catalog
