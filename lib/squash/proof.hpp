#pragma once
// The proof that a consolidated up.sql / down.sql pair is right, run before anything is written
// to OUT_DIR:
//   up        up.sql applies to a fresh copy of the base database;
//   catalog   its catalog equals the replayed one (the library's diff: zero differences);
//   rows      every table holds the same rows, row for row (md5 of the sorted row texts);
//   sequences every sequence gives the same next value (last_value, is_called);
//   pg_dump   `pg_dump --schema-only` of both is identical after the normalization rules
//             (skipped, and said so, where pg_dump is not installed);
//   down      down.sql brings the database back to the base state (roles stay: never dropped);
//   up_again  up.sql applies once more on that database;
//   roles     where the migrations created roles: up_again runs in a transaction (rolled back
//             after) in which those roles are renamed away, and the roles up.sql makes must be
//             what the replayed ones are.
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/model.hpp"
#include "pg/cluster.hpp"
#include "squash/replay.hpp"
#include "squash/report.hpp"
#include "squash/rows.hpp"

namespace schemakit::squash {

struct ProofSubject {
  pg::ScratchServer* server = nullptr;
  std::string base_database;  // template of the proof database (nobody connected)
  // Run on the proof database right after it is made, to reach the state before the first
  // migration (creates the tracking table when base_database is template0). May be empty.
  std::function<void(const std::string& conninfo)> prepare_start;
  const catalog::Catalog* base_catalog = nullptr;
  std::set<std::string> base_relations;  // left out of the row comparison
  std::optional<TrackingTable> tracking;
  std::set<std::string> setup_roles;  // left out like the base (leave_out_roles)
  // The roles the migrations created: the rebuilt database is read with them as the replayed one
  // was (read_catalog), and the check "roles" makes them with up.sql where they are missing.
  std::vector<std::string> created_roles;
  const catalog::Catalog* replayed = nullptr;  // the migrations' part (migrations_part)
  std::string replayed_conninfo;
  const DataSnapshot* replayed_data = nullptr;  // nullptr with --no-data: rows not compared
  std::string up_sql;
  std::string down_sql;
  std::function<void(const std::string&)> log;
};

struct ProofResult {
  bool passed = false;
  std::vector<Check> checks;
  // What failed, in full (catalog differences, pg_dump diff, server errors), for stderr.
  std::string failures;
};

ProofResult prove(const ProofSubject& subject);

}  // namespace schemakit::squash
