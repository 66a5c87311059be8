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
// definition (pg_get_indexdef's text: method, expressions, predicate, INCLUDE, uniqueness,
// operator classes, ON ONLY for a partitioned parent; rebuilt on the client where
// index_definition.hpp can, deparsed by the server where not), attached_to (the partitioned parent index),
// clustered, replica_identity, statistics (targets set on expression columns: "2=500"), comment. Invalid indexes (left by a failed CREATE INDEX
// CONCURRENTLY) are listed as unsupported, as pg_dump skips them.
#include <fmt/core.h>

#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "catalog/core_attributes.hpp"
#include "ddl/quote.hpp"
#include "introspect/kinds/common.hpp"
#include "introspect/kinds/index_definition.hpp"

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
      "NULL::text AS owner, NULL::text AS acl, {} AS comment, {} AS index_comment "
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
      kAttachedToSql, joined_comment_sql(ctx, "com"), joined_comment_sql(ctx, "icom"),
      attached_to_join_sql("ix.indexrelid"),
      comment_join_sql(ctx, "com", "pg_constraint", "co.oid") + comment_join_sql(ctx, "icom", "pg_class", "ix.indexrelid"),
      ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member("pg_class", "c.oid"));
  const pqxx::result result = ctx.query(sql, "table constraints (pg_constraint)");
  const Columns fields(result);
  ctx.expect_objects(result.size());
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
    set_if_not_null(object, catalog::attr::constraint_index_comment, row["index_comment"]);
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

// The indexes `read_indexes` reads, as FROM ... WHERE ... with `joins` added to the FROM list:
// pg_index i, its pg_class ic, the table's tc and the namespace n.
std::string indexes_from_sql(const ReadContext& ctx, std::string_view joins = "") {
  // Indexes that back a constraint belong to it.
  return fmt::format(
      "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
      "JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace{} "
      "WHERE tc.relkind IN ('r', 'p', 'm') AND i.indexrelid NOT IN (SELECT co.conindid FROM pg_catalog.pg_constraint co "
      "WHERE co.contype IN ('p', 'u', 'x')) "
      "AND {} AND {}",
      joins, ctx.schema_name_filter("n.nspname"), ReadContext::not_extension_member("pg_class", "tc.oid"));
}

// The server deparses an index itself (pg_get_indexdef) when it has expression columns or
// storage parameters; the rest index_definition::rebuild() writes from these columns.
constexpr const char* kServerDeparsesSql = "(i.indexprs IS NOT NULL OR ic.reloptions IS NOT NULL)";

template <typename Oids>
std::string oid_array_literal(const Oids& oids) {
  std::string list;
  for (uint32_t oid : oids) list += (list.empty() ? "" : ",") + std::to_string(oid);
  return "'{" + list + "}'::pg_catalog.oid[]";
}

