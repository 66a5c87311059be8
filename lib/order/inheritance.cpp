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
  // Made on its own with every column it declares, then ALTER TABLE ... INHERIT each parent (for
  // a table whose columns are all its own, when INHERITS cannot give their order).
  bool attach = false;
  // At most this many leading columns from its parents when it is made: a child of it needs it
  // with fewer (the rest then come from the parents' ADD COLUMN).
  size_t prefix_limit = kNever;
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
  std::vector<bool> attached;  // a table made on its own: inherits from its parents by now
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
    // When INHERITS as the children's first columns show cannot give the order, tables are
    // changed one at a time: a table that starts with a column of its own is made on its own and
    // attached (ALTER TABLE ... INHERIT), or a table is made with fewer columns from its parents
    // (the rest come from their ADD COLUMN). Both orders of preference are tried.
    for (bool attach_first : {true, false}) {
      for (Node& node : nodes_) {
        node.attach = false;
        node.prefix_limit = kNever;
      }
      for (size_t k = 0; k < nodes_.size(); ++k) parse_cuts(k);
      for (;;) {
        if (simulate()) return layout();
        const bool changed = attach_first ? (make_one_alone() || make_one_with_fewer_columns())
                                          : (make_one_with_fewer_columns() || make_one_alone());
        if (!changed) break;
      }
    }
    throw_stuck();
  }

  // A table left unfinished that starts with a column of its own: made on its own, attached.
  bool make_one_alone() {
    for (size_t k : stuck_) {
      Node& node = nodes_[k];
      if (node.attach || node.parents.empty() || node.columns.empty() || !node.local(0)) continue;
      node.attach = true;
      node.prefix = 0;
      return true;
    }
    return false;
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
  // `available`: as if each parent had only that many columns (nullptr: all of them).
  void parse_cuts(size_t k, const std::vector<size_t>* available = nullptr) {
    Node& child = nodes_[k];
    std::set<std::string> seen;
    size_t at = 0;
    child.cut.clear();
    for (size_t p : child.parents) {
      const Node& parent = nodes_[p];
      const size_t columns = available != nullptr ? (*available)[p] : parent.columns.size();
      size_t cut = 0;
      for (size_t j = 0; j < columns; ++j) {
        const std::string& name = parent.columns[j]->id.name;
        if (seen.count(name) > 0) {
          cut = j + 1;  // merged into the column another parent gave: here or added later, the same
          continue;
        }
        if (at >= child.prefix_limit || at >= child.columns.size() || child.columns[at]->id.name != name) break;
        // CREATE TABLE ... INHERITS makes a column it declares NOT NULL when the parent's is: a
        // nullable one merged later (the parent's ADD COLUMN leaves it as it is).
        if (child.local(at) && parent.columns[j]->has(attr::not_null) && !child.columns[at]->has(attr::not_null)) break;
        seen.insert(name);
        ++at;
        cut = j + 1;
      }
      child.cut.push_back(cut);
    }
    child.prefix = at;
  }

  // A child still to be made needs a parent with fewer columns than the parent was made with:
  // the parent is made with at most that many (the next simulation gives it the rest later).
  bool make_one_with_fewer_columns() {
    for (size_t k : stuck_) {
      const Node& child = nodes_[k];
      if (state_.created[k] || child.attach) continue;
      for (size_t i = 0; i < child.parents.size(); ++i) {
        const size_t p = child.parents[i];
        Node& parent = nodes_[p];
        if (!state_.created[p] || state_.have[p] <= child.cut[i] || child.cut[i] >= parent.prefix) continue;
        parent.prefix_limit = child.cut[i];
        parse_cuts(p);
        return true;
      }
    }
    // A child still to be made waits for parents that cannot grow (another child needs them as
    // they are): it is made with what they have now, and gets the rest from their ADD COLUMN.
    for (size_t k : stuck_) {
      Node& child = nodes_[k];
      if (state_.created[k] || child.attach) continue;
      bool ready = true;
      for (size_t p : child.parents) ready = ready && state_.created[p];
      if (!ready) continue;
      const size_t before = child.prefix;
      parse_cuts(k, &state_.have);
      const size_t now = child.prefix;
      if (now < before) child.prefix_limit = now;
      parse_cuts(k);
      if (now < before) return true;
    }
    return false;
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
      const Node& child = nodes_[k];
      if (child.attach && !state.attached[k]) {
        // It must have the column of its own when it is attached: one it only inherits comes
        // after that.
        auto has = child.index_of.find(name);
        if (has == child.index_of.end() || !child.local(has->second)) return false;
        // INHERIT wants the child's column NOT NULL where the parent's is.
        if (n.columns[index]->has(attr::not_null) && !child.columns[has->second]->has(attr::not_null)) return false;
      } else if (!child.attach && !state.created[k] && cut_of(node, k) <= state.have[node]) {
        return false;
      }
    }
    ++state.have[node];
    addition.appended.emplace_back(node, index);
    for (size_t k : n.children) {
      if (is_child_now(k, state) && !add(k, name, false, state, addition)) return false;
    }
    return true;
  }

  bool is_child_now(size_t k, const State& state) const {
    return state.created[k] && (!nodes_[k].attach || state.attached[k]);
  }

  // A child is made from its parents (and they from theirs: one made on its own is attached by
  // then).
  bool can_create(size_t k) const {
    const Node& child = nodes_[k];
    if (child.attach) return true;
    for (size_t i = 0; i < child.parents.size(); ++i) {
      const size_t p = child.parents[i];
      if (!is_child_now(p, state_) && !nodes_[p].parents.empty()) return false;
      if (!state_.created[p] || state_.have[p] != child.cut[i]) return false;
    }
    return true;
  }

  // ALTER TABLE ... INHERIT: the table has every column its parents have by now (NOT NULL where
  // theirs is); nothing has been made from it yet (up.sql attaches it right after its CREATE
  // TABLE).
  bool can_attach(size_t k) const {
    const Node& child = nodes_[k];
    if (!child.attach || !state_.created[k] || state_.attached[k] || observed_[k] != kNever) return false;
    for (size_t p : child.parents) {
      if (!state_.created[p]) return false;
      if (!nodes_[p].parents.empty() && !is_child_now(p, state_)) return false;
      for (size_t j = 0; j < state_.have[p]; ++j) {
        auto it = child.index_of.find(nodes_[p].columns[j]->id.name);
        if (it == child.index_of.end() || it->second >= state_.have[k]) return false;
        if (nodes_[p].columns[j]->has(attr::not_null) && !child.columns[it->second]->has(attr::not_null)) return false;
      }
    }
    return true;
  }

  void attach(size_t k) {
    Node& child = nodes_[k];
    state_.attached[k] = true;
    for (size_t i = 0; i < child.parents.size(); ++i) {
      const size_t p = child.parents[i];
      child.cut[i] = state_.have[p];
      observed_[p] = std::min(observed_[p], step_);
    }
    ++step_;
  }

  void create(size_t k) {
    state_.created[k] = true;
    state_.have[k] = nodes_[k].prefix;
    if (!nodes_[k].attach) {
      for (size_t p : nodes_[k].parents) observed_[p] = std::min(observed_[p], step_);
    }
    ++step_;
  }

  // The reconstructed history, one step at a time: additions first (so that a table is made
  // with as many of its columns as its children allow), then creations; both in catalog order.
  // False, with the tables left unfinished in stuck_, when it cannot go on.
  bool simulate() {
    const size_t n = nodes_.size();
    state_.created.assign(n, false);
    state_.attached.assign(n, false);
    state_.have.assign(n, 0);
    observed_.assign(n, kNever);
    arrival_.assign(n, {});
    merges_.clear();
    step_ = 0;
    for (size_t k = 0; k < n; ++k) arrival_[k].assign(nodes_[k].columns.size(), Arrival{});
    for (size_t k : order_) {
      if (nodes_[k].parents.empty() || nodes_[k].attach) create(k);
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
        for (auto [node, at] : addition.merged) {
          // Reached twice by the same ADD COLUMN (two of its parents have it): nothing to wait for.
          if (arrival_[node][at].at_creation || arrival_[node][at].step != step_) {
            merges_.push_back({{k, index}, {node, at}});
          }
        }
        ++step_;
        progress = true;
        break;
      }
      if (progress) continue;
      for (size_t k : order_) {
        if (!can_attach(k)) continue;
        attach(k);
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
    stuck_.clear();
    for (size_t k : order_) {
      if (!state_.created[k] || state_.have[k] != nodes_[k].columns.size() ||
          (nodes_[k].attach && !state_.attached[k])) {
        stuck_.push_back(k);
      }
    }
    return stuck_.empty();
  }

  [[noreturn]] void throw_stuck() const {
    std::string names;
    for (size_t k : stuck_) names += (names.empty() ? "" : ", ") + catalog::display_name(nodes_[k].table->id);
    throw InputError(fmt::format(
        "the column order of the inheritance tables {} cannot be rebuilt with CREATE TABLE ... INHERITS, ALTER "
        "TABLE ... INHERIT and ALTER TABLE ... ADD COLUMN",
        names));
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
      if (nodes_[k].attach) {
        for (size_t p : nodes_[k].parents) layout.attached[nodes_[k].table->id].push_back(nodes_[p].table->id);
      }
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
  std::vector<size_t> stuck_;  // tables the last simulation could not finish
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
