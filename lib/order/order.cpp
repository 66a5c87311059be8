#include "order/order.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <queue>

#include "catalog/attributes.hpp"
#include "catalog/core_attributes.hpp"
#include "common/error.hpp"
#include "order/inheritance.hpp"

namespace schemakit::order {
namespace {

// One loop among the items left over when Kahn's algorithm stops: each item depends on the
// next, the last on the first.
std::vector<size_t> find_loop(size_t n, const std::vector<std::vector<size_t>>& needs,
                              const std::vector<size_t>& remaining_in_degree) {
  size_t start = n;
  for (size_t i = 0; i < n; ++i) {
    if (remaining_in_degree[i] > 0) {
      start = i;
      break;
    }
  }
  if (start == n) return {};
  // Walk dependencies that are themselves unsorted until one repeats: that stretch is a loop.
  std::vector<size_t> path;
  std::vector<int> seen_at(n, -1);
  size_t at = start;
  while (seen_at[at] < 0) {
    seen_at[at] = static_cast<int>(path.size());
    path.push_back(at);
    size_t next = n;
    for (size_t dep : needs[at]) {
      if (remaining_in_degree[dep] > 0) {
        next = dep;
        break;
      }
    }
    if (next == n) break;  // cannot happen: every unsorted item waits on another
    at = next;
  }
  return std::vector<size_t>(path.begin() + std::max(seen_at[at], 0), path.end());
}

// "a -> b -> a", each object depending on the next.
std::string describe_loop(const std::vector<Item>& items, const std::vector<size_t>& loop) {
  if (loop.empty()) return "(none found)";
  auto name = [&](size_t i) {
    return fmt::format("{} {}", catalog::to_string(items[i].id.kind), catalog::display_name(items[i].id));
  };
  std::string text;
  for (size_t i : loop) text += name(i) + " -> ";
  return text + name(loop.front());
}

// Kahn's algorithm, the smallest identity first whenever there is a choice. Returns false, with
// the objects of one loop, when the items cannot be ordered.
bool try_topological_order(const std::vector<Item>& items, std::vector<size_t>& order, std::vector<size_t>& loop) {
  const size_t n = items.size();
  // rank[i]: position of item i in identity order, the priority of the queue.
  std::vector<size_t> by_id(n);
  for (size_t i = 0; i < n; ++i) by_id[i] = i;
  std::sort(by_id.begin(), by_id.end(), [&](size_t a, size_t b) { return items[a].id < items[b].id; });
  std::vector<size_t> rank(n);
  for (size_t r = 0; r < n; ++r) rank[by_id[r]] = r;
  for (size_t r = 1; r < n; ++r) {
    if (items[by_id[r]].id == items[by_id[r - 1]].id) {
      throw Error(ExitCode::trouble, fmt::format("the object {} {} appears twice in the catalog",
                                                 catalog::to_string(items[by_id[r]].id.kind),
                                                 catalog::display_name(items[by_id[r]].id)));
    }
  }
  auto index_of = [&](const catalog::ObjectId& id) -> std::optional<size_t> {
    auto it = std::lower_bound(by_id.begin(), by_id.end(), id,
                               [&](size_t i, const catalog::ObjectId& key) { return items[i].id < key; });
    if (it == by_id.end() || !(items[*it].id == id)) return std::nullopt;
    return *it;
  };

  std::vector<std::vector<size_t>> needs(n);       // i needs these first
  std::vector<std::vector<size_t>> needed_by(n);   // these wait for i
  std::vector<size_t> in_degree(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (const auto& dep : items[i].depends_on) {
      auto j = index_of(dep);
      if (!j || *j == i) continue;
      needs[i].push_back(*j);
    }
    std::sort(needs[i].begin(), needs[i].end());
    needs[i].erase(std::unique(needs[i].begin(), needs[i].end()), needs[i].end());
    in_degree[i] = needs[i].size();
    for (size_t j : needs[i]) needed_by[j].push_back(i);
  }

  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;  // ranks
  for (size_t i = 0; i < n; ++i) {
    if (in_degree[i] == 0) ready.push(rank[i]);
  }
  order.clear();
  order.reserve(n);
  while (!ready.empty()) {
    size_t i = by_id[ready.top()];
    ready.pop();
    order.push_back(i);
    for (size_t k : needed_by[i]) {
      if (--in_degree[k] == 0) ready.push(rank[k]);
    }
  }
  if (order.size() == n) return true;
  loop = find_loop(n, needs, in_degree);
  return false;
}

[[noreturn]] void throw_loop(const std::vector<Item>& items, size_t unsorted, const std::vector<size_t>& loop) {
  throw Error(ExitCode::trouble,
              fmt::format("{} objects depend on each other in a loop that splitting out constraints and column "
                          "defaults cannot break: {}",
                          unsorted, describe_loop(items, loop)));
}

// Kinds a column's own type or collation can be: an edge to one of them may not come from the
// default, so splitting the default out would not break it.
bool can_be_a_column_type(catalog::Kind kind) {
  switch (kind) {
    case catalog::Kind::enum_type:
    case catalog::Kind::domain:
    case catalog::Kind::composite_type:
    case catalog::Kind::range_type:
    case catalog::Kind::collation:
    case catalog::Kind::table:  // a table's row type
    case catalog::Kind::view:
    case catalog::Kind::materialized_view:
    case catalog::Kind::foreign_table:
      return true;
    default:
      return false;
  }
}

// A plain DEFAULT can be set once the table exists; a generated expression cannot.
bool has_separable_default(const catalog::Object& column) {
  return column.has(catalog::attr::default_value) && !column.has(catalog::attr::column_generated);
}

}  // namespace

std::vector<size_t> topological_order(const std::vector<Item>& items) {
  std::vector<size_t> order, loop;
  if (!try_topological_order(items, order, loop)) throw_loop(items, items.size() - order.size(), loop);
  return order;
}

catalog::ObjectId writing_object(const catalog::Catalog& catalog, const catalog::ObjectId& id) {
  if (id.kind != catalog::Kind::column) return id;
  for (catalog::Kind kind : {catalog::Kind::table, catalog::Kind::foreign_table}) {
    catalog::ObjectId parent{kind, id.schema, "", id.table, ""};
    if (catalog.find(parent) != nullptr) return parent;
  }
  return id;
}

CreationPlan creation_plan(const catalog::Catalog& catalog) {
  CreationPlan plan;
  forget_inheritance_layouts();
  const InheritanceLayout& inheritance = inheritance_layout(catalog);
  // Each pass sorts; a loop that goes through column defaults marks them separate and sorts
  // again. Every pass marks at least one more default, so this ends.
  for (;;) {
    std::vector<Item> items;
    std::vector<const catalog::Object*> item_objects;
    std::map<catalog::ObjectId, size_t> item_of;
    std::map<catalog::ObjectId, std::vector<const catalog::Object*>> folded;  // parent -> columns
    for (const auto& object : catalog.objects) {
      const catalog::ObjectId writer = writing_object(catalog, object.id);
      if (writer != object.id && plan.separate_defaults.count(object.id) == 0 && !inheritance.is_late(object.id)) {
        folded[writer].push_back(&object);
        continue;
      }
      item_of[object.id] = items.size();
      items.push_back({object.id, {}});
      item_objects.push_back(&object);
    }
    for (const auto& object : catalog.objects) {
      // A separate default is set on an existing table; a late column is added to one.
      const bool separate = plan.separate_defaults.count(object.id) > 0 || inheritance.is_late(object.id);
      const catalog::ObjectId writer = writing_object(catalog, object.id);
      Item& into = items[item_of.at(separate ? object.id : writer)];
      if (separate) into.depends_on.push_back(writer);
      for (const auto& dep : object.depends_on) {
        catalog::ObjectId target = inheritance.is_late(dep) ? dep : writing_object(catalog, dep);
        // A column of another table of a tree's table's row type: the server refuses ADD COLUMN
        // ... DEFAULT on a table whose row type a column uses, so it waits for the late columns.
        if (object.id.kind == catalog::Kind::column && target.kind == catalog::Kind::table &&
            inheritance.tables.count(writer) == 0) {
          auto last = inheritance.last_late_column.find(target);
          if (last != inheritance.last_late_column.end()) target = last->second;
        }
        if (target != into.id) into.depends_on.push_back(target);
      }
      auto after = inheritance.after.find(object.id);
      if (after != inheritance.after.end()) {
        into.depends_on.insert(into.depends_on.end(), after->second.begin(), after->second.end());
      }
    }

    std::vector<size_t> order, loop;
    if (try_topological_order(items, order, loop)) {
      plan.objects.reserve(catalog.objects.size());
      for (size_t i : order) {
        plan.objects.push_back(item_objects[i]);
        auto it = folded.find(items[i].id);
        if (it == folded.end()) continue;
        auto columns = it->second;
        std::stable_sort(columns.begin(), columns.end(), [](const catalog::Object* a, const catalog::Object* b) {
          return std::atoi(a->attr(catalog::attr::position).c_str()) <
                 std::atoi(b->attr(catalog::attr::position).c_str());
        });
        plan.objects.insert(plan.objects.end(), columns.begin(), columns.end());
      }
      return plan;
    }

    // pg_dump's repair: where the loop goes from a table to what one of its columns' defaults
    // needs (a function that reads the table or takes its row type), that default is set after
    // both. An edge that may come from a column's type is left alone.
    bool repaired = false;
    for (size_t k = 0; k < loop.size(); ++k) {
      const Item& from = items[loop[k]];
      const Item& to = items[loop[(k + 1) % loop.size()]];
      if (from.id.kind != catalog::Kind::table || can_be_a_column_type(to.id.kind)) continue;
      auto columns = folded.find(from.id);
      if (columns == folded.end()) continue;
      for (const catalog::Object* column : columns->second) {
        if (!has_separable_default(*column)) continue;
        const bool needs_target = std::any_of(column->depends_on.begin(), column->depends_on.end(),
                                              [&](const catalog::ObjectId& dep) {
                                                return writing_object(catalog, dep) == to.id;
                                              });
        if (needs_target) repaired = plan.separate_defaults.insert(column->id).second || repaired;
      }
    }
    if (!repaired) throw_loop(items, items.size() - order.size(), loop);
  }
}

std::vector<const catalog::Object*> creation_order(const catalog::Catalog& catalog) {
  return creation_plan(catalog).objects;
}

}  // namespace schemakit::order
