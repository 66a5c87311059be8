// User-defined types: enums, domains, composite types, range types (one query each). Base types
// with their own I/O functions and shell types are not modelled: the unsupported reader
// (extra_unsupported.cpp) lists them.
//
// Every type also stands for its array type (and a range for its multirange), so that a
// column of type app.mood[] depends on app.mood.
//
// enum: labels ('a', 'b' in sort order); domain: type, default, not_null, collation,
// check.<name> (pg_get_constraintdef, NOT VALID included), comment.check.<name> (COMMENT ON
// CONSTRAINT ... ON DOMAIN); composite_type: fields, comment.field.<name> (COMMENT ON COLUMN);
// range_type: subtype, subtype_opclass, collation, canonical, subtype_diff, multirange.
// All: owner, privileges, comment.
#include <fmt/core.h>

#include "catalog/core_attributes.hpp"
#include "ddl/quote.hpp"
#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::core {
namespace {

// SQL for the qualified collation name when `collation` differs from `type_default`, else NULL.
std::string collation_name_sql(std::string_view collation, std::string_view type_default) {
  return fmt::format("CASE WHEN {0} <> {1} THEN {2} END", collation, type_default,
                     qualified_name_sql("pg_collation", "collname", "collnamespace", collation));
}

std::string type_filter(const ReadContext& ctx) {
  return fmt::format("{} AND {}", ctx.schema_name_filter("n.nspname"),
                     ReadContext::not_extension_member("pg_type", "t.oid"));
}

void add_type(ReadContext& ctx, catalog::Object object, const Row& row) {
  catalog::ObjectId id = object.id;
  ctx.add(std::move(object), {catalog_oid::pg_type, oid(row["oid"]), 0});
  if (oid(row["typarray"]) != 0) ctx.alias({catalog_oid::pg_type, oid(row["typarray"]), 0}, id);
}

void read_enums(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT t.oid, t.typarray, n.nspname, t.typname, "
      "(SELECT pg_catalog.json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e "
      "WHERE e.enumtypid = t.oid) AS labels, {} "
      "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
      "WHERE t.typtype = 'e' AND {} ORDER BY n.nspname, t.typname",
      owner_privileges_comment_sql(ctx, "t.typowner", "t.typacl", "pg_type", "t.oid"), type_filter(ctx));
  const pqxx::result result = ctx.query(sql, "enum types (pg_type, pg_enum)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::enum_type, text(row["nspname"]), "", text(row["typname"]), ""};
    std::string labels;
    for (const auto& label : json_of(row["labels"])) {
      if (!labels.empty()) labels += ", ";
      labels += ddl::quote_literal(label.get<std::string>());
    }
    object.attributes[catalog::attr::enum_labels] = labels;
    set_owner_privileges_comment(object, row);
    add_type(ctx, std::move(object), row);
  }
}

void read_domains(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT t.oid, t.typarray, n.nspname, t.typname, "
      "pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull, "
      "pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS default_value, {} AS collation, "
      "(SELECT pg_catalog.json_agg(pg_catalog.json_build_array(c.oid::pg_catalog.int8, c.conname, "
      "pg_catalog.pg_get_constraintdef(c.oid), {}) ORDER BY c.conname) FROM pg_catalog.pg_constraint c "
      "WHERE c.contypid = t.oid AND c.contype = 'c') AS checks, {} "
      "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
      "JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype "
      "WHERE t.typtype = 'd' AND {} ORDER BY n.nspname, t.typname",
      collation_name_sql("t.typcollation", "b.typcollation"), comment_sql(ctx, "pg_constraint", "c.oid"),
      owner_privileges_comment_sql(ctx, "t.typowner", "t.typacl", "pg_type", "t.oid"), type_filter(ctx));
  const pqxx::result result = ctx.query(sql, "domains (pg_type, pg_constraint)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::domain, text(row["nspname"]), "", text(row["typname"]), ""};
    object.attributes[catalog::attr::domain_type] = text(row["base"]);
    set_if_not_empty(object, catalog::attr::default_value, row["default_value"]);
    set_if_not_empty(object, catalog::attr::collation, row["collation"]);
    if (is_true(row["typnotnull"])) object.attributes[catalog::attr::not_null] = "true";
    std::vector<uint32_t> check_oids;
    for (const auto& check : json_of(row["checks"])) {
      check_oids.push_back(check[0].get<uint32_t>());
      object.attributes[std::string(catalog::attr::domain_check_prefix) + check[1].get<std::string>()] =
          check[2].get<std::string>();
      if (check[3].is_string()) {
        object.attributes[std::string(catalog::attr::domain_check_comment_prefix) + check[1].get<std::string>()] =
            check[3].get<std::string>();
      }
    }
    set_owner_privileges_comment(object, row);
    catalog::ObjectId id = object.id;
    add_type(ctx, std::move(object), row);
    // A check that calls a function makes the domain depend on that function.
    for (uint32_t check : check_oids) ctx.alias({catalog_oid::pg_constraint, check, 0}, id);
  }
}

