// Rules (pg_rewrite), other than the _RETURN rule that is a view's definition: identity schema +
// table + name. Attributes: definition (pg_get_ruledef, the whole CREATE RULE), enabled
// (origin | disabled | replica | always), comment.
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_rules(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT r.oid, n.nspname, c.relname, c.relkind, r.rulename, pg_catalog.pg_get_ruledef(r.oid, true), "
      "{}, {} "
      "FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE r.rulename <> '_RETURN' AND {} AND {} AND {} ORDER BY 1",
      enabled_sql("r.ev_enabled"), comment_sql(ctx, "pg_rewrite", "r.oid"), ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member("pg_rewrite", "r.oid"), ReadContext::not_extension_member("pg_class", "c.oid"));
  for (const auto& row : ctx.query(sql, "rules (pg_rewrite)")) {
    catalog::Object object = relation_member(catalog::Kind::rule, row);
    object.attributes[catalog::attr::definition] = text(row[5]);
    object.attributes["enabled"] = text(row[6]);
    set_if_not_null(object, catalog::attr::comment, row[7]);
    ctx.add(std::move(object), {catalog_oid::pg_rewrite, row[0].as<uint32_t>(), 0});
  }
}

}  // namespace schemakit::introspect::extra
