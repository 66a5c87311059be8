// Settings made with ALTER DATABASE ... SET and ALTER ROLE ... IN DATABASE ... SET for the
// database being read (pg_db_role_setting). One object per setting: identity name = the
// setting, table = the role it applies to ("" for every role). Attribute: value (as the server
// stores it, e.g. search_path = '"$user", public, app'). Each setting depends on the one before it
// in the server's array, so that a script sets them in the same order.
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_database_settings(ReadContext& ctx) {
  const std::string sql =
      "SELECT COALESCE(r.rolname, ''), pg_catalog.split_part(c.setting, '=', 1), "
      "pg_catalog.substr(c.setting, pg_catalog.strpos(c.setting, '=') + 1) "
      "FROM pg_catalog.pg_db_role_setting s "
      "LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole "
      "CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) WITH ORDINALITY AS c(setting, place) "
      "WHERE s.setdatabase = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()) "
      "ORDER BY 1, c.place";
  const catalog::ObjectId none{};
  catalog::ObjectId previous = none;
  for (const auto& row : ctx.query(sql, "database settings (pg_db_role_setting)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::database_setting;
    object.id.table = text(row[0]);
    object.id.name = text(row[1]);
    object.attributes["value"] = text(row[2]);
    // The roles reader ran first; a setting for a role it does not model (the bootstrap
    // superuser) has nothing to wait for.
    const catalog::ObjectId role{catalog::Kind::role, "", "", object.id.table, ""};
    for (const auto& existing : ctx.catalog.objects) {
      if (existing.id == role) {
        object.depends_on.push_back(role);
        break;
      }
    }
    // The server keeps a role's (or the database's) settings in the order they were first set,
    // and pg_dump and pg_db_role_setting show them so: each waits for the one before it, and the
    // script sets them in that order.
    if (previous != none && previous.table == object.id.table) object.depends_on.push_back(previous);
    previous = object.id;
    ctx.catalog.objects.push_back(std::move(object));
  }
}

}  // namespace schemakit::introspect::extra
