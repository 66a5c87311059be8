// Views and materialized views (pg_class relkind v / m): one query for both.
//
// Both: definition (pg_get_viewdef(oid, true), the query without CREATE), owner, privileges,
// comment, and per column (only where set, named after the column):
//   column_comment:<column>     COMMENT ON COLUMN
//   column_privileges:<column>  column GRANTs, normalized like privileges
//   column_default:<column>     views only: ALTER VIEW ... ALTER COLUMN ... SET DEFAULT
// Both: options, the reloptions as the server stores them, comma-separated and in its order
// (views: check_option, security_barrier, security_invoker; materialized views: storage
// parameters), absent when none. Values and order are kept as stored, so that a database built
// from the script has the very same options (pg_dump prints them as stored). Materialized views:
// populated (true | false, from relispopulated), access_method (absent for heap), tablespace
// (absent for the database default). Their indexes are index objects (core reader).
//
// The view's _RETURN rule stands for the view in pg_depend (the rule, not the view, depends on
// the tables it reads), and so do the column defaults: both are registered as aliases.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {
namespace {

std::string columns_sql(const ReadContext& ctx) {
  const std::string comment = ctx.options.comments ? "d.description" : "NULL::text";
  const std::string privileges = granted_privileges_sql(ctx, "a.attacl");
  return fmt::format(
      "(SELECT pg_catalog.json_agg(pg_catalog.json_build_object('name', a.attname, 'comment', {0}, "
      "'privileges', {1}, 'default', pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), 'default_oid', ad.oid::bigint) "
      "ORDER BY a.attnum) "
      "FROM pg_catalog.pg_attribute a "
      "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
      "LEFT JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND d.objoid = a.attrelid AND d.objsubid = a.attnum "
      "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
      "AND ({0} IS NOT NULL OR {1} IS NOT NULL OR ad.oid IS NOT NULL))",
      comment, privileges);
}

}  // namespace

void read_views(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT c.oid, n.nspname, c.relname, c.relkind, pg_catalog.pg_get_viewdef(c.oid, true), "
      "{}, {}, {}, "
      "c.relispopulated, "
      "pg_catalog.array_to_string(c.reloptions, ','), "
      "(SELECT am.amname FROM pg_catalog.pg_am am WHERE am.oid = c.relam AND am.amname <> 'heap'), "
      "(SELECT t.spcname FROM pg_catalog.pg_tablespace t WHERE t.oid = c.reltablespace), "
      "(SELECT r.oid FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename = '_RETURN'), "
      "{} "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('v', 'm') AND {} AND {} ORDER BY 1",
      owner_sql(ctx, "c.relowner"), privileges_sql(ctx, "c.relacl"), comment_sql(ctx, "pg_class", "c.oid"),
      columns_sql(ctx), ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member("pg_class", "c.oid"));
  for (const auto& row : ctx.query(sql, "views and materialized views (pg_class)")) {
    const bool materialized = text(row[3]) == "m";
    catalog::Object object;
    object.id.kind = materialized ? catalog::Kind::materialized_view : catalog::Kind::view;
    object.id.schema = text(row[1]);
    object.id.name = text(row[2]);
    object.attributes[catalog::attr::definition] = text(row[4]);
    set_owner_privileges_comment(object, row, 5);
    if (materialized) {
      object.attributes["populated"] = is_true(row[8]) ? "true" : "false";
      set_if_not_null(object, "access_method", row[10]);
      set_if_not_null(object, "tablespace", row[11]);
    }
    set_if_not_null(object, "options", row[9]);
    const uint32_t oid = row[0].as<uint32_t>();
    std::vector<uint32_t> default_oids;
    if (!row[13].is_null()) {
      for (const auto& column : nlohmann::json::parse(row[13].c_str())) {
        const std::string name = column["name"].get<std::string>();
        if (column["comment"].is_string()) object.attributes["column_comment:" + name] = column["comment"];
        if (column["privileges"].is_string()) object.attributes["column_privileges:" + name] = column["privileges"];
        if (column["default"].is_string()) {
          object.attributes["column_default:" + name] = column["default"];
          default_oids.push_back(column["default_oid"].get<uint32_t>());
        }
      }
    }
    const catalog::ObjectId id = object.id;
    ctx.add(std::move(object), {catalog_oid::pg_class, oid, 0});
    if (!row[12].is_null()) ctx.alias({catalog_oid::pg_rewrite, row[12].as<uint32_t>(), 0}, id);
    for (uint32_t default_oid : default_oids) ctx.alias({catalog_oid::pg_attrdef, default_oid, 0}, id);
  }
}

}  // namespace schemakit::introspect::extra
