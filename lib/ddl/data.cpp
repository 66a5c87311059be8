#include "ddl/data.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <set>

#include "catalog/core_attributes.hpp"
#include "ddl/quote.hpp"

namespace schemakit::ddl {

size_t TableData::row_count() const {
  size_t n = 0;
  for (const auto& t : tables) n += t.rows.size();
  return n;
}

const TableRows* TableData::find(const catalog::ObjectId& table) const {
  for (const auto& t : tables) {
    if (t.table == table) return &t;
  }
  return nullptr;
}

std::string insert_statements(const TableRows& rows, size_t rows_per_statement) {
  if (rows.rows.empty()) return {};
  if (rows_per_statement == 0) rows_per_statement = 1;
  if (rows.columns.empty()) {
    // Every column is generated: the rows are only a count.
    std::string out;
    for (size_t r = 0; r < rows.rows.size(); ++r) {
      out += "INSERT INTO " + qualified(rows.table.schema, rows.table.name) + " DEFAULT VALUES;\n";
    }
    return out;
  }
  std::string head = "INSERT INTO " + qualified(rows.table.schema, rows.table.name) + " (";
  for (size_t i = 0; i < rows.columns.size(); ++i) {
    if (i > 0) head += ", ";
    head += quote_ident(rows.columns[i]);
  }
  head += rows.overriding_system_value ? ") OVERRIDING SYSTEM VALUE VALUES\n" : ") VALUES\n";
  std::string out;
  for (size_t r = 0; r < rows.rows.size(); ++r) {
    if (r % rows_per_statement == 0) out += head;
    out += '(';
    const auto& row = rows.rows[r];
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ", ";
      out += row[i] ? quote_literal(*row[i]) : std::string("NULL");
    }
    out += (r + 1 == rows.rows.size() || (r + 1) % rows_per_statement == 0) ? ");\n" : "),\n";
  }
  return out;
}

std::vector<catalog::ObjectId> load_order(const catalog::Catalog& catalog, std::vector<catalog::ObjectId> tables) {
  std::sort(tables.begin(), tables.end());
  std::set<catalog::ObjectId> wanted(tables.begin(), tables.end());
  // table -> tables it references through a foreign key
  std::map<catalog::ObjectId, std::set<catalog::ObjectId>> references;
  for (const auto& object : catalog.objects) {
    if (object.id.kind != catalog::Kind::constraint || object.attr(catalog::attr::constraint_type) != "foreign key") {
      continue;
    }
    catalog::ObjectId from{catalog::Kind::table, object.id.schema, "", object.id.table, ""};
    if (!wanted.count(from)) continue;
    for (const auto& dep : object.depends_on) {
      catalog::ObjectId to = dep.kind == catalog::Kind::table ? dep
                             : (dep.kind == catalog::Kind::constraint || dep.kind == catalog::Kind::index)
                                 ? catalog::ObjectId{catalog::Kind::table, dep.schema, "", dep.table, ""}
                                 : catalog::ObjectId{};
      if (to != from && wanted.count(to)) references[from].insert(to);
    }
  }
  std::vector<catalog::ObjectId> order;
  std::set<catalog::ObjectId> placed;
  while (order.size() < tables.size()) {
    bool progressed = false;
    for (const auto& t : tables) {
      if (placed.count(t)) continue;
      bool ready = true;
      for (const auto& r : references[t]) {
        if (!placed.count(r)) {
          ready = false;
          break;
        }
      }
      if (!ready) continue;
      order.push_back(t);
      placed.insert(t);
      progressed = true;
      break;  // restart from the smallest identity so the order is stable
    }
    if (!progressed) {
      // A loop of foreign keys: take the smallest unplaced table.
      for (const auto& t : tables) {
        if (!placed.count(t)) {
          order.push_back(t);
          placed.insert(t);
          break;
        }
      }
    }
  }
  return order;
}

}  // namespace schemakit::ddl
