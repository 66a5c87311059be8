// The current database itself (Kind::database): what GRANT / REVOKE ... ON DATABASE, COMMENT ON
// DATABASE and ALTER DATABASE ... WITH CONNECTION LIMIT leave on it. One object, with an empty
// identity, and only when one of these differs from what a new database has (a database is never
// created or dropped by a script, so "nothing set" is "no object").
//
// Attributes:
// - privileges: the normalized ACL (ReadContext::acl_sql), compared as a set: an ACL holding
//   exactly the built-in defaults (acldefault('d', owner): PUBLIC CONNECT and TEMPORARY, the
//   owner everything) is '' like a NULL one. Unlike other objects, where pg_dump keeps an
//   explicit default ACL apart from a NULL one, nothing can turn a database's ACL back into NULL,
//   so down.sql could otherwise never restore the state before up.sql.
// - owner: the database owner, which the ACL's default entries and grantors refer to (when
//   ownership is read).
// - comment: from pg_shdescription.
// - connection_limit: when not -1 (no limit).
// Depends on the roles its ACL names that the catalog holds (ReadContext::depend).
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_current_database(ReadContext& ctx) {
  const std::string sorted_acl = "(SELECT pg_catalog.array_agg(i::pg_catalog.text ORDER BY i::pg_catalog.text) "
                                 "FROM pg_catalog.unnest({}) AS i)";
  const std::string acl =
      ctx.options.privileges
          ? fmt::format("CASE WHEN d.datacl IS NULL OR {} = {} THEN '' ELSE {} END",
                        fmt::format(fmt::runtime(sorted_acl), "d.datacl"),
                        fmt::format(fmt::runtime(sorted_acl), "pg_catalog.acldefault('d', d.datdba)"),
                        ReadContext::acl_sql("d.datacl"))
          : std::string("''");
  const std::string comment =
      ctx.options.comments
          ? "(SELECT c.description FROM pg_catalog.pg_shdescription c WHERE c.classoid = "
            "'pg_catalog.pg_database'::pg_catalog.regclass AND c.objoid = d.oid)"
          : "NULL::text";
  const std::string sql = fmt::format(
      "SELECT pg_catalog.pg_get_userbyid(d.datdba), {}, {}, d.datconnlimit, "
      "(SELECT pg_catalog.json_agg(DISTINCT v.role::pg_catalog.int8) FROM pg_catalog.aclexplode(d.datacl) a "
      "CROSS JOIN LATERAL (VALUES (a.grantee), (a.grantor)) AS v(role) WHERE v.role <> 0) "
      "FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()",
      acl, comment);
  for (const auto& row : ctx.query(sql, "the current database (pg_database, pg_shdescription)")) {
    const std::string privileges = text(row[1]);
    const bool has_comment = !row[2].is_null();
    const std::string connection_limit = text(row[3]);
    if (privileges.empty() && !has_comment && connection_limit == "-1") continue;
    catalog::Object object;
    object.id.kind = catalog::Kind::database;
    if (ctx.options.ownership) object.attributes[catalog::attr::owner] = text(row[0]);
    if (ctx.options.privileges) object.attributes[catalog::attr::privileges] = privileges;
    if (has_comment) object.attributes[catalog::attr::comment] = text(row[2]);
    if (connection_limit != "-1") object.attributes["connection_limit"] = connection_limit;
    const catalog::ObjectId id = object.id;
    ctx.catalog.objects.push_back(std::move(object));
    if (!privileges.empty()) {
      // Resolved once every reader ran: the roles reader may run beside this one.
      for (const auto& role : json_of(row[4])) ctx.depend(id, {catalog_oid::pg_authid, role.get<uint32_t>(), 0});
    }
  }
}

}  // namespace schemakit::introspect::extra
