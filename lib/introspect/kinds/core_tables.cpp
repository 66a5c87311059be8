// Tables (pg_class relkind r and p) and their columns: one query each.
//
// table: unlogged, partition_key (pg_get_partkeydef), partition_of + partition_bound
// (pg_get_expr of relpartbound), inherits (parents in inhseqno order), row_security,
// force_row_security, options (reloptions, toast.* for the TOAST table's), access_method (when
// not heap), replica_identity (full | nothing; an index's is on the index), of_type (a typed
// table's composite type, format_type; the table depends on it), owner, privileges, comment.
//
// column: identity {column, schema, table, name}; position (1-based among live columns: a
// dropped column leaves no trace), type (format_type, modifiers included), collation (when not
// the type's), default (pg_get_expr), not_null, identity (always | by default) with the
// identity sequence's name and options under identity.*, generated (stored expression),
// statistics, storage (when not the type's), compression, options (attoptions, without the
// pg_attver=N stamp this PostgreSQL build keeps on every column: it is the server's own
// bookkeeping, differs between databases, and its pg_dump leaves it out too), inherited / not_local (so
// that inheritance children and partitions are not written twice), privileges (column grants),
// comment, and the identity sequence's position as data.last_value / data.is_called.
#include <fmt/core.h>

#include <algorithm>
#include <iterator>
#include <unordered_set>

#include "catalog/core_attributes.hpp"
#include "ddl/quote.hpp"
#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::core {


namespace {

void read_tables(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT c.oid, c.reltype, n.nspname, c.relname, c.relkind, c.relpersistence, "
      "c.relrowsecurity, c.relforcerowsecurity, c.relreplident, c.reloftype, c.relispartition, "
      "CASE WHEN c.reloftype <> 0 THEN pg_catalog.format_type(c.reloftype, NULL) END AS of_type, "
      "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key, "
      "CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound, "
      "par.parents, "
      "(SELECT pg_catalog.json_agg(o.option) FROM (SELECT pg_catalog.unnest(c.reloptions) AS option "
      "UNION ALL SELECT 'toast.' || pg_catalog.unnest(tc.reloptions)) o) AS options, "
      "CASE WHEN am.amname <> 'heap' THEN am.amname END AS access_method, "
      "{} AS owner, {} AS acl, {} AS comment "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "LEFT JOIN pg_catalog.pg_class tc ON tc.oid = c.reltoastrelid AND tc.reloptions IS NOT NULL "
      // Every table's parents aggregated at once and hashed: a subquery per table read all of
      // pg_inherits for each (the planner takes it for small), 5,000 times on a large catalog.
      "LEFT JOIN (SELECT i.inhrelid, pg_catalog.json_agg(pg_catalog.json_build_array(i.inhparent::pg_catalog.int8, "
      "pn.nspname, pc.relname) ORDER BY i.inhseqno) AS parents FROM pg_catalog.pg_inherits i "
      "JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent "
      "JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace GROUP BY i.inhrelid) par ON par.inhrelid = c.oid "
      "LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam{} "
      "WHERE c.relkind IN ('r', 'p') AND {} AND {}",
      owner_sql(ctx, "c.relowner"), granted_privileges_sql(ctx, "c.relacl"), joined_comment_sql(ctx, "com"),
      comment_join_sql(ctx, "com", "pg_class", "c.oid"),
      ctx.schema_name_filter("n.nspname"), ReadContext::not_extension_member("pg_class", "c.oid"));
  const pqxx::result result = ctx.query(sql, "tables (pg_class)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::table, text(row["nspname"]), "", text(row["relname"]), ""};
    set_if_not_empty(object, catalog::attr::table_of_type, row["of_type"]);
    if (text(row["relpersistence"]) == "u") object.attributes[catalog::attr::table_unlogged] = "true";
    set_if_not_empty(object, catalog::attr::table_partition_key, row["partition_key"]);
    if (is_true(row["relrowsecurity"])) object.attributes[catalog::attr::table_row_security] = "true";
    if (is_true(row["relforcerowsecurity"])) object.attributes[catalog::attr::table_force_row_security] = "true";
    const std::string replident = text(row["relreplident"]);
    if (replident == "f") object.attributes[catalog::attr::table_replica_identity] = "full";
    if (replident == "n") object.attributes[catalog::attr::table_replica_identity] = "nothing";
    set_if_not_empty(object, catalog::attr::table_access_method, row["access_method"]);
    std::string options;
    for (const auto& option : json_of(row["options"])) {
      if (!options.empty()) options += ", ";
      options += option.get<std::string>();
    }
    if (!options.empty()) object.attributes[catalog::attr::table_options] = options;

    std::vector<uint32_t> parent_oids;
    std::string parents;
    for (const auto& parent : json_of(row["parents"])) {
      parent_oids.push_back(parent[0].get<uint32_t>());
      if (!parents.empty()) parents += ", ";
      parents += ddl::qualified(parent[1].get<std::string>(), parent[2].get<std::string>());
    }
    if (is_true(row["relispartition"])) {
      object.attributes[catalog::attr::table_partition_of] = parents;
      object.attributes[catalog::attr::table_partition_bound] = text(row["partition_bound"]);
    } else if (!parents.empty()) {
      object.attributes[catalog::attr::table_inherits] = parents;
    }
    set_owner_privileges_comment(object, row);
    catalog::ObjectId id = object.id;
    ctx.add(std::move(object), {catalog_oid::pg_class, oid(row["oid"]), 0});
    // Other columns of this row type depend on the table.
    ctx.alias({catalog_oid::pg_type, oid(row["reltype"]), 0}, id);
    for (uint32_t parent : parent_oids) ctx.depend(id, {catalog_oid::pg_class, parent, 0});
    if (oid(row["reloftype"]) != 0) ctx.depend(id, {catalog_oid::pg_type, oid(row["reloftype"]), 0});
  }
}

