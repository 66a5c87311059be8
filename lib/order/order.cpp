#include "order/order.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <functional>
#include <map>
#include <queue>

#include "catalog/attributes.hpp"
#include "common/error.hpp"

namespace schemakit::order {
namespace {

// One loop among the items left over when Kahn's algorithm stops, as "a -> b -> a" where each
// object depends on the next.
std::string describe_loop(const std::vector<Item>& items, const std::vector<std::vector<size_t>>& needs,
                          const std::vector<size_t>& remaining_in_degree) {
  size_t start = items.size();
  for (size_t i = 0; i < items.size(); ++i) {
    if (remaining_in_degree[i] > 0) {
      start = i;
      break;
    }
  }
  if (start == items.size()) return "(none found)";
  // Walk dependencies that are themselves unsorted until one repeats: that stretch is a loop.
  std::vector<size_t> path;
  std::vector<int> seen_at(items.size(), -1);
  size_t at = start;
  while (seen_at[at] < 0) {
    seen_at[at] = static_cast<int>(path.size());
    path.push_back(at);
    size_t next = items.size();
    for (size_t dep : needs[at]) {
      if (remaining_in_degree[dep] > 0) {
        next = dep;
        break;
      }
    }
    if (next == items.size()) break;  // cannot happen: every unsorted item waits on another
    at = next;
  }
  std::string text;
  for (size_t k = static_cast<size_t>(std::max(seen_at[at], 0)); k < path.size(); ++k) {
    text += fmt::format("{} {} -> ", catalog::to_string(items[path[k]].id.kind), catalog::display_name(items[path[k]].id));
  }
  text += fmt::format("{} {}", catalog::to_string(items[at].id.kind), catalog::display_name(items[at].id));
  return text;
}

}  // namespace

std::vector<size_t> topological_order(const std::vector<Item>& items) {
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
  std::vector<size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    size_t i = by_id[ready.top()];
    ready.pop();
    order.push_back(i);
    for (size_t k : needed_by[i]) {
      if (--in_degree[k] == 0) ready.push(rank[k]);
    }
  }
  if (order.size() != n) {
    throw Error(ExitCode::trouble,
                fmt::format("{} objects depend on each other in a loop that splitting out constraints "
                            "cannot break: {}",
                            n - order.size(), describe_loop(items, needs, in_degree)));
  }
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

std::vector<const catalog::Object*> creation_order(const catalog::Catalog& catalog) {
  std::vector<Item> items;
  std::vector<const catalog::Object*> item_objects;
  std::map<catalog::ObjectId, size_t> item_of;
  std::map<catalog::ObjectId, std::vector<const catalog::Object*>> folded;  // parent -> columns
  for (const auto& object : catalog.objects) {
    catalog::ObjectId writer = writing_object(catalog, object.id);
    if (writer != object.id) {
      folded[writer].push_back(&object);
      continue;
    }
    item_of[object.id] = items.size();
    items.push_back({object.id, {}});
    item_objects.push_back(&object);
  }
  for (const auto& object : catalog.objects) {
    size_t into = item_of.at(writing_object(catalog, object.id));
    for (const auto& dep : object.depends_on) {
      catalog::ObjectId target = writing_object(catalog, dep);
      if (target != items[into].id) items[into].depends_on.push_back(target);
    }
  }
  std::vector<const catalog::Object*> out;
  out.reserve(catalog.objects.size());
  for (size_t i : topological_order(items)) {
    out.push_back(item_objects[i]);
    auto it = folded.find(items[i].id);
    if (it == folded.end()) continue;
    auto columns = it->second;
    std::stable_sort(columns.begin(), columns.end(), [](const catalog::Object* a, const catalog::Object* b) {
      return std::atoi(a->attr(catalog::attr::position).c_str()) < std::atoi(b->attr(catalog::attr::position).c_str());
    });
    out.insert(out.end(), columns.begin(), columns.end());
  }
  return out;
}

}  // namespace schemakit::order
