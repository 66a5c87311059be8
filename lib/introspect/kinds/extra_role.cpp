// Roles, as references: those that own something in this database or appear in its ACLs,
// policies, default privileges or settings (pg_shdepend for the current database and
// pg_db_role_setting), and those named in IntrospectOptions::listed_roles (squash: the roles its
// migrations created, used or not); the roles that are members of those (transitively: a login
// role that only reaches this database through a group it was granted); and the roles all of
// these are members of (transitively, so that every membership can be granted). Never the
// bootstrap superuser or the predefined pg_* roles. When ownership (privileges) is not read,
// roles referenced only as owners (in ACLs) are not either.
//
// Identity: name. Attributes: superuser, inherit, create_role, create_db, login, replication,
// bypass_rls (true | false), connection_limit, valid_until (UTC, e.g. '2030-01-01
// 00:00:00.000000+00', or infinity; absent when none), member_of (the roles granted to it, as
// SQL: 'reader, "Writers" WITH ADMIN OPTION', sorted), setting.<name> (ALTER ROLE ... SET for
// every database, the value as stored: setting.search_path = 'app, "$user"'), password ("set"
// when the role has one; read only when the reading role may read pg_authid, a superuser:
// absent otherwise), comment (pg_shdescription). Never a password itself.
#include <fmt/core.h>

#include <map>
#include <sstream>