// What index_definition::rebuild() looks things up in for the indexes in `rows` (the first
// query's, parsed): the columns they use, those columns' types, the operator classes and binary
// casts GetDefaultOpClass weighs, and the collations named.
index_definition::Facts index_facts(ReadContext& ctx, const std::vector<index_definition::IndexRow>& rows) {
  namespace idx = index_definition;
  idx::Facts facts;
  const std::string from = indexes_from_sql(ctx);
  const pqxx::result columns = ctx.query(
      fmt::format("SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.attcollation "
                  "FROM pg_catalog.pg_attribute a WHERE (a.attrelid, a.attnum) IN "
                  "(SELECT i.indrelid, pg_catalog.unnest(i.indkey::pg_catalog.int2[]) {} AND NOT {})",
                  from, kServerDeparsesSql),
      "indexed columns (pg_attribute)");
  std::set<uint32_t> types;  // ordered: the query text is the same run after run
  for (const auto& row : columns) {
    idx::Column column{text(row[2]), oid(row[3]), oid(row[4])};
    types.insert(column.type);
    facts.columns.emplace(idx::Facts::column_key(oid(row[0]), row[1].as<int>()), std::move(column));
  }
  std::set<uint32_t> collations;
  for (const auto& index : rows) {
    for (size_t position = 0; position < index.key_count && position < index.collations.size(); ++position) {
      auto column = facts.columns.find(idx::Facts::column_key(index.table_oid, index.keys[position]));
      const uint32_t collation = index.collations[position];
      if (collation != 0 && column != facts.columns.end() && collation != column->second.collation) {
        collations.insert(collation);
      }
    }
  }
  // A domain's base type is followed to the end of its chain, as getBaseType does.
  const std::string array_test = ctx.server_version >= 140000
                                     ? "b.typsubscript = 'pg_catalog.array_subscript_handler'::pg_catalog.regproc"
                                     : "b.typlen = -1";
  const pqxx::result type_rows = ctx.query(
      fmt::format("WITH RECURSIVE chain(type, base) AS (SELECT t.oid, t.oid FROM pg_catalog.pg_type t "
                  "WHERE t.oid = ANY({}) UNION ALL SELECT c.type, t.typbasetype FROM chain c "
                  "JOIN pg_catalog.pg_type t ON t.oid = c.base WHERE t.typtype = 'd') "
                  "SELECT c.type, b.oid, b.typtype, b.typcategory, b.typrelid <> 0, b.typelem <> 0 AND {}, "
                  "COALESCE(b.typelem <> 0 AND {} AND e.typrelid <> 0, false) "
                  "FROM chain c JOIN pg_catalog.pg_type b ON b.oid = c.base AND b.typtype <> 'd' "
                  "LEFT JOIN pg_catalog.pg_type e ON e.oid = b.typelem",
                  oid_array_literal(types), array_test, array_test),
      "indexed column types (pg_type)");
  for (const auto& row : type_rows) {
    idx::TypeFacts type;
    type.base = oid(row[1]);
    type.typtype = text(row[2]).front();
    type.category = text(row[3]).front();
    type.composite = is_true(row[4]);
    type.array = is_true(row[5]);
    type.composite_array = is_true(row[6]);
    facts.types.emplace(oid(row[0]), type);
  }
  // An operator class takes parameters (gist tsvector_ops (siglen=...)) only when its family has
  // the access method's options support function; the built-in methods' numbers are in their
  // headers (amapi's amoptsprocnum), another method's classes are all assumed to take some.
  const pqxx::result classes = ctx.query(
      "SELECT o.oid, o.opcname, n.nspname, pg_catalog.pg_opclass_is_visible(o.oid), o.opcmethod, o.opcintype, "
      "o.opcdefault, t.typcategory, t.typispreferred, "
      "COALESCE((SELECT EXISTS (SELECT FROM pg_catalog.pg_amproc p WHERE p.amprocfamily = o.opcfamily "
      "AND p.amprocnum = CASE am.amname WHEN 'btree' THEN 5 WHEN 'hash' THEN 3 WHEN 'gist' THEN 10 "
      "WHEN 'gin' THEN 7 WHEN 'spgist' THEN 6 WHEN 'brin' THEN 5 END) "
      "WHERE am.amname IN ('btree', 'hash', 'gist', 'gin', 'spgist', 'brin')), true) AS takes_options "
      "FROM pg_catalog.pg_opclass o JOIN pg_catalog.pg_am am ON am.oid = o.opcmethod "
      "JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace JOIN pg_catalog.pg_type t ON t.oid = o.opcintype",
      "operator classes (pg_opclass)");
  for (const auto& row : classes) {
    idx::OperatorClass opclass{text(row[1]), text(row[2]), is_true(row[3]), oid(row[4]), oid(row[5]),
                               is_true(row[6]), text(row[7]).front(), is_true(row[8]), is_true(row[9])};
    facts.operator_classes.emplace(oid(row[0]), std::move(opclass));
  }
  const pqxx::result casts = ctx.query(
      "SELECT c.castsource, c.casttarget FROM pg_catalog.pg_cast c WHERE c.castmethod = 'b' AND c.castcontext = 'i'",
      "binary-coercible casts (pg_cast)");
  for (const auto& row : casts) facts.binary_casts.insert(idx::Facts::pair_key(oid(row[0]), oid(row[1])));
  const pqxx::result collation_rows = ctx.query(
      fmt::format("SELECT c.oid, c.collname, n.nspname, pg_catalog.pg_collation_is_visible(c.oid) "
                  "FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace "
                  "WHERE c.oid = ANY({})",
                  oid_array_literal(collations)),
      "index collations (pg_collation)");
  for (const auto& row : collation_rows) {
    facts.collations.emplace(oid(row[0]), idx::Collation{text(row[1]), text(row[2]), is_true(row[3])});
  }
  return facts;
}

