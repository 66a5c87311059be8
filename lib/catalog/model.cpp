#include "catalog/model.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string_view>
#include <unordered_map>

#include "catalog/attributes.hpp"
#include "ddl/quote.hpp"

namespace schemakit::catalog {
namespace {

struct KindName {
  Kind kind;
  std::string_view name;
  std::string_view plural;
};

constexpr std::array<KindName, 33> kKindNames{{
    {Kind::role, "role", "roles"},
    {Kind::database_setting, "database_setting", "database settings"},
    {Kind::database, "database", "databases"},
    {Kind::schema, "schema", "schemas"},
    {Kind::extension, "extension", "extensions"},
    {Kind::collation, "collation", "collations"},
    {Kind::enum_type, "enum", "enums"},
    {Kind::domain, "domain", "domains"},
    {Kind::composite_type, "composite_type", "composite types"},
    {Kind::range_type, "range_type", "range types"},
    {Kind::function, "function", "functions"},
    {Kind::procedure, "procedure", "procedures"},
    {Kind::aggregate, "aggregate", "aggregates"},
    // Short plurals: schema-compare's summary column is 20 wide.
    {Kind::text_search_dictionary, "text_search_dictionary", "ts dictionaries"},
    {Kind::text_search_configuration, "text_search_configuration", "ts configurations"},
    {Kind::operator_, "operator", "operators"},
    {Kind::cast, "cast", "casts"},
    {Kind::sequence, "sequence", "sequences"},
    {Kind::table, "table", "tables"},
    {Kind::column, "column", "columns"},
    {Kind::foreign_server, "foreign_server", "foreign servers"},
    {Kind::foreign_table, "foreign_table", "foreign tables"},
    {Kind::view, "view", "views"},
    {Kind::materialized_view, "materialized_view", "materialized views"},
    {Kind::index, "index", "indexes"},
    {Kind::constraint, "constraint", "constraints"},
    {Kind::trigger, "trigger", "triggers"},
    {Kind::event_trigger, "event_trigger", "event triggers"},
    {Kind::rule, "rule", "rules"},
    {Kind::policy, "policy", "policies"},
    {Kind::statistics, "statistics", "statistics objects"},
    {Kind::publication, "publication", "publications"},
    {Kind::default_privilege, "default_privilege", "default privileges"},
}};

const KindName& lookup(Kind kind) {
  for (const auto& k : kKindNames) {
    if (k.kind == kind) return k;
  }
  std::abort();  // every enumerator is in the table; a new one without a name is a bug here
}

}  // namespace

std::string_view to_string(Kind kind) { return lookup(kind).name; }
std::string_view plural_label(Kind kind) { return lookup(kind).plural; }

std::optional<Kind> kind_from_string(std::string_view name) {
  for (const auto& k : kKindNames) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

const std::vector<Kind>& all_kinds() {
  static const std::vector<Kind> kinds = [] {
    std::vector<Kind> v;
    for (const auto& k : kKindNames) v.push_back(k.kind);
    return v;
  }();
  return kinds;
}

std::string display_name(const ObjectId& id) {
  std::string out;
  switch (id.kind) {
    case Kind::column:
      return ddl::qualified(id.schema, id.table) + "." + ddl::quote_ident(id.name);
    case Kind::constraint:
    case Kind::trigger:
    case Kind::rule:
    case Kind::policy:
      return ddl::quote_ident(id.name) + " ON " + ddl::qualified(id.schema, id.table);
    case Kind::function:
    case Kind::procedure:
    case Kind::aggregate:
      return ddl::qualified(id.schema, id.name) + "(" + id.signature + ")";
    case Kind::operator_:
      // Operator names are never quoted.
      return ddl::quote_ident(id.schema) + "." + id.name + "(" + id.signature + ")";
    case Kind::cast:
      return "(" + id.name + " AS " + id.signature + ")";
    case Kind::database_setting:
      // name is the setting; table holds the role it applies to ("" for everyone).
      return id.table.empty() ? id.name : id.name + " (role " + ddl::quote_ident(id.table) + ")";
    case Kind::default_privilege:
      return id.name;
    case Kind::database:
      return "(current database)";
    default:
      out = ddl::qualified(id.schema, id.name);
      if (!id.signature.empty()) out += "(" + id.signature + ")";
      return out;
  }
}

const std::string& Object::attr(std::string_view name) const {
  static const std::string empty;
  auto it = attributes.find(std::string(name));
  return it == attributes.end() ? empty : it->second;
}

namespace {

// The rank of each object's `field` among the distinct values of that field, in string order:
// comparing two ranks is comparing the strings. A catalog has few schemas and some thousands of
// tables for its 100,000 objects, so ranking them once leaves only names of the same table to
// compare as text. Readers add a table's objects one after another: the previous object's
// answer is tried before the hash table.
template <typename Field>
std::vector<uint32_t> ranks_of(const std::vector<Object>& objects, Field field) {
  std::unordered_map<std::string_view, uint32_t> ranks;
  std::string_view last;
  for (size_t i = 0; i < objects.size(); ++i) {
    const std::string_view text = field(objects[i].id);
    if (i > 0 && text == last) continue;
    ranks.emplace(text, 0);
    last = text;
  }
  std::vector<std::string_view> distinct;
  distinct.reserve(ranks.size());
  for (const auto& [text, rank] : ranks) distinct.push_back(text);
  std::sort(distinct.begin(), distinct.end());
  for (size_t i = 0; i < distinct.size(); ++i) ranks[distinct[i]] = static_cast<uint32_t>(i);
  std::vector<uint32_t> out(objects.size());
  for (size_t i = 0; i < objects.size(); ++i) {
    const std::string_view text = field(objects[i].id);
    out[i] = (i > 0 && text == field(objects[i - 1].id)) ? out[i - 1] : ranks.at(text);
  }
  return out;
}

}  // namespace

void Catalog::sort_by_id() {
  // The order is ObjectId's (kind, schema, table, name, signature). Sorting positions by a
  // number made of the kind and the ranks of schema and table, then by name and signature, is
  // that order with a fraction of the string comparisons.
  const std::vector<uint32_t> schema_ranks =
      ranks_of(objects, [](const ObjectId& id) -> std::string_view { return id.schema; });
  const std::vector<uint32_t> table_ranks =
      ranks_of(objects, [](const ObjectId& id) -> std::string_view { return id.table; });
  struct Key {
    uint64_t kind_schema;  // kind, then the schema's rank
    uint32_t table;
    uint32_t position;
  };
  std::vector<Key> keys(objects.size());
  for (size_t i = 0; i < objects.size(); ++i) {
    const ObjectId& id = objects[i].id;
    keys[i] = {(static_cast<uint64_t>(id.kind) << 32) | schema_ranks[i], table_ranks[i], static_cast<uint32_t>(i)};
  }
  std::sort(keys.begin(), keys.end(), [this](const Key& a, const Key& b) {
    if (a.kind_schema != b.kind_schema) return a.kind_schema < b.kind_schema;
    if (a.table != b.table) return a.table < b.table;
    const ObjectId& x = objects[a.position].id;
    const ObjectId& y = objects[b.position].id;
    if (const int by_name = x.name.compare(y.name); by_name != 0) return by_name < 0;
    return x.signature < y.signature;
  });
  // Moving each object once, along the cycles of the permutation, is cheaper than letting the
  // sort move whole objects around (140,000 in a large catalog), and needs no second copy.
  std::vector<size_t> order(objects.size());  // order[j]: the object that belongs at j
  for (size_t j = 0; j < keys.size(); ++j) order[j] = keys[j].position;
  std::vector<bool> placed(objects.size(), false);
  for (size_t start = 0; start < objects.size(); ++start) {
    if (placed[start]) continue;
    Object held = std::move(objects[start]);
    size_t at = start;
    while (order[at] != start) {
      objects[at] = std::move(objects[order[at]]);
      placed[at] = true;
      at = order[at];
    }
    objects[at] = std::move(held);
    placed[at] = true;
  }
  std::sort(unsupported.begin(), unsupported.end());
}

const Object* Catalog::find(const ObjectId& id) const {
  auto it = std::lower_bound(objects.begin(), objects.end(), id,
                             [](const Object& o, const ObjectId& key) { return o.id < key; });
  return (it != objects.end() && it->id == id) ? &*it : nullptr;
}

std::vector<const Object*> Catalog::children_of(const ObjectId& table) const {
  // Objects are sorted by (kind, schema, table, ...): each child kind is one contiguous range.
  std::vector<const Object*> out;
  for (Kind kind : {Kind::column, Kind::constraint, Kind::index, Kind::trigger, Kind::rule, Kind::policy}) {
    ObjectId start{kind, table.schema, table.name, "", ""};
    auto it = std::lower_bound(objects.begin(), objects.end(), start,
                               [](const Object& o, const ObjectId& key) { return o.id < key; });
    for (; it != objects.end() && it->id.kind == kind && it->id.schema == table.schema &&
           it->id.table == table.name;
         ++it) {
      out.push_back(&*it);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Object* a, const Object* b) {
    bool ac = a->id.kind == Kind::column, bc = b->id.kind == Kind::column;
    if (ac != bc) return ac;
    if (ac) return std::atoi(a->attr(attr::position).c_str()) < std::atoi(b->attr(attr::position).c_str());
    return false;
  });
  return out;
}

std::map<Kind, size_t> Catalog::counts() const {
  std::map<Kind, size_t> out;
  for (const auto& o : objects) ++out[o.id.kind];
  return out;
}

}  // namespace schemakit::catalog
