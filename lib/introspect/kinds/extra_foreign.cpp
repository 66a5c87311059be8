// Foreign servers (pg_foreign_server) and foreign tables (pg_foreign_table).
//
// Foreign servers: identity name. Attributes: wrapper (the foreign-data wrapper's name), type,
// version (absent when not given), options (as SQL: "host 'db', port '5432'", sorted by name),
// owner, privileges, comment, user_mapping:<role as SQL, or PUBLIC> (the mapping's options as
// for servers, '' for none; mappings whose options hold a password are reported unsupported, and
// options the reading role may not see read as none). The wrapper usually comes from an
// extension (postgres_fdw): the server then depends on that extension, and on the mapped roles.
//
// Foreign tables: identity schema + name. Attributes: server, options (as for servers), columns
// (one line per live column in order: name, type, COLLATE when not the type's, NOT NULL,
// DEFAULT), column_options:<column> (its OPTIONS, as for servers; written as pg_dump does, with
// ALTER FOREIGN TABLE after the CREATE, which also reaches inherited columns),
// column_statistics:<column>, column_storage:<column> (when not the type's) and
// column_attribute_options:<column> (n_distinct...; written with ALTER FOREIGN TABLE ONLY ...
// ALTER COLUMN ... SET, as pg_dump does), partition_of + partition_bound (when a partition), inherits (parents in
// order), inherited_columns (an inheritance child's columns that only its parents define, as
// SQL names: "a, b"), constraints (the CHECK constraints, one per line: "CONSTRAINT name CHECK (...)
// [NOT VALID]", sorted by name; the core constraint reader covers tables only), owner,
// privileges, comment, column_comment:<column>, column_privileges:<column>.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {
namespace {

std::string options_sql(std::string_view column) {
  return fmt::format(
      "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(o.option_name) || ' ' || "
      "pg_catalog.quote_literal(o.option_value), ', ' ORDER BY o.option_name) "
      "FROM pg_catalog.pg_options_to_table({}) o)",
      column);
}

}  // namespace

void read_foreign_servers(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT s.oid, s.srvname, w.fdwname, s.srvtype, s.srvversion, {}, {}, {}, {}, "
      "(SELECT e.extname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid "
      "WHERE d.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass AND d.objid = w.oid "
      "AND d.deptype = 'e'), "
      // User mappings without a password option (those with one are reported unsupported: a
      // password is never written): [role or PUBLIC as SQL, role oid, options].
      "(SELECT pg_catalog.json_agg(pg_catalog.json_build_array(CASE WHEN m.umuser = 0 THEN 'PUBLIC' "
      "ELSE pg_catalog.quote_ident(m.usename) END, m.umuser::pg_catalog.int8, {}) ORDER BY m.usename) "
      "FROM pg_catalog.pg_user_mappings m WHERE m.srvid = s.oid AND NOT EXISTS (SELECT 1 FROM "
      "pg_catalog.pg_options_to_table(m.umoptions) o WHERE o.option_name = 'password')) "
      "FROM pg_catalog.pg_foreign_server s JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw "
      "WHERE {} ORDER BY 1",
      options_sql("s.srvoptions"), owner_sql(ctx, "s.srvowner"), privileges_sql(ctx, "s.srvacl"),
      comment_sql(ctx, "pg_foreign_server", "s.oid"), options_sql("m.umoptions"),
      ReadContext::not_extension_member("pg_foreign_server", "s.oid"));
  for (const auto& row : ctx.query(sql, "foreign servers (pg_foreign_server)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::foreign_server;
    object.id.name = text(row[1]);
    object.attributes["wrapper"] = text(row[2]);
    set_if_not_null(object, "type", row[3]);
    set_if_not_null(object, "version", row[4]);
    set_if_not_null(object, "options", row[5]);
    set_owner_privileges_comment(object, row, 6);
    if (!row[9].is_null()) object.depends_on.push_back({catalog::Kind::extension, "", "", text(row[9]), ""});
    std::vector<uint32_t> mapped_roles;
    if (!row[10].is_null()) {
      for (const auto& mapping : nlohmann::json::parse(row[10].c_str())) {
        object.attributes["user_mapping:" + mapping[0].get<std::string>()] =
            mapping[2].is_string() ? mapping[2].get<std::string>() : "";
        if (mapping[1].get<uint32_t>() != 0) mapped_roles.push_back(mapping[1].get<uint32_t>());
      }
    }
    const catalog::ObjectId id = object.id;
    ctx.add(std::move(object), {catalog_oid::pg_foreign_server, row[0].as<uint32_t>(), 0});
    for (uint32_t role : mapped_roles) ctx.depend(id, {catalog_oid::pg_authid, role, 0});
  }
}

