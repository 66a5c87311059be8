// Extended statistics objects, post-data: the server's CREATE STATISTICS text, then the
// statistics target when it is not the default.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

std::string statistics_reference(const catalog::Object& object) {
  return "STATISTICS " + name_of(object);
}

std::string statistics_create(const catalog::Object& object, const catalog::Catalog&) {
  std::string out = statement(object.attr(catalog::attr::definition));
  if (object.has("statistics_target")) {
    out += fmt::format("ALTER {} SET STATISTICS {};\n", statistics_reference(object), object.attr("statistics_target"));
  }
  return out;
}

std::string statistics_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + statistics_reference(object) + ";\n";
}

}  // namespace

void add_statistics_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::statistics;
  writer.section = Section::post_data;
  writer.create = &statistics_create;
  writer.drop = &statistics_drop;
  writer.reference = &statistics_reference;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
