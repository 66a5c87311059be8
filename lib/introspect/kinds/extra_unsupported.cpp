// Everything else a user can make in a database that the model does not cover, found with one
// query and reported by kind and name (never skipped silently): text search parsers and
// templates; operator classes and families; conversions; access methods; transforms; procedural
// languages; foreign-data wrappers; user mappings; subscriptions; large objects; base and shell
// types; security labels (the database's own included); relations of an unknown kind; indexes
// marked with ALTER INDEX ... DEPENDS ON EXTENSION; comments on row and array types; internal
// (constraint) triggers not enabled; privileges of what initdb made, changed since. Each reason
// carries the object's state (see state_sql), which the diff compares.
// Extension members are left out (they come back with their extension), and so are schemas the
// options leave out.
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {
namespace {

// Objects that are part of another (the cast a range type makes to its multirange) depend on it
// internally and come back with it.
std::string not_internal_part(std::string_view catalog_table, std::string_view oid_column) {
  return fmt::format(
      "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.{}'::pg_catalog.regclass "
      "AND i.objid = {} AND i.deptype = 'i')",
      catalog_table, oid_column);
}

// kind, identity and reason for every row of `from_where` that is in a selected user schema and
// not an extension member.
std::string in_schema(const ReadContext& ctx, std::string_view kind, std::string_view identity,
                      std::string_view catalog_table, std::string_view alias, std::string_view namespace_column,
                      std::string_view reason, std::string_view extra_condition = "") {
  return fmt::format(
      "SELECT '{0}'::text, {1}, {9} "
      "FROM pg_catalog.{2} {3} JOIN pg_catalog.pg_namespace n ON n.oid = {3}.{4} WHERE {5} AND {6} AND {7}{8}",
      kind, identity, catalog_table, alias, namespace_column,
      ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member(catalog_table, std::string(alias) + ".oid"),
      not_internal_part(catalog_table, std::string(alias) + ".oid"), extra_condition, reason);
}

// The same for objects outside schemas, made by users (OID beyond the initial catalog).
std::string global(std::string_view kind, std::string_view identity, std::string_view catalog_table,
                   std::string_view alias, std::string_view reason, std::string_view extra_condition = "") {
  return fmt::format(
      "SELECT '{0}'::text, {1}, {7} "
      "FROM pg_catalog.{2} {3} WHERE {3}.oid >= 16384 AND {4} AND {5}{6}",
      kind, identity, catalog_table, alias,
      ReadContext::not_extension_member(catalog_table, std::string(alias) + ".oid"),
      not_internal_part(catalog_table, std::string(alias) + ".oid"), extra_condition, reason);
}

// What can be said of an object's state, appended to its reason so that an ALTER (owner, grant,
// comment, a part of its definition) of an object on both sides still makes a difference (the
// diff compares the reasons of entries with one kind and identity). Only names and values, never
// OIDs, which differ between databases; never a user mapping's options (a password).
std::string state_sql(const ReadContext& ctx, std::string_view catalog_table, std::string_view alias,
                      std::string_view owner_column, std::string_view acl_column, std::string_view definition) {
  std::vector<std::string> parts;
  if (!definition.empty()) parts.push_back(fmt::format("NULLIF({}, '')", definition));
  if (!owner_column.empty() && ctx.options.ownership) {
    parts.push_back(fmt::format("'owner ' || pg_catalog.quote_ident(pg_catalog.pg_get_userbyid({}.{}))", alias, owner_column));
  }
  if (!acl_column.empty() && ctx.options.privileges) {
    parts.push_back(fmt::format("'privileges ' || (SELECT pg_catalog.string_agg(x::text, ',' ORDER BY x::text) "
                                "FROM pg_catalog.unnest({}.{}) x)",
                                alias, acl_column));
  }
  if (ctx.options.comments) {
    parts.push_back(fmt::format("'comment ' || (SELECT pg_catalog.quote_literal(d.description) FROM "
                                "pg_catalog.pg_description d WHERE d.classoid = 'pg_catalog.{}'::pg_catalog.regclass "
                                "AND d.objoid = {}.oid AND d.objsubid = 0)",
                                catalog_table, alias));
  }
  std::string list;
  for (const auto& part : parts) list += ", " + part;
  return "pg_catalog.concat_ws('; ', 'not modelled: a squash or comparison would miss it'" + list + ")";
}

// The operators and support functions of an operator family, as a count and a digest (an
// ALTER OPERATOR FAMILY ... ADD / DROP changes it).
std::string family_members_sql(std::string_view family_oid) {
  return fmt::format(
      "(SELECT pg_catalog.count(*) || ' members (md5 ' || pg_catalog.md5(pg_catalog.string_agg(m, ',' ORDER BY m)) || ')' "
      "FROM (SELECT 'op ' || amo.amopstrategy || ' ' || amo.amopopr::pg_catalog.regoperator::text || ' ' || amo.amoppurpose::text || "
      "' ' || pg_catalog.format_type(amo.amoplefttype, NULL) || ' ' || pg_catalog.format_type(amo.amoprighttype, NULL) || ' ' || "
      "COALESCE((SELECT sf.opfname FROM pg_catalog.pg_opfamily sf WHERE sf.oid = amo.amopsortfamily), '') "
      "FROM pg_catalog.pg_amop amo WHERE amo.amopfamily = {0} UNION ALL "
      "SELECT 'proc ' || amp.amprocnum || ' ' || pg_catalog.format_type(amp.amproclefttype, NULL) || ' ' || "
      "pg_catalog.format_type(amp.amprocrighttype, NULL) || ' ' || amp.amproc::pg_catalog.regprocedure::text "
      "FROM pg_catalog.pg_amproc amp WHERE amp.amprocfamily = {0}) t(m))",
      family_oid);
}

std::string qualified_sql(std::string_view name_column) {
  return fmt::format("pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident({})", name_column);
}

}  // namespace

void read_unsupported(ReadContext& ctx) {
  std::vector<std::string> parts = {
      in_schema(ctx, "text search parser", qualified_sql("o.prsname"), "pg_ts_parser", "o", "prsnamespace",
                state_sql(ctx, "pg_ts_parser", "o", "", "",
                          "pg_catalog.concat_ws(' ', o.prsstart::text, o.prstoken::text, o.prsend::text, "
                          "o.prsheadline::text, o.prslextype::text)")),
      in_schema(ctx, "text search template", qualified_sql("o.tmplname"), "pg_ts_template", "o", "tmplnamespace",
                state_sql(ctx, "pg_ts_template", "o", "", "", "pg_catalog.concat_ws(' ', o.tmplinit::text, o.tmpllexize::text)")),
      in_schema(ctx, "operator class",
                qualified_sql("o.opcname") +
                    " || ' USING ' || (SELECT am.amname FROM pg_catalog.pg_am am WHERE am.oid = o.opcmethod)",
                "pg_opclass", "o", "opcnamespace",
                state_sql(ctx, "pg_opclass", "o", "opcowner", "",
                          "pg_catalog.concat_ws(' ', CASE WHEN o.opcdefault THEN 'DEFAULT' END, 'FOR TYPE ' || "
                          "pg_catalog.format_type(o.opcintype, NULL), 'STORAGE ' || "
                          "pg_catalog.format_type(NULLIF(o.opckeytype, 0), NULL), 'FAMILY ' || (SELECT "
                          "pg_catalog.quote_ident(fn.nspname) || '.' || pg_catalog.quote_ident(f.opfname) FROM "
                          "pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace "
                          "WHERE f.oid = o.opcfamily), " + family_members_sql("o.opcfamily") +
                          ", (SELECT 'family owner ' || pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(f.opfowner)) || "
                          "' comment ' || COALESCE(pg_catalog.quote_literal(pg_catalog.obj_description(f.oid, 'pg_opfamily')), "
                          "'none') FROM pg_catalog.pg_opfamily f WHERE f.oid = o.opcfamily AND f.opfname = o.opcname "
                          "AND f.opfnamespace = o.opcnamespace))")),
      // The family CREATE OPERATOR CLASS makes beside a class of the same name is the class's
      // (its members, owner and comment are in the class's state); one made on its own is an
      // object of its own.
      in_schema(ctx, "operator family",
                qualified_sql("o.opfname") +
                    " || ' USING ' || (SELECT am.amname FROM pg_catalog.pg_am am WHERE am.oid = o.opfmethod)",
                "pg_opfamily", "o", "opfnamespace",
                state_sql(ctx, "pg_opfamily", "o", "opfowner", "", family_members_sql("o.oid")),
                " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_opclass c WHERE c.opcfamily = o.oid "
                "AND c.opcname = o.opfname AND c.opcnamespace = o.opfnamespace AND c.opcmethod = o.opfmethod)"),
      in_schema(ctx, "conversion", qualified_sql("o.conname"), "pg_conversion", "o", "connamespace",
                state_sql(ctx, "pg_conversion", "o", "conowner", "",
                          "pg_catalog.concat_ws(' ', CASE WHEN o.condefault THEN 'DEFAULT' END, "
                          "pg_catalog.pg_encoding_to_char(o.conforencoding), 'TO', "
                          "pg_catalog.pg_encoding_to_char(o.contoencoding), 'FROM', o.conproc::text)")),
      // Base types made with CREATE TYPE ... (INPUT = ...) and shell types; the array type the
      // server makes beside a type is not counted again.
      in_schema(ctx, "type", qualified_sql("o.typname"), "pg_type", "o", "typnamespace",
                state_sql(ctx, "pg_type", "o", "typowner", "typacl",
                          "pg_catalog.concat_ws(' ', o.typtype, o.typlen, o.typbyval, o.typalign, o.typstorage, "
                          "o.typcategory, o.typispreferred, o.typdelim, o.typinput::text, o.typoutput::text, "
                          "o.typreceive::text, o.typsend::text, o.typmodin::text, o.typmodout::text, "
                          "o.typanalyze::text, o.typsubscript::text, pg_catalog.format_type(NULLIF(o.typelem, 0), NULL), "
                          "o.typcollation <> 0, 'DEFAULT ' || pg_catalog.quote_literal(o.typdefault))"),
                " AND o.typtype IN ('b', 'p') AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e "
                "WHERE e.oid = o.typelem AND e.typarray = o.oid)"),
      in_schema(ctx, "relation", qualified_sql("o.relname") + " || ' (relkind ' || o.relkind::text || ')'", "pg_class",
                "o", "relnamespace", state_sql(ctx, "pg_class", "o", "relowner", "relacl", ""),
                " AND o.relkind NOT IN ('r', 'p', 'v', 'm', 'f', 'S', 'i', 'I', 'c', 't')"),
      // Comments on the types the server makes beside a relation (its row type) or a type (its
      // array type): no reader models those types, and pg_dump leaves their comments out.
      global("access method", "pg_catalog.quote_ident(o.amname)", "pg_am", "o",
             state_sql(ctx, "pg_am", "o", "", "", "pg_catalog.concat_ws(' ', o.amtype, o.amhandler::text)")),
      global("transform",
             "'FOR ' || pg_catalog.format_type(o.trftype, NULL) || ' LANGUAGE ' || "
             "(SELECT pg_catalog.quote_ident(l.lanname) FROM pg_catalog.pg_language l WHERE l.oid = o.trflang)",
             "pg_transform", "o",
             state_sql(ctx, "pg_transform", "o", "", "", "pg_catalog.concat_ws(' ', o.trffromsql::text, o.trftosql::text)")),
      global("language", "pg_catalog.quote_ident(o.lanname)", "pg_language", "o",
             state_sql(ctx, "pg_language", "o", "lanowner", "lanacl",
                       "pg_catalog.concat_ws(' ', CASE WHEN o.lanpltrusted THEN 'TRUSTED' END, "
                       "o.lanplcallfoid::pg_catalog.regprocedure::text, "
                       "NULLIF(o.laninline, 0)::pg_catalog.regprocedure::text, "
                       "NULLIF(o.lanvalidator, 0)::pg_catalog.regprocedure::text)")),
      global("foreign-data wrapper", "pg_catalog.quote_ident(o.fdwname)", "pg_foreign_data_wrapper", "o",
             state_sql(ctx, "pg_foreign_data_wrapper", "o", "fdwowner", "fdwacl",
                       "pg_catalog.concat_ws(' ', NULLIF(o.fdwhandler, 0)::pg_catalog.regproc::text, "
                       "NULLIF(o.fdwvalidator, 0)::pg_catalog.regproc::text, (SELECT pg_catalog.string_agg(x, ',' "
                       "ORDER BY x) FROM pg_catalog.unnest(o.fdwoptions) x))")),
      // pg_user_mappings, unlike pg_user_mapping, is readable without superuser. Mappings are
      // attributes of their server, except those holding a password, which is never written.
      "SELECT 'user mapping'::text, 'FOR ' || CASE WHEN m.umuser = 0 THEN 'PUBLIC' ELSE "
      "pg_catalog.quote_ident(m.usename) END || ' SERVER ' || pg_catalog.quote_ident(m.srvname), "
      "'its options hold a password, which is never written'::text FROM pg_catalog.pg_user_mappings m "
      "WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_options_to_table(m.umoptions) o WHERE o.option_name = 'password')",
      // Its connection string is left out of the state: it may hold a password.
      "SELECT 'subscription'::text, pg_catalog.quote_ident(s.subname), "
      "pg_catalog.concat_ws('; ', 'not modelled: a squash or comparison would miss it', "
      "'owner ' || pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(s.subowner)), "
      "CASE WHEN s.subenabled THEN 'enabled' ELSE 'disabled' END, "
      "'publications ' || pg_catalog.array_to_string(s.subpublications, ','), 'slot ' || s.subslotname, "
      "'comment ' || pg_catalog.quote_literal(pg_catalog.shobj_description(s.oid, 'pg_subscription'))) "
      "FROM pg_catalog.pg_subscription s "
      "WHERE s.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())",
      // ALTER INDEX ... DEPENDS ON EXTENSION (routines, triggers and materialized views carry
      // theirs as an attribute).
      fmt::format("SELECT 'extension dependency'::text, pg_catalog.pg_describe_object(x.classid, x.objid, "
                  "x.objsubid) || ' DEPENDS ON EXTENSION ' || pg_catalog.quote_ident(e.extname), "
                  "'not modelled: a squash or comparison would miss it'::text FROM pg_catalog.pg_depend x "
                  "JOIN pg_catalog.pg_extension e ON e.oid = x.refobjid "
                  "JOIN pg_catalog.pg_class o ON x.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND o.oid = x.objid "
                  "JOIN pg_catalog.pg_namespace n ON n.oid = o.relnamespace "
                  "WHERE x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND x.deptype = 'x' "
                  "AND o.relkind <> 'm' AND {}",
                  ctx.schema_name_filter("n.nspname")),
      "SELECT 'large objects'::text, pg_catalog.count(*) || ' large object(s)', "
      "'large objects are not exported'::text FROM pg_catalog.pg_largeobject_metadata HAVING pg_catalog.count(*) > 0",
      "SELECT 'security label'::text, l.provider || ' on ' || "
      "pg_catalog.pg_describe_object(l.classoid, l.objoid, l.objsubid), "
      "'not modelled: a squash or comparison would miss it; label ' || pg_catalog.quote_literal(l.label) "
      "FROM pg_catalog.pg_seclabel l",
      // The database's own labels are shared-catalog rows (its privileges, comment and
      // connection limit are modelled: Kind::database).
      "SELECT 'security label'::text, l.provider || ' on database ' || pg_catalog.quote_ident(d.datname), "
      "'not modelled: a squash or comparison would miss it; label ' || pg_catalog.quote_literal(l.label) "
      "FROM pg_catalog.pg_shseclabel l "
      "JOIN pg_catalog.pg_database d ON d.oid = l.objoid WHERE l.classoid = "
      "'pg_catalog.pg_database'::pg_catalog.regclass AND d.datname = pg_catalog.current_database()",
      // The triggers a foreign key or a deferrable unique constraint makes are internal and
      // enabled; ALTER TABLE ... DISABLE TRIGGER ALL (or ENABLE REPLICA / ALWAYS TRIGGER by
      // name) changes them, which switches the constraint's checks off. One entry per
      // constraint and table, the triggers named by their function (their own names hold OIDs).
      fmt::format("SELECT 'internal triggers'::text, 'of constraint ' || "
                  "COALESCE(pg_catalog.quote_ident(con.conname), '(none)') || ' ON ' || "
                  "pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), "
                  "'not modelled: internal triggers not enabled as the constraint made them; ' || "
                  "pg_catalog.string_agg(p.proname || ' ' || CASE t.tgenabled WHEN 'D' THEN 'disabled' "
                  "WHEN 'R' THEN 'enabled replica' WHEN 'A' THEN 'enabled always' ELSE t.tgenabled::text END, "
                  "', ' ORDER BY p.proname, t.tgenabled) "
                  "FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
                  "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                  "JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid "
                  "LEFT JOIN pg_catalog.pg_constraint con ON con.oid = t.tgconstraint "
                  "WHERE t.tgisinternal AND t.tgenabled <> 'O' AND {} "
                  "GROUP BY con.conname, n.nspname, c.relname",
                  ctx.schema_name_filter("n.nspname")),
  };
  if (ctx.options.comments) {
    // Comments on the types the server makes beside a relation (its row type) or a type (its
    // array type): no reader models those types, and pg_dump leaves their comments out.
    parts.push_back(
      fmt::format("SELECT 'comment'::text, 'TYPE ' || {}, 'not modelled: the comment of a type the server made "
                  "beside a relation or a type; ' || pg_catalog.quote_literal(d.description) "
                  "FROM pg_catalog.pg_type o JOIN pg_catalog.pg_namespace n ON n.oid = o.typnamespace "
                  "JOIN pg_catalog.pg_description d ON d.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass "
                  "AND d.objoid = o.oid AND d.objsubid = 0 WHERE {} AND (o.typrelid <> 0 AND (SELECT r.relkind "
                  "FROM pg_catalog.pg_class r WHERE r.oid = o.typrelid) <> 'c' OR EXISTS (SELECT 1 FROM "
                  "pg_catalog.pg_type e WHERE e.oid = o.typelem AND e.typarray = o.oid))",
                  qualified_sql("o.typname"), ctx.schema_name_filter("n.nspname")));
  }
  if (ctx.options.privileges) {
    parts.push_back(
      // Grants and revokes on what initdb made (pg_catalog's functions and tables,
      // information_schema, the sql language, ...), where they differ from what initdb left
      // (pg_init_privs, as pg_dump decides it; information_schema has no entries there: its
      // script grants SELECT to PUBLIC on the schema's relations but a few, and USAGE on the
      // schema; a relation it left with the built-in default is unchanged). Extension members (plpgsql) are the extension
      // reader's; the public schema is modelled.
      fmt::format("SELECT 'privileges'::text, (pg_catalog.pg_identify_object(o.classoid, o.objoid, o.objsubid)).type "
                  "|| ' ' || (pg_catalog.pg_identify_object(o.classoid, o.objoid, o.objsubid)).identity, "
                  "'not modelled: privileges of an object initdb made, changed from what initdb left; ' || "
                  "COALESCE((SELECT pg_catalog.string_agg(x::text, ',' ORDER BY x::text) FROM "
                  "pg_catalog.unnest(o.acl) x), 'none') "
                  "FROM (SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass AS classoid, p.oid AS objoid, 0 AS objsubid, "
                  "p.proacl AS acl, NULL::pg_catalog.aclitem[] AS expected FROM pg_catalog.pg_proc p "
                  "WHERE p.oid < 16384 AND {} "
                  "UNION ALL SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, c.oid, 0, c.relacl, "
                  "CASE WHEN cn.nspname = 'information_schema' THEN pg_catalog.acldefault('r', c.relowner) || "
                  "pg_catalog.makeaclitem(0, c.relowner, 'SELECT', false) END "
                  "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace "
                  "WHERE c.oid < 16384 "
                  "UNION ALL SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, a.attrelid, a.attnum, a.attacl, NULL "
                  "FROM pg_catalog.pg_attribute a WHERE a.attrelid < 16384 AND a.attnum > 0 AND (a.attacl IS NOT NULL "
                  "OR EXISTS (SELECT 1 FROM pg_catalog.pg_init_privs ai WHERE ai.objoid = a.attrelid "
                  "AND ai.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ai.objsubid = a.attnum)) "
                  "UNION ALL SELECT 'pg_catalog.pg_namespace'::pg_catalog.regclass, s.oid, 0, s.nspacl, "
                  "CASE WHEN s.nspname = 'information_schema' THEN pg_catalog.acldefault('n', s.nspowner) || "
                  "pg_catalog.makeaclitem(0, s.nspowner, 'USAGE', false) END "
                  "FROM pg_catalog.pg_namespace s WHERE s.oid < 16384 AND s.nspname <> 'public' "
                  "UNION ALL SELECT 'pg_catalog.pg_language'::pg_catalog.regclass, l.oid, 0, l.lanacl, NULL "
                  "FROM pg_catalog.pg_language l WHERE l.oid < 16384 AND {} "
                  "UNION ALL SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid, 0, t.typacl, NULL "
                  "FROM pg_catalog.pg_type t WHERE t.oid < 16384) o "
                  "LEFT JOIN pg_catalog.pg_init_privs ip ON ip.classoid = o.classoid AND ip.objoid = o.objoid "
                  "AND ip.objsubid = o.objsubid "
                  "WHERE NOT (ip.objoid IS NULL AND o.expected IS NOT NULL AND o.acl IS NULL) "
                  "AND (SELECT pg_catalog.array_agg(x::text ORDER BY x::text) FROM pg_catalog.unnest(o.acl) x) "
                  "IS DISTINCT FROM (SELECT pg_catalog.array_agg(x::text ORDER BY x::text) FROM "
                  "pg_catalog.unnest(COALESCE(ip.initprivs, o.expected)) x)",
                  ReadContext::not_extension_member("pg_proc", "p.oid"),
                  ReadContext::not_extension_member("pg_language", "l.oid")));
  }
  std::string sql;
  for (const auto& part : parts) sql += (sql.empty() ? "" : " UNION ALL ") + part;
  sql += " ORDER BY 1, 2";
  for (const auto& row : ctx.query(sql, "objects the model does not cover")) {
    ctx.unsupported(text(row[0]), text(row[1]), text(row[2]));
  }
}

}  // namespace schemakit::introspect::extra
