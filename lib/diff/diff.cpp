#include "diff/diff.hpp"

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <utility>

#include "catalog/attributes.hpp"
#include "catalog/privilege_lists.hpp"
#include "ddl/quote.hpp"

namespace schemakit::diff {
namespace {

using catalog::Kind;
using catalog::Object;
using catalog::ObjectId;

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::string_view(s).substr(0, prefix.size()) == prefix;
}

// "privileges" covers "privileges" itself, any "privileges.<detail>" a kind may add, and the
// per-column forms views and foreign tables carry ("column_privileges:<column>").
bool is_attribute_family(const std::string& name, std::string_view family) {
  if (name == family) return true;
  if (starts_with(name, family) && name.size() > family.size() && name[family.size()] == '.') return true;
  const std::string per_column = "column_" + std::string(family) + ":";
  return starts_with(name, per_column);
}

// Partition indexes and key constraints: the qualified name of the parent's index.
constexpr std::string_view kAttachedTo = "attached_to";

// Domain checks are attributes of their domain ("check.<name>"), not constraint objects.
constexpr std::string_view kDomainCheckPrefix = "check.";

// Kinds that are wholly about something an --ignore switch leaves out.
bool compares_kind(Kind kind, const DiffOptions& options) {
  if (kind == Kind::default_privilege) return !options.ignore_privileges;
  return true;
}

// Objects with a `table` in their identity live on a relation (or a domain, for its checks);
// database settings use `table` for the role instead.
bool lives_on_parent(const ObjectId& id) {
  return !id.table.empty() && id.kind != Kind::database_setting && id.kind != Kind::default_privilege;
}

constexpr Kind kParentKinds[] = {Kind::domain, Kind::composite_type, Kind::table, Kind::foreign_table,
                                 Kind::view, Kind::materialized_view};

const Object* find_parent(const catalog::Catalog& catalog, const ObjectId& child) {
  for (Kind kind : kParentKinds) {
    if (const Object* parent = catalog.find(ObjectId{kind, child.schema, "", child.table, ""})) {
      return parent;
    }
  }
  return nullptr;
}

// The identifier `name` as it appears in a server-deparsed definition (quoted where needed),
// replaced by a placeholder at its first appearance as a whole token: pg_get_indexdef writes
// the index's own name right after INDEX, before anything that could repeat it.
std::string without_own_name(const std::string& value, const std::string& name) {
  if (name.empty()) return value;
  const std::string token = ddl::quote_ident(name);
  auto is_word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || c == '"' || static_cast<unsigned char>(c) >= 0x80;
  };
  for (size_t at = value.find(token); at != std::string::npos; at = value.find(token, at + 1)) {
    bool starts_token = at == 0 || !is_word_char(value[at - 1]);
    size_t end = at + token.size();
    bool ends_token = end == value.size() || !is_word_char(value[end]);
    if (starts_token && ends_token) {
      return value.substr(0, at) + "<own name>" + value.substr(end);
    }
  }
  return value;
}

bool names_ignored(Kind kind, const DiffOptions& options) {
  return (kind == Kind::constraint && options.ignore_constraint_names) ||
         (kind == Kind::index && options.ignore_index_names);
}

struct ColumnPair {
  long position_a = 0;
  long position_b = 0;
  const Object* a = nullptr;
  const Object* b = nullptr;
};

