// Writers for table constraints and indexes (post-data, as pg_dump writes them): ALTER TABLE
// ... ADD CONSTRAINT with the server's definition, CREATE INDEX as pg_get_indexdef gave it, then
// what goes with them: attaching a partition's index to its parent's, CLUSTER ON, REPLICA
// IDENTITY USING INDEX.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "catalog/core_attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::core {
namespace {

using catalog::Catalog;
using catalog::Object;
namespace attr = catalog::attr;

// Attach, CLUSTER ON and REPLICA IDENTITY for the index named `index` (unqualified) of `o`.
std::string index_settings(const Object& o, const std::string& index) {
  std::string sql;
  if (o.has(attr::attached_to)) {
    sql += fmt::format("ALTER INDEX {} ATTACH PARTITION {};\n", o.attr(attr::attached_to),
                       qualified(o.id.schema, index));
  }
  if (o.has(attr::clustered)) sql += fmt::format("ALTER TABLE {} CLUSTER ON {};\n", table_of(o), quote_ident(index));
  if (o.has(attr::replica_identity)) {
    sql += fmt::format("ALTER TABLE ONLY {} REPLICA IDENTITY USING INDEX {};\n", table_of(o), quote_ident(index));
  }
  return sql;
}

bool has_own_index(const Object& c) {
  const std::string& type = c.attr(attr::constraint_type);
  return type == "primary key" || type == "unique" || type == "exclusion";
}

// A key's definition with its index's storage parameters put back where the grammar wants
// them: after the columns and INCLUDE, before DEFERRABLE / INITIALLY DEFERRED (the tail
// pg_get_constraintdef appends last). An exclusion's definition has them already. ALTER INDEX
// ... SET afterwards would not do: a partitioned table's index refuses it.
std::string definition_with_index_options(const Object& c) {
  const std::string& definition = c.attr(attr::definition);
  if (!c.has(attr::constraint_index_options)) return definition;
  std::string_view head = definition;
  for (std::string_view tail : {" INITIALLY DEFERRED", " DEFERRABLE"}) {
    if (head.size() >= tail.size() && head.substr(head.size() - tail.size()) == tail) {
      head.remove_suffix(tail.size());
    }
  }
  return std::string(head) + " WITH (" + options_sql(c.attr(attr::constraint_index_options)) + ")" +
         definition.substr(head.size());
}

std::string create_constraint(const Object& c, const Catalog&) {
  // Key constraints are added to this table ONLY: a partitioned parent's partitions get theirs
  // from their own entries, attached below. Checks and foreign keys recurse to partitions and
  // inheritance children, which the reader left without a copy of their own.
  const bool only = has_own_index(c);
  std::string sql = fmt::format("ALTER TABLE {}{} ADD CONSTRAINT {} {};\n", only ? "ONLY " : "", table_of(c),
                                quote_ident(c.id.name), definition_with_index_options(c));
  if (has_own_index(c)) sql += index_settings(c, c.id.name);
  return sql;
}

std::string drop_constraint(const Object& c, const Catalog&) {
  // An attached partition's key goes with its parent's, a check merged with a parent's cannot
  // be dropped alone (it goes with the table).
  if (c.has(attr::attached_to) || c.has(attr::constraint_inherited)) return {};
  return fmt::format("ALTER TABLE {} DROP CONSTRAINT {};\n", table_of(c), quote_ident(c.id.name));
}

std::string reference_constraint(const Object& c) {
  return fmt::format("CONSTRAINT {} ON {}", quote_ident(c.id.name), table_of(c));
}

std::string create_index(const Object& i, const Catalog&) {
  std::string sql = i.attr(attr::definition) + ";\n" + index_settings(i, i.id.name);
  // "2=500, 3=100": statistics targets of expression columns, by column number.
  std::string_view targets = i.attr(attr::index_statistics);
  while (!targets.empty()) {
    const size_t comma = targets.find(", ");
    const std::string_view item = targets.substr(0, comma);
    const size_t eq = item.find('=');
    if (eq != std::string_view::npos) {
      sql += fmt::format("ALTER INDEX {} ALTER COLUMN {} SET STATISTICS {};\n", name_of(i), item.substr(0, eq),
                         item.substr(eq + 1));
    }
    targets = comma == std::string_view::npos ? std::string_view() : targets.substr(comma + 2);
  }
  return sql;
}

std::string drop_index(const Object& i, const Catalog&) {
  if (i.has(attr::attached_to)) return {};
  return fmt::format("DROP INDEX {};\n", name_of(i));
}

std::string reference_index(const Object& i) { return "INDEX " + name_of(i); }

}  // namespace

void add_constraint_writers(std::vector<KindWriter>& writers) {
  KindWriter constraint;
  constraint.kind = catalog::Kind::constraint;
  constraint.section = Section::post_data;
  constraint.create = &create_constraint;
  constraint.drop = &drop_constraint;
  constraint.reference = &reference_constraint;
  writers.push_back(constraint);

  KindWriter index;
  index.kind = catalog::Kind::index;
  index.section = Section::post_data;
  index.create = &create_index;
  index.drop = &drop_index;
  index.reference = &reference_index;
  writers.push_back(index);
}

}  // namespace schemakit::ddl::core
