// Functions and procedures (pg_proc, prokind f / w / p): one query for both.
//
// Attributes: definition (pg_get_functiondef: arguments with defaults, return type, language,
// volatility, strictness, security, parallel safety, cost, rows, SET clauses, body), owner,
// privileges, comment, depends_on_extension (ALTER ... DEPENDS ON EXTENSION). The identity is
// schema + name + pg_get_function_identity_arguments, so overloads stay apart. Window functions (prokind w) are functions whose definition says WINDOW.
// Left out: extension members and the functions a CREATE TYPE ... AS RANGE makes (they depend
// internally on their type and come back with it), as pg_dump leaves them out.
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_functions(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT p.oid, n.nspname, p.proname, p.prokind, "
      "pg_catalog.pg_get_function_identity_arguments(p.oid), pg_catalog.pg_get_functiondef(p.oid), "
      "{}, {}, {}, {} "
      "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
      "WHERE p.prokind IN ('f', 'w', 'p') AND {} AND {} "
      "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = "
      "'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = p.oid AND i.deptype = 'i') "
      "ORDER BY 1",
      owner_sql(ctx, "p.proowner"), privileges_sql(ctx, "p.proacl"), comment_sql(ctx, "pg_proc", "p.oid"),
      extension_marks_sql("pg_proc", "p.oid"), ctx.schema_name_filter("n.nspname"), ReadContext::not_extension_member("pg_proc", "p.oid"));
  for (const auto& row : ctx.query(sql, "functions and procedures (pg_proc)")) {
    catalog::Object object;
    object.id.kind = text(row[3]) == "p" ? catalog::Kind::procedure : catalog::Kind::function;
    object.id.schema = text(row[1]);
    object.id.name = text(row[2]);
    object.id.signature = text(row[4]);
    std::string definition = text(row[5]);
    // pg_get_functiondef ends with a newline; the statement's end is the writer's business.
    while (!definition.empty() && (definition.back() == '\n' || definition.back() == ' ')) definition.pop_back();
    object.attributes[catalog::attr::definition] = std::move(definition);
    set_owner_privileges_comment(object, row, 6);
    const ExtensionMarks marks = extension_marks(row[9]);
    if (!marks.names.empty()) object.attributes[catalog::attr::depends_on_extension] = marks.names;
    const catalog::ObjectId id = object.id;
    ctx.add(std::move(object), {catalog_oid::pg_proc, row[0].as<uint32_t>(), 0});
    for (uint32_t extension : marks.oids) ctx.depend(id, {catalog_oid::pg_extension, extension, 0});
  }
}

}  // namespace schemakit::introspect::extra
