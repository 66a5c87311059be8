// Schemas, extensions and collations: one query each.
//
// schema: identity {schema, "", name}; owner, privileges, comment. `public` is modelled too (so
// that its owner, grants and comment are read), the writer does not create or drop it. Its
// privileges are always written out (a NULL ACL as acldefault gives it): a public schema that the
// migrations dropped and made again has a NULL ACL, which no GRANT can give back to the one a
// new database has, though both mean the same.
// extension: identity {extension, "", name}; schema, version, comment, and the privileges of its
// members where they differ from what CREATE EXTENSION left (catalog/start_state.hpp), read in
// the same query. Extensions created by initdb (plpgsql) exist in every database and are left
// out unless their members' privileges changed; then they carry start_state.
// collation: provider, locale (icu/builtin) or lc_collate + lc_ctype (libc), nondeterministic,
// rules (16+); owner, comment.
#include <fmt/core.h>

#include "catalog/core_attributes.hpp"
#include "catalog/start_state.hpp"
#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::core {

// Objects made by initdb have OIDs below this (FirstNormalObjectId).
constexpr uint32_t kFirstNormalObjectId = 16384;

void read_schemas(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT n.oid, n.nspname, {} AS owner, "
      "CASE WHEN n.nspname = 'public' THEN {} ELSE {} END AS acl, {} AS comment FROM pg_catalog.pg_namespace n "
      "WHERE {} AND {} AND (n.oid >= {} OR n.nspname = 'public') ORDER BY n.nspname",
      owner_sql(ctx, "n.nspowner"),
      privileges_sql(ctx, "COALESCE(n.nspacl, pg_catalog.acldefault('n', n.nspowner))"),
      granted_privileges_sql(ctx, "n.nspacl"), comment_sql(ctx, "pg_namespace", "n.oid"),
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

namespace {

// One branch per catalog that holds extension members with privileges: the member's ACL
// (NULL: its kind's built-in default) and that default, and the member as GRANT names it.
// `members` is the CTE of (extension, classid, objid) below.
constexpr const char* kMemberAclBranches =
    "SELECT m.extension, m.classid, m.objid, 0 AS objsubid, "
    "CASE p.prokind WHEN 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END || pg_catalog.quote_ident(n.nspname) || '.' || "
    "pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' "
    "AS target, p.proacl AS acl, pg_catalog.acldefault('f', p.proowner) AS base "
    "FROM members m JOIN pg_catalog.pg_proc p ON p.oid = m.objid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
    "WHERE m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass "
    "UNION ALL "
    "SELECT m.extension, m.classid, m.objid, 0, "
    "CASE c.relkind WHEN 'S' THEN 'SEQUENCE ' ELSE 'TABLE ' END || pg_catalog.quote_ident(n.nspname) || '.' || "
    "pg_catalog.quote_ident(c.relname), c.relacl, "
    "pg_catalog.acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner) "
    "FROM members m JOIN pg_catalog.pg_class c ON c.oid = m.objid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
    "UNION ALL "
    "SELECT m.extension, m.classid, m.objid, a.attnum, "
    "'COLUMN ' || pg_catalog.quote_ident(a.attname) || ' OF TABLE ' || pg_catalog.quote_ident(n.nspname) || '.' || "
    "pg_catalog.quote_ident(c.relname), a.attacl, '{}'::pg_catalog.aclitem[] "
    "FROM members m JOIN pg_catalog.pg_class c ON c.oid = m.objid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
    "WHERE m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
    "UNION ALL "
    "SELECT m.extension, m.classid, m.objid, 0, "
    "'TYPE ' || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.typname), t.typacl, "
    "pg_catalog.acldefault('T', t.typowner) "
    "FROM members m JOIN pg_catalog.pg_type t ON t.oid = m.objid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
    "WHERE m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass "
    "UNION ALL "
    "SELECT m.extension, m.classid, m.objid, 0, 'SCHEMA ' || pg_catalog.quote_ident(s.nspname), s.nspacl, "
    "pg_catalog.acldefault('n', s.nspowner) "
    "FROM members m JOIN pg_catalog.pg_namespace s ON s.oid = m.objid "
    "WHERE m.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass "
    "UNION ALL "
    "SELECT m.extension, m.classid, m.objid, 0, 'LANGUAGE ' || pg_catalog.quote_ident(l.lanname), l.lanacl, "
    "pg_catalog.acldefault('l', l.lanowner) "
    "FROM members m JOIN pg_catalog.pg_language l ON l.oid = m.objid "
    "WHERE m.classid = 'pg_catalog.pg_language'::pg_catalog.regclass "
    "UNION ALL "
    "SELECT m.extension, m.classid, m.objid, 0, 'FOREIGN DATA WRAPPER ' || pg_catalog.quote_ident(w.fdwname), "
    "w.fdwacl, pg_catalog.acldefault('F', w.fdwowner) "
    "FROM members m JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = m.objid "
    "WHERE m.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass "
    "UNION ALL "
    "SELECT m.extension, m.classid, m.objid, 0, 'FOREIGN SERVER ' || pg_catalog.quote_ident(fs.srvname), "
    "fs.srvacl, pg_catalog.acldefault('S', fs.srvowner) "
    "FROM members m JOIN pg_catalog.pg_foreign_server fs ON fs.oid = m.objid "
    "WHERE m.classid = 'pg_catalog.pg_foreign_server'::pg_catalog.regclass";

// WITH clause ending in `changed_members` (extension, members): per extension, a JSON array of
// [target, acl, initial] for each member whose ACL differs from what CREATE EXTENSION left, as
// pg_dump decides it: the pg_init_privs entry if there is one, else the built-in default.
std::string changed_members_sql() {
  return fmt::format(
      "WITH members AS (SELECT d.refobjid AS extension, d.classid, d.objid "
      "FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_depend d ON d.refclassid = "
      "'pg_catalog.pg_extension'::pg_catalog.regclass AND d.refobjid = e.oid AND d.deptype = 'e'), "
      "member_acl AS ({}), "
      "compared AS (SELECT ma.extension, ma.target, {} AS acl, {} AS initial, {} <> {} AS changed "
      "FROM member_acl ma LEFT JOIN pg_catalog.pg_init_privs ip "
      "ON ip.objoid = ma.objid AND ip.classoid = ma.classid AND ip.objsubid = ma.objsubid), "
      "changed_members AS (SELECT extension, pg_catalog.json_agg(pg_catalog.json_build_array(target, acl, initial) "
      "ORDER BY target) AS members FROM compared WHERE changed GROUP BY extension) ",
      kMemberAclBranches, ReadContext::acl_sql("COALESCE(ma.acl, ma.base)"),
      ReadContext::acl_sql("COALESCE(ip.initprivs, ma.base)"),
      ReadContext::acl_sql("COALESCE(ma.acl, ma.base)", ReadContext::AclOrder::sorted),
      ReadContext::acl_sql("COALESCE(ip.initprivs, ma.base)", ReadContext::AclOrder::sorted));
}

}  // namespace

void read_extensions(ReadContext& ctx) {
  // Member privileges are read only with privileges; an extension made by initdb is modelled
  // only when they changed.
  const bool members = ctx.options.privileges;
  const std::string sql = fmt::format(
      "{}SELECT e.oid, e.extname, n.nspname, e.extversion, NULL::text AS owner, NULL::text AS acl, "
      "{} AS comment, e.oid < {} AS start_state, {} AS members "
      "FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace {}"
      "WHERE e.oid >= {}{} ORDER BY e.extname",
      members ? changed_members_sql() : "", comment_sql(ctx, "pg_extension", "e.oid"), kFirstNormalObjectId,
      members ? "cm.members" : "NULL::json", members ? "LEFT JOIN changed_members cm ON cm.extension = e.oid " : "",
      kFirstNormalObjectId, members ? " OR cm.members IS NOT NULL" : "");
  const pqxx::result result = ctx.query(sql, "extensions (pg_extension, privileges of their members)");
  const Columns fields(result);
  for (const auto& raw : result) {
    const Row row(raw, fields);
    catalog::Object object;
    object.id = {catalog::Kind::extension, "", "", text(row["extname"]), ""};
    object.attributes[catalog::attr::extension_schema] = text(row["nspname"]);
    object.attributes[catalog::attr::extension_version] = text(row["extversion"]);
    set_owner_privileges_comment(object, row);
    if (is_true(row["start_state"])) object.attributes[catalog::attr::start_state] = "true";
    for (const auto& member : json_of(row["members"])) {
      object.attributes[catalog::attr::member_privileges_prefix + member.at(0).get<std::string>()] =
          member.at(1).get<std::string>() + catalog::attr::member_privileges_initial + member.at(2).get<std::string>() +
          ")";
    }
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
