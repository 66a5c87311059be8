// Materialized views, as pg_dump writes them: created WITH NO DATA in pre-data (so that views
// and functions may depend on them and their indexes can be built in post-data), and refreshed
// at the very end of post-data (KindWriter::finish) when the source was populated, once the
// rows are loaded. One that was never populated stays unpopulated. Column statistics targets,
// storage, compression and options follow the CREATE, as pg_dump writes them.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {

namespace {

// ALTER MATERIALIZED VIEW ... ALTER COLUMN for what the reader found set on a column (statistics
// target, storage, compression, attribute options), in attribute-name order.
std::string column_settings(const catalog::Object& object) {
  static const std::pair<std::string_view, std::string_view> kSettings[] = {
      {"column_statistics:", "SET STATISTICS {}"},
      {"column_storage:", "SET STORAGE {}"},
      {"column_compression:", "SET COMPRESSION {}"},
      {"column_options:", "SET ({})"},
  };
  std::string out;
  for (const auto& [name, value] : object.attributes) {
    for (const auto& [prefix, clause] : kSettings) {
      if (name.rfind(prefix, 0) != 0) continue;
      const std::string setting = fmt::format(fmt::runtime(clause), value);
      out += fmt::format("ALTER MATERIALIZED VIEW {} ALTER COLUMN {} {};\n", name_of(object),
                         quote_ident(name.substr(prefix.size())), setting);
    }
  }
  return out;
}

std::string materialized_view_create(const catalog::Object& object, const catalog::Catalog& catalog) {
  std::string out = "CREATE MATERIALIZED VIEW " + name_of(object);
  if (object.has("access_method")) out += " USING " + quote_ident(object.attr("access_method"));
  if (object.has("options")) out += " WITH (" + options_sql(object.attr("options")) + ")";
  if (object.has("tablespace")) out += " TABLESPACE " + quote_ident(object.attr("tablespace"));
  std::string definition = statement(object.attr(catalog::attr::definition));
  definition.resize(definition.size() - 2);  // the ";\n"
  out += " AS\n" + definition + "\n  WITH NO DATA;\n";
  return out + column_settings(object) + extension_marks_sql(object, "MATERIALIZED VIEW " + name_of(object)) +
         column_extras(object, catalog);
}

std::string materialized_view_finish(const catalog::Object& object, const catalog::Catalog&) {
  if (object.attr("populated") != "true") return "";
  return "REFRESH MATERIALIZED VIEW " + name_of(object) + ";\n";
}

std::string materialized_view_reference(const catalog::Object& object) {
  return "MATERIALIZED VIEW " + name_of(object);
}

std::string materialized_view_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + materialized_view_reference(object) + ";\n";
}

}  // namespace

void add_materialized_view_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::materialized_view;
  writer.section = Section::pre_data;
  writer.create = &materialized_view_create;
  writer.drop = &materialized_view_drop;
  writer.reference = &materialized_view_reference;
  writer.finish = &materialized_view_finish;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