void read_foreign_tables(ReadContext& ctx) {
  const std::string column_comment = ctx.options.comments ? "d.description" : "NULL::text";
  const std::string column_privileges = granted_privileges_sql(ctx, "a.attacl");
  const std::string sql = fmt::format(
      "SELECT c.oid, n.nspname, c.relname, s.srvname, {}, "
      "(SELECT pg_catalog.json_agg(pg_catalog.json_build_object("
      "'name', a.attname, "
      "'line', pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod) "
      "|| COALESCE((SELECT ' COLLATE ' || pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) "
      "FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
      "JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid "
      "WHERE co.oid = a.attcollation AND a.attcollation <> ty.typcollation), '') "
      "|| CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END "
      "|| COALESCE(' DEFAULT ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), ''), "
      "'options', {}, 'comment', {}, 'privileges', {}, 'default_oid', ad.oid::bigint, 'local', a.attislocal, "
      "'quoted', pg_catalog.quote_ident(a.attname), "
      "'statistics', CASE WHEN COALESCE(a.attstattarget, -1) >= 0 THEN a.attstattarget::pg_catalog.text END, "
      "'storage', CASE WHEN a.attstorage <> (SELECT ty.typstorage FROM pg_catalog.pg_type ty WHERE ty.oid = a.atttypid) "
      "THEN a.attstorage::pg_catalog.text END, "
      "'attribute_options', NULLIF(pg_catalog.array_to_string(ARRAY(SELECT o FROM pg_catalog.unnest(a.attoptions) o "
      "WHERE o NOT LIKE 'pg\\_attver=%'), ', '), '')) ORDER BY a.attnum) "
      "FROM pg_catalog.pg_attribute a "
      "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
      "LEFT JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND d.objoid = a.attrelid AND d.objsubid = a.attnum "
      "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), "
      "(SELECT pg_catalog.json_agg(pg_catalog.json_build_object('schema', pn.nspname, 'name', p.relname, "
      "'kind', p.relkind, 'text', pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.relname)) ORDER BY i.inhseqno) "
      "FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent "
      "JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid), "
      "c.relispartition, pg_catalog.pg_get_expr(c.relpartbound, c.oid), "
      "{}, {}, {}, "
      "(SELECT pg_catalog.string_agg('CONSTRAINT ' || pg_catalog.quote_ident(k.conname) || ' ' || "
      "pg_catalog.pg_get_constraintdef(k.oid), E'\\n' ORDER BY k.conname) "
      "FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c' AND k.conislocal) "
      "FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver "
      "WHERE {} AND {} ORDER BY 1",
      options_sql("ft.ftoptions"), options_sql("a.attfdwoptions"), column_comment, column_privileges,
      owner_sql(ctx, "c.relowner"), privileges_sql(ctx, "c.relacl"), comment_sql(ctx, "pg_class", "c.oid"),
      ctx.schema_name_filter("n.nspname"), ReadContext::not_extension_member("pg_class", "c.oid"));
  for (const auto& row : ctx.query(sql, "foreign tables (pg_foreign_table)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::foreign_table;
    object.id.schema = text(row[1]);
    object.id.name = text(row[2]);
    object.attributes["server"] = text(row[3]);
    set_if_not_null(object, "options", row[4]);
    object.depends_on.push_back({catalog::Kind::foreign_server, "", "", text(row[3]), ""});
    std::vector<uint32_t> default_oids;
    std::string columns;
    std::string inherited;  // columns that come only from the parents
    if (!row[5].is_null()) {
      for (const auto& column : nlohmann::json::parse(row[5].c_str())) {
        const std::string name = column["name"].get<std::string>();
        if (!columns.empty()) columns += '\n';
        columns += column["line"].get<std::string>();
        if (column["options"].is_string()) object.attributes["column_options:" + name] = column["options"];
        if (column["statistics"].is_string()) object.attributes["column_statistics:" + name] = column["statistics"];
        if (column["storage"].is_string()) {
          const std::string letter = column["storage"].get<std::string>();
          object.attributes["column_storage:" + name] =
              letter == "p" ? "plain" : letter == "e" ? "external" : letter == "m" ? "main" : "extended";
        }
        if (column["attribute_options"].is_string()) {
          object.attributes["column_attribute_options:" + name] = column["attribute_options"];
        }
        if (column["comment"].is_string()) object.attributes["column_comment:" + name] = column["comment"];
        if (column["privileges"].is_string()) object.attributes["column_privileges:" + name] = column["privileges"];
        if (column["default_oid"].is_number()) default_oids.push_back(column["default_oid"].get<uint32_t>());
        if (!column["local"].get<bool>()) inherited += (inherited.empty() ? "" : ", ") + column["quoted"].get<std::string>();
      }
    }
    object.attributes["columns"] = columns;
    if (!row[6].is_null()) {
      std::string parents;
      for (const auto& parent : nlohmann::json::parse(row[6].c_str())) {
        const std::string schema = parent["schema"].get<std::string>();
        const std::string name = parent["name"].get<std::string>();
        if (!parents.empty()) parents += ", ";
        parents += parent["text"].get<std::string>();
        object.depends_on.push_back({relation_kind(parent["kind"].get<std::string>()), schema, "", name, ""});
      }
      object.attributes[is_true(row[7]) ? "partition_of" : "inherits"] = parents;
    }
    if (is_true(row[7])) object.attributes["partition_bound"] = text(row[8]);
    // A partition is written with all its columns and attached, as pg_dump does, so whether its
    // columns are its own is not part of it; an inheritance child's are.
    if (!is_true(row[7]) && !inherited.empty()) object.attributes["inherited_columns"] = inherited;
    set_owner_privileges_comment(object, row, 9);
    set_if_not_null(object, "constraints", row[12]);
    const catalog::ObjectId id = object.id;
    ctx.add(std::move(object), {catalog_oid::pg_class, row[0].as<uint32_t>(), 0});
    for (uint32_t default_oid : default_oids) ctx.alias({catalog_oid::pg_attrdef, default_oid, 0}, id);
  }
}

}  // namespace schemakit::introspect::extra
