// Views and materialized views (pg_class relkind v / m): one query for both.
//
// Both: definition (pg_get_viewdef(oid, true), the query without CREATE), owner, privileges,
// comment, and per column (only where set, named after the column):
//   column_comment:<column>     COMMENT ON COLUMN
//   column_privileges:<column>  column GRANTs, normalized like privileges
//   column_default:<column>     views only: ALTER VIEW ... ALTER COLUMN ... SET DEFAULT
// Materialized views also, per column (what ALTER MATERIALIZED VIEW ... ALTER COLUMN sets):
//   column_statistics:<column>   SET STATISTICS target
//   column_storage:<column>      SET STORAGE plain | external | main | extended (not the type's)
//   column_compression:<column>  SET COMPRESSION pglz | lz4
//   column_options:<column>      SET (n_distinct=...), as stored, ", "-separated
// Both: options, the reloptions as the server stores them, comma-separated and in its order
// (views: check_option, security_barrier, security_invoker; materialized views: storage
// parameters, then their TOAST table's as toast.<name>), absent when none. Values and order are kept as stored, so that a database built
// from the script has the very same options (pg_dump prints them as stored). Materialized views:
// populated (true | false, from relispopulated), access_method (absent for heap), tablespace
// (absent for the database default), depends_on_extension (ALTER MATERIALIZED VIEW ... DEPENDS
// ON EXTENSION). Their indexes are index objects (core reader).
//
// The view's _RETURN rule stands for the view in pg_depend (the rule, not the view, depends on
// the tables it reads), and so do the column defaults and its row type (a function returning
// SETOF the view): all are registered as aliases.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {
namespace {

// Per column: comment, grants, default (views), and for materialized views what ALTER
// MATERIALIZED VIEW ... ALTER COLUMN sets: statistics target, storage (when not the type's),
// compression, attribute options (without this build's internal pg_attver stamp). Only columns
// with one of them set are listed.
std::string columns_sql(const ReadContext& ctx) {
  const std::string comment = ctx.options.comments ? "d.description" : "NULL::text";
  const std::string privileges = granted_privileges_sql(ctx, "a.attacl");
  const std::string statistics =
      "CASE WHEN COALESCE(a.attstattarget, -1) >= 0 THEN a.attstattarget::pg_catalog.text END";
  const std::string storage = "CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::pg_catalog.text END";
  const std::string compression =
      ctx.server_version >= 140000 ? "NULLIF(a.attcompression::pg_catalog.text, '')" : "NULL::pg_catalog.text";
  const std::string options =
      "NULLIF(pg_catalog.array_to_string(ARRAY(SELECT o FROM pg_catalog.unnest(a.attoptions) o "
      "WHERE o NOT LIKE 'pg\\_attver=%'), ', '), '')";
  return fmt::format(
      "(SELECT pg_catalog.json_agg(pg_catalog.json_build_object('name', a.attname, 'comment', {0}, "
      "'privileges', {1}, 'default', pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), 'default_oid', ad.oid::bigint, "
      "'statistics', {2}, 'storage', {3}, 'compression', {4}, 'options', {5}) "
      "ORDER BY a.attnum) "
      "FROM pg_catalog.pg_attribute a "
      "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
      "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
      "LEFT JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND d.objoid = a.attrelid AND d.objsubid = a.attnum "
      "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
      "AND ({0} IS NOT NULL OR {1} IS NOT NULL OR ad.oid IS NOT NULL OR {2} IS NOT NULL OR {3} IS NOT NULL "
      "OR {4} IS NOT NULL OR {5} IS NOT NULL))",
      comment, privileges, statistics, storage, compression, options);
}

const char* storage_name(const std::string& letter) {
  if (letter == "p") return "plain";
  if (letter == "e") return "external";
  if (letter == "m") return "main";
  return "extended";
}

}  // namespace

void read_views(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT c.oid, n.nspname, c.relname, c.relkind, pg_catalog.pg_get_viewdef(c.oid, true), "
      "{}, {}, {}, "
      "c.relispopulated, "
      // A materialized view's TOAST table options as toast.<name>, as tables have them.
      "NULLIF(pg_catalog.array_to_string(c.reloptions || ARRAY(SELECT 'toast.' || o FROM pg_catalog.pg_class tc, "
      "pg_catalog.unnest(tc.reloptions) o WHERE tc.oid = c.reltoastrelid), ','), ''), "
      "(SELECT am.amname FROM pg_catalog.pg_am am WHERE am.oid = c.relam AND am.amname <> 'heap'), "
      "(SELECT t.spcname FROM pg_catalog.pg_tablespace t WHERE t.oid = c.reltablespace), "
      "(SELECT r.oid FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename = '_RETURN'), "
      "{}, c.reltype, {} "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('v', 'm') AND {} AND {} ORDER BY 1",
      owner_sql(ctx, "c.relowner"), privileges_sql(ctx, "c.relacl"), comment_sql(ctx, "pg_class", "c.oid"),
      columns_sql(ctx), extension_marks_sql("pg_class", "c.oid"), ctx.schema_name_filter("n.nspname"),
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
        if (column["statistics"].is_string()) object.attributes["column_statistics:" + name] = column["statistics"];
        if (column["storage"].is_string()) {
          object.attributes["column_storage:" + name] = storage_name(column["storage"].get<std::string>());
        }
        if (column["compression"].is_string()) {
          object.attributes["column_compression:" + name] = column["compression"] == "l" ? "lz4" : "pglz";
        }
        if (column["options"].is_string()) object.attributes["column_options:" + name] = column["options"];
        if (column["default"].is_string()) {
          object.attributes["column_default:" + name] = column["default"];
          default_oids.push_back(column["default_oid"].get<uint32_t>());
        }
      }
    }
    const ExtensionMarks marks = extension_marks(row[15]);
    if (!marks.names.empty()) object.attributes[catalog::attr::depends_on_extension] = marks.names;
    const catalog::ObjectId id = object.id;
    ctx.add(std::move(object), {catalog_oid::pg_class, oid, 0});
    for (uint32_t extension : marks.oids) ctx.depend(id, {catalog_oid::pg_extension, extension, 0});
    if (!row[12].is_null()) ctx.alias({catalog_oid::pg_rewrite, row[12].as<uint32_t>(), 0}, id);
    // A function that returns SETOF the view (or takes its row) depends on the row type.
    ctx.alias({catalog_oid::pg_type, row[14].as<uint32_t>(), 0}, id);
    for (uint32_t default_oid : default_oids) ctx.alias({catalog_oid::pg_attrdef, default_oid, 0}, id);
  }
}

}  // namespace schemakit::introspect::extra
