#include "introspect/introspect.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <thread>
#include <unordered_map>
#include <fmt/core.h>
#include <pqxx/transaction>

#include "common/error.hpp"
#include "ddl/quote.hpp"
#include "introspect/read_context.hpp"
#include "pg/connection.hpp"

namespace schemakit::introspect {

namespace extra {
void read_database_settings(ReadContext& ctx);  // lib/introspect/kinds/extra_database_setting.cpp
}  // namespace extra

namespace {

// Identities by address, hashed and compared by value: an index of the objects without a copy of
// their identities.
struct ObjectIdHash {
  size_t operator()(const catalog::ObjectId* id) const noexcept {
    std::hash<std::string> h;
    size_t seed = static_cast<size_t>(id->kind);
    for (const std::string* part : {&id->schema, &id->table, &id->name, &id->signature}) {
      seed ^= h(*part) + 0x9E3779B97F4A7C15ull + (seed << 6) + (seed >> 2);
    }
    return seed;
  }
};

struct ObjectIdEqual {
  bool operator()(const catalog::ObjectId* a, const catalog::ObjectId* b) const noexcept { return *a == *b; }
};

constexpr int kOldestServer = 120000;
constexpr int kNewestServer = 179999;

// psql-style pattern (* and ?) to an anchored POSIX regex, as a SQL literal.
std::string patterns_to_regex(const std::vector<std::string>& patterns) {
  if (patterns.empty()) return {};
  std::string alternatives;
  for (const auto& pattern : patterns) {
    if (!alternatives.empty()) alternatives += '|';
    for (char c : pattern) {
      if (c == '*') {
        alternatives += ".*";
      } else if (c == '?') {
        alternatives += '.';
      } else if (std::string_view("\\^$.|+()[]{}").find(c) != std::string_view::npos) {
        alternatives += '\\';
        alternatives += c;
      } else {
        alternatives += c;
      }
    }
  }
  return ddl::quote_literal("^(" + alternatives + ")$");
}

}  // namespace

namespace {

constexpr const char* kDependencySql =
    "SELECT d.classid::oid, d.objid::oid, d.objsubid, "
    "COALESCE(x.refclassid, d.refclassid)::oid, COALESCE(x.refobjid, d.refobjid)::oid, "
    "CASE WHEN x.refobjid IS NULL THEN d.refobjsubid ELSE 0 END "
    "FROM pg_catalog.pg_depend d LEFT JOIN pg_catalog.pg_depend x ON x.classid = d.refclassid "
    "AND x.objid = d.refobjid AND x.objsubid = 0 AND x.deptype = 'e' "
    "WHERE d.deptype = 'n' AND d.refobjid >= 16384";
constexpr const char* kDependencyWhat = "dependencies (pg_depend)";

}  // namespace

void ReadContext::resolve(const pqxx::result* dependency_rows) {
  auto& objects = catalog.objects;
  // Identities kept by value become places, where the object exists (an index by identity, built
  // only when there are such identities: readers alias and depend from the object just added).
  std::vector<uint32_t> by_value_position(ids_by_value_.size(), kByValue);
  if (!ids_by_value_.empty()) {
    std::unordered_map<const catalog::ObjectId*, uint32_t, ObjectIdHash, ObjectIdEqual> index;
    index.reserve(objects.size());
    for (size_t i = 0; i < objects.size(); ++i) index.emplace(&objects[i].id, static_cast<uint32_t>(i));
    for (size_t v = 0; v < ids_by_value_.size(); ++v) {
      if (auto it = index.find(&ids_by_value_[v]); it != index.end()) by_value_position[v] = it->second;
    }
  }
  auto position = [&](Target target) {
    return target.position != kByValue ? target.position : by_value_position[target.by_value];
  };
  auto resolve_key = [this](const OidKey& key) {
    const Target* target = find(key);
    if (target == nullptr && key.objsubid != 0) target = find({key.classid, key.objid, 0});
    return target;
  };
  auto add_edge = [&](uint32_t from, const catalog::ObjectId& to) {
    if (from == kByValue || objects[from].id == to) return;
    objects[from].depends_on.push_back(to);
  };
  if (dependency_rows != nullptr) {
    for (const auto& row : *dependency_rows) {
      const Target* a = resolve_key({row[0].as<uint32_t>(), row[1].as<uint32_t>(), row[2].as<int32_t>()});
      if (a == nullptr) continue;
      const Target* b = resolve_key({row[3].as<uint32_t>(), row[4].as<uint32_t>(), row[5].as<int32_t>()});
      if (b == nullptr) continue;
      add_edge(position(*a), id_of(*b));
    }
    for (const auto& [from, to] : pending_) {
      const Target* b = resolve_key(to);
      if (b != nullptr) add_edge(position(from), id_of(*b));
    }
  }
  for (const auto& later : later_attributes_) {
    const Target* target = resolve_key(later.key);
    if (target == nullptr) continue;
    const uint32_t at = position(*target);
    if (at != kByValue) objects[at].attributes[later.name] = later.value;
  }
  if (dependency_rows != nullptr) {
    for (auto& object : objects) {
      auto& deps = object.depends_on;
      std::sort(deps.begin(), deps.end());
      deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
    }
  }
}

ReadContext::ReadContext(pqxx::transaction_base& tx_, int server_version_,
                         const IntrospectOptions& options_, catalog::Catalog& catalog_)
    : tx(tx_), server_version(server_version_), options(options_), catalog(catalog_),
      schema_filter_regex_include_(patterns_to_regex(options_.include_schemas)),
      schema_filter_regex_exclude_(patterns_to_regex(options_.exclude_schemas)) {}

pqxx::result ReadContext::query(const std::string& sql, std::string_view what) {
  ++queries_;
  if (recorded_queries != nullptr) recorded_queries->push_back(sql);
  try {
    return tx.exec(sql);
  } catch (...) {
    pg::rethrow_as_server_error(fmt::format("reading {}", what));
  }
}

void ReadContext::expect_objects(size_t count) {
  // Growth stays geometric across readers.
  const size_t wanted = catalog.objects.size() + count;
  if (catalog.objects.capacity() < wanted) catalog.objects.reserve(std::max(wanted, 2 * catalog.objects.capacity()));
  if (oid_entries_.capacity() < oid_entries_.size() + count) {
    oid_entries_.reserve(std::max(oid_entries_.size() + count, 2 * oid_entries_.capacity()));
  }
}

ReadContext::Target ReadContext::target_of(const catalog::ObjectId& id) {
  const auto& objects = catalog.objects;
  if (!objects.empty() && objects.back().id == id) return {static_cast<uint32_t>(objects.size() - 1), 0};
  ids_by_value_.push_back(id);
  return {kByValue, static_cast<uint32_t>(ids_by_value_.size() - 1)};
}

const catalog::ObjectId& ReadContext::id_of(Target target) const {
  return target.position != kByValue ? catalog.objects[target.position].id : ids_by_value_[target.by_value];
}

const ReadContext::Target* ReadContext::find(OidKey key) const {
  const OidKeyHash hash;
  if (oid_entries_indexed_ != oid_entries_.size() || oid_index_.empty()) {
    // Linear probing at a load of at most one half.
    size_t capacity = 16;
    while (capacity < 2 * oid_entries_.size()) capacity <<= 1;
    oid_index_.assign(capacity, 0);
    for (size_t e = 0; e < oid_entries_.size(); ++e) {
      size_t slot = hash(oid_entries_[e].first) & (capacity - 1);
      while (oid_index_[slot] != 0 && oid_entries_[oid_index_[slot] - 1].first != oid_entries_[e].first) {
        slot = (slot + 1) & (capacity - 1);
      }
      oid_index_[slot] = static_cast<uint32_t>(e + 1);  // a later entry for the same OID replaces the earlier
    }
    oid_entries_indexed_ = oid_entries_.size();
  }
  const size_t mask = oid_index_.size() - 1;
  for (size_t slot = hash(key) & mask; oid_index_[slot] != 0; slot = (slot + 1) & mask) {
    const auto& entry = oid_entries_[oid_index_[slot] - 1];
    if (entry.first == key) return &entry.second;
  }
  return nullptr;
}

void ReadContext::add(catalog::Object object, OidKey key) {
  oid_entries_.push_back({key, {static_cast<uint32_t>(catalog.objects.size()), 0}});
  catalog.objects.push_back(std::move(object));
}

void ReadContext::alias(OidKey key, const catalog::ObjectId& id) { oid_entries_.push_back({key, target_of(id)}); }

void ReadContext::depend(const catalog::ObjectId& from, OidKey to) { pending_.emplace_back(target_of(from), to); }

void ReadContext::set_later(OidKey key, std::string name, std::string value) {
  later_attributes_.push_back({key, std::move(name), std::move(value)});
}

const catalog::ObjectId* ReadContext::lookup(OidKey key) const {
  const Target* target = find(key);
  return target == nullptr ? nullptr : &id_of(*target);
}

void ReadContext::unsupported(std::string kind, std::string identity, std::string reason) {
  catalog.unsupported.push_back({std::move(kind), std::move(identity), std::move(reason)});
}

void ReadContext::absorb(ReadContext& other) {
  const auto position_offset = static_cast<uint32_t>(catalog.objects.size());
  const auto by_value_offset = static_cast<uint32_t>(ids_by_value_.size());
  auto moved = [&](Target target) {
    if (target.position != kByValue) return Target{target.position + position_offset, 0};
    return Target{kByValue, target.by_value + by_value_offset};
  };
  for (auto& object : other.catalog.objects) catalog.objects.push_back(std::move(object));
  other.catalog.objects.clear();
  for (auto& entry : other.catalog.unsupported) catalog.unsupported.push_back(std::move(entry));
  other.catalog.unsupported.clear();
  for (auto& id : other.ids_by_value_) ids_by_value_.push_back(std::move(id));
  other.ids_by_value_.clear();
  for (const auto& [key, target] : other.oid_entries_) oid_entries_.push_back({key, moved(target)});
  other.oid_entries_.clear();
  other.oid_index_.clear();
  for (const auto& [from, to] : other.pending_) pending_.emplace_back(moved(from), to);
  other.pending_.clear();
  for (auto& later : other.later_attributes_) later_attributes_.push_back(std::move(later));
  other.later_attributes_.clear();
  queries_ += other.queries_;
  other.queries_ = 0;
}

std::string ReadContext::schema_name_filter(std::string_view nspname) const {
  std::string sql = fmt::format("({0} NOT IN ('pg_catalog', 'information_schema') AND {0} !~ '^pg_toast' AND {0} !~ '^pg_temp_'",
                                nspname);
  if (!schema_filter_regex_include_.empty()) sql += fmt::format(" AND {} ~ {}", nspname, schema_filter_regex_include_);
  if (!schema_filter_regex_exclude_.empty()) sql += fmt::format(" AND {} !~ {}", nspname, schema_filter_regex_exclude_);
  return sql + ")";
}

std::string ReadContext::not_extension_member(std::string_view catalog_table, std::string_view oid_column) {
  // Every 'e' edge points at a pg_extension row: saying so lets the server read only those
  // edges through pg_depend_reference_index instead of scanning all of pg_depend (120,000 rows
  // on the bench catalog, ~15 ms a query, in most of the ~30 queries).
  return fmt::format(
      "{} NOT IN (SELECT ext.objid FROM pg_catalog.pg_depend ext WHERE ext.refclassid = "
      "'pg_catalog.pg_extension'::pg_catalog.regclass AND ext.classid = 'pg_catalog.{}'::pg_catalog.regclass "
      "AND ext.deptype = 'e')",
      oid_column, catalog_table);
}

std::string ReadContext::acl_sql(std::string_view acl_column, AclOrder order) {
  const char* item_order = order == AclOrder::stored ? "position" : "item::text COLLATE \"C\"";
  return fmt::format(
      "(CASE WHEN {0} IS NULL THEN '' ELSE '{{' || COALESCE((SELECT string_agg(item::text, ',' "
      "ORDER BY {1}) FROM unnest({0}) WITH ORDINALITY AS acl_items(item, position)), '') || '}}' END)",
      acl_column, item_order);
}

namespace {

void check_version(const catalog::Catalog& catalog) {
  if (catalog.server_version < kOldestServer || catalog.server_version > kNewestServer) {
    throw ServerError(ExitCode::trouble,
                      fmt::format("database {}: server version {} is not supported (PostgreSQL 12 to 17 are)",
                                  catalog.database, catalog.server_version));
  }
}

void prepare(pqxx::transaction_base& tx) {
  // Deparsed text qualifies every name outside pg_catalog (see read_context.hpp).
  tx.exec("SET LOCAL search_path = ''");
  // The catalog queries join and aggregate whole catalogs: keep their sorts and hashes in memory.
  tx.exec("SET LOCAL work_mem = '64MB'");
  // Their time goes to the deparsing functions, which JIT does not speed up: compiling the
  // larger plans only adds to it (about 40 ms for the columns of 5,000 tables).
  tx.exec("SET LOCAL jit = off");
}

std::vector<KindReader> all_readers() {
  std::vector<KindReader> readers;
  register_core_readers(readers);
  register_extra_readers(readers);
  return readers;
}

using SnapshotTransaction = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// Readers that look at objects earlier readers added to ctx.catalog (the database settings
// reader looks for the roles reader's roles to depend on). Reading in parallel, they run last,
// on the first connection, once everything else is merged, so they see what they would serially.
bool looks_at_other_readers(KindReader reader) { return reader == &extra::read_database_settings; }

// One more connection of the same snapshot; null when it cannot be had (the read goes on
// without it).
struct Worker {
  std::unique_ptr<pqxx::connection> connection;
  std::unique_ptr<SnapshotTransaction> tx;
};

Worker open_worker(const Connector& connect_more, const std::string& snapshot) {
  Worker worker;
  try {
    worker.connection = connect_more();
    if (!worker.connection) return {};
    worker.tx = std::make_unique<SnapshotTransaction>(*worker.connection, "schemakit-introspect");
    worker.tx->exec("SET TRANSACTION SNAPSHOT " + ddl::quote_literal(snapshot));
    prepare(*worker.tx);
  } catch (...) {
    // A connection limit, a pooler that cannot import the snapshot: fewer connections read.
    return {};
  }
  return worker;
}

// Runs every reader spread over the first transaction (`ctx`'s) and up to jobs - 1 more of the
// same snapshot, each opened by its own thread while the others already read; then merges what
// they read into `ctx` in registration order, so the result is the same as reading serially.
// With dependencies on, the pg_depend query is one more item of the queue. Returns the number of
// queries each connection that read ran.
std::vector<size_t> run_readers_in_parallel(ReadContext& ctx, int jobs, const Connector& connect_more,
                                            const std::string& snapshot, pqxx::result& dependency_rows) {
  const std::vector<KindReader> readers = all_readers();
  struct Item {
    KindReader reader = nullptr;  // null: the pg_depend query
    catalog::Catalog part;
    std::unique_ptr<ReadContext> ctx;
    std::vector<std::string> queries;
    std::exception_ptr error;
    bool done = false;
  };
  std::vector<Item> items;
  items.reserve(readers.size() + 1);
  for (KindReader reader : readers) {
    if (!looks_at_other_readers(reader)) items.push_back(Item{reader, {}, nullptr, {}, nullptr, false});
  }
  if (ctx.options.dependencies) items.push_back(Item{});
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  // Per connection (the first one's first), how many queries it ran; -1 when it never opened.
  std::vector<long> queries(static_cast<size_t>(std::max(1, jobs)), -1);
  auto work = [&](pqxx::transaction_base& tx, size_t connection) {
    queries[connection] = 0;
    while (!failed) {
      const size_t i = next++;
      if (i >= items.size()) return;
      Item& item = items[i];
      try {
        item.ctx = std::make_unique<ReadContext>(tx, ctx.server_version, ctx.options, item.part);
        if (ctx.recorded_queries != nullptr) item.ctx->recorded_queries = &item.queries;
        if (item.reader != nullptr) {
          item.reader(*item.ctx);
        } else {
          dependency_rows = item.ctx->query(kDependencySql, kDependencyWhat);
        }
        queries[connection] += static_cast<long>(item.ctx->queries());
        item.done = true;
      } catch (...) {
        item.error = std::current_exception();
        // This transaction is aborted now; the others stop at their next item.
        failed = true;
        return;
      }
    }
  };
  std::vector<Worker> workers(static_cast<size_t>(std::max(0, jobs - 1)));
  std::vector<std::thread> threads;
  for (size_t w = 0; w < workers.size(); ++w) {
    threads.emplace_back([&, w] {
      workers[w] = open_worker(connect_more, snapshot);
      if (workers[w].tx) work(*workers[w].tx, w + 1);
    });
  }
  work(ctx.tx, 0);
  for (auto& thread : threads) thread.join();
  for (auto& item : items) {
    if (item.error) std::rethrow_exception(item.error);
  }
  for (auto& worker : workers) {
    if (worker.tx) worker.tx->commit();
  }
  size_t objects = ctx.catalog.objects.size();
  for (const auto& item : items) objects += item.part.objects.size();
  ctx.catalog.objects.reserve(objects);
  std::vector<std::string>* recorded = ctx.recorded_queries;
  size_t item = 0;
  size_t run_last = 0;  // queries of the readers that ran last, on the first connection
  for (KindReader reader : readers) {
    if (looks_at_other_readers(reader)) {
      const size_t before = ctx.queries();
      reader(ctx);
      run_last += ctx.queries() - before;
      continue;
    }
    if (!items[item].done) {
      throw Error(ExitCode::trouble, "introspection: a catalog reader did not run");
    }
    ctx.absorb(*items[item].ctx);
    if (recorded != nullptr) recorded->insert(recorded->end(), items[item].queries.begin(), items[item].queries.end());
    ++item;
  }
  if (ctx.options.dependencies) {
    ctx.absorb(*items[item].ctx);  // the query count
    if (recorded != nullptr) recorded->insert(recorded->end(), items[item].queries.begin(), items[item].queries.end());
  }
  std::vector<size_t> per_connection;
  for (size_t c = 0; c < queries.size(); ++c) {
    if (queries[c] >= 0) per_connection.push_back(static_cast<size_t>(queries[c]) + (c == 0 ? run_last : 0));
  }
  return per_connection;
}

catalog::Catalog read_catalog(pqxx::connection& connection, const Connector* connect_more,
                              const IntrospectOptions& options, IntrospectStats* stats) {
  auto started = std::chrono::steady_clock::now();
  catalog::Catalog catalog;
  catalog.server_version = connection.server_version();
  catalog.database = connection.dbname();
  check_version(catalog);
  const int jobs = connect_more != nullptr ? std::max(1, options.jobs) : 1;
  std::vector<size_t> queries_per_connection;
  try {
    SnapshotTransaction tx(connection, "schemakit-introspect");
    prepare(tx);
    ReadContext ctx(tx, catalog.server_version, options, catalog);
    if (stats != nullptr && stats->record_queries) ctx.recorded_queries = &stats->query_texts;
    pqxx::result dependency_rows;
    if (jobs == 1) {
      for (KindReader reader : all_readers()) reader(ctx);
      if (options.dependencies) dependency_rows = ctx.query(kDependencySql, kDependencyWhat);
    } else {
      const std::string snapshot = tx.exec("SELECT pg_catalog.pg_export_snapshot()")[0][0].c_str();
      queries_per_connection = run_readers_in_parallel(ctx, jobs, *connect_more, snapshot, dependency_rows);
    }
    ctx.resolve(options.dependencies ? &dependency_rows : nullptr);
    tx.commit();
    if (queries_per_connection.empty()) queries_per_connection.push_back(ctx.queries());
    if (stats) stats->queries = ctx.queries();
  } catch (const Error&) {
    throw;
  } catch (...) {
    pg::rethrow_as_server_error(fmt::format("introspecting database {}", catalog.database));
  }
  catalog.sort_by_id();
  if (stats) {
    stats->connections = static_cast<int>(queries_per_connection.size());
    stats->queries_per_connection = std::move(queries_per_connection);
    stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  return catalog;
}

}  // namespace

catalog::Catalog introspect(pqxx::connection& connection, const IntrospectOptions& options,
                            IntrospectStats* stats) {
  return read_catalog(connection, nullptr, options, stats);
}

catalog::Catalog introspect(const std::string& conninfo, const IntrospectOptions& options,
                            IntrospectStats* stats) {
  auto connection = pg::connect(conninfo, "schemakit");
  const Connector connect_more = [&conninfo] { return pg::connect(conninfo, "schemakit"); };
  return read_catalog(*connection, &connect_more, options, stats);
}

catalog::Catalog introspect(pqxx::connection& connection, const Connector& connect_more,
                            const IntrospectOptions& options, IntrospectStats* stats) {
  return read_catalog(connection, &connect_more, options, stats);
}

}  // namespace schemakit::introspect
