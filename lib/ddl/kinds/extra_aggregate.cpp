// Aggregates: CREATE AGGREGATE rebuilt from the attributes the reader took from pg_aggregate
// (the server has no deparser for it), pre-data, after the functions it names.
#include <fmt/core.h>

#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

// An aggregate without arguments is written agg(*).
std::string arguments(const catalog::Object& object) {
  return object.id.signature.empty() ? "*" : object.id.signature;
}

std::string modify_keyword(const std::string& value) {
  if (value == "shareable") return "SHAREABLE";
  if (value == "read_write") return "READ_WRITE";
  return "READ_ONLY";
}

std::string aggregate_create(const catalog::Object& object, const catalog::Catalog&) {
  std::vector<std::string> options;
  auto option = [&](const char* attribute, const char* keyword) {
    if (object.has(attribute)) options.push_back(fmt::format("{} = {}", keyword, object.attr(attribute)));
  };
  auto literal_option = [&](const char* attribute, const char* keyword) {
    if (object.has(attribute)) options.push_back(fmt::format("{} = {}", keyword, quote_literal(object.attr(attribute))));
  };
  auto flag = [&](const char* attribute, const char* keyword) {
    if (object.attr(attribute) == "true") options.push_back(keyword);
  };
  option("transition_function", "SFUNC");
  option("state_type", "STYPE");
  option("state_space", "SSPACE");
  literal_option("initial_condition", "INITCOND");
  option("final_function", "FINALFUNC");
  flag("final_extra", "FINALFUNC_EXTRA");
  if (object.has("final_modify")) options.push_back("FINALFUNC_MODIFY = " + modify_keyword(object.attr("final_modify")));
  option("combine_function", "COMBINEFUNC");
  option("serial_function", "SERIALFUNC");
  option("deserial_function", "DESERIALFUNC");
  option("moving_transition_function", "MSFUNC");
  option("moving_inverse_function", "MINVFUNC");
  option("moving_state_type", "MSTYPE");
  option("moving_state_space", "MSSPACE");
  option("moving_final_function", "MFINALFUNC");
  flag("moving_final_extra", "MFINALFUNC_EXTRA");
  if (object.has("moving_final_modify")) {
    options.push_back("MFINALFUNC_MODIFY = " + modify_keyword(object.attr("moving_final_modify")));
  }
  literal_option("moving_initial_condition", "MINITCOND");
  option("sort_operator", "SORTOP");
  if (object.attr("aggregate_kind") == "hypothetical") options.push_back("HYPOTHETICAL");
  if (object.has("parallel")) {
    const std::string& parallel = object.attr("parallel");
    options.push_back("PARALLEL = " + std::string(parallel == "safe"         ? "SAFE"
                                                  : parallel == "restricted" ? "RESTRICTED"
                                                                             : "UNSAFE"));
  }
  std::string out = fmt::format("CREATE AGGREGATE {}({}) (\n", name_of(object),
                                arguments(object));
  for (size_t i = 0; i < options.size(); ++i) {
    out += "    " + options[i] + (i + 1 < options.size() ? ",\n" : "\n");
  }
  out += ");\n";
  return out;
}

std::string aggregate_reference(const catalog::Object& object) {
  return fmt::format("AGGREGATE {}({})", name_of(object), arguments(object));
}

std::string aggregate_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + aggregate_reference(object) + ";\n";
}

}  // namespace

void add_aggregate_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::aggregate;
  writer.section = Section::pre_data;
  writer.create = &aggregate_create;
  writer.drop = &aggregate_drop;
  writer.reference = &aggregate_reference;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