#include "ddl/quote.hpp"
#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_roles(ReadContext& ctx) {
  std::string deptypes = "'r'";
  if (ctx.options.ownership) deptypes += ", 'o'";
  if (ctx.options.privileges) deptypes += ", 'a'";
  // Only with a list, so that a read without one sends the same text as ever.
  std::string listed;
  for (const std::string& name : ctx.options.listed_roles) {
    listed += (listed.empty() ? "" : ", ") + ddl::quote_literal(name);
  }
  if (!listed.empty()) {
    listed = " UNION SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname::pg_catalog.text = ANY (ARRAY[" +
             listed + "]::pg_catalog.text[])";
  }
  const std::string sql = fmt::format(
      "WITH RECURSIVE this_database AS ("
      "  SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()), "
      "used(oid) AS ("
      // The grants on the database itself are shared dependencies (dbid 0) of its pg_database row.
      "  SELECT sd.refobjid FROM pg_catalog.pg_shdepend sd WHERE (sd.dbid = (SELECT oid FROM this_database) "
      "  OR (sd.dbid = 0 AND sd.classid = 'pg_catalog.pg_database'::pg_catalog.regclass "
      "  AND sd.objid = (SELECT oid FROM this_database) AND sd.deptype = 'a')) "
      "  AND sd.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass AND sd.deptype IN ({}) "
      "  UNION SELECT s.setrole FROM pg_catalog.pg_db_role_setting s "
      "  WHERE s.setdatabase = (SELECT oid FROM this_database) AND s.setrole <> 0{}), "
      "members(oid) AS ("
      "  SELECT oid FROM used "
      "  UNION SELECT m.member FROM pg_catalog.pg_auth_members m JOIN members r ON m.roleid = r.oid), "
      "referenced(oid) AS ("
      "  SELECT oid FROM members "
      "  UNION SELECT m.roleid FROM pg_catalog.pg_auth_members m JOIN referenced r ON m.member = r.oid), "
      // Whether a role has a password is in pg_authid, which only a superuser may read; the
      // query text is run (by query_to_xml) only when it may be, so that anyone else reads
      // every other attribute. Only the OIDs come back, never a password.
      "with_password AS (SELECT CASE WHEN pg_catalog.has_table_privilege('pg_catalog.pg_authid', 'SELECT') THEN "
      "  pg_catalog.substring(pg_catalog.query_to_xml('SELECT pg_catalog.string_agg(a.oid::pg_catalog.text, '','') "
      "AS oids FROM pg_catalog.pg_authid a WHERE a.rolpassword IS NOT NULL', false, true, '')::pg_catalog.text "
      ", '<oids>([0-9,]*)</oids>') END AS oids) "
      "SELECT r.oid, r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, "
      "r.rolreplication, r.rolbypassrls, r.rolconnlimit, "
      "CASE WHEN pg_catalog.isfinite(r.rolvaliduntil) THEN "
      "pg_catalog.to_char(r.rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' "
      "ELSE r.rolvaliduntil::text END, "
      "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(g.rolname) || "
      "CASE WHEN m.admin_option THEN ' WITH ADMIN OPTION' ELSE '' END, ', ' ORDER BY g.rolname) "
      "FROM (SELECT m.roleid, pg_catalog.bool_or(m.admin_option) AS admin_option FROM pg_catalog.pg_auth_members m "
      "WHERE m.member = r.oid GROUP BY m.roleid) m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid), "
      "(SELECT pg_catalog.array_agg(m.roleid) FROM pg_catalog.pg_auth_members m WHERE m.member = r.oid), "
      "{}, "
      "(SELECT pg_catalog.json_agg(c.setting ORDER BY c.setting) FROM pg_catalog.pg_db_role_setting s "
      "CROSS JOIN LATERAL pg_catalog.unnest(s.setconfig) AS c(setting) WHERE s.setrole = r.oid AND s.setdatabase = 0), "
      "CASE WHEN w.oids IS NOT NULL THEN r.oid::pg_catalog.text = ANY (pg_catalog.string_to_array(w.oids, ',')) END "
      "FROM pg_catalog.pg_roles r CROSS JOIN with_password w "
      "WHERE r.oid IN (SELECT oid FROM referenced) AND r.oid <> 10 AND r.rolname !~ '^pg_' ORDER BY 1",
      deptypes, listed,
      ctx.options.comments
          ? "(SELECT d.description FROM pg_catalog.pg_shdescription d WHERE d.classoid = "
            "'pg_catalog.pg_authid'::pg_catalog.regclass AND d.objoid = r.oid)"
          : "NULL::text");
  const char* flags[] = {"superuser", "inherit", "create_role", "create_db", "login", "replication", "bypass_rls"};
  struct Read {
    catalog::Object object;
    uint32_t oid;
    std::vector<uint32_t> granted;
  };
  std::vector<Read> roles;
  std::map<uint32_t, std::string> names;
  for (const auto& row : ctx.query(sql, "roles (pg_roles, pg_shdepend, pg_auth_members, pg_db_role_setting)")) {
    Read read;
    read.oid = row[0].as<uint32_t>();
    catalog::Object& object = read.object;
    object.id.kind = catalog::Kind::role;
    object.id.name = text(row[1]);
    for (int i = 0; i < 7; ++i) object.attributes[flags[i]] = is_true(row[2 + i]) ? "true" : "false";
    object.attributes["connection_limit"] = text(row[9]);
    set_if_not_null(object, "valid_until", row[10]);
    set_if_not_null(object, "member_of", row[11]);
    set_if_not_null(object, catalog::attr::comment, row[13]);
    // ["search_path=app, \"$user\"", "work_mem=64MB"]: name=value as the server stores it.
    for (const auto& setting : json_of(row[14])) {
      const std::string item = setting.get<std::string>();
      const size_t equals = item.find('=');
      if (equals == std::string::npos) continue;
      object.attributes["setting." + item.substr(0, equals)] = item.substr(equals + 1);
    }
    if (is_true(row[15])) object.attributes["password"] = "set";
    // "{16384,16390}": the roles this one is a member of, for the dependency edges below.
    std::string granted = text(row[12]);
    for (char& c : granted) {
      if (c < '0' || c > '9') c = ' ';
    }
    std::istringstream in(granted);
    for (uint32_t oid; in >> oid;) read.granted.push_back(oid);
    names[read.oid] = object.id.name;
    roles.push_back(std::move(read));
  }
  for (auto& read : roles) {
    for (uint32_t oid : read.granted) {
      auto it = names.find(oid);
      if (it != names.end()) read.object.depends_on.push_back({catalog::Kind::role, "", "", it->second, ""});
    }
    ctx.add(std::move(read.object), {catalog_oid::pg_authid, read.oid, 0});
  }
}

}  // namespace schemakit::introspect::extra
