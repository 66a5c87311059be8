#pragma once
// What a per-kind reader (lib/introspect/kinds/*.cpp) gets: the snapshot transaction, the
// options, the catalog being filled, and the OID-to-identity map that dependency lifting uses.
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <pqxx/result>
#include <pqxx/transaction_base>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "introspect/introspect.hpp"

namespace schemakit::introspect {

// (pg_class oid of the system catalog, object oid, sub-id): what pg_depend talks about.
struct OidKey {
  uint32_t classid = 0;
  uint32_t objid = 0;
  int32_t objsubid = 0;
  auto operator<=>(const OidKey&) const = default;
  bool operator==(const OidKey&) const = default;
};

// Every bit of the key reaches the low bits (ReadContext's index takes them as the slot).
struct OidKeyHash {
  size_t operator()(const OidKey& key) const noexcept {
    uint64_t h = (static_cast<uint64_t>(key.classid) << 32) ^ key.objid;
    h ^= static_cast<uint64_t>(static_cast<uint32_t>(key.objsubid)) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
    return static_cast<size_t>(h);
  }
};

// OIDs of the system catalogs, fixed since PostgreSQL 7 (they are pg_depend's classid values).
namespace catalog_oid {
inline constexpr uint32_t pg_class = 1259;
inline constexpr uint32_t pg_type = 1247;
inline constexpr uint32_t pg_proc = 1255;
inline constexpr uint32_t pg_attrdef = 2604;
inline constexpr uint32_t pg_constraint = 2606;
inline constexpr uint32_t pg_namespace = 2615;
inline constexpr uint32_t pg_rewrite = 2618;
inline constexpr uint32_t pg_trigger = 2620;
inline constexpr uint32_t pg_authid = 1260;
inline constexpr uint32_t pg_collation = 3456;
inline constexpr uint32_t pg_extension = 3079;
inline constexpr uint32_t pg_event_trigger = 3466;
inline constexpr uint32_t pg_policy = 3256;
inline constexpr uint32_t pg_statistic_ext = 3381;
inline constexpr uint32_t pg_foreign_server = 1417;
inline constexpr uint32_t pg_foreign_data_wrapper = 2328;
inline constexpr uint32_t pg_publication = 6104;
inline constexpr uint32_t pg_default_acl = 826;
inline constexpr uint32_t pg_ts_dict = 3600;
inline constexpr uint32_t pg_ts_config = 3602;
inline constexpr uint32_t pg_operator = 2617;
inline constexpr uint32_t pg_cast = 2605;
}  // namespace catalog_oid

// Every query runs with search_path = '' (set by the driver), so the server's deparsers
// (format_type, pg_get_expr, pg_get_indexdef, regclass/regproc text...) qualify every name that
// is not in pg_catalog, and the text is valid in a script that also sets search_path = ''.
class ReadContext {
 public:
  ReadContext(pqxx::transaction_base& tx, int server_version, const IntrospectOptions& options,
              catalog::Catalog& catalog);

  pqxx::transaction_base& tx;
  const int server_version;  // e.g. 150004; gate version-specific SQL on it
  const IntrospectOptions& options;
  catalog::Catalog& catalog;

  // Runs one catalog query; failures become ServerError("reading <what>: SQLSTATE ...").
  pqxx::result query(const std::string& sql, std::string_view what);
  size_t queries() const { return queries_; }
  // Every query's text is appended here when set (IntrospectStats::record_queries).
  std::vector<std::string>* recorded_queries = nullptr;

  // Room for `count` more objects: a reader about to add one per row of a large result says so,
  // sparing the copies of growing by doubling through 100,000 rows.
  void expect_objects(size_t count);
  // Adds an object and remembers which OID it came from (for pg_depend lifting).
  void add(catalog::Object object, OidKey key);
  // Extra OIDs that stand for an existing object (a view's pg_rewrite rule stands for the view).
  // Cheapest for the object added last, as readers do.
  void alias(OidKey key, const catalog::ObjectId& id);
  // The object `key` stands for among those this context holds, or null. The pointer is good
  // until the next add().
  const catalog::ObjectId* lookup(OidKey key) const;
  // A dependency pg_depend does not record as 'n' (an index or constraint on its table, a
  // partition on its parent), resolved to an identity after every reader ran, so the target
  // may be read by a later reader. Targets that were not modelled are dropped, like pg_depend's.
  void depend(const catalog::ObjectId& from, OidKey to);
  // An attribute of the object `key` stands for, set after every reader ran (so another reader
  // may model that object): an identity sequence's position, read with the other sequences, is
  // its column's. Dropped when `key` stands for nothing modelled.
  void set_later(OidKey key, std::string name, std::string value);
  void unsupported(std::string kind, std::string identity, std::string reason);
  // Takes over what `other` read (a reader run on another connection of the same snapshot):
  // its objects, unsupported entries, OID map, pending dependencies and attributes, and query
  // count.
  void absorb(ReadContext& other);

