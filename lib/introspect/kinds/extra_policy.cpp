// Row-level security policies (pg_policy): identity schema + table + name. Attributes:
// permissive (permissive | restrictive), command (ALL | SELECT | INSERT | UPDATE | DELETE),
// roles (the TO list as SQL: PUBLIC first, then quoted role names, sorted), using and
// with_check (pg_get_expr; absent when not given), comment. Whether RLS is enabled on the table
// is the table's attribute (core reader).
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_policies(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT p.oid, n.nspname, c.relname, c.relkind, p.polname, "
      "CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END, "
      "CASE p.polcmd WHEN '*' THEN 'ALL' WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' "
      "WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' END, "
      "(SELECT pg_catalog.string_agg(CASE WHEN r.oid = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(a.rolname) END, "
      "', ' ORDER BY r.oid <> 0, a.rolname) FROM pg_catalog.unnest(p.polroles) r(oid) "
      "LEFT JOIN pg_catalog.pg_roles a ON a.oid = r.oid), "
      "pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), {} "
      "FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE {} AND {} ORDER BY 1",
      comment_sql(ctx, "pg_policy", "p.oid"), ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member("pg_class", "c.oid"));
  for (const auto& row : ctx.query(sql, "row-level security policies (pg_policy)")) {
    catalog::Object object = relation_member(catalog::Kind::policy, row);
    object.attributes["permissive"] = text(row[5]);
    object.attributes["command"] = text(row[6]);
    object.attributes["roles"] = text(row[7]);
    set_if_not_null(object, "using", row[8]);
    set_if_not_null(object, "with_check", row[9]);
    set_if_not_null(object, catalog::attr::comment, row[10]);
    ctx.add(std::move(object), {catalog_oid::pg_policy, row[0].as<uint32_t>(), 0});
  }
}

}  // namespace schemakit::introspect::extra
