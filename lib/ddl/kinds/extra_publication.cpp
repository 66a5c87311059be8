// Publications, post-data (after the tables they publish), each table with ONLY.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

// The `tables` attribute ("app.a (id, v) WHERE ((id > 5)), app.b") with ONLY before each table,
// as pg_dump writes them: publishing a table without ONLY adds its inheritance children too, and
// they are members of their own (read among the tables) when the source had them. Entries are
// split at commas outside parentheses, quoted names and string literals.
std::string only_tables(const std::string& tables) {
  std::string out = "ONLY ";
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i < tables.size(); ++i) {
    const char c = tables[i];
    out += c;
    if (quote != 0) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: the same result
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == ',' && depth == 0) {
      while (i + 1 < tables.size() && tables[i + 1] == ' ') ++i;
      out += " ONLY ";
    }
  }
  return out;
}

std::string publication_create(const catalog::Object& object, const catalog::Catalog&) {
  std::string out = "CREATE PUBLICATION " + quote_ident(object.id.name);
  if (object.attr("all_tables") == "true") {
    out += " FOR ALL TABLES";
  } else {
    std::vector<std::string> parts;
    if (object.has("tables")) parts.push_back("TABLE " + only_tables(object.attr("tables")));
    if (object.has("schemas")) parts.push_back("TABLES IN SCHEMA " + object.attr("schemas"));
    for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? " FOR " : ", ") + parts[i];
  }
  out += fmt::format(" WITH (publish = {}", quote_literal(object.attr("publish")));
  if (object.attr("publish_via_partition_root") == "true") out += ", publish_via_partition_root = true";
  return out + ");\n";
}

std::string publication_reference(const catalog::Object& object) {
  return "PUBLICATION " + quote_ident(object.id.name);
}

std::string publication_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + publication_reference(object) + ";\n";
}

}  // namespace

void add_publication_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::publication;
  writer.section = Section::post_data;
  writer.create = &publication_create;
  writer.drop = &publication_drop;
  writer.reference = &publication_reference;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
