// Table constraints and indexes (one query each).
//
// constraint: identity {constraint, schema, table, name}; type (primary key | unique | check |
// foreign key | exclusion), definition (pg_get_constraintdef: columns, actions, match,
// deferrability, NOT VALID, NO INHERIT, index parameters), references (foreign keys: the
// referenced table), inherited (a child's check merged with its parent's), index_options (the
// storage parameters of a primary key's or unique constraint's index: fillfactor=70), attached_to (a partition's key constraint: the parent's index), clustered,
// replica_identity, comment. The index that backs a primary key, unique or exclusion constraint
// belongs to the constraint and is not an index of its own. Left out, because the parent's
// constraint makes them (as pg_dump leaves them out): foreign keys cloned onto partitions
// (conparentid set) and check constraints a child only inherits (not conislocal).
//
// index: identity {index, schema, table, name} (table: the table or materialized view);
// definition (pg_get_indexdef: method, expressions, predicate, INCLUDE, uniqueness, operator
// classes, ON ONLY for a partitioned parent), attached_to (the partitioned parent index),
// clustered, replica_identity, statistics (targets set on expression columns: "2=500"), comment. Invalid indexes (left by a failed CREATE INDEX
// CONCURRENTLY) are listed as unsupported, as pg_dump skips them.
#include <fmt/core.h>

#include "catalog/core_attributes.hpp"
#include "ddl/quote.hpp"
#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::core {
namespace {

const char* constraint_type_name(std::string_view contype) {
  switch (contype.empty() ? ' ' : contype.front()) {
    case 'p': return "primary key";
    case 'u': return "unique";
    case 'c': return "check";
    case 'f': return "foreign key";
    case 'x': return "exclusion";
    default: return "other";
  }
}

// The partitioned index that `index_oid` is attached to (a partition's index or key), joined as
// ih / pc / pn: an index has one parent at most. Select attached_to_sql and ih.inhparent.
std::string attached_to_join_sql(std::string_view index_oid) {
  return fmt::format(
      " LEFT JOIN pg_catalog.pg_inherits ih ON ih.inhrelid = {} "
      "LEFT JOIN pg_catalog.pg_class pc ON pc.oid = ih.inhparent "
      "LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace",
      index_oid);
}

constexpr const char* kAttachedToSql =
    "CASE WHEN pc.oid IS NOT NULL THEN pg_catalog.quote_ident(pn.nspname) || '.' || "
    "pg_catalog.quote_ident(pc.relname) END";

void set_index_flags(catalog::Object& object, const Row& row) {
  set_if_not_empty(object, catalog::attr::attached_to, row["attached_to"]);
  if (is_true(row["indisclustered"])) object.attributes[catalog::attr::clustered] = "true";
  if (is_true(row["indisreplident"])) object.attributes[catalog::attr::replica_identity] = "true";
}

void read_constraints(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT co.oid, n.nspname, c.relname, co.conname, co.contype, "
      "pg_catalog.pg_get_constraintdef(co.oid) AS definition, co.coninhcount, co.conrelid, co.conindid, co.conparentid, "
      "co.confrelid, CASE WHEN rc.oid IS NOT NULL THEN pg_catalog.quote_ident(rn.nspname) || '.' || "
      "pg_catalog.quote_ident(rc.relname) END AS references, "
      "{} AS attached_to, ix.indisclustered, ix.indisreplident, "
      "CASE WHEN co.contype IN ('p', 'u') THEN pg_catalog.array_to_string(ic.reloptions, ', ') END AS index_options, "
      "CASE WHEN co.contype = 'f' AND fi.relkind = 'I' THEN (SELECT pg_catalog.json_agg(pt.relid::pg_catalog.oid::pg_catalog.int8) "
      "FROM pg_catalog.pg_partition_tree(co.conindid) pt WHERE pt.relid <> co.conindid::pg_catalog.regclass) "
      "END AS referenced_index_partitions, "
      "NULL::text AS owner, NULL::text AS acl, {} AS comment "
      "FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "LEFT JOIN pg_catalog.pg_index ix ON ix.indexrelid = co.conindid AND co.contype IN ('p', 'u', 'x') "
      "LEFT JOIN pg_catalog.pg_class ic ON ic.oid = ix.indexrelid "
      "LEFT JOIN pg_catalog.pg_class fi ON fi.oid = co.conindid AND co.contype = 'f' "
      "LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid "
      "LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace{}{} "
      "WHERE c.relkind IN ('r', 'p') AND co.contype IN ('p', 'u', 'f', 'c', 'x') "
      "AND NOT (co.contype = 'f' AND co.conparentid <> 0) AND NOT (co.contype = 'c' AND NOT co.conislocal) "
      "AND {} AND {}",
      kAttachedToSql, joined_comment_sql(ctx, "com"), attached_to_join_sql("ix.indexrelid"),
      comment_join_sql(ctx, "com", "pg_constraint", "co.oid"), ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member("pg_class", "c.oid"));
  const pqxx::result result = ctx.query(sql, "table constraints (pg_constraint)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::constraint, text(row["nspname"]), text(row["relname"]), text(row["conname"]), ""};
    const std::string contype = text(row["contype"]);
    object.attributes[catalog::attr::constraint_type] = constraint_type_name(contype);
    object.attributes[catalog::attr::definition] = text(row["definition"]);
    if (contype == "f") set_if_not_empty(object, catalog::attr::constraint_references, row["references"]);
    if (row["coninhcount"].as<int>() > 0) object.attributes[catalog::attr::constraint_inherited] = "true";
    // pg_get_constraintdef leaves a key index's storage parameters out (it prints them only for
    // a full ALTER TABLE command; an exclusion's are in its definition), pg_dump prints them.
    set_if_not_empty(object, catalog::attr::constraint_index_options, row["index_options"]);
    set_index_flags(object, row);
    set_owner_privileges_comment(object, row);
    catalog::ObjectId id = object.id;
    ctx.add(std::move(object), {catalog_oid::pg_constraint, oid(row["oid"]), 0});
    ctx.depend(id, {catalog_oid::pg_class, oid(row["conrelid"]), 0});
    if (contype == "p" || contype == "u" || contype == "x") {
      // What depends on the index (a foreign key elsewhere) depends on the constraint.
      ctx.alias({catalog_oid::pg_class, oid(row["conindid"]), 0}, id);
      if (oid(row["conparentid"]) != 0) ctx.depend(id, {catalog_oid::pg_constraint, oid(row["conparentid"]), 0});
    }
    if (contype == "f") {
      ctx.depend(id, {catalog_oid::pg_class, oid(row["confrelid"]), 0});
      // A partitioned table's key is valid, and can be referenced, only once every partition's
      // key is attached to it: the foreign key follows those too.
      for (const auto& index : json_of(row["referenced_index_partitions"])) {
        ctx.depend(id, {catalog_oid::pg_class, index.get<uint32_t>(), 0});
      }
    }
  }
}

