// Operators (pg_operator): identity schema + name + signature ("integer, integer"; NONE for a
// prefix operator's left side). There is no server deparser for CREATE OPERATOR, so each option
// pg_operator stores is its own attribute, named after the option it is written back as:
// left, right (format_type; left absent for a prefix operator), function (regproc: the name,
// qualified where the server would not find it from an empty search_path), commutator and
// negator (regoper: "app.===", absent when none), restrict and join (regproc, absent when none),
// hashes and merges (true | false), owner, comment.
//
// Shell operators (no function: made by another operator's COMMUTATOR or NEGATOR naming one that
// does not exist yet) are left out, as pg_dump leaves them out: that other operator's CREATE makes
// them again.
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_operators(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT o.oid, n.nspname, o.oprname, "
      "CASE WHEN o.oprleft = 0 THEN NULL ELSE pg_catalog.format_type(o.oprleft, NULL) END, "
      "pg_catalog.format_type(o.oprright, NULL), o.oprcode::pg_catalog.regproc::text, "
      "CASE WHEN o.oprcom = 0 THEN NULL ELSE o.oprcom::pg_catalog.regoper::text END, "
      "CASE WHEN o.oprnegate = 0 THEN NULL ELSE o.oprnegate::pg_catalog.regoper::text END, "
      "CASE WHEN o.oprrest = 0 THEN NULL ELSE o.oprrest::pg_catalog.regproc::text END, "
      "CASE WHEN o.oprjoin = 0 THEN NULL ELSE o.oprjoin::pg_catalog.regproc::text END, "
      "o.oprcanhash, o.oprcanmerge, {}, NULL::text, {} "
      "FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace "
      "WHERE o.oprcode <> 0 AND {} AND {} ORDER BY 1",
      owner_sql(ctx, "o.oprowner"), comment_sql(ctx, "pg_operator", "o.oid"), ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member("pg_operator", "o.oid"));
  for (const auto& row : ctx.query(sql, "operators (pg_operator)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::operator_;
    object.id.schema = text(row[1]);
    object.id.name = text(row[2]);
    object.id.signature = (row[3].is_null() ? std::string("NONE") : text(row[3])) + ", " + text(row[4]);
    set_if_not_null(object, "left", row[3]);
    object.attributes["right"] = text(row[4]);
    object.attributes["function"] = text(row[5]);
    set_if_not_null(object, "commutator", row[6]);
    set_if_not_null(object, "negator", row[7]);
    set_if_not_null(object, "restrict", row[8]);
    set_if_not_null(object, "join", row[9]);
    object.attributes["hashes"] = is_true(row[10]) ? "true" : "false";
    object.attributes["merges"] = is_true(row[11]) ? "true" : "false";
    set_owner_privileges_comment(object, row, 12);
    ctx.add(std::move(object), {catalog_oid::pg_operator, row[0].as<uint32_t>(), 0});
  }
}

}  // namespace schemakit::introspect::extra
