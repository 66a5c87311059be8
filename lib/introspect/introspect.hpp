#pragma once
// Reads a live database's catalog into the model: one REPEATABLE READ, READ ONLY transaction,
// a fixed number of queries (one per object kind, plus dependencies), whatever the catalog size.
#include <functional>
#include <memory>
#include <pqxx/connection>
#include <string>
#include <vector>

#include "catalog/model.hpp"

namespace schemakit::introspect {

// Connections per database by default: two let the two largest readers (columns; constraints
// and indexes) and our parsing of their results run side by side, which is most of the gain on a
// 2-core server (more paid nothing more there; docs/benchmarks.md). Small catalogs gain too: 30
// short queries in two queues instead of one.
inline constexpr int kDefaultJobs = 2;

struct IntrospectOptions {
  bool privileges = true;  // GRANTs, column grants, default privileges
  bool ownership = true;   // OWNER of every object
  bool comments = true;
  bool sequence_positions = true;  // data.last_value / data.is_called on sequences
  // Schema name patterns (psql style: * and ?). Empty include list: every user schema.
  std::vector<std::string> include_schemas;
  std::vector<std::string> exclude_schemas;
  // Object::depends_on from pg_depend (and the readers' own edges). What orders a script needs;
  // a comparison of attributes does not (schema-compare turns it off: one query and the lifting
  // of ~170,000 edges fewer on a large catalog). Every attribute is read either way.
  bool dependencies = true;
  // Roles read although nothing in the database refers to them (they own nothing, are granted
  // nothing, set nothing here), with their members and the roles they are members of, as a
  // referenced role is read. Roles are cluster-wide, so by default only the ones this database
  // refers to belong to its catalog; squash lists the roles its migrations created, which are
  // part of the schema whether used or not. A name no role has is ignored.
  std::vector<std::string> listed_roles;
  // Connections reading at once (not for the overload given only a connection). Beyond 1, the
  // readers are spread over that many connections that share the first one's snapshot
  // (pg_export_snapshot, as pg_dump -j does), so the model is still one consistent snapshot and
  // identical to a serial read; the expensive deparsing queries then run side by side on the
  // server, and the result parsing side by side on the client. An extra connection that cannot
  // be opened (a connection limit) is done without; the read is then just less parallel.
  int jobs = kDefaultJobs;
};

struct IntrospectStats {
  size_t queries = 0;
  double seconds = 0;
  int connections = 0;  // how many connections read (options.jobs, or fewer; see there)
  // Catalog queries each connection ran, the first connection's first.
  std::vector<size_t> queries_per_connection;
  // Set before the call to keep the text of every catalog query (the benchmark runs them raw
  // through psql to measure the floor).
  bool record_queries = false;
  std::vector<std::string> query_texts;
};

// Opens its own transaction on `connection`; the connection must not be inside one. Reads
// serially whatever options.jobs says.
catalog::Catalog introspect(pqxx::connection& connection, const IntrospectOptions& options,
                            IntrospectStats* stats = nullptr);
// Connects to `conninfo` (options.jobs times when reading in parallel).
catalog::Catalog introspect(const std::string& conninfo, const IntrospectOptions& options,
                            IntrospectStats* stats = nullptr);
// Reads on `connection` and on up to options.jobs - 1 more from `connect_more`, which opens one
// more connection to the same database set up like the first (the caller's session settings:
// timeouts, read-only, application_name). It may throw: that connection is done without.
using Connector = std::function<std::unique_ptr<pqxx::connection>()>;
catalog::Catalog introspect(pqxx::connection& connection, const Connector& connect_more,
                            const IntrospectOptions& options, IntrospectStats* stats = nullptr);

}  // namespace schemakit::introspect
