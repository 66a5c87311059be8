// Rules, post-data: the server's CREATE RULE text, then the enabled state when not the default.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

std::string rule_create(const catalog::Object& object, const catalog::Catalog&) {
  std::string out = statement(object.attr(catalog::attr::definition));
  const std::string clause = enable_clause(object.attr("enabled"));
  if (!clause.empty()) {
    out += fmt::format("ALTER TABLE {} {} RULE {};\n", table_of(object), clause,
                       quote_ident(object.id.name));
  }
  return out;
}

std::string rule_reference(const catalog::Object& object) {
  return fmt::format("RULE {} ON {}", quote_ident(object.id.name), table_of(object));
}

std::string rule_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + rule_reference(object) + ";\n";
}

}  // namespace

void add_rule_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::rule;
  writer.section = Section::post_data;
  writer.create = &rule_create;
  writer.drop = &rule_drop;
  writer.reference = &rule_reference;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
