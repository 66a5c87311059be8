// Functions and procedures: the server's own definition (pg_get_functiondef, a CREATE OR REPLACE
// statement), pre-data. Bodies are not checked at creation when the script sets
// check_function_bodies = off, so functions can come before the tables their bodies use. Then
// ALTER ... DEPENDS ON EXTENSION for each extension the routine was marked with.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

std::string function_reference(const catalog::Object& object) {
  return fmt::format("FUNCTION {}({})", name_of(object), object.id.signature);
}

std::string procedure_reference(const catalog::Object& object) {
  return fmt::format("PROCEDURE {}({})", name_of(object), object.id.signature);
}

std::string routine_create(const catalog::Object& object, const catalog::Catalog&) {
  const std::string reference =
      object.id.kind == catalog::Kind::procedure ? procedure_reference(object) : function_reference(object);
  return statement(object.attr(catalog::attr::definition)) + extension_marks_sql(object, reference);
}

std::string function_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + function_reference(object) + ";\n";
}

std::string procedure_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + procedure_reference(object) + ";\n";
}

}  // namespace

void add_function_writers(std::vector<KindWriter>& writers) {
  KindWriter function;
  function.kind = catalog::Kind::function;
  function.section = Section::pre_data;
  function.create = &routine_create;
  function.drop = &function_drop;
  function.reference = &function_reference;
  writers.push_back(function);

  KindWriter procedure = function;
  procedure.kind = catalog::Kind::procedure;
  procedure.drop = &procedure_drop;
  procedure.reference = &procedure_reference;
  writers.push_back(procedure);
}

}  // namespace schemakit::ddl::extra
