#pragma once
// Small pieces the catalog-extra writers share.
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"

namespace schemakit::ddl::extra {

// `text` as one statement: trailing blanks and semicolons removed, then ";\n".
std::string statement(std::string_view text);

// The relation an object lives on (id.schema + id.table), with its kind, as the reader recorded
// it among the dependencies; a table when the reader did not say.
catalog::ObjectId parent_relation(const catalog::Object& object);

// "TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE": how ALTER / COMMENT name a relation.
std::string relation_keyword(catalog::Kind kind);

// One entry of a normalized ACL ('{=U/app,"Bob"=r*w/app}'), roles unquoted; an empty grantee
// is PUBLIC. `privileges` keeps the ACL letters, each followed by '*' when grantable.
struct AclItem {
  std::string grantee;
  std::string privileges;
  std::string grantor;
};
std::vector<AclItem> parse_acl(std::string_view acl);

// Letters to SQL: "r*w" -> {{"SELECT", true}, {"UPDATE", false}}.
struct Privilege {
  std::string name;
  bool grantable = false;
};
std::vector<Privilege> privilege_names(std::string_view letters);

// The grantee as SQL names it: PUBLIC or a quoted role name.
std::string grantee_sql(const std::string& grantee);

// GRANT statements that give `items` on `target` ("TABLE app.t", "FUNCTION f(integer)"),
// optionally for columns ("SELECT (a)"): one statement per grantee and grant option.
std::string grant_statements(const std::vector<AclItem>& items, const std::string& target,
                             const std::string& column = "");

// Stored reloptions ("fillfactor=70,security_barrier=on") as a WITH list, values quoted:
// "fillfactor='70', security_barrier='on'", in the same order, so the server stores them again
// exactly so.
std::string relation_options(const std::string& list);

// COMMENT ON COLUMN and column GRANTs of a view, materialized view or foreign table, from the
// column_comment:<column> and column_privileges:<column> attributes.
std::string column_extras(const catalog::Object& object);

}  // namespace schemakit::ddl::extra