void read_indexes(ReadContext& ctx) {
  // Statistics targets can only be set on expression columns: the aggregate runs for indexes
  // with expressions only. Indexes that back a constraint belong to it.
  const std::string sql = fmt::format(
      "SELECT i.indexrelid, i.indrelid, n.nspname, tc.relname AS table_name, ic.relname, "
      "pg_catalog.pg_get_indexdef(i.indexrelid) AS definition, {} AS attached_to, ih.inhparent AS parent_oid, "
      "i.indisclustered, i.indisreplident, i.indisvalid, ic.relkind, "
      "CASE WHEN i.indexprs IS NOT NULL THEN (SELECT pg_catalog.string_agg(a.attnum || '=' || a.attstattarget, ', ' "
      "ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0) "
      "END AS statistics, "
      "NULL::text AS owner, NULL::text AS acl, {} AS comment "
      "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
      "JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace{}{} "
      "WHERE tc.relkind IN ('r', 'p', 'm') AND i.indexrelid NOT IN (SELECT co.conindid FROM pg_catalog.pg_constraint co "
      "WHERE co.contype IN ('p', 'u', 'x')) "
      "AND {} AND {}",
      kAttachedToSql, joined_comment_sql(ctx, "com"), attached_to_join_sql("i.indexrelid"),
      comment_join_sql(ctx, "com", "pg_class", "i.indexrelid"), ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member("pg_class", "tc.oid"));
  const pqxx::result result = ctx.query(sql, "indexes (pg_index)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::index, text(row["nspname"]), text(row["table_name"]), text(row["relname"]), ""};
    if (!is_true(row["indisvalid"]) && text(row["relkind"]) != "I") {
      ctx.unsupported("invalid index", ddl::qualified(object.id.schema, object.id.name),
                      "left by a failed CREATE INDEX CONCURRENTLY; drop or REINDEX it");
      continue;
    }
    object.attributes[catalog::attr::definition] = text(row["definition"]);
    set_index_flags(object, row);
    set_if_not_empty(object, catalog::attr::index_statistics, row["statistics"]);
    set_owner_privileges_comment(object, row);
    catalog::ObjectId id = object.id;
    ctx.add(std::move(object), {catalog_oid::pg_class, oid(row["indexrelid"]), 0});
    ctx.depend(id, {catalog_oid::pg_class, oid(row["indrelid"]), 0});
    if (!row["parent_oid"].is_null()) ctx.depend(id, {catalog_oid::pg_class, oid(row["parent_oid"]), 0});
  }
}

}  // namespace

void read_constraints_and_indexes(ReadContext& ctx) {
  read_constraints(ctx);
  read_indexes(ctx);
}

}  // namespace schemakit::introspect::core
