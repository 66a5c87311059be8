// Everything else a user can make in a database that the model does not cover, found with one
// query and reported by kind and name (never skipped silently): text search parsers and
// templates; operator classes and families; conversions; access methods; transforms; procedural
// languages; foreign-data wrappers; user mappings; subscriptions; large objects; base and shell
// types; security labels (the database's own included); relations of an unknown kind; indexes
// marked with ALTER INDEX ... DEPENDS ON EXTENSION.
// Extension members are left out (they come back with their extension), and so are schemas the
// options leave out.
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {
namespace {

// Objects that are part of another (the cast a range type makes to its multirange) depend on it
// internally and come back with it.
std::string not_internal_part(std::string_view catalog_table, std::string_view oid_column) {
  return fmt::format(
      "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.{}'::pg_catalog.regclass "
      "AND i.objid = {} AND i.deptype = 'i')",
      catalog_table, oid_column);
}

// kind, identity and reason for every row of `from_where` that is in a selected user schema and
// not an extension member.
std::string in_schema(const ReadContext& ctx, std::string_view kind, std::string_view identity,
                      std::string_view catalog_table, std::string_view alias, std::string_view namespace_column,
                      std::string_view extra_condition = "") {
  return fmt::format(
      "SELECT '{0}'::text, {1}, 'not modelled: a squash or comparison would miss it'::text "
      "FROM pg_catalog.{2} {3} JOIN pg_catalog.pg_namespace n ON n.oid = {3}.{4} WHERE {5} AND {6} AND {7}{8}",
      kind, identity, catalog_table, alias, namespace_column,
      ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member(catalog_table, std::string(alias) + ".oid"),
      not_internal_part(catalog_table, std::string(alias) + ".oid"), extra_condition);
}

// The same for objects outside schemas, made by users (OID beyond the initial catalog).
std::string global(std::string_view kind, std::string_view identity, std::string_view catalog_table,
                   std::string_view alias, std::string_view extra_condition = "") {
  return fmt::format(
      "SELECT '{0}'::text, {1}, 'not modelled: a squash or comparison would miss it'::text "
      "FROM pg_catalog.{2} {3} WHERE {3}.oid >= 16384 AND {4} AND {5}{6}",
      kind, identity, catalog_table, alias,
      ReadContext::not_extension_member(catalog_table, std::string(alias) + ".oid"),
      not_internal_part(catalog_table, std::string(alias) + ".oid"), extra_condition);
}

std::string qualified_sql(std::string_view name_column) {
  return fmt::format("pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident({})", name_column);
}

}  // namespace

void read_unsupported(ReadContext& ctx) {
  const std::vector<std::string> parts = {
      in_schema(ctx, "text search parser", qualified_sql("o.prsname"), "pg_ts_parser", "o", "prsnamespace"),
      in_schema(ctx, "text search template", qualified_sql("o.tmplname"), "pg_ts_template", "o", "tmplnamespace"),
      in_schema(ctx, "operator class",
                qualified_sql("o.opcname") +
                    " || ' USING ' || (SELECT am.amname FROM pg_catalog.pg_am am WHERE am.oid = o.opcmethod)",
                "pg_opclass", "o", "opcnamespace"),
      in_schema(ctx, "operator family",
                qualified_sql("o.opfname") +
                    " || ' USING ' || (SELECT am.amname FROM pg_catalog.pg_am am WHERE am.oid = o.opfmethod)",
                "pg_opfamily", "o", "opfnamespace"),
      in_schema(ctx, "conversion", qualified_sql("o.conname"), "pg_conversion", "o", "connamespace"),
      // Base types made with CREATE TYPE ... (INPUT = ...) and shell types; the array type the
      // server makes beside a type is not counted again.
      in_schema(ctx, "type", qualified_sql("o.typname"), "pg_type", "o", "typnamespace",
                " AND o.typtype IN ('b', 'p') AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e "
                "WHERE e.oid = o.typelem AND e.typarray = o.oid)"),
      in_schema(ctx, "relation", qualified_sql("o.relname") + " || ' (relkind ' || o.relkind::text || ')'", "pg_class",
                "o", "relnamespace", " AND o.relkind NOT IN ('r', 'p', 'v', 'm', 'f', 'S', 'i', 'I', 'c', 't')"),
      global("access method", "pg_catalog.quote_ident(o.amname)", "pg_am", "o"),
      global("transform",
             "'FOR ' || pg_catalog.format_type(o.trftype, NULL) || ' LANGUAGE ' || "
             "(SELECT pg_catalog.quote_ident(l.lanname) FROM pg_catalog.pg_language l WHERE l.oid = o.trflang)",
             "pg_transform", "o"),
      global("language", "pg_catalog.quote_ident(o.lanname)", "pg_language", "o"),
      global("foreign-data wrapper", "pg_catalog.quote_ident(o.fdwname)", "pg_foreign_data_wrapper", "o"),
      // pg_user_mappings, unlike pg_user_mapping, is readable without superuser. Mappings are
      // attributes of their server, except those holding a password, which is never written.
      "SELECT 'user mapping'::text, 'FOR ' || CASE WHEN m.umuser = 0 THEN 'PUBLIC' ELSE "
      "pg_catalog.quote_ident(m.usename) END || ' SERVER ' || pg_catalog.quote_ident(m.srvname), "
      "'its options hold a password, which is never written'::text FROM pg_catalog.pg_user_mappings m "
      "WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_options_to_table(m.umoptions) o WHERE o.option_name = 'password')",
      "SELECT 'subscription'::text, pg_catalog.quote_ident(s.subname), "
      "'not modelled: a squash or comparison would miss it'::text FROM pg_catalog.pg_subscription s "
      "WHERE s.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())",
      // ALTER INDEX ... DEPENDS ON EXTENSION (routines, triggers and materialized views carry
      // theirs as an attribute).
      fmt::format("SELECT 'extension dependency'::text, pg_catalog.pg_describe_object(x.classid, x.objid, "
                  "x.objsubid) || ' DEPENDS ON EXTENSION ' || pg_catalog.quote_ident(e.extname), "
                  "'not modelled: a squash or comparison would miss it'::text FROM pg_catalog.pg_depend x "
                  "JOIN pg_catalog.pg_extension e ON e.oid = x.refobjid "
                  "JOIN pg_catalog.pg_class o ON x.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND o.oid = x.objid "
                  "JOIN pg_catalog.pg_namespace n ON n.oid = o.relnamespace "
                  "WHERE x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND x.deptype = 'x' "
                  "AND o.relkind <> 'm' AND {}",
                  ctx.schema_name_filter("n.nspname")),
      "SELECT 'large objects'::text, pg_catalog.count(*) || ' large object(s)', "
      "'large objects are not exported'::text FROM pg_catalog.pg_largeobject_metadata HAVING pg_catalog.count(*) > 0",
      "SELECT 'security label'::text, l.provider || ' on ' || "
      "pg_catalog.pg_describe_object(l.classoid, l.objoid, l.objsubid), "
      "'not modelled: a squash or comparison would miss it'::text FROM pg_catalog.pg_seclabel l",
      // The database's own labels are shared-catalog rows (its privileges, comment and
      // connection limit are modelled: Kind::database).
      "SELECT 'security label'::text, l.provider || ' on database ' || pg_catalog.quote_ident(d.datname), "
      "'not modelled: a squash or comparison would miss it'::text FROM pg_catalog.pg_shseclabel l "
      "JOIN pg_catalog.pg_database d ON d.oid = l.objoid WHERE l.classoid = "
      "'pg_catalog.pg_database'::pg_catalog.regclass AND d.datname = pg_catalog.current_database()",
  };
  std::string sql;
  for (const auto& part : parts) sql += (sql.empty() ? "" : " UNION ALL ") + part;
  sql += " ORDER BY 1, 2";
  for (const auto& row : ctx.query(sql, "objects the model does not cover")) {
    ctx.unsupported(text(row[0]), text(row[1]), text(row[2]));
  }
}

}  // namespace schemakit::introspect::extra
