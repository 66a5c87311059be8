#pragma once
// Attribute names shared by introspection (which fills them), DDL (which reads them) and the
// diff / --ignore filters (which select them). Kind-specific names are documented next to the
// kind's reader in lib/introspect/kinds/; the ones here cut across kinds.
namespace schemakit::catalog::attr {

inline constexpr const char* owner = "owner";            // role name
inline constexpr const char* privileges = "privileges";  // normalized ACL, see ddl/privileges.hpp
inline constexpr const char* comment = "comment";
inline constexpr const char* definition = "definition";  // server-deparsed definition
inline constexpr const char* position = "position";      // columns: 1-based among live columns
// Routines, triggers, materialized views marked with ALTER ... DEPENDS ON EXTENSION (pg_depend
// deptype 'x'): the extensions' names as SQL writes them, ", "-separated, in the order the marks
// were made (pg_dump prints them in that order).
inline constexpr const char* depends_on_extension = "depends_on_extension";
// Data, not schema: compared only on request (schema-compare --sequence-positions).
inline constexpr const char* data_prefix = "data.";
inline constexpr const char* sequence_last_value = "data.last_value";
inline constexpr const char* sequence_is_called = "data.is_called";

}  // namespace schemakit::catalog::attr
