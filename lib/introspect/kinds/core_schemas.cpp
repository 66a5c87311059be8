// Schemas, extensions and collations: one query each.
//
// schema: identity {schema, "", name}; owner, privileges, comment. `public` is modelled too (so
// that grants on it and its comment are read), the writer does not create or drop it.
// extension: identity {extension, "", name}; schema, version, comment. Extensions created by
// initdb (plpgsql) exist in every database and are left out.
// collation: provider, locale (icu/builtin) or lc_collate + lc_ctype (libc), nondeterministic,
// rules (16+); owner, comment.
#include <fmt/core.h>

#include "catalog/core_attributes.hpp"
#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::core {

// Objects made by initdb have OIDs below this (FirstNormalObjectId).
constexpr uint32_t kFirstNormalObjectId = 16384;

void read_schemas(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT n.oid, n.nspname, {} FROM pg_catalog.pg_namespace n "
      "WHERE {} AND {} AND (n.oid >= {} OR n.nspname = 'public') ORDER BY n.nspname",
      owner_privileges_comment_sql(ctx, "n.nspowner", "n.nspacl", "pg_namespace", "n.oid"),
      ctx.schema_name_filter("n.nspname"), ReadContext::not_extension_member("pg_namespace", "n.oid"),
      kFirstNormalObjectId);
  const pqxx::result result = ctx.query(sql, "schemas (pg_namespace)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::schema, "", "", text(row["nspname"]), ""};
    set_owner_privileges_comment(object, row);
    ctx.add(std::move(object), {catalog_oid::pg_namespace, oid(row["oid"]), 0});
  }
}

void read_extensions(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT e.oid, e.extname, n.nspname, e.extversion, NULL::text AS owner, NULL::text AS acl, "
      "{} AS comment "
      "FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
      "WHERE e.oid >= {} ORDER BY e.extname",
      comment_sql(ctx, "pg_extension", "e.oid"), kFirstNormalObjectId);
  const pqxx::result result = ctx.query(sql, "extensions (pg_extension)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::extension, "", "", text(row["extname"]), ""};
    object.attributes[catalog::attr::extension_schema] = text(row["nspname"]);
    object.attributes[catalog::attr::extension_version] = text(row["extversion"]);
    set_owner_privileges_comment(object, row);
    ctx.add(std::move(object), {catalog_oid::pg_extension, oid(row["oid"]), 0});
  }
}

void read_collations(ReadContext& ctx) {
  // The ICU / builtin locale moved from colliculocale (15, 16) to colllocale (17); ICU rules
  // arrived in 16. One row shape for every version.
  const char* locale = ctx.server_version >= 170000   ? "c.colllocale"
                       : ctx.server_version >= 150000 ? "c.colliculocale"
                                                      : "NULL::text";
  const char* rules = ctx.server_version >= 160000 ? "c.collicurules" : "NULL::text";
  const std::string sql = fmt::format(
      "SELECT c.oid, n.nspname, c.collname, c.collprovider, c.collcollate, c.collctype, "
      "c.collisdeterministic, {} AS locale, {} AS rules, {} AS owner, NULL::text AS acl, {} AS comment "
      "FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace "
      "WHERE {} AND {} AND c.oid >= {} ORDER BY n.nspname, c.collname",
      locale, rules, owner_sql(ctx, "c.collowner"), comment_sql(ctx, "pg_collation", "c.oid"),
      ctx.schema_name_filter("n.nspname"), ReadContext::not_extension_member("pg_collation", "c.oid"),
      kFirstNormalObjectId);
  const pqxx::result result = ctx.query(sql, "collations (pg_collation)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::collation, text(row["nspname"]), "", text(row["collname"]), ""};
    const std::string provider = text(row["collprovider"]);
    object.attributes[catalog::attr::collation_provider] =
        provider == "i" ? "icu" : provider == "b" ? "builtin" : provider == "c" ? "libc" : "default";
    set_if_not_empty(object, catalog::attr::collation_locale, row["locale"]);
    set_if_not_empty(object, catalog::attr::collation_lc_collate, row["collcollate"]);
    set_if_not_empty(object, catalog::attr::collation_lc_ctype, row["collctype"]);
    set_if_not_empty(object, catalog::attr::collation_rules, row["rules"]);
    if (!is_true(row["collisdeterministic"])) object.attributes[catalog::attr::collation_nondeterministic] = "true";
    set_owner_privileges_comment(object, row);
    ctx.add(std::move(object), {catalog_oid::pg_collation, oid(row["oid"]), 0});
  }
}

}  // namespace schemakit::introspect::core
