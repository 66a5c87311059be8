// Triggers (post-data) and event triggers (Section::last: after every other statement of up.sql,
// dropped first by down.sql): the CREATE text, ALTER TRIGGER ... DEPENDS ON EXTENSION for each
// extension it was marked with, then the enabled state when it is not the default. A partition's
// clone whose state differs from its parent's is only that ALTER TABLE, and is dropped with the
// parent's trigger.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

std::string trigger_reference(const catalog::Object& object) {
  return fmt::format("TRIGGER {} ON {}", quote_ident(object.id.name), table_of(object));
}

std::string trigger_create(const catalog::Object& object, const catalog::Catalog&) {
  const bool clone = object.attr("clone") == "true";
  std::string out =
      clone ? "" : statement(object.attr(catalog::attr::definition)) + extension_marks_sql(object, trigger_reference(object));
  std::string clause = enable_clause(object.attr("enabled"));
  // A clone differs from its parent (which the ALTER of the parent's table set it to): even the
  // default state is written.
  if (clone && clause.empty()) clause = "ENABLE";
  if (!clause.empty()) {
    const catalog::ObjectId parent = parent_relation(object);
    // ALTER TABLE also reaches views; foreign tables want their own keyword.
    out += fmt::format("ALTER {} {} {} TRIGGER {};\n",
                       parent.kind == catalog::Kind::foreign_table ? "FOREIGN TABLE" : "TABLE",
                       table_of(object), clause, quote_ident(object.id.name));
  }
  return out;
}

std::string trigger_drop(const catalog::Object& object, const catalog::Catalog&) {
  if (object.attr("clone") == "true") return "";  // goes with the parent's trigger
  return "DROP " + trigger_reference(object) + ";\n";
}

std::string event_trigger_create(const catalog::Object& object, const catalog::Catalog&) {
  std::string out = fmt::format("CREATE EVENT TRIGGER {} ON {}", quote_ident(object.id.name), object.attr("event"));
  if (object.has("tags")) out += "\n  WHEN TAG IN (" + object.attr("tags") + ")";
  out += "\n  EXECUTE FUNCTION " + object.attr("function") + "();\n";
  const std::string clause = enable_clause(object.attr("enabled"));
  if (!clause.empty()) out += fmt::format("ALTER EVENT TRIGGER {} {};\n", quote_ident(object.id.name), clause);
  return out;
}

std::string event_trigger_reference(const catalog::Object& object) {
  return "EVENT TRIGGER " + quote_ident(object.id.name);
}

std::string event_trigger_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + event_trigger_reference(object) + ";\n";
}

}  // namespace

void add_trigger_writers(std::vector<KindWriter>& writers) {
  KindWriter trigger;
  trigger.kind = catalog::Kind::trigger;
  trigger.section = Section::post_data;
  trigger.create = &trigger_create;
  trigger.drop = &trigger_drop;
  trigger.reference = &trigger_reference;
  writers.push_back(trigger);

  KindWriter event_trigger;
  event_trigger.kind = catalog::Kind::event_trigger;
  event_trigger.section = Section::last;
  event_trigger.create = &event_trigger_create;
  event_trigger.drop = &event_trigger_drop;
  event_trigger.reference = &event_trigger_reference;
  writers.push_back(event_trigger);
}

}  // namespace schemakit::ddl::extra
