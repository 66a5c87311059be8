// Publications (pg_publication): identity name. Attributes: all_tables (true | false), publish
// (the operations published, e.g. "insert, update, delete, truncate"),
// publish_via_partition_root (true | false; false before PostgreSQL 13), tables (the FOR TABLE
// list as SQL, sorted: "app.a (id, name) WHERE (id > 0), app.b"; column lists and row filters
// from PostgreSQL 15), schemas (TABLES IN SCHEMA list, PostgreSQL 15+), owner, comment.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_publications(ReadContext& ctx) {
  const bool v13 = ctx.server_version >= 130000;
  const bool v15 = ctx.server_version >= 150000;
  const std::string columns =
      v15 ? "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum) "
            "FROM pg_catalog.pg_attribute a WHERE a.attrelid = pr.prrelid AND a.attnum = ANY(pr.prattrs))"
          : "NULL::text";
  const std::string filter = v15 ? "pg_catalog.pg_get_expr(pr.prqual, pr.prrelid)" : "NULL::text";
  const std::string sql = fmt::format(
      "SELECT p.oid, p.pubname, p.puballtables, "
      "pg_catalog.concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END, "
      "CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END), "
      "{}, "
      "(SELECT pg_catalog.json_agg(pg_catalog.json_build_object('schema', n.nspname, 'name', c.relname, "
      "'text', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), 'columns', {}, 'filter', {}) ORDER BY n.nspname, c.relname) "
      "FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE pr.prpubid = p.oid), "
      "{}, "
      "{}, NULL::text, {}, "
      "{} "
      "FROM pg_catalog.pg_publication p WHERE {} ORDER BY 1",
      v13 ? "p.pubviaroot" : "false", columns, filter,
      v15 ? "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(n.nspname), ', ' ORDER BY n.nspname) "
            "FROM pg_catalog.pg_publication_namespace pn JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid "
            "WHERE pn.pnpubid = p.oid)"
          : "NULL::text",
      owner_sql(ctx, "p.pubowner"), comment_sql(ctx, "pg_publication", "p.oid"),
      v15 ? "(SELECT pg_catalog.json_agg(n.nspname) FROM pg_catalog.pg_publication_namespace pn "
            "JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid WHERE pn.pnpubid = p.oid)"
          : "NULL::json",
      ReadContext::not_extension_member("pg_publication", "p.oid"));
  for (const auto& row : ctx.query(sql, "publications (pg_publication)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::publication;
    object.id.name = text(row[1]);
    object.attributes["all_tables"] = is_true(row[2]) ? "true" : "false";
    object.attributes["publish"] = text(row[3]);
    object.attributes["publish_via_partition_root"] = is_true(row[4]) ? "true" : "false";
    if (!row[5].is_null()) {
      std::string tables;
      for (const auto& table : nlohmann::json::parse(row[5].c_str())) {
        const std::string schema = table["schema"].get<std::string>();
        const std::string name = table["name"].get<std::string>();
        if (!tables.empty()) tables += ", ";
        tables += table["text"].get<std::string>();
        if (table["columns"].is_string()) tables += " (" + table["columns"].get<std::string>() + ")";
        if (table["filter"].is_string()) tables += " WHERE (" + table["filter"].get<std::string>() + ")";
        object.depends_on.push_back({catalog::Kind::table, schema, "", name, ""});
      }
      object.attributes["tables"] = tables;
    }
    set_if_not_null(object, "schemas", row[6]);
    if (!row[10].is_null()) {
      for (const auto& schema : nlohmann::json::parse(row[10].c_str())) {
        object.depends_on.push_back({catalog::Kind::schema, "", "", schema.get<std::string>(), ""});
      }
    }
    set_owner_privileges_comment(object, row, 7);
    ctx.add(std::move(object), {catalog_oid::pg_publication, row[0].as<uint32_t>(), 0});
  }
}

}  // namespace schemakit::introspect::extra
