#pragma once
// Small pieces the catalog-extra writers share.
#include <string>
#include <string_view>

#include "catalog/model.hpp"

namespace schemakit::ddl::extra {

// `text` as one statement: trailing blanks and semicolons removed, then ";\n".
std::string statement(std::string_view text);

// The relation an object lives on (id.schema + id.table), with its kind, as the reader recorded
// it among the dependencies; a table when the reader did not say.
catalog::ObjectId parent_relation(const catalog::Object& object);

// Stored reloptions ("fillfactor=70,security_barrier=on") as a WITH list, values quoted:
// "fillfactor='70', security_barrier='on'", in the same order, so the server stores them again
// exactly so.
std::string relation_options(const std::string& list);

// COMMENT ON COLUMN and column GRANTs (through ddl/privileges.hpp, grantors included) of a
// view, materialized view or foreign table, from the column_comment:<column> and
// column_privileges:<column> attributes.
std::string column_extras(const catalog::Object& object, const catalog::Catalog& catalog);

}  // namespace schemakit::ddl::extra