  // SQL predicate on the nspname column of the pg_namespace row a query joins: a user schema
  // that the options select (never pg_catalog, information_schema, pg_toast*, pg_temp*). A plain
  // condition on the joined row, not a subquery per row.
  std::string schema_name_filter(std::string_view nspname_column) const;
  // SQL predicate: the object (catalog table `catalog_table`, oid column) is not an extension
  // member (pg_depend deptype 'e'). NOT IN an uncorrelated set, which the server hashes once,
  // rather than NOT EXISTS, which it may plan as a nested loop over every member.
  static std::string not_extension_member(std::string_view catalog_table, std::string_view oid_column);
  // SQL expression giving the text of an aclitem[] column: '' when NULL (the built-in default
  // privileges), else '{item,item}', e.g. '{app=UC/app,=U/app}'. Items in the order the server
  // stores them (the order of the grants, which pg_dump prints; catalog/privilege_lists.hpp), or
  // sorted for comparing two lists as sets in SQL.
  enum class AclOrder { stored, sorted };
  static std::string acl_sql(std::string_view acl_column, AclOrder order = AclOrder::stored);

  // After every reader ran (and every other connection's context was absorbed): lifts the
  // pg_depend rows (`dependency_rows`, null when options.dependencies is off) and the depend()
  // edges into Object::depends_on, and sets the set_later() attributes. An edge to a member of an
  // extension is an edge to the extension; edges to objects not modelled are dropped.
  void resolve(const pqxx::result* dependency_rows);

 private:
  // Objects are known by their place in catalog.objects (stable until the catalog is sorted,
  // after resolve()): an OID map and edge lists without a copy of every identity. An identity
  // that is not one of this context's objects (never met so far) is kept by value.
  static constexpr uint32_t kByValue = UINT32_MAX;
  struct Target {
    uint32_t position = kByValue;
    uint32_t by_value = 0;  // index into ids_by_value_ when position is kByValue
  };
  Target target_of(const catalog::ObjectId& id);
  const catalog::ObjectId& id_of(Target target) const;
  const Target* find(OidKey key) const;
  size_t queries_ = 0;
  // What each OID stands for, in the order add() and alias() said it (a later entry for the same
  // OID wins), and an open-addressing index over it built at the first lookup: appending is all
  // the readers pay, and absorbing another context is appending its entries.
  std::vector<std::pair<OidKey, Target>> oid_entries_;
  mutable std::vector<uint32_t> oid_index_;  // slot -> 1 + index into oid_entries_, 0 when free
  mutable size_t oid_entries_indexed_ = 0;
  std::vector<catalog::ObjectId> ids_by_value_;
  std::vector<std::pair<Target, OidKey>> pending_;
  struct LaterAttribute {
    OidKey key;
    std::string name;
    std::string value;
  };
  std::vector<LaterAttribute> later_attributes_;
  std::string schema_filter_regex_include_;
  std::string schema_filter_regex_exclude_;
};

using KindReader = void (*)(ReadContext&);

// Readers run in registration order; each is one query (or a fixed few) for its kinds.
// The core kinds (lib/introspect/kinds/core.cpp): schemas, extensions, types, sequences, tables,
// columns, constraints, indexes, collations. The rest (lib/introspect/kinds/extra.cpp): routines,
// views, triggers, policies, rules, statistics, publications, foreign data, settings, roles, ...
void register_core_readers(std::vector<KindReader>& readers);
void register_extra_readers(std::vector<KindReader>& readers);

}  // namespace schemakit::introspect
