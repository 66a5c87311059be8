#pragma once
// The scratch databases of one squash run. Setup scripts and the runner's tracking table are made
// once, in a "base" database; the replay database and every proof database are copies of it
// (CREATE DATABASE ... TEMPLATE), so setup scripts that create cluster-wide objects (roles) run
// exactly once and every database starts from the same state.
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"
#include "pg/cluster.hpp"

namespace schemakit::squash {

class ClonedDatabase {
 public:
  // Copies `template_name` (nobody may be connected to it) into a new uniquely named database;
  // "template0" gives an empty UTF8 database.
  ClonedDatabase(pg::ScratchServer& server, const std::string& template_name,
                 std::string_view purpose);
  ~ClonedDatabase();
  ClonedDatabase(const ClonedDatabase&) = delete;
  ClonedDatabase& operator=(const ClonedDatabase&) = delete;

  const std::string& name() const { return name_; }
  std::string conninfo() const { return server_.conninfo(name_); }

 private:
  pg::ScratchServer& server_;
  std::string name_;
};

// The whole catalog of a scratch database (every kind, privileges, owners, comments), sorted by
// identity: what the replay, the proof and verify compare. `created_roles` are the roles the
// migrations created (introspect::IntrospectOptions::listed_roles): read whether or not the
// database refers to them, since up.sql makes them all. Both sides of a comparison are read with
// the same list; a read of the state before the migrations passes none.
catalog::Catalog read_catalog(const std::string& conninfo, const std::vector<std::string>& created_roles);

}  // namespace schemakit::squash
