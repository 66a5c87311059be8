#pragma once
// Attribute names of the core kinds (schemas, extensions, collations, types, sequences, tables,
// columns, constraints, indexes): filled by lib/introspect/kinds/core_*.cpp, read by
// lib/ddl/kinds/core_*.cpp, compared by the diff. docs/catalog.md lists them per kind.
//
// Conventions: flags are present ("true") only when set, so the built-in default is absence;
// names of other objects are written as SQL would write them (quoted, schema-qualified); lists
// are comma-separated SQL (enum labels as literals, parents as qualified names).
namespace schemakit::catalog::attr {

// extension
inline constexpr const char* extension_schema = "schema";
inline constexpr const char* extension_version = "version";

// collation
inline constexpr const char* collation_provider = "provider";        // libc | icu | builtin
inline constexpr const char* collation_locale = "locale";            // icu / builtin locale
inline constexpr const char* collation_lc_collate = "lc_collate";    // libc
inline constexpr const char* collation_lc_ctype = "lc_ctype";        // libc
inline constexpr const char* collation_nondeterministic = "nondeterministic";
inline constexpr const char* collation_rules = "rules";              // ICU tailoring rules (16+)

// enum
inline constexpr const char* enum_labels = "labels";  // 'a', 'b', 'c' (in sort order)

// domain (plus default, not_null, collation below)
inline constexpr const char* domain_type = "type";             // base type, format_type
inline constexpr const char* domain_check_prefix = "check.";   // check.<name> = CHECK (...) [NOT VALID]
inline constexpr const char* domain_check_comment_prefix = "comment.check.";  // comment.check.<name>

// composite type
inline constexpr const char* composite_fields = "fields";  // a integer, "B" text COLLATE pg_catalog."C"
inline constexpr const char* composite_field_comment_prefix = "comment.field.";  // comment.field.<name>

// range type
inline constexpr const char* range_subtype = "subtype";
inline constexpr const char* range_subtype_opclass = "subtype_opclass";  // when not the default
inline constexpr const char* range_canonical = "canonical";
inline constexpr const char* range_subtype_diff = "subtype_diff";
inline constexpr const char* range_multirange = "multirange";  // multirange type name (14+)

// sequence (identity columns carry the same under "identity.")
inline constexpr const char* sequence_type = "type";
inline constexpr const char* sequence_start = "start";
inline constexpr const char* sequence_increment = "increment";
inline constexpr const char* sequence_min = "min";
inline constexpr const char* sequence_max = "max";
inline constexpr const char* sequence_cache = "cache";
inline constexpr const char* sequence_cycle = "cycle";
inline constexpr const char* sequence_unlogged = "unlogged";  // 15+: a serial of an unlogged table
inline constexpr const char* sequence_owned_by = "owned_by";  // app.t.col

// table
inline constexpr const char* table_unlogged = "unlogged";
inline constexpr const char* table_partition_key = "partition_key";      // RANGE (at)
inline constexpr const char* table_partition_of = "partition_of";        // app.parent
inline constexpr const char* table_partition_bound = "partition_bound";  // FOR VALUES ... | DEFAULT
inline constexpr const char* table_inherits = "inherits";                // app.a, app.b (in order)
inline constexpr const char* table_of_type = "of_type";                  // app.person (CREATE TABLE ... OF)
inline constexpr const char* table_row_security = "row_security";
inline constexpr const char* table_force_row_security = "force_row_security";
inline constexpr const char* table_options = "options";  // fillfactor=70, toast.autovacuum_enabled=false
inline constexpr const char* table_access_method = "access_method";  // when not heap
inline constexpr const char* table_replica_identity = "replica_identity";  // full | nothing (index: on the index)

// column (plus position from attributes.hpp)
inline constexpr const char* column_type = "type";
inline constexpr const char* collation = "collation";  // columns, domains, ranges: when not the type's default
inline constexpr const char* default_value = "default";  // columns, domains: pg_get_expr
inline constexpr const char* not_null = "not_null";
inline constexpr const char* column_identity = "identity";  // always | by default
inline constexpr const char* identity_prefix = "identity.";   // identity.sequence, identity.start, ...
inline constexpr const char* identity_sequence = "identity.sequence";  // app.t_id_seq
// The identity sequence's own ACL and comment (its owner is always the table's). Named in the
// privileges / comment families, so that --ignore privileges / comments covers them.
inline constexpr const char* identity_sequence_privileges = "privileges.identity_sequence";
inline constexpr const char* identity_sequence_comment = "comment.identity_sequence";
inline constexpr const char* column_generated = "generated";  // the stored expression
inline constexpr const char* column_statistics = "statistics";  // SET STATISTICS target when set
inline constexpr const char* column_storage = "storage";  // plain | external | main | extended, when not the type's
inline constexpr const char* column_compression = "compression";  // pglz | lz4 when set
inline constexpr const char* column_options = "options";  // n_distinct=100
inline constexpr const char* column_inherited = "inherited";  // from an inheritance or partition parent
inline constexpr const char* column_not_local = "not_local";  // only inherited, never declared here

// constraint (plus definition from attributes.hpp: pg_get_constraintdef, NOT VALID included)
inline constexpr const char* constraint_type = "type";  // primary key | unique | check | foreign key | exclusion
inline constexpr const char* constraint_references = "references";  // foreign keys: app.other
inline constexpr const char* constraint_inherited = "inherited";  // also comes from a parent (coninhcount > 0)
// Storage parameters of the index behind a primary key or unique constraint (fillfactor=70,
// deduplicate_items=off): pg_get_constraintdef leaves them out (an exclusion's definition has them).
inline constexpr const char* constraint_index_options = "index_options";
// COMMENT ON INDEX of the index behind a primary key, unique or exclusion constraint (pg_dump
// writes it; the constraint's own comment is `comment`).
inline constexpr const char* constraint_index_comment = "comment.index";

// constraint (primary key, unique, exclusion) and index
inline constexpr const char* attached_to = "attached_to";  // the partitioned parent's index: app.parent_idx
inline constexpr const char* clustered = "clustered";
inline constexpr const char* replica_identity = "replica_identity";
inline constexpr const char* index_statistics = "statistics";  // index: "2=500, 3=100" (column number = target)

}  // namespace schemakit::catalog::attr
