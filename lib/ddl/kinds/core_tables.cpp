// Writers for tables and their columns. A table writes its columns (a column's own create and
// drop are empty). Partitions are created as plain tables with every column and then attached
// (ALTER TABLE ... ATTACH PARTITION), as pg_dump does, so that a partition whose column order
// differs from its parent's comes back the same. Inheritance children list only the columns
// they declare themselves; the parent brings the rest.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "catalog/core_attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::core {

std::string sequence_options(const catalog::Object& o, const std::string& prefix, bool with_type);

namespace {

using catalog::Catalog;
using catalog::Object;
namespace attr = catalog::attr;

// `partition`: the column of a partition, which never declares an identity of its own (from
// PostgreSQL 17 a partition shares its parent's identity, given to it by ATTACH PARTITION).
std::string column_definition(const Object& c, bool partition) {
  std::string sql = quote_ident(c.id.name) + " " + c.attr(attr::column_type);
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

std::string create_table(const Object& t, const Catalog& catalog) {
  const std::string name = name_of(t);
  const bool partition = t.has(attr::table_partition_of);
  std::vector<const Object*> columns;
  for (const Object* child : catalog.children_of(t.id)) {
    if (child->id.kind == catalog::Kind::column) columns.push_back(child);
  }

  std::string sql = fmt::format("CREATE {}TABLE {} (", t.has(attr::table_unlogged) ? "UNLOGGED " : "", name);
  std::string after;  // per-column settings and the rest, once the table exists
  bool first = true;
  for (const Object* c : columns) {
    const bool declared_here = partition || !c->has(attr::column_not_local);
    const std::string column_ref = fmt::format("ALTER TABLE ONLY {} ALTER COLUMN {}", name, quote_ident(c->id.name));
    if (declared_here) {
      sql += first ? "\n    " : ",\n    ";
      sql += column_definition(*c, partition);
      // A column declared here and inherited too takes the parent's default when it has none
      // of its own (CREATE TABLE ... INHERITS merges them); one that has none (ALTER TABLE ...
      // INHERIT kept it so) says so, as pg_dump does.
      if (!partition && c->has(attr::column_inherited) && !c->has(attr::default_value) &&
          !c->has(attr::column_generated) && !c->has(attr::column_identity)) {
        const Object* from = parent_column(t, *c, catalog);
        if (from != nullptr && from->has(attr::default_value)) sql += " DEFAULT NULL";
      }
      first = false;
    } else {
      // Inherited only: the parent brings the column; what differs here is set afterwards.
      const Object* from = parent_column(t, *c, catalog);
      const bool parent_not_null = from != nullptr && from->has(attr::not_null);
      const std::string parent_default = from != nullptr ? from->attr(attr::default_value) : std::string();
      if (c->has(attr::not_null) && !parent_not_null) after += column_ref + " SET NOT NULL;\n";
      if (c->attr(attr::default_value) != parent_default) {
        after += c->has(attr::default_value) ? column_ref + " SET DEFAULT " + c->attr(attr::default_value) + ";\n"
                                             : column_ref + " DROP DEFAULT;\n";
      }
    }
    if (c->has(attr::column_statistics)) {
      after += column_ref + " SET STATISTICS " + c->attr(attr::column_statistics) + ";\n";
    }
    if (c->has(attr::column_storage)) {
      after += column_ref + " SET STORAGE " + upper_case(c->attr(attr::column_storage)) + ";\n";
    }
    if (c->has(attr::column_compression)) {
      after += column_ref + " SET COMPRESSION " + c->attr(attr::column_compression) + ";\n";
    }
    if (c->has(attr::column_options)) {
      after += column_ref + " SET (" + options_sql(c->attr(attr::column_options)) + ");\n";
    }
  }
  sql += first ? ")" : "\n)";
  if (t.has(attr::table_inherits)) sql += "\nINHERITS (" + t.attr(attr::table_inherits) + ")";
  if (t.has(attr::table_partition_key)) sql += "\nPARTITION BY " + t.attr(attr::table_partition_key);
  if (t.has(attr::table_access_method)) sql += "\nUSING " + quote_ident(t.attr(attr::table_access_method));
  if (t.has(attr::table_options)) sql += "\nWITH (" + options_sql(t.attr(attr::table_options)) + ")";
  sql += ";\n" + after;
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
  column.create = &nothing;
  column.drop = &nothing;
  column.reference = &reference_column;
  writers.push_back(column);
}

}  // namespace schemakit::ddl::core
