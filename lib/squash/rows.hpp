#pragma once
// The data half of the proof: a digest of every user table's rows and the position of every
// user sequence, read straight from the server (not through the catalog model, so the check is
// independent of it).
#include <set>
#include <string>
#include <vector>

#include "pg/connection.hpp"

namespace schemakit::squash {

struct TableRows {
  std::string table;  // schema.name, quoted as SQL needs
  long long rows = 0;
  std::string digest;  // md5 of the rows' text, sorted; equal rows give equal digests
};

struct SequencePosition {
  std::string sequence;  // schema.name, quoted as SQL needs
  std::string last_value;
  bool is_called = false;
};

struct DataSnapshot {
  std::vector<TableRows> tables;            // sorted by name
  std::vector<SequencePosition> sequences;  // sorted by name
};

// Relations (tables, partitions, sequences) of user schemas that are not extension members.
std::set<std::string> user_relations(pg::Session& session);

// Rows and positions of every user table and sequence except those named in `excluded` (the
// base database's relations: setup objects and the runner's tracking table).
DataSnapshot snapshot_data(pg::Session& session, const std::set<std::string>& excluded);

// One line per disagreement ("app.users: 2 rows in the replayed database, 1 in the rebuilt"),
// empty when both hold the same rows and sequence positions.
std::vector<std::string> compare_data(const DataSnapshot& replayed, const DataSnapshot& rebuilt);

}  // namespace schemakit::squash
