// Row-level security policies, post-data.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

std::string policy_create(const catalog::Object& object, const catalog::Catalog&) {
  std::string out = fmt::format("CREATE POLICY {} ON {}", quote_ident(object.id.name),
                                table_of(object));
  if (object.attr("permissive") == "restrictive") out += " AS RESTRICTIVE";
  out += " FOR " + (object.has("command") ? object.attr("command") : std::string("ALL"));
  out += " TO " + (object.has("roles") ? object.attr("roles") : std::string("PUBLIC"));
  if (object.has("using")) out += "\n  USING (" + object.attr("using") + ")";
  if (object.has("with_check")) out += "\n  WITH CHECK (" + object.attr("with_check") + ")";
  return out + ";\n";
}

std::string policy_reference(const catalog::Object& object) {
  return fmt::format("POLICY {} ON {}", quote_ident(object.id.name), table_of(object));
}

std::string policy_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + policy_reference(object) + ";\n";
}

}  // namespace

void add_policy_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::policy;
  writer.section = Section::post_data;
  writer.create = &policy_create;
  writer.drop = &policy_drop;
  writer.reference = &policy_reference;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
