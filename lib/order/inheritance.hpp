#pragma once
// The column order of inheritance trees. CREATE TABLE child (...) INHERITS (parent) puts the
// parents' columns first (merged by name, in the parents' order) and the child's own after them;
// ALTER TABLE parent ADD COLUMN appends the column to the parent and to every child that exists,
// after the child's own columns. A history that adds a column to a parent after a child was made
// leaves the child's columns in an order that creating the parent whole and then the child cannot
// give (pg_dump has the same limit). The layout reconstructs a history that gives every table of
// the tree its replayed column order, its columns' attislocal and attinhcount:
//
// - each table is created (CREATE TABLE ... INHERITS) when its parents have the columns that come
//   before its own, with the columns it declares up to the first one that must wait;
// - the rest are its late columns: a column the table declares is added with ALTER TABLE ... ADD
//   COLUMN (which appends it to the children that exist by then, or merges it into a column a
//   child declared itself), one it only inherits is brought by the ADD COLUMN of the ancestor
//   that declares it (brought_by) and then only given its own settings;
// - where the children's first columns do not give such a history, tables are changed one at a
//   time until they do: one that starts with a column of its own is made alone and attached with
//   ALTER TABLE ... INHERIT (`attached`), as it probably was, or one is made with fewer columns
//   from its parents (the rest come from their ADD COLUMN);
// - `after` orders creations and additions as that history needs them.
//
// Tables that are not in an inheritance tree, partitions and partitioned tables (whose partitions
// are written as tables with every column and then attached) have no late columns. Trees with a
// foreign table in them are left as they are (the foreign table's writer lists its columns).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "catalog/model.hpp"

namespace schemakit::order {

struct InheritanceLayout {
  std::set<catalog::ObjectId> late_columns;
  // A late column its table only inherits -> the late column whose ADD COLUMN brings it.
  std::map<catalog::ObjectId, catalog::ObjectId> brought_by;
  // Table or late column -> tables and late columns that must be written before it.
  std::map<catalog::ObjectId, std::vector<catalog::ObjectId>> after;

  // The tables of the trees planned, and each one's last late column (after all its others).
  std::set<catalog::ObjectId> tables;
  std::map<catalog::ObjectId, catalog::ObjectId> last_late_column;
  // How many leading columns each table of those trees has from its parents when it is made
  // (a column it declares among them merges with the parent's, taking its default).
  std::map<catalog::ObjectId, size_t> columns_from_parents;
  // Tables made on their own and attached with ALTER TABLE ... INHERIT right after their CREATE
  // TABLE: INHERITS cannot give their columns' order.
  std::map<catalog::ObjectId, std::vector<catalog::ObjectId>> attached;  // -> its parents, in order

  bool is_late(const catalog::ObjectId& column) const { return late_columns.count(column) > 0; }
};

// Throws InputError naming the tables when no such history gives their column order.
InheritanceLayout plan_inheritance(const catalog::Catalog& catalog);

// plan_inheritance(catalog), computed once per catalog the writers are given: the table and column
// writers ask for every table and column. creation_plan() forgets what was computed before, so a
// catalog that now lives where an older one lived is never answered from it.
const InheritanceLayout& inheritance_layout(const catalog::Catalog& catalog);
void forget_inheritance_layouts();

}  // namespace schemakit::order
