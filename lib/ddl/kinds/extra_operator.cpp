// Operators, pre-data, written option by option (there is no server deparser). A COMMUTATOR or
// NEGATOR that does not exist yet is made as a shell by the server and filled in by its own
// CREATE OPERATOR later in the script, so operators that name each other need no order.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

// Operator names are symbols, never quoted; the schema is.
std::string operator_name(const catalog::Object& object) { return quote_ident(object.id.schema) + "." + object.id.name; }

std::string operator_reference(const catalog::Object& object) {
  return fmt::format("OPERATOR {} ({})", operator_name(object), object.id.signature);
}

std::string operator_create(const catalog::Object& object, const catalog::Catalog&) {
  std::string out = fmt::format("CREATE OPERATOR {} (FUNCTION = {}", operator_name(object), object.attr("function"));
  if (object.has("left")) out += ", LEFTARG = " + object.attr("left");
  out += ", RIGHTARG = " + object.attr("right");
  if (object.has("commutator")) out += ", COMMUTATOR = OPERATOR(" + object.attr("commutator") + ")";
  if (object.has("negator")) out += ", NEGATOR = OPERATOR(" + object.attr("negator") + ")";
  if (object.has("restrict")) out += ", RESTRICT = " + object.attr("restrict");
  if (object.has("join")) out += ", JOIN = " + object.attr("join");
  if (object.attr("hashes") == "true") out += ", HASHES";
  if (object.attr("merges") == "true") out += ", MERGES";
  return out + ");\n";
}

std::string operator_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + operator_reference(object) + ";\n";
}

}  // namespace

void add_operator_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::operator_;
  writer.section = Section::pre_data;
  writer.create = &operator_create;
  writer.drop = &operator_drop;
  writer.reference = &operator_reference;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