const char* storage_name(std::string_view letter) {
  switch (letter.empty() ? ' ' : letter.front()) {
    case 'p': return "plain";
    case 'e': return "external";
    case 'm': return "main";
    case 'x': return "extended";
    default: return "";
  }
}

void read_columns(ReadContext& ctx) {
  // A DEFAULT cannot refer to columns, so it is deparsed without its table (relid 0): the same
  // text, without opening and locking 5,000 tables on a large catalog (a quarter of this query's
  // time). A generated column's expression refers to columns and needs the table.
  const std::string sql = fmt::format(
      "SELECT a.attrelid, a.attnum, n.nspname, c.relname, a.attname, "
      "pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, "
      "CASE WHEN cl.oid IS NOT NULL THEN pg_catalog.quote_ident(cn.nspname) || '.' || "
      "pg_catalog.quote_ident(cl.collname) END AS collation, "
      "ad.oid AS attrdef, pg_catalog.pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 "
      "ELSE ad.adrelid END) AS default_value, "
      "a.attnotnull, a.attidentity, a.attgenerated, "
      "COALESCE(a.attstattarget, -1) AS stattarget, a.attstorage, t.typstorage, {} AS compression, "
      "a.attislocal, a.attinhcount, "
      "pg_catalog.array_to_string(a.attoptions, ',') AS options, "
      "NULL::text AS owner, {} AS acl, {} AS comment, "
      "CASE WHEN a.attidentity <> '' THEN (SELECT pg_catalog.json_build_array(s.seqrelid::pg_catalog.int8, "
      "sn.nspname, sc.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart::text, s.seqincrement::text, "
      "s.seqmin::text, s.seqmax::text, s.seqcache::text, s.seqcycle) "
      "FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_sequence s ON s.seqrelid = d.objid "
      "JOIN pg_catalog.pg_class sc ON sc.oid = s.seqrelid "
      "JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace "
      "WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = a.attrelid "
      "AND d.refobjsubid = a.attnum AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND d.deptype = 'i') END AS identity_sequence "
      "FROM pg_catalog.pg_attribute a "
      "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
      "LEFT JOIN pg_catalog.pg_collation cl ON cl.oid = a.attcollation AND a.attcollation <> t.typcollation "
      "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = cl.collnamespace "
      // Looked up only for the columns that have a default (atthasdef): not 100,000 index probes
      // for 35,000 defaults. OFFSET 0 keeps the condition a test before the probe.
      "LEFT JOIN LATERAL (SELECT ad.oid, ad.adbin, ad.adrelid FROM pg_catalog.pg_attrdef ad WHERE a.atthasdef "
      "AND ad.adrelid = a.attrelid AND ad.adnum = a.attnum OFFSET 0) ad ON true{} "
      "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {} AND {}",
      ctx.server_version >= 140000 ? "a.attcompression" : "''::\"char\"",
      granted_privileges_sql(ctx, "a.attacl"), joined_comment_sql(ctx, "com"),
      comment_join_sql(ctx, "com", "pg_class", "a.attrelid", "a.attnum"), ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member("pg_class", "c.oid"));
  struct Column {
    catalog::Object object;
    uint32_t relid;
    int32_t attnum;
    uint32_t attrdef;
    uint32_t identity_sequence;
  };
  std::vector<Column> columns;
  const pqxx::result result = ctx.query(sql, "columns (pg_attribute)");
  const Columns fields(result);
  columns.reserve(result.size());
  ctx.expect_objects(result.size());
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::column, text(row["nspname"]), text(row["relname"]), text(row["attname"]), ""};
    auto& attrs = object.attributes;
    attrs[catalog::attr::column_type] = text(row["type"]);
    set_if_not_empty(object, catalog::attr::collation, row["collation"]);
    const std::string generated = text(row["attgenerated"]);
    if (!generated.empty()) {
      attrs[catalog::attr::column_generated] = text(row["default_value"]);
    } else {
      set_if_not_empty(object, catalog::attr::default_value, row["default_value"]);
    }
    if (is_true(row["attnotnull"])) attrs[catalog::attr::not_null] = "true";
    const std::string identity = text(row["attidentity"]);
    uint32_t identity_sequence = 0;
    if (!identity.empty()) {
      attrs[catalog::attr::column_identity] = identity == "a" ? "always" : "by default";
      // [oid, schema, name, type, start, increment, min, max, cache, cycle]; the numbers as text
      // (int8 does not fit a JSON number's double). The position (data.last_value,
      // data.is_called) comes from the sequences reader (ReadContext::set_later).
      const nlohmann::json sequence = json_of(row["identity_sequence"]);
      if (!sequence.empty()) {
        identity_sequence = sequence[0].get<uint32_t>();
        attrs[catalog::attr::identity_sequence] =
            ddl::qualified(sequence[1].get<std::string>(), sequence[2].get<std::string>());
        const std::string prefix = catalog::attr::identity_prefix;
        const char* const options[] = {catalog::attr::sequence_type, catalog::attr::sequence_start,
                                       catalog::attr::sequence_increment, catalog::attr::sequence_min,
                                       catalog::attr::sequence_max, catalog::attr::sequence_cache};
        for (size_t i = 0; i < std::size(options); ++i) attrs[prefix + options[i]] = sequence[3 + i].get<std::string>();
        if (sequence[9].get<bool>()) attrs[prefix + catalog::attr::sequence_cycle] = "true";
      }
    }
    if (row["stattarget"].as<int>() >= 0) attrs[catalog::attr::column_statistics] = text(row["stattarget"]);
    if (text(row["attstorage"]) != text(row["typstorage"])) {
      attrs[catalog::attr::column_storage] = storage_name(text(row["attstorage"]));
    }
    if (!row["compression"].is_null() && text(row["compression"]).size() == 1 && text(row["compression"]) != " ") {
      attrs[catalog::attr::column_compression] = text(row["compression"]) == "l" ? "lz4" : "pglz";
    }
    // Attribute options are name=number (n_distinct, n_distinct_inherited): never a comma inside.
    std::string options;
    std::string_view all = row["options"].is_null() ? std::string_view() : std::string_view(row["options"].c_str());
    while (!all.empty()) {
      const size_t comma = all.find(',');
      const std::string_view option = all.substr(0, comma);
      if (option.substr(0, 10) != "pg_attver=") {
        if (!options.empty()) options += ", ";
        options += option;
      }
      all = comma == std::string_view::npos ? std::string_view() : all.substr(comma + 1);
    }
    if (!options.empty()) attrs[catalog::attr::column_options] = options;
    if (row["attinhcount"].as<int>() > 0) attrs[catalog::attr::column_inherited] = "true";
    if (!is_true(row["attislocal"])) attrs[catalog::attr::column_not_local] = "true";
    set_owner_privileges_comment(object, row);

    columns.push_back({std::move(object), oid(row["attrelid"]), row["attnum"].as<int32_t>(), oid(row["attrdef"]),
                       identity_sequence});
  }
  // Position among the live columns, counted here rather than by a window function (which
  // would sort every column of the database on the server). The places are sorted, not the
  // columns: moving 100,000 objects around in the sort cost more than reading them.
  // The server's plan usually hands each table's columns over together and in attnum order;
  // then counting needs no sort.
  std::vector<uint32_t> order(columns.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
  bool grouped = true;
  std::unordered_set<uint32_t> tables_seen;
  for (size_t i = 0; i < columns.size() && grouped; ++i) {
    if (i > 0 && columns[i].relid == columns[i - 1].relid) {
      grouped = columns[i].attnum > columns[i - 1].attnum;
    } else {
      grouped = tables_seen.insert(columns[i].relid).second;
    }
  }
  if (!grouped) {
    std::sort(order.begin(), order.end(), [&columns](uint32_t x, uint32_t y) {
      const Column& a = columns[x];
      const Column& b = columns[y];
      return a.relid != b.relid ? a.relid < b.relid : a.attnum < b.attnum;
    });
  }
  int position = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    Column& column = columns[order[i]];
    position = (i > 0 && columns[order[i - 1]].relid == column.relid) ? position + 1 : 1;
    column.object.attributes[catalog::attr::position] = std::to_string(position);
    catalog::ObjectId id = column.object.id;
    ctx.add(std::move(column.object), {catalog_oid::pg_class, column.relid, column.attnum});
    // The default's own dependencies (nextval of a sequence, a function) are the column's.
    if (column.attrdef != 0) ctx.alias({catalog_oid::pg_attrdef, column.attrdef, 0}, id);
    if (column.identity_sequence != 0) ctx.alias({catalog_oid::pg_class, column.identity_sequence, 0}, id);
  }
}

}  // namespace

void read_tables_and_columns(ReadContext& ctx) {
  read_tables(ctx);
  read_columns(ctx);
}

}  // namespace schemakit::introspect::core
