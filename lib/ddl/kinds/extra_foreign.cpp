// Foreign servers and foreign tables, pre-data. A foreign table that is a partition is created
// with all its columns and then attached, as pg_dump does, so that its own column options
// survive.
#include <fmt/core.h>

#include <set>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

std::string server_create(const catalog::Object& object, const catalog::Catalog&) {
  std::string out = "CREATE SERVER " + quote_ident(object.id.name);
  if (object.has("type")) out += " TYPE " + quote_literal(object.attr("type"));
  if (object.has("version")) out += " VERSION " + quote_literal(object.attr("version"));
  out += " FOREIGN DATA WRAPPER " + quote_ident(object.attr("wrapper"));
  if (object.has("options")) out += " OPTIONS (" + object.attr("options") + ")";
  out += ";\n";
  // The user mappings, "user_mapping:<role as SQL or PUBLIC>" = options.
  const std::string prefix = "user_mapping:";
  for (auto it = object.attributes.lower_bound(prefix); it != object.attributes.end() && it->first.rfind(prefix, 0) == 0;
       ++it) {
    out += fmt::format("CREATE USER MAPPING FOR {} SERVER {}", it->first.substr(prefix.size()), quote_ident(object.id.name));
    if (!it->second.empty()) out += " OPTIONS (" + it->second + ")";
    out += ";\n";
  }
  return out;
}

std::string server_reference(const catalog::Object& object) { return "SERVER " + quote_ident(object.id.name); }

std::string server_drop(const catalog::Object& object, const catalog::Catalog&) {
  std::string out;
  const std::string prefix = "user_mapping:";
  for (auto it = object.attributes.lower_bound(prefix); it != object.attributes.end() && it->first.rfind(prefix, 0) == 0;
       ++it) {
    out += fmt::format("DROP USER MAPPING FOR {} SERVER {};\n", it->first.substr(prefix.size()), quote_ident(object.id.name));
  }
  return out + "DROP " + server_reference(object) + ";\n";
}

// The column name a column line starts with, as SQL writes it: plain, or quoted with "" inside.
std::string leading_name(const std::string& line) {
  if (line.empty() || line.front() != '"') return line.substr(0, line.find(' '));
  size_t at = 1;
  while (at < line.size()) {
    if (line[at] == '"') {
      if (at + 1 < line.size() && line[at + 1] == '"') {
        at += 2;
        continue;
      }
      return line.substr(0, at + 1);
    }
    ++at;
  }
  return line;
}

// SQL names separated by ", " outside double quotes, as a set.
std::set<std::string> name_list(const std::string& list) {
  std::set<std::string> names;
  std::string current;
  bool quoted = false;
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i] == '"') quoted = !quoted;
    if (!quoted && list.compare(i, 2, ", ") == 0) {
      names.insert(current);
      current.clear();
      ++i;
      continue;
    }
    current += list[i];
  }
  if (!current.empty()) names.insert(current);
  return names;
}

std::string foreign_table_create(const catalog::Object& object, const catalog::Catalog& catalog) {
  const std::string relation = name_of(object);
  // An inheritance child lists only its own columns; the parents bring the rest.
  const std::set<std::string> inherited = name_list(object.attr("inherited_columns"));
  std::string columns;
  const std::string& lines = object.attr("columns");
  size_t start = 0;
  while (start < lines.size()) {
    size_t end = lines.find('\n', start);
    if (end == std::string::npos) end = lines.size();
    const std::string line = lines.substr(start, end - start);
    if (inherited.count(leading_name(line)) == 0) columns += (columns.empty() ? "\n    " : ",\n    ") + line;
    start = end + 1;
  }
  // Valid checks go into the CREATE; NOT VALID ones (not accepted there) are added after.
  std::string not_valid;
  const std::string& constraints = object.attr("constraints");
  start = 0;
  while (start < constraints.size()) {
    size_t end = constraints.find('\n', start);
    if (end == std::string::npos) end = constraints.size();
    const std::string line = constraints.substr(start, end - start);
    if (ends_with(line, " NOT VALID")) {
      not_valid += fmt::format("ALTER FOREIGN TABLE {} ADD {};\n", relation, line);
    } else {
      columns += (columns.empty() ? "\n    " : ",\n    ") + line;
    }
    start = end + 1;
  }
  std::string out = fmt::format("CREATE FOREIGN TABLE {} ({}\n)", relation, columns);
  if (object.has("inherits")) out += " INHERITS (" + object.attr("inherits") + ")";
  out += " SERVER " + quote_ident(object.attr("server"));
  if (object.has("options")) out += " OPTIONS (" + object.attr("options") + ")";
  out += ";\n";
  if (object.has("partition_of")) {
    out += fmt::format("ALTER TABLE {} ATTACH PARTITION {} {};\n", object.attr("partition_of"), relation,
                       object.attr("partition_bound"));
  }
  for (const auto& [name, value] : object.attributes) {
    if (name.rfind("column_options:", 0) == 0) {
      out += fmt::format("ALTER FOREIGN TABLE {} ALTER COLUMN {} OPTIONS ({});\n", relation,
                         quote_ident(name.substr(std::string_view("column_options:").size())), value);
    }
  }
  // Statistics targets, storage and attribute options of its own columns only (ONLY: a child's
  // are its own attributes).
  static const std::pair<std::string_view, std::string_view> kSettings[] = {
      {"column_statistics:", "SET STATISTICS {}"},
      {"column_storage:", "SET STORAGE {}"},
      {"column_attribute_options:", "SET ({})"},
  };
  for (const auto& [name, value] : object.attributes) {
    for (const auto& [prefix, clause] : kSettings) {
      if (name.rfind(prefix, 0) != 0) continue;
      out += fmt::format("ALTER FOREIGN TABLE ONLY {} ALTER COLUMN {} {};\n", relation,
                         quote_ident(name.substr(prefix.size())), fmt::format(fmt::runtime(clause), value));
    }
  }
  return out + not_valid + column_extras(object, catalog);
}

std::string foreign_table_reference(const catalog::Object& object) {
  return "FOREIGN TABLE " + name_of(object);
}

std::string foreign_table_drop(const catalog::Object& object, const catalog::Catalog&) {
  return "DROP " + foreign_table_reference(object) + ";\n";
}

}  // namespace

void add_foreign_writers(std::vector<KindWriter>& writers) {
  KindWriter server;
  server.kind = catalog::Kind::foreign_server;
  server.section = Section::pre_data;
  server.create = &server_create;
  server.drop = &server_drop;
  server.reference = &server_reference;
  writers.push_back(server);

  KindWriter table;
  table.kind = catalog::Kind::foreign_table;
  table.section = Section::pre_data;
  table.create = &foreign_table_create;
  table.drop = &foreign_table_drop;
  table.reference = &foreign_table_reference;
  writers.push_back(table);
}

}  // namespace schemakit::ddl::extra
