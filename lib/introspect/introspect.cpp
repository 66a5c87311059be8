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

// Lifts pg_depend 'n' edges between objects we modelled into depends_on lists, plus the edges
// readers recorded with ReadContext::depend, and sets the attributes of ReadContext::set_later. An edge to a member of an extension becomes an edge
// to the extension (a domain over citext needs CREATE EXTENSION citext first). Edges to objects
// we do not model (system objects) are dropped: they exist on both sides.
void resolve_dependencies(ReadContext& ctx) {
  pqxx::result r = ctx.query(
      "SELECT d.classid::oid, d.objid::oid, d.objsubid, "
      "COALESCE(x.refclassid, d.refclassid)::oid, COALESCE(x.refobjid, d.refobjid)::oid, "
      "CASE WHEN x.refobjid IS NULL THEN d.refobjsubid ELSE 0 END "
      "FROM pg_catalog.pg_depend d LEFT JOIN pg_catalog.pg_depend x ON x.classid = d.refclassid "
      "AND x.objid = d.refobjid AND x.objsubid = 0 AND x.deptype = 'e' "
      "WHERE d.deptype = 'n' AND d.refobjid >= 16384",
      "dependencies (pg_depend)");
  auto resolve = [&ctx](const OidKey& key) {
    const catalog::ObjectId* id = ctx.lookup(key);
    if (id == nullptr && key.objsubid != 0) id = ctx.lookup({key.classid, key.objid, 0});
    return id;
  };
  // Objects by identity, hashed: 170,000 edges on a large catalog.
  auto& objects = ctx.catalog.objects;
  std::unordered_map<const catalog::ObjectId*, size_t, ObjectIdHash, ObjectIdEqual> index;
  index.reserve(objects.size());
  for (size_t i = 0; i < objects.size(); ++i) index.emplace(&objects[i].id, i);
  auto add_edge = [&](const catalog::ObjectId& from, const catalog::ObjectId& to) {
    auto it = index.find(&from);
    if (it != index.end()) objects[it->second].depends_on.push_back(to);
  };
  for (const auto& row : r) {
    OidKey from{row[0].as<uint32_t>(), row[1].as<uint32_t>(), row[2].as<int32_t>()};
    OidKey to{row[3].as<uint32_t>(), row[4].as<uint32_t>(), row[5].as<int32_t>()};
    const catalog::ObjectId* a = resolve(from);
    const catalog::ObjectId* b = resolve(to);
    if (a == nullptr || b == nullptr || *a == *b) continue;
    add_edge(*a, *b);
  }
  for (const auto& [from, to] : ctx.pending_) {
    const catalog::ObjectId* b = resolve(to);
    if (b == nullptr || *b == from) continue;
    add_edge(from, *b);
  }
  for (const auto& later : ctx.later_attributes_) {
    const catalog::ObjectId* id = resolve(later.key);
    if (id == nullptr) continue;
    if (auto it = index.find(id); it != index.end()) objects[it->second].attributes[later.name] = later.value;
  }
  for (auto& object : objects) {
    auto& deps = object.depends_on;
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
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

void ReadContext::add(catalog::Object object, OidKey key) {
  ids_[key] = object.id;
  catalog.objects.push_back(std::move(object));
}

void ReadContext::alias(OidKey key, const catalog::ObjectId& id) { ids_[key] = id; }

void ReadContext::depend(const catalog::ObjectId& from, OidKey to) { pending_.emplace_back(from, to); }

void ReadContext::set_later(OidKey key, std::string name, std::string value) {
  later_attributes_.push_back({key, std::move(name), std::move(value)});
}

const catalog::ObjectId* ReadContext::lookup(OidKey key) const {
  auto it = ids_.find(key);
  return it == ids_.end() ? nullptr : &it->second;
}

void ReadContext::unsupported(std::string kind, std::string identity, std::string reason) {
  catalog.unsupported.push_back({std::move(kind), std::move(identity), std::move(reason)});
}

void ReadContext::absorb(ReadContext& other) {
  for (auto& object : other.catalog.objects) catalog.objects.push_back(std::move(object));
  other.catalog.objects.clear();
  for (auto& entry : other.catalog.unsupported) catalog.unsupported.push_back(std::move(entry));
  other.catalog.unsupported.clear();
  for (auto& [key, id] : other.ids_) ids_[key] = std::move(id);
  other.ids_.clear();
  for (auto& edge : other.pending_) pending_.push_back(std::move(edge));
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
  return fmt::format(
      "{} NOT IN (SELECT ext.objid FROM pg_catalog.pg_depend ext WHERE ext.classid = "
      "'pg_catalog.{}'::pg_catalog.regclass AND ext.deptype = 'e')",
      oid_column, catalog_table);
}

std::string ReadContext::acl_sql(std::string_view acl_column) {
  return fmt::format(
      "(CASE WHEN {0} IS NULL THEN '' ELSE '{{' || COALESCE((SELECT string_agg(item::text, ',' "
      "ORDER BY item::text) FROM unnest({0}) AS item), '') || '}}' END)",
      acl_column);
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

// Runs every reader, spread over the main transaction and `workers` (transactions of the same
// snapshot), then merges what they read into `ctx` in registration order, so the result is the
// same as reading serially.
void run_readers_in_parallel(ReadContext& ctx, std::vector<SnapshotTransaction*>& transactions) {
  const std::vector<KindReader> readers = all_readers();
  struct Run {
    catalog::Catalog part;
    std::unique_ptr<ReadContext> ctx;
    std::vector<std::string> queries;
    std::exception_ptr error;
  };
  std::vector<Run> runs(readers.size());
  std::atomic<size_t> next{0};
  auto work = [&](pqxx::transaction_base& tx) {
    for (size_t i = next++; i < readers.size(); i = next++) {
      Run& run = runs[i];
      try {
        run.ctx = std::make_unique<ReadContext>(tx, ctx.server_version, ctx.options, run.part);
        if (ctx.recorded_queries != nullptr) run.ctx->recorded_queries = &run.queries;
        readers[i](*run.ctx);
      } catch (...) {
        run.error = std::current_exception();
        // This transaction is aborted now: the other connections finish the queue.
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < transactions.size(); ++t) threads.emplace_back(work, std::ref(*transactions[t]));
  work(*transactions[0]);
  for (auto& thread : threads) thread.join();
  for (auto& run : runs) {
    if (run.error) std::rethrow_exception(run.error);
  }
  for (size_t i = 0; i < runs.size(); ++i) {
    if (!runs[i].ctx) {
      throw Error(ExitCode::trouble, "introspection: a catalog reader did not run (every connection failed)");
    }
    ctx.absorb(*runs[i].ctx);
    if (ctx.recorded_queries != nullptr) {
      ctx.recorded_queries->insert(ctx.recorded_queries->end(), runs[i].queries.begin(), runs[i].queries.end());
    }
  }
}

catalog::Catalog read_catalog(pqxx::connection& connection, const std::string* conninfo,
                              const IntrospectOptions& options, IntrospectStats* stats) {
  auto started = std::chrono::steady_clock::now();
  catalog::Catalog catalog;
  catalog.server_version = connection.server_version();
  catalog.database = connection.dbname();
  check_version(catalog);
  const int jobs = conninfo != nullptr ? std::max(1, options.jobs) : 1;
  try {
    SnapshotTransaction tx(connection, "schemakit-introspect");
    prepare(tx);
    ReadContext ctx(tx, catalog.server_version, options, catalog);
    if (stats != nullptr && stats->record_queries) ctx.recorded_queries = &stats->query_texts;
    if (jobs == 1) {
      for (KindReader reader : all_readers()) reader(ctx);
    } else {
      const std::string snapshot = tx.exec("SELECT pg_catalog.pg_export_snapshot()")[0][0].c_str();
      std::vector<std::unique_ptr<pqxx::connection>> connections;
      std::vector<std::unique_ptr<SnapshotTransaction>> worker_transactions;
      std::vector<SnapshotTransaction*> transactions{&tx};
      for (int j = 1; j < jobs; ++j) {
        connections.push_back(pg::connect(*conninfo, "schemakit"));
        worker_transactions.push_back(std::make_unique<SnapshotTransaction>(*connections.back(), "schemakit-introspect"));
        worker_transactions.back()->exec("SET TRANSACTION SNAPSHOT " + ddl::quote_literal(snapshot));
        prepare(*worker_transactions.back());
        transactions.push_back(worker_transactions.back().get());
      }
      run_readers_in_parallel(ctx, transactions);
      for (auto& worker : worker_transactions) worker->commit();
    }
    resolve_dependencies(ctx);
    tx.commit();
    if (stats) stats->queries = ctx.queries();
  } catch (const Error&) {
    throw;
  } catch (...) {
    pg::rethrow_as_server_error(fmt::format("introspecting database {}", catalog.database));
  }
  catalog.sort_by_id();
  if (stats) {
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
  return read_catalog(*connection, &conninfo, options, stats);
}

}  // namespace schemakit::introspect
