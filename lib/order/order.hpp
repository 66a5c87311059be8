#pragma once
// A stable topological sort of catalog objects (pg_dump's idea, Kahn's algorithm): every object
// comes after the objects it depends on, and when the dependencies allow several orders the
// smallest identity comes first: kind priority (the declaration order of catalog::Kind), then
// schema, then table, then name, then signature. The result is byte-identical run to run.
//
// Loops: foreign keys and the other table constraints are separate objects, written as ALTER
// TABLE ... ADD CONSTRAINT after every table (pg_dump's repair for two tables that reference each
// other, applied up front), so they never close a loop. A loop through a column default (the
// default calls a function that reads the table or takes its row type) is broken as pg_dump
// breaks it: the default is set after the table and the function (CreationPlan). A loop that
// remains is an Error that names the objects on it.
#include <cstddef>
#include <set>
#include <vector>

#include "catalog/model.hpp"

namespace schemakit::order {

// One thing to sort. depends_on may name ids that are not among the items (objects outside the
// model); such edges are ignored.
struct Item {
  catalog::ObjectId id;
  std::vector<catalog::ObjectId> depends_on;
};

// Indexes into `items` in creation order. Ids must be unique. Throws Error naming the objects
// of a dependency loop.
std::vector<size_t> topological_order(const std::vector<Item>& items);

struct CreationPlan {
  // Every object of the catalog in creation order. Columns are written by their table (or
  // foreign table), so each column is folded into it: its dependencies become the table's,
  // dependencies on it become dependencies on the table, and it is listed right after the
  // table, in position order. Other objects keep their own place. The late columns of an
  // inheritance tree (order/inheritance.hpp) are not folded: each is listed where ALTER TABLE ...
  // ADD COLUMN adds it (or where the addition to an ancestor brings it), in the order the tree's
  // reconstructed history needs, and what depends on one comes after it.
  std::vector<const catalog::Object*> objects;
  // Columns whose default closes a loop: their table is created without the default, and
  // `objects` lists them where it is set (ALTER TABLE ... SET DEFAULT): after their table and
  // everything the default needs.
  std::set<catalog::ObjectId> separate_defaults;
};

CreationPlan creation_plan(const catalog::Catalog& catalog);

// creation_plan(catalog).objects
std::vector<const catalog::Object*> creation_order(const catalog::Catalog& catalog);

// The object that writes `id` (the table for a column; the object itself otherwise).
catalog::ObjectId writing_object(const catalog::Catalog& catalog, const catalog::ObjectId& id);

}  // namespace schemakit::order
