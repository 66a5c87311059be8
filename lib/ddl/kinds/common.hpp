#pragma once
// What the per-kind writers (lib/ddl/kinds/*.cpp) share (ddl/quote.hpp included: every writer
// quotes).
#include <string>
#include <string_view>

#include "catalog/model.hpp"
#include "ddl/quote.hpp"

namespace schemakit::ddl {

// The object's schema-qualified name as SQL: app."Order".
std::string name_of(const catalog::Object& object);
// The qualified name of the table (or view...) an object lives on: columns, constraints, indexes,
// triggers, rules, policies.
std::string table_of(const catalog::Object& object);

// `text` as one statement: trailing blanks and semicolons removed, then ";\n".
std::string statement(std::string_view text);

bool ends_with(std::string_view text, std::string_view suffix);

// ASCII letters to upper case (SQL keywords made from attribute words).
std::string upper_case(std::string text);

// Stored storage parameters or options as a WITH / SET list, values quoted, in the same order
// (so the server stores them again exactly so): "fillfactor=70, toast.autovacuum_enabled=false"
// or "check_option=local,security_barrier=true" -> "fillfactor='70', ...". Items are separated
// by commas (blanks after them ignored); values are numbers, booleans and words, never a comma.
std::string options_sql(std::string_view stored);

// "DISABLE", "ENABLE REPLICA", "ENABLE ALWAYS" for a trigger's, rule's or event trigger's
// `enabled` attribute; "" for the default (origin).
std::string enable_clause(const std::string& enabled);

// The relation an object lives on (id.schema + id.table), with its kind, as the reader recorded
// it among the dependencies; a table when the reader did not say.
catalog::ObjectId parent_relation(const catalog::Object& object);

// COMMENT ON COLUMN and column GRANTs (through ddl/privileges.hpp, grantors included) of a
// view, materialized view or foreign table, from the column_comment:<column> and
// column_privileges:<column> attributes.
std::string column_extras(const catalog::Object& object, const catalog::Catalog& catalog);

// ALTER <reference> DEPENDS ON EXTENSION e; for each extension in the object's
// depends_on_extension attribute ("" when none). `reference` as the kind writes it:
// "FUNCTION app.f(integer)", "TRIGGER t ON app.t", "MATERIALIZED VIEW app.mv".
std::string extension_marks_sql(const catalog::Object& object, const std::string& reference);

}  // namespace schemakit::ddl