void read_indexes(ReadContext& ctx) {
  namespace idx = index_definition;
  // Statistics targets can only be set on expression columns: the aggregate runs for indexes
  // with expressions only.
  const std::string sql = fmt::format(
      "SELECT i.indexrelid, i.indrelid, n.nspname, tc.relname AS table_name, ic.relname, "
      "CASE WHEN {} THEN pg_catalog.pg_get_indexdef(i.indexrelid) END AS server_definition, "
      "CASE WHEN i.indpred IS NOT NULL AND NOT {} THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid) END AS predicate, "
      "am.amname, i.indkey::pg_catalog.text AS indkey, i.indclass::pg_catalog.text AS indclass, "
      "i.indcollation::pg_catalog.text AS indcollation, i.indoption::pg_catalog.text AS indoption, i.indnkeyatts, "
      "i.indisunique, {} AS indnullsnotdistinct, "
      "{} AS attached_to, ih.inhparent AS parent_oid, "
      "i.indisclustered, i.indisreplident, i.indisvalid, ic.relkind, "
      "CASE WHEN i.indexprs IS NOT NULL THEN (SELECT pg_catalog.string_agg(a.attnum || '=' || a.attstattarget, ', ' "
      "ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0) "
      "END AS statistics, "
      "NULL::text AS owner, NULL::text AS acl, {} AS comment {}",
      kServerDeparsesSql, kServerDeparsesSql, ctx.server_version >= 150000 ? "i.indnullsnotdistinct" : "false",
      kAttachedToSql, joined_comment_sql(ctx, "com"),
      indexes_from_sql(ctx, " JOIN pg_catalog.pg_am am ON am.oid = ic.relam" + attached_to_join_sql("i.indexrelid") +
                                comment_join_sql(ctx, "com", "pg_class", "i.indexrelid")));
  const pqxx::result result = ctx.query(sql, "indexes (pg_index)");
  const Columns fields(result);

  std::vector<idx::IndexRow> shapes(result.size());
  std::vector<std::optional<std::string>> definitions(result.size());
  for (pqxx::result::size_type r = 0; r < result.size(); ++r) {
    const Row row(result[r], fields);
    if (!row["server_definition"].is_null()) {
      definitions[r] = text(row["server_definition"]);
      continue;
    }
    idx::IndexRow& shape = shapes[r];
    shape.name = text(row["relname"]);
    shape.schema = text(row["nspname"]);
    shape.table = text(row["table_name"]);
    shape.table_oid = oid(row["indrelid"]);
    shape.access_method = text(row["amname"]);
    shape.unique = is_true(row["indisunique"]);
    shape.nulls_not_distinct = is_true(row["indnullsnotdistinct"]);
    shape.only = text(row["relkind"]) == "I";
    for (int64_t key : idx::parse_vector(text(row["indkey"]))) shape.keys.push_back(static_cast<int>(key));
    shape.key_count = static_cast<size_t>(row["indnkeyatts"].as<int>());
    for (int64_t opclass : idx::parse_vector(text(row["indclass"]))) {
      shape.operator_classes.push_back(static_cast<uint32_t>(opclass));
    }
    for (int64_t collation : idx::parse_vector(text(row["indcollation"]))) {
      shape.collations.push_back(static_cast<uint32_t>(collation));
    }
    for (int64_t option : idx::parse_vector(text(row["indoption"]))) shape.options.push_back(static_cast<int>(option));
    if (!row["predicate"].is_null()) shape.predicate = text(row["predicate"]);
  }
  const idx::Facts facts = index_facts(ctx, shapes);
  std::vector<uint32_t> left_to_server;
  for (pqxx::result::size_type r = 0; r < result.size(); ++r) {
    if (definitions[r]) continue;
    const uint32_t index_oid = oid(result[r][fields["indexrelid"]]);
    definitions[r] = idx::rebuild(shapes[r], facts);
    if (!definitions[r]) left_to_server.push_back(index_oid);
  }
  std::unordered_map<uint32_t, std::string> deparsed;
  const pqxx::result server = ctx.query(
      fmt::format("SELECT x.oid, pg_catalog.pg_get_indexdef(x.oid) FROM pg_catalog.unnest({}) AS x(oid)",
                  oid_array_literal(left_to_server)),
      "index definitions (pg_get_indexdef)");
  for (const auto& row : server) deparsed.emplace(oid(row[0]), text(row[1]));
  for (pqxx::result::size_type r = 0; r < result.size(); ++r) {
    if (!definitions[r]) definitions[r] = deparsed[oid(result[r][fields["indexrelid"]])];
  }
  ctx.expect_objects(result.size());
  for (pqxx::result::size_type r = 0; r < result.size(); ++r) {
    const Row row(result[r], fields);
    catalog::Object object;
    object.id = {catalog::Kind::index, text(row["nspname"]), text(row["table_name"]), text(row["relname"]), ""};
    if (!is_true(row["indisvalid"]) && text(row["relkind"]) != "I") {
      ctx.unsupported("invalid index", ddl::qualified(object.id.schema, object.id.name),
                      "left by a failed CREATE INDEX CONCURRENTLY; drop or REINDEX it");
      continue;
    }
    object.attributes[catalog::attr::definition] = std::move(*definitions[r]);
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