// Indices (into `values`) of one longest strictly increasing subsequence; ties resolved the same
// way every time (patience sorting, the earliest candidate wins).
std::vector<size_t> longest_increasing(const std::vector<long>& values) {
  std::vector<size_t> tails;                  // index of the smallest tail of each length
  std::vector<size_t> previous(values.size()); // predecessor in the chain ending at i
  constexpr size_t none = static_cast<size_t>(-1);
  for (size_t i = 0; i < values.size(); ++i) {
    auto it = std::lower_bound(tails.begin(), tails.end(), values[i],
                               [&](size_t t, long v) { return values[t] < v; });
    previous[i] = it == tails.begin() ? none : *(it - 1);
    if (it == tails.end()) {
      tails.push_back(i);
    } else {
      *it = i;
    }
  }
  std::vector<size_t> chain;
  for (size_t i = tails.empty() ? none : tails.back(); i != none; i = previous[i]) chain.push_back(i);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

class Comparer {
 public:
  Comparer(const catalog::Catalog& a, const catalog::Catalog& b, const DiffOptions& options)
      : a_(a), b_(b), options_(options) {}

  ChangeSet run() {
    merge_walk();
    pair_renamed(unmatched_a_, unmatched_b_);
    forgive_renamed_parents();
    report_column_moves();
    attach_children();
    compare_unsupported();
    for (Kind kind : catalog::all_kinds()) {
      out_.counts_a[kind] = 0;
      out_.counts_b[kind] = 0;
    }
    for (const auto& [kind, n] : a_.counts()) out_.counts_a[kind] = n;
    for (const auto& [kind, n] : b_.counts()) out_.counts_b[kind] = n;
    std::sort(out_.differences.begin(), out_.differences.end(),
              [](const Difference& x, const Difference& y) {
                return std::tie(x.id, x.change, x.attribute) < std::tie(y.id, y.change, y.attribute);
              });
    return std::move(out_);
  }

 private:
  void merge_walk() {
    const auto& as = a_.objects;
    const auto& bs = b_.objects;
    size_t i = 0, j = 0;
    while (i < as.size() || j < bs.size()) {
      if (j == bs.size() || (i < as.size() && as[i].id < bs[j].id)) {
        one_side(as[i++], Change::only_in_a);
      } else if (i == as.size() || bs[j].id < as[i].id) {
        one_side(bs[j++], Change::only_in_b);
      } else {
        both_sides(as[i++], bs[j++]);
      }
    }
  }

  void one_side(const Object& object, Change change) {
    if (!compares_kind(object.id.kind, options_)) return;
    const catalog::Catalog& own = change == Change::only_in_a ? a_ : b_;
    const catalog::Catalog& other = change == Change::only_in_a ? b_ : a_;
    if (lives_on_parent(object.id)) {
      const Object* parent = find_parent(own, object.id);
      if (parent != nullptr && other.find(parent->id) == nullptr) {
        ++hidden_children_[{parent->id, change}][object.id.kind];
        return;
      }
    }
    if (names_ignored(object.id.kind, options_)) {
      (change == Change::only_in_a ? unmatched_a_ : unmatched_b_).push_back(&object);
      return;
    }
    Difference d;
    d.id = object.id;
    d.change = change;
    out_.differences.push_back(std::move(d));
  }

  void both_sides(const Object& a, const Object& b) {
    if (!compares_kind(a.id.kind, options_)) return;
    compare_attributes(a, b, a.id, nullptr);
    if (domain_checks_by_value(a.id.kind)) compare_domain_checks(a, b);
    if (a.id.kind == Kind::column && !options_.ignore_column_order && a.has(catalog::attr::position) &&
        b.has(catalog::attr::position)) {
      // The walk meets columns in id order: each table's columns arrive together.
      columns_.push_back({std::atol(a.attr(catalog::attr::position).c_str()),
                          std::atol(b.attr(catalog::attr::position).c_str()), &a, &b});
    }
  }

  // Attribute by attribute over the union of both names; an absent attribute reads as "".
  // `renamed` (name-ignored pairs) takes each object's own name out of its values first.
  void compare_attributes(const Object& a, const Object& b, const ObjectId& reported_as,
                          const std::string* renamed) {
    auto ia = a.attributes.begin(), ib = b.attributes.begin();
    static const std::string empty;
    while (ia != a.attributes.end() || ib != b.attributes.end()) {
      const std::string* name;
      const std::string* va = &empty;
      const std::string* vb = &empty;
      if (ib == b.attributes.end() || (ia != a.attributes.end() && ia->first < ib->first)) {
        name = &ia->first;
        va = &ia->second;
        ++ia;
      } else if (ia == a.attributes.end() || ib->first < ia->first) {
        name = &ib->first;
        vb = &ib->second;
        ++ib;
      } else {
        name = &ia->first;
        va = &ia->second;
        vb = &ib->second;
        ++ia;
        ++ib;
      }
      if (!compares_attribute(a.id.kind, *name, options_)) continue;
      if (domain_checks_by_value(a.id.kind) && starts_with(*name, kDomainCheckPrefix)) continue;
      if (renamed != nullptr) {
        std::string na = without_own_name(*va, a.id.name);
        std::string nb = without_own_name(*vb, b.id.name);
        if (na == nb) continue;
      } else if (catalog::same_attribute_value(*name, *va, *vb) || same_but_for_owner(a, b, *name, *va, *vb)) {
        continue;
      }
      Difference d;
      d.id = reported_as;
      d.change = Change::changed;
      d.attribute = *name;
      d.a = *va;
      d.b = *vb;
      if (renamed != nullptr) d.renamed_in_b = *renamed;
      out_.differences.push_back(std::move(d));
    }
  }

  // The owner an object's privilege lists name as "the owner": its own, or for a column its
  // table's.
  const std::string& owner_of(const catalog::Catalog& catalog, const Object& object) const {
    if (object.has(catalog::attr::owner) || !lives_on_parent(object.id)) return object.attr(catalog::attr::owner);
    const Object* parent = find_parent(catalog, object.id);
    return parent != nullptr ? parent->attr(catalog::attr::owner) : object.attr(catalog::attr::owner);
  }

  // A privilege list that differs only because the object changed owners (ALTER ... OWNER TO
  // rewrites the old owner's entries to the new one) is the owner difference, reported once.
  bool same_but_for_owner(const Object& a, const Object& b, const std::string& name, const std::string& va,
                          const std::string& vb) const {
    if (!catalog::is_privilege_attribute(name)) return false;
    const std::string& owner_a = owner_of(a_, a);
    const std::string& owner_b = owner_of(b_, b);
    if (owner_a == owner_b || owner_a.empty() || owner_b.empty()) return false;
    return catalog::same_attribute_value(name, catalog::privileges_with_owner_marked(va, owner_a),
                                         catalog::privileges_with_owner_marked(vb, owner_b));
  }

  bool domain_checks_by_value(Kind kind) const {
    return kind == Kind::domain && options_.ignore_constraint_names;
  }

  // With constraint names ignored, a domain's checks are compared by their definitions: the
  // checks one side has and the other has not, under whatever names.
  void compare_domain_checks(const Object& a, const Object& b) {
    auto checks = [](const Object& o) {
      std::multimap<std::string, std::string> by_definition;
      for (auto it = o.attributes.lower_bound(std::string(kDomainCheckPrefix));
           it != o.attributes.end() && starts_with(it->first, kDomainCheckPrefix); ++it) {
        by_definition.emplace(it->second, it->first);
      }
      return by_definition;
    };
    auto in_a = checks(a), in_b = checks(b);
    for (auto it = in_a.begin(); it != in_a.end();) {
      auto match = in_b.find(it->first);
      if (match == in_b.end()) {
        ++it;
        continue;
      }
      in_b.erase(match);
      it = in_a.erase(it);
    }
    for (const auto& [definition, name] : in_a) {
      Difference d;
      d.id = a.id;
      d.change = Change::changed;
      d.attribute = name;
      d.a = definition;
      d.b = b.attr(name);
      out_.differences.push_back(std::move(d));
    }
    for (const auto& [definition, name] : in_b) {
      if (in_a.end() != std::find_if(in_a.begin(), in_a.end(), [&](const auto& e) { return e.second == name; })) {
        continue;  // reported above under the same name
      }
      Difference d;
      d.id = a.id;
      d.change = Change::changed;
      d.attribute = name;
      d.a = a.attr(name);
      d.b = definition;
      out_.differences.push_back(std::move(d));
    }
  }

  // What identifies a constraint or index apart from its name: its definition with the name
  // taken out (all compared attributes when a kind has no definition).
  std::string match_key(const Object& object) const {
    if (object.has(catalog::attr::definition)) {
      return without_own_name(object.attr(catalog::attr::definition), object.id.name);
    }
    std::string key;
    for (const auto& [name, value] : object.attributes) {
      if (!compares_attribute(object.id.kind, name, options_)) continue;
      key += name;
      key += '\x1f';
      key += without_own_name(value, object.id.name);
      key += '\x1e';
    }
    return key;
  }

  void pair_renamed(const std::vector<const Object*>& only_a, const std::vector<const Object*>& only_b) {
    using Group = std::tuple<Kind, std::string, std::string>;
    std::map<Group, std::vector<const Object*>> group_b;
    for (const Object* o : only_b) group_b[{o->id.kind, o->id.schema, o->id.table}].push_back(o);
    std::vector<const Object*> paired_b;
    for (const Object* a : only_a) {  // in id order, hence name order within a table
      auto& candidates = group_b[{a->id.kind, a->id.schema, a->id.table}];
      const std::string key = match_key(*a);
      auto it = std::find_if(candidates.begin(), candidates.end(),
                             [&](const Object* b) { return b != nullptr && match_key(*b) == key; });
      if (it == candidates.end()) {
        Difference d;
        d.id = a->id;
        d.change = Change::only_in_a;
        out_.differences.push_back(std::move(d));
        continue;
      }
      const std::string b_name = catalog::display_name((*it)->id);
      compare_attributes(*a, **it, a->id, &b_name);
      renamed_qualified_[ddl::qualified(a->id.schema, a->id.name)] = ddl::qualified((*it)->id.schema, (*it)->id.name);
      *it = nullptr;
    }
    for (const auto& [group, candidates] : group_b) {
      for (const Object* b : candidates) {
        if (b == nullptr) continue;
        Difference d;
        d.id = b->id;
        d.change = Change::only_in_b;
        out_.differences.push_back(std::move(d));
      }
    }
  }

  // A partition's index (or key constraint) names the partitioned parent's index it is attached
  // to; when that parent was matched under another name, the child's reference follows it.
  void forgive_renamed_parents() {
    if (renamed_qualified_.empty()) return;
    auto follows_rename = [&](const Difference& d) {
      if (d.change != Change::changed || d.attribute != kAttachedTo) return false;
      auto it = renamed_qualified_.find(d.a);
      return it != renamed_qualified_.end() && it->second == d.b;
    };
    auto& list = out_.differences;
    list.erase(std::remove_if(list.begin(), list.end(), follows_rename), list.end());
  }

  // Column order as the relative order of the columns both sides have: the columns outside one
  // longest common order are the ones that moved. A column added or dropped elsewhere shifts
  // numbers but moves nothing.
  void report_column_moves() {
    auto same_table = [](const ColumnPair& x, const ColumnPair& y) {
      return x.a->id.schema == y.a->id.schema && x.a->id.table == y.a->id.table;
    };
    for (size_t start = 0, end = 0; start < columns_.size(); start = end) {
      for (end = start + 1; end < columns_.size() && same_table(columns_[start], columns_[end]); ++end) {
      }
      std::vector<ColumnPair> pairs(columns_.begin() + static_cast<std::ptrdiff_t>(start),
                                    columns_.begin() + static_cast<std::ptrdiff_t>(end));
      std::sort(pairs.begin(), pairs.end(),
                [](const ColumnPair& x, const ColumnPair& y) { return x.position_a < y.position_a; });
      std::vector<long> order_b;
      order_b.reserve(pairs.size());
      for (const auto& p : pairs) order_b.push_back(p.position_b);
      std::vector<size_t> kept = longest_increasing(order_b);
      std::vector<bool> stays(pairs.size(), false);
      for (size_t k : kept) stays[k] = true;
      for (size_t k = 0; k < pairs.size(); ++k) {
        if (stays[k]) continue;
        Difference d;
        d.id = pairs[k].a->id;
        d.change = Change::changed;
        d.attribute = catalog::attr::position;
        d.a = pairs[k].a->attr(catalog::attr::position);
        d.b = pairs[k].b->attr(catalog::attr::position);
        out_.differences.push_back(std::move(d));
      }
    }
  }

  void attach_children() {
    for (auto& d : out_.differences) {
      if (d.change == Change::changed) continue;
      auto it = hidden_children_.find({d.id, d.change});
      if (it != hidden_children_.end()) d.children = it->second;
    }
  }

  void compare_unsupported() {
    out_.unsupported_a = a_.unsupported;
    out_.unsupported_b = b_.unsupported;
    auto key = [](const catalog::Unsupported& u) { return std::tie(u.kind, u.identity); };
    auto less = [&](const catalog::Unsupported& x, const catalog::Unsupported& y) { return key(x) < key(y); };
    std::vector<catalog::Unsupported> sa = a_.unsupported, sb = b_.unsupported;
    std::sort(sa.begin(), sa.end(), less);
    std::sort(sb.begin(), sb.end(), less);
    std::set_difference(sa.begin(), sa.end(), sb.begin(), sb.end(),
                        std::back_inserter(out_.unsupported_only_in_a), less);
    std::set_difference(sb.begin(), sb.end(), sa.begin(), sa.end(),
                        std::back_inserter(out_.unsupported_only_in_b), less);
    for (auto x = sa.begin(), y = sb.begin(); x != sa.end() && y != sb.end();) {
      if (less(*x, *y)) {
        ++x;
      } else if (less(*y, *x)) {
        ++y;
      } else {
        if (x->reason != y->reason) out_.unsupported_changed.push_back(*y);
        ++x, ++y;
      }
    }
  }

  const catalog::Catalog& a_;
  const catalog::Catalog& b_;
  const DiffOptions& options_;
  ChangeSet out_;
  std::vector<const Object*> unmatched_a_;
  std::vector<const Object*> unmatched_b_;
  std::vector<ColumnPair> columns_;
  std::map<std::string, std::string> renamed_qualified_;  // A's app.name -> B's app.other_name
  std::map<std::pair<ObjectId, Change>, std::map<Kind, size_t>> hidden_children_;
};

}  // namespace

std::string to_string(Change change) {
  switch (change) {
    case Change::only_in_a:
      return "only_in_a";
    case Change::only_in_b:
      return "only_in_b";
    case Change::changed:
      return "changed";
  }
  return "changed";
}

bool compares_attribute(Kind kind, const std::string& attribute, const DiffOptions& options) {
  if (starts_with(attribute, catalog::attr::data_prefix)) return options.sequence_positions;
  if (kind == Kind::column && attribute == catalog::attr::position) return false;
  if (options.ignore_comments && is_attribute_family(attribute, catalog::attr::comment)) return false;
  if (options.ignore_privileges && is_attribute_family(attribute, catalog::attr::privileges)) return false;
  if (options.ignore_ownership && is_attribute_family(attribute, catalog::attr::owner)) return false;
  return true;
}

ChangeSet compare(const catalog::Catalog& a, const catalog::Catalog& b, const DiffOptions& options) {
  return Comparer(a, b, options).run();
}

}  // namespace schemakit::diff
