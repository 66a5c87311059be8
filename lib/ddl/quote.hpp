#pragma once
// The only place that quotes SQL identifiers and literals.
#include <string>
#include <string_view>

namespace schemakit::ddl {

// "order" -> "\"order\"", users -> users, Email -> "Email", names with spaces or quotes quoted
// and escaped; reserved keywords (from libpg_query's keyword list) are always quoted.
std::string quote_ident(std::string_view name);
// schema.name, each part quoted as needed; an empty schema gives just the name.
std::string qualified(std::string_view schema, std::string_view name);
// 'it''s' ; E'' is never needed because standard_conforming_strings is on (we set it).
std::string quote_literal(std::string_view value);
// A dollar-quoted string with a tag that does not occur in `value`.
std::string dollar_quote(std::string_view value);

}  // namespace schemakit::ddl
