// Casts (pg_cast): no schema; identity name = the source type, signature = the target type (both
// format_type). Attributes: source, target (the same, for the writer), method (function | inout |
// binary), function (regprocedure: "app.to_text(app.money2)", absent unless the method is
// function), context (explicit | assignment | implicit), comment. Casts have no owner.
//
// As the unsupported list did: casts users made (OID beyond the initial catalog), neither
// extension members nor internal parts of another object (the casts a range type makes to its
// multirange come back with the type). pg_depend records a cast's function and types; an
// expression that uses a cast depends on its function only, which is why casts come before
// tables and views in the kind order.
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_casts(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT c.oid, pg_catalog.format_type(c.castsource, NULL), pg_catalog.format_type(c.casttarget, NULL), "
      "CASE c.castmethod WHEN 'f' THEN 'function' WHEN 'i' THEN 'inout' WHEN 'b' THEN 'binary' END, "
      "CASE WHEN c.castfunc = 0 THEN NULL ELSE c.castfunc::pg_catalog.regprocedure::text END, "
      "CASE c.castcontext WHEN 'e' THEN 'explicit' WHEN 'a' THEN 'assignment' WHEN 'i' THEN 'implicit' END, {} "
      "FROM pg_catalog.pg_cast c WHERE c.oid >= 16384 AND {} AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i "
      "WHERE i.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND i.objid = c.oid AND i.deptype = 'i') "
      "ORDER BY 1",
      comment_sql(ctx, "pg_cast", "c.oid"), ReadContext::not_extension_member("pg_cast", "c.oid"));
  for (const auto& row : ctx.query(sql, "casts (pg_cast)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::cast;
    object.id.name = text(row[1]);
    object.id.signature = text(row[2]);
    object.attributes["source"] = object.id.name;
    object.attributes["target"] = object.id.signature;
    object.attributes["method"] = text(row[3]);
    set_if_not_null(object, "function", row[4]);
    object.attributes["context"] = text(row[5]);
    set_if_not_null(object, catalog::attr::comment, row[6]);
    ctx.add(std::move(object), {catalog_oid::pg_cast, row[0].as<uint32_t>(), 0});
  }
}

}  // namespace schemakit::introspect::extra
