// Sequences (pg_class relkind S + pg_sequence): one query, which also reads the positions of
// identity sequences for their columns.
//
// Attributes: type, start, increment, min, max, cache, cycle, unlogged (15+), owned_by (app.t.col, from the
// 'a' dependency ALTER SEQUENCE ... OWNED BY records), owner, privileges, comment, and the
// position as data: data.last_value, data.is_called. Identity sequences belong to their column
// (see core_tables.cpp) and are not objects of their own: their position, privileges and
// comment become the column's data.last_value, data.is_called, privileges.identity_sequence
// and comment.identity_sequence.
//
// The position lives in the sequence relation itself; query_to_xml reads it inside this one
// query (pg_sequences.last_value hides is_called), so the query count stays fixed.
#include <fmt/core.h>

#include "catalog/core_attributes.hpp"
#include "ddl/quote.hpp"
#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::core {
namespace {

// Parses "<row ...><last_value>5</last_value><is_called>true</is_called></row>".
void set_sequence_position(catalog::Object& object, std::string_view xml) {
  auto element = [xml](const std::string& name) {
    const std::string open = "<" + name + ">", close = "</" + name + ">";
    auto begin = xml.find(open);
    if (begin == std::string_view::npos) return std::string();
    begin += open.size();
    auto end = xml.find(close, begin);
    return end == std::string_view::npos ? std::string() : std::string(xml.substr(begin, end - begin));
  };
  object.attributes[catalog::attr::sequence_last_value] = element("last_value");
  object.attributes[catalog::attr::sequence_is_called] = element("is_called");
}

std::string sequence_position_sql(const ReadContext& ctx, std::string_view sequence_oid) {
  if (!ctx.options.sequence_positions) return "NULL::text";
  return fmt::format(
      "pg_catalog.query_to_xml(pg_catalog.format('SELECT last_value, is_called FROM %s', "
      "{}::pg_catalog.regclass), false, false, '')::text",
      sequence_oid);
}

}  // namespace

void read_sequences(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT c.oid, n.nspname, c.relname, c.relpersistence, pg_catalog.format_type(s.seqtypid, NULL) AS type, "
      "s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, "
      "owned.nspname AS owned_schema, owned.relname AS owned_table, owned.attname AS owned_column, "
      "EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND i.objid = c.oid AND i.deptype = 'i') AS identity, "
      "{} AS position, {} "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid "
      "LEFT JOIN LATERAL (SELECT tn.nspname, t.relname, a.attname FROM pg_catalog.pg_depend d "
      "JOIN pg_catalog.pg_class t ON t.oid = d.refobjid "
      "JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
      "WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid "
      "AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'a' "
      "AND d.refobjsubid > 0) owned ON true "
      "WHERE c.relkind = 'S' AND {} AND {} "
      "ORDER BY n.nspname, c.relname",
      sequence_position_sql(ctx, "c.oid"),
      owner_privileges_comment_sql(ctx, "c.relowner", "c.relacl", "pg_class", "c.oid"),
      ctx.schema_name_filter("n.nspname"), ReadContext::not_extension_member("pg_class", "c.oid"));
  const pqxx::result result = ctx.query(sql, "sequences (pg_class, pg_sequence)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    if (is_true(row["identity"])) {
      // An identity column's sequence is part of the column (core_tables.cpp), and so are its
      // position, grants and comment: read here rather than in the columns query, where reading
      // 5,000 sequences costs the server twice as much (measured on the bench catalog). Its
      // owner is always its table's (the server refuses ALTER SEQUENCE ... OWNER TO on it and
      // ALTER TABLE ... OWNER TO carries it along), so it is not read twice.
      if (!row["position"].is_null()) set_sequence_position(object, row["position"].c_str());
      set_if_not_null(object, catalog::attr::identity_sequence_privileges, row["acl"]);
      set_if_not_null(object, catalog::attr::identity_sequence_comment, row["comment"]);
      for (auto& [name, value] : object.attributes) ctx.set_later({catalog_oid::pg_class, oid(row["oid"]), 0}, name, value);
      continue;
    }
    object.id = {catalog::Kind::sequence, text(row["nspname"]), "", text(row["relname"]), ""};
    object.attributes[catalog::attr::sequence_type] = text(row["type"]);
    object.attributes[catalog::attr::sequence_start] = text(row["seqstart"]);
    object.attributes[catalog::attr::sequence_increment] = text(row["seqincrement"]);
    object.attributes[catalog::attr::sequence_min] = text(row["seqmin"]);
    object.attributes[catalog::attr::sequence_max] = text(row["seqmax"]);
    object.attributes[catalog::attr::sequence_cache] = text(row["seqcache"]);
    if (is_true(row["seqcycle"])) object.attributes[catalog::attr::sequence_cycle] = "true";
    if (text(row["relpersistence"]) == "u") object.attributes[catalog::attr::sequence_unlogged] = "true";
    if (!row["owned_table"].is_null()) {
      object.attributes[catalog::attr::sequence_owned_by] =
          ddl::qualified(text(row["owned_schema"]), text(row["owned_table"])) + "." +
          ddl::quote_ident(text(row["owned_column"]));
    }
    if (!row["position"].is_null()) set_sequence_position(object, row["position"].c_str());
    set_owner_privileges_comment(object, row);
    ctx.add(std::move(object), {catalog_oid::pg_class, oid(row["oid"]), 0});
  }
}

}  // namespace schemakit::introspect::core
