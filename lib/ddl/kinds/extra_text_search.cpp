// Text search dictionaries and configurations, pre-data (after the functions and extensions
// that provide their templates and parsers, before the columns, indexes and views that name
// them), as pg_dump writes them: a configuration is created with its parser alone and gets one
// ADD MAPPING per token type, so it does not matter what COPY or later ALTERs made it from.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

constexpr std::string_view kMappingPrefix = "mapping:";

std::string dictionary_reference(const catalog::Object& object) {
  return "TEXT SEARCH DICTIONARY " + name_of(object);
}

std::string dictionary_create(const catalog::Object& object, const catalog::Catalog&) {
  std::string out = fmt::format("CREATE {} (TEMPLATE = {}", dictionary_reference(object), object.attr("template"));
  // dictinitoption is stored as SQL ("language = 'english', stopwords = 'english'"), the form
  // the definition list takes.
  if (object.has("options")) out += ", " + object.attr("options");
  return out + ");\n";
}

std::string dictionary_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + dictionary_reference(object) + ";\n";
}

std::string configuration_reference(const catalog::Object& object) {
  return "TEXT SEARCH CONFIGURATION " + name_of(object);
}

std::string configuration_create(const catalog::Object& object, const catalog::Catalog&) {
  std::string out = fmt::format("CREATE {} (PARSER = {});\n", configuration_reference(object), object.attr("parser"));
  for (const auto& [name, dictionaries] : object.attributes) {
    if (name.rfind(kMappingPrefix, 0) != 0) continue;
    out += fmt::format("ALTER {} ADD MAPPING FOR {} WITH {};\n", configuration_reference(object),
                       quote_ident(std::string_view(name).substr(kMappingPrefix.size())), dictionaries);
  }
  return out;
}

std::string configuration_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + configuration_reference(object) + ";\n";
}

}  // namespace

void add_text_search_writers(std::vector<KindWriter>& writers) {
  KindWriter dictionary;
  dictionary.kind = catalog::Kind::text_search_dictionary;
  dictionary.section = Section::pre_data;
  dictionary.create = &dictionary_create;
  dictionary.drop = &dictionary_drop;
  dictionary.reference = &dictionary_reference;
  writers.push_back(dictionary);

  KindWriter configuration;
  configuration.kind = catalog::Kind::text_search_configuration;
  configuration.section = Section::pre_data;
  configuration.create = &configuration_create;
  configuration.drop = &configuration_drop;
  configuration.reference = &configuration_reference;
  writers.push_back(configuration);
}

}  // namespace schemakit::ddl::extra
