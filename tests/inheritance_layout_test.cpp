// Pure tests of the inheritance layout (order/inheritance.hpp): which columns of an inheritance
// tree up.sql adds after their table's CREATE TABLE, and the creation order that follows.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "catalog/attributes.hpp"
#include "catalog/core_attributes.hpp"
#include "order/inheritance.hpp"
#include "order/order.hpp"

namespace schemakit {
namespace {

using catalog::Catalog;
using catalog::Kind;
using catalog::Object;
using catalog::ObjectId;
namespace attr = catalog::attr;

// A column spec: name, then '^' when only inherited, '+' when declared and inherited.
struct Table {
  std::string name;
  std::vector<std::string> parents;
  std::vector<std::string> columns;
};

Catalog make_catalog(const std::vector<Table>& tables) {
  Catalog catalog;
  for (const Table& t : tables) {
    Object table;
    table.id = {Kind::table, "app", "", t.name, ""};
    std::string inherits;
    for (const auto& parent : t.parents) {
      inherits += (inherits.empty() ? "app." : ", app.") + parent;
      table.depends_on.push_back({Kind::table, "app", "", parent, ""});
    }
    if (!inherits.empty()) table.attributes[attr::table_inherits] = inherits;
    catalog.objects.push_back(table);
    int position = 0;
    for (std::string spec : t.columns) {
      Object column;
      const char mark = spec.back();
      if (mark == '^' || mark == '+') spec.pop_back();
      column.id = {Kind::column, "app", t.name, spec, ""};
      column.attributes[attr::column_type] = "integer";
      column.attributes[attr::position] = std::to_string(++position);
      if (mark == '^' || mark == '+') column.attributes[attr::column_inherited] = "true";
      if (mark == '^') column.attributes[attr::column_not_local] = "true";
      catalog.objects.push_back(column);
    }
  }
  catalog.sort_by_id();
  return catalog;
}

std::vector<std::string> late(const Catalog& catalog) {
  std::vector<std::string> out;
  for (const ObjectId& id : order::plan_inheritance(catalog).late_columns) out.push_back(id.table + "." + id.name);
  return out;
}

// Tables and late columns in creation order.
std::vector<std::string> creation(const Catalog& catalog) {
  const order::InheritanceLayout& layout = order::inheritance_layout(catalog);
  std::vector<std::string> out;
  for (const Object* o : order::creation_order(catalog)) {
    if (o->id.kind == Kind::table) out.push_back(o->id.name);
    if (o->id.kind == Kind::column && layout.is_late(o->id)) out.push_back(o->id.table + "." + o->id.name);
  }
  return out;
}

TEST(InheritanceLayout, ChildMadeFromAllItsParentsColumnsHasNoLateColumns) {
  const Catalog c = make_catalog({{"parent", {}, {"a", "b"}}, {"child", {"parent"}, {"a^", "b^", "c"}}});
  EXPECT_TRUE(late(c).empty());
}

TEST(InheritanceLayout, ParentColumnAddedAfterTheChildIsLate) {
  const Catalog c = make_catalog({{"parent", {}, {"a", "c"}}, {"child", {"parent"}, {"a^", "b", "c^"}}});
  EXPECT_EQ(late(c), (std::vector<std::string>{"child.c", "parent.c"}));
  EXPECT_EQ(creation(c), (std::vector<std::string>{"parent", "child", "parent.c", "child.c"}));
}

TEST(InheritanceLayout, ChildMadeBetweenTwoAdditions) {
  const Catalog c = make_catalog({{"p", {}, {"a", "b", "d"}},
                                  {"early", {"p"}, {"a^", "x", "b^", "d^"}},
                                  {"late", {"p"}, {"a^", "b^", "y", "d^"}}});
  EXPECT_EQ(creation(c), (std::vector<std::string>{"p", "early", "p.b", "late", "early.b", "p.d", "early.d", "late.d"}));
}

TEST(InheritanceLayout, TableAttachedWithItsOwnOrderGetsItsParentsColumnsMerged) {
  const Catalog c = make_catalog({{"base", {}, {"id", "note"}}, {"own", {"base"}, {"x", "note+", "id+"}}});
  EXPECT_EQ(late(c), (std::vector<std::string>{"base.id", "base.note"}));
  EXPECT_EQ(creation(c), (std::vector<std::string>{"base", "own", "base.id", "base.note"}));
}

TEST(InheritanceLayout, GrandchildGetsTheColumnThroughItsParent) {
  const Catalog c = make_catalog({{"a", {}, {"x", "z"}},
                                  {"b", {"a"}, {"x^", "y", "z^"}},
                                  {"c", {"b"}, {"x^", "y^", "w", "z^"}}});
  EXPECT_EQ(late(c), (std::vector<std::string>{"a.z", "b.z", "c.z"}));
  const order::InheritanceLayout layout = order::plan_inheritance(c);
  EXPECT_EQ(layout.brought_by.at({Kind::column, "app", "c", "z", ""}), (ObjectId{Kind::column, "app", "a", "z", ""}));
}

TEST(InheritanceLayout, SeveralParentsInTheirOrder) {
  const Catalog c = make_catalog({{"p1", {}, {"a", "late1"}},
                                  {"p2", {}, {"b", "a"}},
                                  {"child", {"p1", "p2"}, {"a+", "b^", "own", "late1^"}}});
  EXPECT_EQ(late(c), (std::vector<std::string>{"child.late1", "p1.late1"}));
}

}  // namespace
}  // namespace schemakit
