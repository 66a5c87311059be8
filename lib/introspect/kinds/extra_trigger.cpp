// Triggers (pg_trigger) and event triggers (pg_event_trigger).
//
// Triggers: identity schema + table + name. Attributes: definition (pg_get_triggerdef: timing,
// events, UPDATE OF columns, FOR EACH, WHEN, REFERENCING, function and arguments, constraint
// trigger deferrability), enabled (origin | disabled | replica | always), comment,
// depends_on_extension (ALTER TRIGGER ... DEPENDS ON EXTENSION). Left out:
// internal triggers (foreign keys, deferred unique checks) and the clones a trigger on a
// partitioned table makes on each partition (they come back with the parent's CREATE TRIGGER).
// A clone whose enabled state differs from its parent's (changed on its own partition) is an
// object with `enabled`, `clone` = true and comment only, depending on its parent and on the
// trigger at the top of the partition tree.
//
// Event triggers: identity name. Attributes: event, tags (the WHEN TAG IN list as SQL
// literals, in the stored order, which pg_dump prints; absent without one), function, enabled,
// owner, comment.
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {
void read_triggers(ReadContext& ctx) {
  // Partition clones: tgparentid since PostgreSQL 13; before, clones were marked internal.
  const bool has_parent = ctx.server_version >= 130000;
  const std::string sql = fmt::format(
      "SELECT t.oid, n.nspname, c.relname, c.relkind, t.tgname, pg_catalog.pg_get_triggerdef(t.oid, false), "
      "{}, {}, {}, {}, {} "
      "FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE NOT t.tgisinternal AND {} AND {} AND {} ORDER BY 1",
      enabled_sql("t.tgenabled"), comment_sql(ctx, "pg_trigger", "t.oid"),
      has_parent ? "(SELECT p.tgenabled <> t.tgenabled FROM pg_catalog.pg_trigger p WHERE p.oid = t.tgparentid)"
                 : "NULL::boolean",
      extension_marks_sql("pg_trigger", "t.oid"),
      // For a clone whose state differs: its parent trigger and the trigger at the top of the
      // partition tree, which the CREATE TRIGGER of the script makes.
      has_parent ? "CASE WHEN t.tgparentid <> 0 THEN pg_catalog.json_build_array(t.tgparentid::pg_catalog.int8, "
                   "(WITH RECURSIVE up(oid, parent) AS (SELECT p.oid, p.tgparentid FROM pg_catalog.pg_trigger p "
                   "WHERE p.oid = t.tgparentid UNION ALL SELECT p.oid, p.tgparentid FROM pg_catalog.pg_trigger p "
                   "JOIN up ON p.oid = up.parent) SELECT up.oid::pg_catalog.int8 FROM up WHERE up.parent = 0)) END"
                 : "NULL::json",
      ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member("pg_trigger", "t.oid"),
      ReadContext::not_extension_member("pg_class", "c.oid"));
  for (const auto& row : ctx.query(sql, "triggers (pg_trigger)")) {
    if (!row[8].is_null()) {  // a partition's clone of its parent's trigger
      if (!is_true(row[8])) continue;
      // Its state was changed on its own partition: an object with that state only, written as
      // ALTER TABLE <partition> ... TRIGGER after the parent's trigger (as pg_dump does).
      catalog::Object clone = relation_member(catalog::Kind::trigger, row);
      clone.attributes["enabled"] = text(row[6]);
      clone.attributes["clone"] = "true";
      set_if_not_null(clone, catalog::attr::comment, row[7]);
      const nlohmann::json parents = nlohmann::json::parse(row[10].c_str());
      const catalog::ObjectId id = clone.id;
      ctx.add(std::move(clone), {catalog_oid::pg_trigger, row[0].as<uint32_t>(), 0});
      for (const auto& parent : parents) ctx.depend(id, {catalog_oid::pg_trigger, parent.get<uint32_t>(), 0});
      continue;
    }
    catalog::Object object = relation_member(catalog::Kind::trigger, row);
    object.attributes[catalog::attr::definition] = text(row[5]);
    object.attributes["enabled"] = text(row[6]);
    set_if_not_null(object, catalog::attr::comment, row[7]);
    const ExtensionMarks marks = extension_marks(row[9]);
    if (!marks.names.empty()) object.attributes[catalog::attr::depends_on_extension] = marks.names;
    const catalog::ObjectId id = object.id;
    ctx.add(std::move(object), {catalog_oid::pg_trigger, row[0].as<uint32_t>(), 0});
    for (uint32_t extension : marks.oids) ctx.depend(id, {catalog_oid::pg_extension, extension, 0});
  }
}

void read_event_triggers(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT e.oid, e.evtname, e.evtevent, "
      "(SELECT pg_catalog.string_agg(pg_catalog.quote_literal(tag), ', ' ORDER BY n) "
      "FROM pg_catalog.unnest(e.evttags) WITH ORDINALITY AS t(tag, n)), "
      "{}, {}, {}, NULL::text, {} "
      "FROM pg_catalog.pg_event_trigger e WHERE {} ORDER BY 1",
      qualified_name_sql("pg_proc", "proname", "pronamespace", "e.evtfoid"), enabled_sql("e.evtenabled"), owner_sql(ctx, "e.evtowner"), comment_sql(ctx, "pg_event_trigger", "e.oid"),
      ReadContext::not_extension_member("pg_event_trigger", "e.oid"));
  for (const auto& row : ctx.query(sql, "event triggers (pg_event_trigger)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::event_trigger;
    object.id.name = text(row[1]);
    object.attributes["event"] = text(row[2]);
    set_if_not_null(object, "tags", row[3]);
    object.attributes["function"] = text(row[4]);
    object.attributes["enabled"] = text(row[5]);
    set_owner_privileges_comment(object, row, 6);
    ctx.add(std::move(object), {catalog_oid::pg_event_trigger, row[0].as<uint32_t>(), 0});
  }
}

}  // namespace schemakit::introspect::extra
