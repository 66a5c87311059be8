#pragma once
// Reads a live database's catalog into the model: one REPEATABLE READ, READ ONLY transaction,
// a fixed number of queries (one per object kind, plus dependencies), whatever the catalog size.
#include <pqxx/connection>
#include <string>
#include <vector>

#include "catalog/model.hpp"

namespace schemakit::introspect {

struct IntrospectOptions {
  bool privileges = true;  // GRANTs, column grants, default privileges
  bool ownership = true;   // OWNER of every object
  bool comments = true;
  bool sequence_positions = true;  // data.last_value / data.is_called on sequences
  // Schema name patterns (psql style: * and ?). Empty include list: every user schema.
  std::vector<std::string> include_schemas;
  std::vector<std::string> exclude_schemas;
  // Connections reading at once (the conninfo overload only). Beyond 1, the readers are spread
  // over that many connections that share the first one's snapshot (pg_export_snapshot, as
  // pg_dump -j does), so the model is still one consistent snapshot and identical to a serial
  // read; the expensive deparsing queries then run side by side on the server.
  int jobs = 1;
};

struct IntrospectStats {
  size_t queries = 0;
  double seconds = 0;
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

}  // namespace schemakit::introspect
