// Pure tests of the topological sort: kind priority, then schema, then name break ties;
// dependencies win over priority; the output does not depend on the input order; loops are
// reported by name; columns travel with their table; a loop through a column default is broken.
#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "catalog/attributes.hpp"
#include "catalog/core_attributes.hpp"
#include "common/error.hpp"
#include "order/order.hpp"

namespace schemakit {
namespace {

using catalog::Kind;
using catalog::ObjectId;
using order::Item;

ObjectId id(Kind kind, std::string schema, std::string name, std::string table = "") {
  return {kind, std::move(schema), std::move(table), std::move(name), ""};
}

std::vector<std::string> names(const std::vector<Item>& items, const std::vector<size_t>& order) {
  std::vector<std::string> out;
  for (size_t i : order) out.push_back(catalog::display_name(items[i].id));
  return out;
}

TEST(TopologicalOrder, TiesBreakByKindThenSchemaThenName) {
  std::vector<Item> items = {
      {id(Kind::table, "b", "t"), {}},   {id(Kind::table, "a", "z"), {}}, {id(Kind::schema, "", "b"), {}},
      {id(Kind::table, "a", "y"), {}},   {id(Kind::schema, "", "a"), {}}, {id(Kind::sequence, "z", "s"), {}},
  };
  EXPECT_EQ(names(items, order::topological_order(items)),
            (std::vector<std::string>{"a", "b", "z.s", "a.y", "a.z", "b.t"}));
}

TEST(TopologicalOrder, DependenciesComeFirstWhateverTheirPriority) {
  // A table whose column default calls a function: the function (lower priority than schemas
  // would suggest nothing) must come before the table, and the view after both.
  std::vector<Item> items = {
      {id(Kind::view, "app", "v"), {id(Kind::table, "app", "t")}},
      {id(Kind::table, "app", "t"), {id(Kind::function, "app", "f"), id(Kind::schema, "", "app")}},
      {id(Kind::function, "app", "f"), {id(Kind::schema, "", "app"), id(Kind::table, "app", "helper")}},
      {id(Kind::table, "app", "helper"), {id(Kind::schema, "", "app")}},
      {id(Kind::schema, "", "app"), {}},
  };
  EXPECT_EQ(names(items, order::topological_order(items)),
            (std::vector<std::string>{"app", "app.helper", "app.f()", "app.t", "app.v"}));
}

TEST(TopologicalOrder, SameResultWhateverTheInputOrder) {
  std::vector<Item> items;
  for (int i = 0; i < 50; ++i) {
    // fmt rather than "s" + std::to_string(): GCC 12 at -O3 warns (-Wrestrict) on the latter.
    Item item{id(i % 3 == 0 ? Kind::table : Kind::view, fmt::format("s{}", i % 4), fmt::format("o{}", i)), {}};
    if (i > 5) item.depends_on.push_back(items[static_cast<size_t>(i * 7 % i)].id);
    items.push_back(item);
  }
  auto reference = names(items, order::topological_order(items));
  std::mt19937 random(42);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(items.begin(), items.end(), random);
    for (auto& item : items) std::shuffle(item.depends_on.begin(), item.depends_on.end(), random);
    EXPECT_EQ(names(items, order::topological_order(items)), reference);
  }
}

TEST(TopologicalOrder, UnknownDependenciesAndSelfEdgesAreIgnored) {
  std::vector<Item> items = {
      {id(Kind::table, "a", "t"), {id(Kind::table, "a", "t"), id(Kind::extension, "", "not_modelled")}},
  };
  EXPECT_EQ(order::topological_order(items), (std::vector<size_t>{0}));
}

TEST(TopologicalOrder, LoopIsAnErrorNamingItsObjects) {
  std::vector<Item> items = {
      {id(Kind::schema, "", "app"), {}},
      {id(Kind::view, "app", "a"), {id(Kind::view, "app", "b")}},
      {id(Kind::view, "app", "b"), {id(Kind::view, "app", "c")}},
      {id(Kind::view, "app", "c"), {id(Kind::view, "app", "a")}},
  };
  try {
    order::topological_order(items);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("3 objects depend on each other"), std::string::npos) << message;
    EXPECT_NE(message.find("view app.a -> view app.b -> view app.c -> view app.a"), std::string::npos) << message;
  }
}

TEST(TopologicalOrder, DuplicateIdentityIsAnError) {
  std::vector<Item> items = {{id(Kind::table, "a", "t"), {}}, {id(Kind::table, "a", "t"), {}}};
  EXPECT_THROW(order::topological_order(items), Error);
}

catalog::Object object(ObjectId object_id, std::vector<ObjectId> deps = {}, std::string position = "") {
  catalog::Object o;
  o.id = std::move(object_id);
  o.depends_on = std::move(deps);
  if (!position.empty()) o.attributes[catalog::attr::position] = position;
  return o;
}

