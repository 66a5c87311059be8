#include "order/inheritance.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>

#include "catalog/attributes.hpp"
#include "catalog/core_attributes.hpp"
#include "common/error.hpp"
#include "ddl/quote.hpp"

namespace schemakit::order {
namespace {

using catalog::Catalog;
using catalog::Kind;
using catalog::Object;
using catalog::ObjectId;
namespace attr = catalog::attr;

constexpr size_t kNever = std::numeric_limits<size_t>::max();

struct Node {
  const Object* table = nullptr;
  std::vector<const Object*> columns;  // in position order
  std::map<std::string, size_t> index_of;
  std::vector<size_t> parents;   // in inhseqno order
  std::vector<size_t> children;
  std::vector<size_t> cut;       // per parent: how many of its columns it has when this table is made
  size_t prefix = 0;             // columns this table has from its parents when it is made
  bool local(size_t index) const { return !columns[index]->has(attr::column_not_local); }
};

// Where a column of a table comes from in the reconstructed history.
struct Arrival {
  bool at_creation = true;  // made with the table (through a parent, or declared)
  size_t step = 0;          // else: when it was added
  size_t origin_node = 0;   // ... by the ADD COLUMN of this table's column
  size_t origin_index = 0;
};

struct State {
  std::vector<bool> created;
  std::vector<size_t> have;  // columns each table has so far
};

// One ALTER TABLE ... ADD COLUMN: what it appends and what it merges into.
struct Addition {
  std::vector<std::pair<size_t, size_t>> appended;  // (node, column index)
  std::vector<std::pair<size_t, size_t>> merged;
};

// The parents of `table` in INHERITS order: its table dependencies found in the inherits list.
std::vector<ObjectId> parents_in_order(const Object& table) {
  const std::string& inherits = table.attr(attr::table_inherits);
  std::vector<std::pair<size_t, ObjectId>> found;
  for (const ObjectId& dep : table.depends_on) {
    if (dep.kind != Kind::table && dep.kind != Kind::foreign_table) continue;
    const std::string name = ddl::qualified(dep.schema, dep.name);
    for (size_t at = inherits.find(name); at != std::string::npos; at = inherits.find(name, at + 1)) {
      const bool starts = at == 0 || inherits.compare(at - 2, 2, ", ") == 0;
      const size_t end = at + name.size();
      if (starts && (end == inherits.size() || inherits[end] == ',')) {
        found.emplace_back(at, dep);
        break;
      }
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<ObjectId> out;
  for (auto& [at, id] : found) out.push_back(id);
  return out;
}

class Planner {
 public:
  explicit Planner(const Catalog& catalog) : catalog_(catalog) {}

  InheritanceLayout plan() {
    collect();
    if (nodes_.empty()) return {};
    for (size_t k = 0; k < nodes_.size(); ++k) parse_cuts(k);
    simulate();
    return layout();
  }

 private:
  size_t node_of(const ObjectId& id) {
    auto it = index_.find(id);
    if (it != index_.end()) return it->second;
    Node node;
    node.table = catalog_.find(id);
    for (const Object* child : catalog_.children_of(id)) {
      if (child->id.kind != Kind::column) continue;
      node.index_of[child->id.name] = node.columns.size();
      node.columns.push_back(child);
    }
    nodes_.push_back(std::move(node));
    index_[id] = nodes_.size() - 1;
    return nodes_.size() - 1;
  }

  // Every plain table with a parent, and its parents; trees that reach a foreign table are left
  // out whole.
  void collect() {
    std::vector<std::pair<ObjectId, std::vector<ObjectId>>> edges;
    std::set<ObjectId> foreign_touched;
    for (const Object& object : catalog_.objects) {
      if (object.id.kind != Kind::table && object.id.kind != Kind::foreign_table) continue;
      if (!object.has(attr::table_inherits)) continue;
      std::vector<ObjectId> parents = parents_in_order(object);
      if (object.id.kind == Kind::foreign_table) {
        foreign_touched.insert(parents.begin(), parents.end());
        continue;
      }
      std::string found;
      for (const ObjectId& parent : parents) {
        if (parent.kind == Kind::foreign_table || catalog_.find(parent) == nullptr) foreign_touched.insert(object.id);
        found += (found.empty() ? "" : ", ") + ddl::qualified(parent.schema, parent.name);
      }
      // A parent the catalog does not hold (no dependency on it): the tree is left as it is.
      if (found != object.attr(attr::table_inherits)) foreign_touched.insert(object.id);
      edges.emplace_back(object.id, std::move(parents));
    }
    // Trees (connected parts) that touch a foreign table or a parent outside the catalog are
    // left out.
    std::map<ObjectId, ObjectId> root;  // union-find
    std::function<ObjectId(const ObjectId&)> find = [&](const ObjectId& id) -> ObjectId {
      auto it = root.find(id);
      if (it == root.end() || it->second == id) return id;
      return it->second = find(it->second);
    };
    for (const auto& [child, parents] : edges) {
      for (const ObjectId& parent : parents) {
        const ObjectId a = find(child), b = find(parent);
        if (!(a == b)) root[a] = b;
      }
    }
    std::set<ObjectId> excluded;
    for (const ObjectId& id : foreign_touched) excluded.insert(find(id));
    for (const auto& [child, parents] : edges) {
      if (excluded.count(find(child)) > 0) continue;
      const size_t k = node_of(child);
      for (const ObjectId& parent : parents) {
        const size_t p = node_of(parent);
        nodes_[k].parents.push_back(p);
        nodes_[p].children.push_back(k);
      }
    }
    // Children in catalog order, for a deterministic history.
    for (Node& node : nodes_) {
      std::sort(node.children.begin(), node.children.end(),
                [&](size_t a, size_t b) { return nodes_[a].table->id < nodes_[b].table->id; });
    }
    order_.resize(nodes_.size());
    std::iota(order_.begin(), order_.end(), 0);
    std::sort(order_.begin(), order_.end(),
              [&](size_t a, size_t b) { return nodes_[a].table->id < nodes_[b].table->id; });
  }

  // How many columns of each parent a child's leading columns show it was made with: the
  // parents' columns in order, a name met before merged into it (so skipped), as far as they
  // match. What follows was declared by the child or added later. A parent's column that merges
  // into one the child has already could have come either way; it is taken as there (fewer
  // statements).
  void parse_cuts(size_t k) {
    Node& child = nodes_[k];
    std::set<std::string> seen;
    size_t at = 0;
    for (size_t p : child.parents) {
      const Node& parent = nodes_[p];
      size_t cut = 0;
      for (size_t j = 0; j < parent.columns.size(); ++j) {
        const std::string& name = parent.columns[j]->id.name;
        if (seen.count(name) > 0) {
          cut = j + 1;  // merged into the column another parent gave: here or added later, the same
          continue;
        }
        if (at >= child.columns.size() || child.columns[at]->id.name != name) break;
        seen.insert(name);
        ++at;
        cut = j + 1;
      }
      child.cut.push_back(cut);
    }
    child.prefix = at;
  }

  size_t cut_of(size_t parent, size_t child) const {
    const Node& c = nodes_[child];
    for (size_t i = 0; i < c.parents.size(); ++i) {
      if (c.parents[i] == parent) return c.cut[i];
    }
    return 0;
  }

  // ADD COLUMN of `name` reaching `node` (the table it is run on when `origin`), as the server
  // does it: appended, or merged into a column the table has (and then not passed on). False
  // when that would not give the replayed order: the column is not the table's next one, the
  // table declares it itself but would only inherit it, or a child not yet made needs the table
  // as it is now.
  bool add(size_t node, const std::string& name, bool origin, State& state, Addition& addition) const {
    const Node& n = nodes_[node];
    auto it = n.index_of.find(name);
    if (it == n.index_of.end()) return false;
    const size_t index = it->second;
    if (index < state.have[node]) {
      if (origin) return false;
      addition.merged.emplace_back(node, index);
      return true;
    }
    if (index != state.have[node]) return false;
    if (!origin && n.local(index)) return false;
    for (size_t k : n.children) {
      if (!state.created[k] && cut_of(node, k) <= state.have[node]) return false;
    }
    ++state.have[node];
    addition.appended.emplace_back(node, index);
    for (size_t k : n.children) {
      if (state.created[k] && !add(k, name, false, state, addition)) return false;
    }
    return true;
  }

  bool can_create(size_t k) const {
    const Node& child = nodes_[k];
    for (size_t i = 0; i < child.parents.size(); ++i) {
      const size_t p = child.parents[i];
      if (!state_.created[p] || state_.have[p] != child.cut[i]) return false;
    }
    return true;
  }

  void create(size_t k) {
    state_.created[k] = true;
    state_.have[k] = nodes_[k].prefix;
    for (size_t p : nodes_[k].parents) observed_[p] = std::min(observed_[p], step_);
    ++step_;
  }

  // The reconstructed history, one step at a time: additions first (so that a table is made
  // with as many of its columns as its children allow), then creations; both in catalog order.
  void simulate() {
    const size_t n = nodes_.size();
    state_.created.assign(n, false);
    state_.have.assign(n, 0);
    observed_.assign(n, kNever);
    arrival_.resize(n);
    for (size_t k = 0; k < n; ++k) arrival_[k].assign(nodes_[k].columns.size(), Arrival{});
    for (size_t k : order_) {
      if (nodes_[k].parents.empty()) create(k);
    }
    for (;;) {
      bool progress = false;
      for (size_t k : order_) {
        if (!state_.created[k] || state_.have[k] >= nodes_[k].columns.size()) continue;
        const size_t index = state_.have[k];
        if (!nodes_[k].local(index)) continue;
        State trial = state_;
        Addition addition;
        if (!add(k, nodes_[k].columns[index]->id.name, true, trial, addition)) continue;
        state_ = std::move(trial);
        for (auto [node, at] : addition.appended) {
          arrival_[node][at] = Arrival{false, step_, k, index};
          if (node != k) observed_[node] = std::min(observed_[node], step_);
        }
        for (auto [node, at] : addition.merged) merges_.push_back({{k, index}, {node, at}});
        ++step_;
        progress = true;
        break;
      }
      if (progress) continue;
      for (size_t k : order_) {
        if (state_.created[k] || !can_create(k)) continue;
        create(k);
        progress = true;
        break;
      }
      if (!progress) break;
    }
    std::vector<std::string> stuck;
    for (size_t k : order_) {
      if (!state_.created[k] || state_.have[k] != nodes_[k].columns.size()) {
        stuck.push_back(catalog::display_name(nodes_[k].table->id));
      }
    }
    if (!stuck.empty()) {
      std::string names;
      for (const auto& name : stuck) names += (names.empty() ? "" : ", ") + name;
      throw InputError(fmt::format(
          "the column order of the inheritance tables {} cannot be rebuilt with CREATE TABLE ... INHERITS and "
          "ALTER TABLE ... ADD COLUMN (a column they declare and inherit comes where neither puts it)",
          names));
    }
  }

  bool is_late(size_t node, size_t index) const {
    const Arrival& a = arrival_[node][index];
    if (a.at_creation) return false;
    // An addition to the table itself before anything saw the table is folded into its CREATE.
    return a.origin_node != node || a.step > observed_[node];
  }

  const ObjectId& column_id(size_t node, size_t index) const { return nodes_[node].columns[index]->id; }

  // What a column is written with: its table, or itself when late.
  ObjectId item(size_t node, size_t index) const {
    return is_late(node, index) ? column_id(node, index) : nodes_[node].table->id;
  }

  void add_after(InheritanceLayout& layout, const ObjectId& what, const ObjectId& first) const {
    if (what == first) return;
    layout.after[what].push_back(first);
    // A column a table only inherits arrives with its ancestor's ADD COLUMN: that must wait too.
    auto origin = layout.brought_by.find(what);
    if (origin != layout.brought_by.end() && !(origin->second == first)) layout.after[origin->second].push_back(first);
  }

  InheritanceLayout layout() const {
    InheritanceLayout layout;
    for (size_t k = 0; k < nodes_.size(); ++k) {
      layout.tables.insert(nodes_[k].table->id);
      layout.columns_from_parents[nodes_[k].table->id] = nodes_[k].prefix;
      for (size_t i = 0; i < nodes_[k].columns.size(); ++i) {
        if (!is_late(k, i)) continue;
        layout.late_columns.insert(column_id(k, i));
        layout.last_late_column[nodes_[k].table->id] = column_id(k, i);
        const Arrival& a = arrival_[k][i];
        if (a.origin_node == k && nodes_[k].table->has(attr::table_of_type)) {
          // ALTER TABLE cannot add a column to it; its type got an attribute (ALTER TYPE ...
          // CASCADE) after a child was made, and the type is written whole.
          throw InputError(fmt::format(
              "the typed table {} got the column {} from its type after an inheritance child was made from it: "
              "up.sql cannot give the child its column order",
              catalog::display_name(nodes_[k].table->id), column_id(k, i).name));
        }
        if (a.origin_node != k) layout.brought_by[column_id(k, i)] = column_id(a.origin_node, a.origin_index);
      }
    }
    for (size_t k = 0; k < nodes_.size(); ++k) {
      const Node& node = nodes_[k];
      for (size_t i = 0; i < node.columns.size(); ++i) {
        if (!is_late(k, i)) continue;
        // A table's columns arrive in order.
        add_after(layout, column_id(k, i), i == 0 ? node.table->id : item(k, i - 1));
        auto origin = layout.brought_by.find(column_id(k, i));
        if (origin != layout.brought_by.end()) layout.after[column_id(k, i)].push_back(origin->second);
      }
      // A child is made when its parents have the columns it starts with, and before the next.
      for (size_t p = 0; p < node.parents.size(); ++p) {
        const size_t parent = node.parents[p];
        const size_t cut = node.cut[p];
        if (cut > 0) add_after(layout, node.table->id, item(parent, cut - 1));
        if (cut < nodes_[parent].columns.size() && is_late(parent, cut)) {
          add_after(layout, column_id(parent, cut), node.table->id);
        }
      }
    }
    // An ADD COLUMN that merges into a column a child declared comes after that column.
    for (const auto& [origin, into] : merges_) {
      add_after(layout, item(origin.first, origin.second), item(into.first, into.second));
    }
    for (auto& [id, firsts] : layout.after) {
      std::sort(firsts.begin(), firsts.end());
      firsts.erase(std::unique(firsts.begin(), firsts.end()), firsts.end());
    }
    return layout;
  }

  const Catalog& catalog_;
  std::vector<Node> nodes_;
  std::map<ObjectId, size_t> index_;
  std::vector<size_t> order_;  // node indexes in catalog order
  State state_;
  std::vector<size_t> observed_;  // first step a child was made from the table or it got a column from a parent
  std::vector<std::vector<Arrival>> arrival_;
  std::vector<std::pair<std::pair<size_t, size_t>, std::pair<size_t, size_t>>> merges_;
  size_t step_ = 0;
};

struct CachedLayout {
  const Object* objects;
  size_t size;
  std::unique_ptr<InheritanceLayout> layout;
};

thread_local std::vector<CachedLayout> cached_layouts;

}  // namespace

InheritanceLayout plan_inheritance(const Catalog& catalog) { return Planner(catalog).plan(); }

const InheritanceLayout& inheritance_layout(const Catalog& catalog) {
  for (const CachedLayout& cached : cached_layouts) {
    if (cached.objects == catalog.objects.data() && cached.size == catalog.objects.size()) return *cached.layout;
  }
  cached_layouts.push_back(
      {catalog.objects.data(), catalog.objects.size(), std::make_unique<InheritanceLayout>(plan_inheritance(catalog))});
  return *cached_layouts.back().layout;
}

void forget_inheritance_layouts() { cached_layouts.clear(); }

}  // namespace schemakit::order
