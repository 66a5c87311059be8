// Writers for tables and their columns. A table writes its columns (a column's own create and
// drop are empty). Partitions are created as plain tables with every column and then attached
// (ALTER TABLE ... ATTACH PARTITION), as pg_dump does, so that a partition whose column order
// differs from its parent's comes back the same. Inheritance children list only the columns
// they declare themselves; the parent brings the rest. In an inheritance tree, columns that
// CREATE TABLE ... INHERITS would put out of the replayed order are late (order/inheritance.hpp):
// the table is created without them and each is written on its own, in its place in the order:
// ALTER TABLE ... ADD COLUMN for one the table declares (it reaches the children that exist), the
// settings of its own for one it only inherits.
#include <fmt/core.h>

#include <cstdlib>

#include "catalog/attributes.hpp"
#include "catalog/core_attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/writer.hpp"
#include "order/inheritance.hpp"

namespace schemakit::ddl::core {

std::string sequence_options(const catalog::Object& o, const std::string& prefix, bool with_type);

namespace {

using catalog::Catalog;
using catalog::Object;
namespace attr = catalog::attr;

// `partition`: the column of a partition, which never declares an identity of its own (from
// PostgreSQL 17 a partition shares its parent's identity, given to it by ATTACH PARTITION).
std::string column_qualifiers(const Object& c, bool partition) {
  std::string sql;
  if (c.has(attr::collation)) sql += " COLLATE " + c.attr(attr::collation);
  if (c.has(attr::column_generated)) sql += " GENERATED ALWAYS AS (" + c.attr(attr::column_generated) + ") STORED";
  if (c.has(attr::column_identity) && !partition) {
    sql += fmt::format(" GENERATED {} AS IDENTITY", c.attr(attr::column_identity) == "always" ? "ALWAYS" : "BY DEFAULT");
    if (c.has(attr::identity_sequence)) {
      sql += fmt::format(" (SEQUENCE NAME {}{})", c.attr(attr::identity_sequence),
                         sequence_options(c, attr::identity_prefix, false));
    }
  }
  if (c.has(attr::default_value)) sql += " DEFAULT " + c.attr(attr::default_value);
  if (c.has(attr::not_null)) sql += " NOT NULL";
  return sql;
}

std::string column_definition(const Object& c, bool partition) {
  return quote_ident(c.id.name) + " " + c.attr(attr::column_type) + column_qualifiers(c, partition);
}

// The column of the same name in one of the table's inheritance parents, if any.
const Object* parent_column(const Object& table, const Object& column, const Catalog& catalog) {
  for (const auto& dep : table.depends_on) {
    if (dep.kind != catalog::Kind::table) continue;
    if (const Object* found = catalog.find({catalog::Kind::column, dep.schema, dep.name, column.id.name, ""})) {
      return found;
    }
  }
  return nullptr;
}

// What an inherited column has other than what it inherited (`from`, the column it came from:
// its default and NOT NULL), and its own settings, as ALTER TABLE ONLY statements.
std::string own_column_settings(const std::string& table, const Object& c, const Object* from, bool inherited) {
  const std::string column_ref = fmt::format("ALTER TABLE ONLY {} ALTER COLUMN {}", table, quote_ident(c.id.name));
  std::string sql;
  if (inherited) {
    const bool from_not_null = from != nullptr && from->has(attr::not_null);
    const std::string from_default = from != nullptr ? from->attr(attr::default_value) : std::string();
    if (c.has(attr::not_null) && !from_not_null) sql += column_ref + " SET NOT NULL;\n";
    if (!c.has(attr::not_null) && from_not_null) sql += column_ref + " DROP NOT NULL;\n";
    if (c.attr(attr::default_value) != from_default) {
      sql += c.has(attr::default_value) ? column_ref + " SET DEFAULT " + c.attr(attr::default_value) + ";\n"
                                        : column_ref + " DROP DEFAULT;\n";
    }
  }
  if (c.has(attr::column_statistics)) sql += column_ref + " SET STATISTICS " + c.attr(attr::column_statistics) + ";\n";
  if (c.has(attr::column_storage)) sql += column_ref + " SET STORAGE " + upper_case(c.attr(attr::column_storage)) + ";\n";
  if (c.has(attr::column_compression)) sql += column_ref + " SET COMPRESSION " + c.attr(attr::column_compression) + ";\n";
  if (c.has(attr::column_options)) sql += column_ref + " SET (" + options_sql(c.attr(attr::column_options)) + ");\n";
  return sql;
}

// Whether a column the table declares is one its parents have when the table is made (CREATE
// TABLE ... INHERITS merges the two); one a parent gets later merges by that ALTER TABLE ... ADD
// COLUMN, which leaves the child's default alone.
bool merges_when_made(const Object& table, const Object& column, const order::InheritanceLayout& inheritance) {
  auto planned = inheritance.columns_from_parents.find(table.id);
  if (planned == inheritance.columns_from_parents.end()) return true;
  return static_cast<size_t>(std::atoi(column.attr(attr::position).c_str())) <= planned->second;
}

std::string create_table(const Object& t, const Catalog& catalog) {
  const std::string name = name_of(t);
  const bool partition = t.has(attr::table_partition_of);
  const order::InheritanceLayout& inheritance = order::inheritance_layout(catalog);
  std::vector<const Object*> columns;
  for (const Object* child : catalog.children_of(t.id)) {
    if (child->id.kind == catalog::Kind::column && !inheritance.is_late(child->id)) columns.push_back(child);
  }

  const bool typed = t.has(attr::table_of_type);
  std::string sql = fmt::format("CREATE {}TABLE {}{}", t.has(attr::table_unlogged) ? "UNLOGGED " : "", name,
                                typed ? " OF " + t.attr(attr::table_of_type) : " (");
  std::string after;  // per-column settings and the rest, once the table exists
  bool first = true;
  for (const Object* c : columns) {
    const bool declared_here = partition || !c->has(attr::column_not_local);
    if (typed) {
      // The type gives the column; what the table adds to it is written WITH OPTIONS.
      const std::string qualifiers = column_qualifiers(*c, partition);
      if (!qualifiers.empty()) {
        sql += first ? " (\n    " : ",\n    ";
        sql += quote_ident(c->id.name) + " WITH OPTIONS" + qualifiers;
        first = false;
      }
    } else if (declared_here) {
      sql += first ? "\n    " : ",\n    ";
      sql += column_definition(*c, partition);
      // A column declared here and inherited too takes the parent's default when it has none
      // of its own (CREATE TABLE ... INHERITS merges them); one that has none (ALTER TABLE ...
      // INHERIT kept it so) says so, as pg_dump does.
      if (!partition && c->has(attr::column_inherited) && !c->has(attr::default_value) &&
          !c->has(attr::column_generated) && !c->has(attr::column_identity) && merges_when_made(t, *c, inheritance)) {
        const Object* from = parent_column(t, *c, catalog);
        if (from != nullptr && from->has(attr::default_value)) sql += " DEFAULT NULL";
      }
      first = false;
    }
    // Inherited only: the parent brings the column; what differs here is set afterwards.
    after += own_column_settings(name, *c, declared_here ? nullptr : parent_column(t, *c, catalog), !declared_here);
  }
  if (!typed || !first) sql += first ? ")" : "\n)";
  if (t.has(attr::table_inherits) && inheritance.attached.count(t.id) == 0) {
    sql += "\nINHERITS (" + t.attr(attr::table_inherits) + ")";
  }
  if (t.has(attr::table_partition_key)) sql += "\nPARTITION BY " + t.attr(attr::table_partition_key);
  if (t.has(attr::table_access_method)) sql += "\nUSING " + quote_ident(t.attr(attr::table_access_method));
  if (t.has(attr::table_options)) sql += "\nWITH (" + options_sql(t.attr(attr::table_options)) + ")";
  sql += ";\n";
  auto attached = inheritance.attached.find(t.id);
  if (attached != inheritance.attached.end()) {
    for (const auto& parent : attached->second) {
      sql += fmt::format("ALTER TABLE {} INHERIT {};\n", name, qualified(parent.schema, parent.name));
    }
  }
  sql += after;
  if (partition) {
    sql += fmt::format("ALTER TABLE ONLY {} ATTACH PARTITION {} {};\n", t.attr(attr::table_partition_of), name,
                       t.attr(attr::table_partition_bound));
  }
  if (t.has(attr::table_row_security)) sql += fmt::format("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;\n", name);
  if (t.has(attr::table_force_row_security)) sql += fmt::format("ALTER TABLE {} FORCE ROW LEVEL SECURITY;\n", name);
  if (t.has(attr::table_replica_identity)) {
    sql += fmt::format("ALTER TABLE ONLY {} REPLICA IDENTITY {};\n", name,
                       t.attr(attr::table_replica_identity) == "full" ? "FULL" : "NOTHING");
  }
  return sql;
}

std::string drop_table(const Object& t, const Catalog&) { return fmt::format("DROP TABLE {};\n", name_of(t)); }
std::string reference_table(const Object& t) { return "TABLE " + name_of(t); }

std::string nothing(const Object&, const Catalog&) { return {}; }

// A late column (order/inheritance.hpp); the others are written by their table.
std::string create_column(const Object& c, const Catalog& catalog) {
  const order::InheritanceLayout& inheritance = order::inheritance_layout(catalog);
  if (!inheritance.is_late(c.id)) return {};
  const std::string table = table_of(c);
  auto brought_by = inheritance.brought_by.find(c.id);
  if (brought_by == inheritance.brought_by.end()) {
    // Not ONLY: the children that exist get it too, as in the replay.
    return fmt::format("ALTER TABLE {} ADD COLUMN {};\n", table, column_definition(c, false)) +
           own_column_settings(table, c, nullptr, false);
  }
  // The ancestor's ADD COLUMN gave it that column's default and NOT NULL.
  return own_column_settings(table, c, catalog.find(brought_by->second), true);
}
std::string reference_column(const Object& c) {
  return "COLUMN " + table_of(c) + "." + quote_ident(c.id.name);
}

}  // namespace

void add_table_writers(std::vector<KindWriter>& writers) {
  KindWriter table;
  table.kind = catalog::Kind::table;
  table.section = Section::pre_data;
  table.create = &create_table;
  table.drop = &drop_table;
  table.reference = &reference_table;
  writers.push_back(table);

  KindWriter column;
  column.kind = catalog::Kind::column;
  column.section = Section::pre_data;
  column.create = &create_column;
  column.drop = &nothing;
  column.reference = &reference_column;
  writers.push_back(column);
}

}  // namespace schemakit::ddl::core
