// Extended statistics objects (pg_statistic_ext): identity schema + name. Attributes:
// definition (pg_get_statisticsobjdef: kinds, columns or expressions, table), statistics_target
// (absent when the default), owner, comment.
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_statistics(ReadContext& ctx) {
  // stxstattarget came with PostgreSQL 13; it is -1 for the default up to 16 and NULL from 17 on.
  const std::string target = ctx.server_version >= 130000
                                 ? "NULLIF(COALESCE(s.stxstattarget::integer, -1), -1)::text"
                                 : "NULL::text";
  const std::string sql = fmt::format(
      "SELECT s.oid, n.nspname, s.stxname, pg_catalog.pg_get_statisticsobjdef(s.oid), "
      "{}, cn.nspname, c.relname, c.relkind, "
      "{}, NULL::text, {} "
      "FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace "
      "JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace "
      "WHERE {} AND {} ORDER BY 1",
      target, owner_sql(ctx, "s.stxowner"), comment_sql(ctx, "pg_statistic_ext", "s.oid"),
      ctx.schema_name_filter("n.nspname"), ReadContext::not_extension_member("pg_statistic_ext", "s.oid"));
  for (const auto& row : ctx.query(sql, "statistics objects (pg_statistic_ext)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::statistics;
    object.id.schema = text(row[1]);
    object.id.name = text(row[2]);
    object.attributes[catalog::attr::definition] = text(row[3]);
    set_if_not_null(object, "statistics_target", row[4]);
    set_owner_privileges_comment(object, row, 8);
    object.depends_on.push_back({relation_kind(text(row[7])), text(row[5]), "", text(row[6]), ""});
    ctx.add(std::move(object), {catalog_oid::pg_statistic_ext, row[0].as<uint32_t>(), 0});
  }
}

}  // namespace schemakit::introspect::extra