void read_composite_types(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT t.oid, t.typarray, t.typrelid, n.nspname, t.typname, "
      "(SELECT pg_catalog.json_agg(pg_catalog.json_build_array(a.attname, "
      "pg_catalog.format_type(a.atttypid, a.atttypmod), {}, {}) ORDER BY a.attnum) "
      "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid "
      "WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) AS fields, {} "
      "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
      "JOIN pg_catalog.pg_class c ON c.oid = t.typrelid "
      "WHERE t.typtype = 'c' AND c.relkind = 'c' AND {} ORDER BY n.nspname, t.typname",
      collation_name_sql("a.attcollation", "at.typcollation"),
      ctx.options.comments ? "pg_catalog.col_description(a.attrelid, a.attnum)" : "NULL::text",
      owner_privileges_comment_sql(ctx, "t.typowner", "t.typacl", "pg_type", "t.oid"), type_filter(ctx));
  const pqxx::result result = ctx.query(sql, "composite types (pg_type, pg_attribute)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::composite_type, text(row["nspname"]), "", text(row["typname"]), ""};
    std::string fields;
    for (const auto& field : json_of(row["fields"])) {
      if (!fields.empty()) fields += ", ";
      fields += ddl::quote_ident(field[0].get<std::string>()) + " " + field[1].get<std::string>();
      if (!field[2].is_null()) fields += " COLLATE " + field[2].get<std::string>();
      if (field[3].is_string()) {
        object.attributes[std::string(catalog::attr::composite_field_comment_prefix) + field[0].get<std::string>()] =
            field[3].get<std::string>();
      }
    }
    object.attributes[catalog::attr::composite_fields] = fields;
    set_owner_privileges_comment(object, row);
    catalog::ObjectId id = object.id;
    add_type(ctx, std::move(object), row);
    // pg_depend talks about the fields as columns of the type's pg_class entry.
    ctx.alias({catalog_oid::pg_class, oid(row["typrelid"]), 0}, id);
  }
}

void read_range_types(ReadContext& ctx) {
  const bool has_multirange = ctx.server_version >= 140000;
  const std::string sql = fmt::format(
      "SELECT t.oid, t.typarray, n.nspname, t.typname, "
      "pg_catalog.format_type(r.rngsubtype, NULL) AS subtype, "
      "(SELECT pg_catalog.quote_ident(opn.nspname) || '.' || pg_catalog.quote_ident(opc.opcname) "
      "FROM pg_catalog.pg_opclass opc JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace "
      "WHERE opc.oid = r.rngsubopc AND NOT opc.opcdefault) AS opclass, {} AS collation, "
      "CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::pg_catalog.regproc::text END AS canonical, "
      "CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::text END AS subdiff, "
      "{} AS multirange_oid, {} AS multirange_array, {} AS multirange, {} "
      "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
      "JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid "
      "JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype "
      "WHERE t.typtype = 'r' AND {} ORDER BY n.nspname, t.typname",
      collation_name_sql("r.rngcollation", "st.typcollation"),
      has_multirange ? "r.rngmultitypid" : "0::oid",
      has_multirange ? "(SELECT m.typarray FROM pg_catalog.pg_type m WHERE m.oid = r.rngmultitypid)" : "0::oid",
      has_multirange ? qualified_name_sql("pg_type", "typname", "typnamespace", "r.rngmultitypid") : "NULL::text",
      owner_privileges_comment_sql(ctx, "t.typowner", "t.typacl", "pg_type", "t.oid"), type_filter(ctx));
  const pqxx::result result = ctx.query(sql, "range types (pg_type, pg_range)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::range_type, text(row["nspname"]), "", text(row["typname"]), ""};
    object.attributes[catalog::attr::range_subtype] = text(row["subtype"]);
    set_if_not_empty(object, catalog::attr::range_subtype_opclass, row["opclass"]);
    set_if_not_empty(object, catalog::attr::collation, row["collation"]);
    set_if_not_empty(object, catalog::attr::range_canonical, row["canonical"]);
    set_if_not_empty(object, catalog::attr::range_subtype_diff, row["subdiff"]);
    set_if_not_empty(object, catalog::attr::range_multirange, row["multirange"]);
    set_owner_privileges_comment(object, row);
    catalog::ObjectId id = object.id;
    add_type(ctx, std::move(object), row);
    for (const char* column : {"multirange_oid", "multirange_array"}) {
      if (oid(row[column]) != 0) ctx.alias({catalog_oid::pg_type, oid(row[column]), 0}, id);
    }
  }
}

}  // namespace

void read_types(ReadContext& ctx) {
  read_enums(ctx);
  read_domains(ctx);
  read_composite_types(ctx);
  read_range_types(ctx);
}

}  // namespace schemakit::introspect::core
