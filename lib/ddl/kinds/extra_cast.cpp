// Casts, pre-data: after the types and the function they use, before the tables, views and
// routines whose expressions may use them (pg_depend has no edge from those to the cast).
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

std::string cast_reference(const catalog::Object& object) {
  return fmt::format("CAST ({} AS {})", object.attr("source"), object.attr("target"));
}

std::string cast_create(const catalog::Object& object, const catalog::Catalog&) {
  std::string out = "CREATE " + cast_reference(object);
  const std::string& method = object.attr("method");
  if (method == "inout") {
    out += " WITH INOUT";
  } else if (method == "binary") {
    out += " WITHOUT FUNCTION";
  } else {
    out += " WITH FUNCTION " + object.attr("function");
  }
  if (object.attr("context") == "assignment") out += " AS ASSIGNMENT";
  if (object.attr("context") == "implicit") out += " AS IMPLICIT";
  return out + ";\n";
}

std::string cast_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + cast_reference(object) + ";\n";
}

}  // namespace

void add_cast_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::cast;
  writer.section = Section::pre_data;
  writer.create = &cast_create;
  writer.drop = &cast_drop;
  writer.reference = &cast_reference;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
