// Default privileges (pg_default_acl), read only when privileges are. Identity: schema (empty
// for the role's defaults in every schema) and a name that says it all, as SQL would:
// "FOR ROLE app IN SCHEMA app ON TABLES". Attributes: role, object_type (tables | sequences |
// functions | types | schemas), privileges (normalized ACL). As the server stores them, the
// defaults for all schemas replace the built-in ones (the owner's own rights included), while
// those IN SCHEMA add to them.
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_default_privileges(ReadContext& ctx) {
  if (!ctx.options.privileges) return;
  const std::string sql = fmt::format(
      "SELECT d.oid, pg_catalog.pg_get_userbyid(d.defaclrole), pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(d.defaclrole)), "
      "n.nspname, pg_catalog.quote_ident(n.nspname), "
      "CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' "
      "WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' END, {} "
      "FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace "
      "WHERE (d.defaclnamespace = 0 OR {}) ORDER BY 1",
      ReadContext::acl_sql("d.defaclacl"), ctx.schema_name_filter("n.nspname"));
  for (const auto& row : ctx.query(sql, "default privileges (pg_default_acl)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::default_privilege;
    object.id.schema = text(row[3]);
    std::string type = text(row[5]);
    std::string upper;
    for (char c : type) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    object.id.name = "FOR ROLE " + text(row[2]) + (row[3].is_null() ? "" : " IN SCHEMA " + text(row[4])) + " ON " + upper;
    object.attributes["role"] = text(row[1]);
    object.attributes["object_type"] = type;
    object.attributes[catalog::attr::privileges] = text(row[6]);
    ctx.add(std::move(object), {catalog_oid::pg_default_acl, row[0].as<uint32_t>(), 0});
  }
}

}  // namespace schemakit::introspect::extra