TEST(CreationOrder, ColumnsTravelWithTheirTableAndBringTheirDependencies) {
  catalog::Catalog c;
  c.objects = {
      object(id(Kind::schema, "", "app")),
      object(id(Kind::table, "app", "t"), {id(Kind::schema, "", "app")}),
      // The second column's type is an enum: the table must wait for it.
      object(id(Kind::column, "app", "b", "t"), {id(Kind::enum_type, "app", "mood")}, "2"),
      object(id(Kind::column, "app", "a", "t"), {}, "1"),
      object(id(Kind::enum_type, "app", "mood"), {id(Kind::schema, "", "app")}),
      // An index on the column depends on the column: it follows the table.
      object(id(Kind::index, "app", "t_b", "t"), {id(Kind::column, "app", "b", "t")}),
      object(id(Kind::view, "app", "early"), {id(Kind::schema, "", "app")}),
  };
  c.sort_by_id();
  std::vector<std::string> out;
  for (const auto* o : order::creation_order(c)) {
    out.push_back(std::string(catalog::to_string(o->id.kind)) + " " + catalog::display_name(o->id));
  }
  EXPECT_EQ(out, (std::vector<std::string>{"schema app", "enum app.mood", "table app.t", "column app.t.a",
                                           "column app.t.b", "view app.early", "index app.t_b"}));
}

TEST(CreationOrder, TwoTablesReferencingEachOtherNeedNoRepair) {
  // The foreign keys are constraints of their own, after both tables: no loop to break.
  catalog::Catalog c;
  c.objects = {
      object(id(Kind::table, "app", "a")),
      object(id(Kind::table, "app", "b")),
      object(id(Kind::constraint, "app", "a_b_fk", "a"), {id(Kind::table, "app", "a"), id(Kind::table, "app", "b")}),
      object(id(Kind::constraint, "app", "b_a_fk", "b"), {id(Kind::table, "app", "b"), id(Kind::table, "app", "a")}),
  };
  c.sort_by_id();
  std::vector<std::string> out;
  for (const auto* o : order::creation_order(c)) out.push_back(catalog::display_name(o->id));
  EXPECT_EQ(out, (std::vector<std::string>{"app.a", "app.b", "a_b_fk ON app.a", "b_a_fk ON app.b"}));
}

TEST(Catalog, SortByIdPutsEveryObjectInPlaceWhateverTheInputOrder) {
  catalog::Catalog c;
  for (int i = 0; i < 200; ++i) {
    catalog::Object o = object(id(i % 2 ? Kind::table : Kind::view, fmt::format("s{}", i % 7), fmt::format("o{}", i)));
    o.attributes["n"] = std::to_string(i);
    c.objects.push_back(std::move(o));
  }
  std::mt19937 random(7);
  std::shuffle(c.objects.begin(), c.objects.end(), random);
  c.sort_by_id();
  ASSERT_EQ(c.objects.size(), 200u);
  for (size_t i = 1; i < c.objects.size(); ++i) EXPECT_LT(c.objects[i - 1].id, c.objects[i].id);
  // Each object kept its own attributes.
  for (const auto& o : c.objects) EXPECT_EQ("o" + o.attr("n"), o.id.name);
}

std::vector<std::string> plan_names(const order::CreationPlan& plan) {
  std::vector<std::string> out;
  for (const auto* o : plan.objects) out.push_back(catalog::display_name(o->id));
  return out;
}

TEST(CreationPlan, LoopThroughAColumnDefaultSetsTheDefaultAfterwards) {
  // app.next_n() reads app.t; app.t.n's default calls it.
  catalog::Catalog c;
  c.objects = {
      object(id(Kind::table, "app", "t")),
      object(id(Kind::column, "app", "id", "t"), {}, "1"),
      object(id(Kind::column, "app", "n", "t"), {id(Kind::function, "app", "next_n")}, "2"),
      object(id(Kind::function, "app", "next_n"), {id(Kind::column, "app", "n", "t")}),
  };
  c.objects[2].attributes[catalog::attr::default_value] = "app.next_n()";
  c.sort_by_id();
  const order::CreationPlan plan = order::creation_plan(c);
  EXPECT_EQ(plan_names(plan), (std::vector<std::string>{"app.t", "app.t.id", "app.next_n()", "app.t.n"}));
  EXPECT_EQ(plan.separate_defaults, (std::set<ObjectId>{id(Kind::column, "app", "n", "t")}));
  // Without a loop nothing is split.
  c.objects.erase(std::find_if(c.objects.begin(), c.objects.end(),
                               [](const catalog::Object& o) { return o.id.kind == Kind::function; }));
  EXPECT_TRUE(order::creation_plan(c).separate_defaults.empty());
}

TEST(CreationPlan, LoopThroughAColumnTypeIsStillAnError) {
  // The column's type is a domain whose check calls a function that takes the table's row type:
  // setting a default later changes nothing.
  catalog::Catalog c;
  c.objects = {
      object(id(Kind::table, "app", "t")),
      object(id(Kind::column, "app", "d", "t"), {id(Kind::domain, "app", "positive")}, "1"),
      object(id(Kind::domain, "app", "positive"), {id(Kind::function, "app", "check_row")}),
      object(id(Kind::function, "app", "check_row"), {id(Kind::table, "app", "t")}),
  };
  c.objects[1].attributes[catalog::attr::default_value] = "1";
  c.sort_by_id();
  try {
    order::creation_plan(c);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("table app.t"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace schemakit
