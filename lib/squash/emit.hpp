#pragma once
// The consolidated SQL of the migrations' part of a catalog, from the catalog library: up.sql's
// body in pg_dump's three sections (with the rows and sequence positions read from the replayed
// database unless --no-data) and down.sql's body, plus the catalog's fingerprint. Headers are
// added by the pipeline (squash.cpp), which knows the source.
#include <string>

#include "catalog/model.hpp"

namespace schemakit::squash {

struct Emitted {
  std::string up_body;
  std::string down_body;
  std::string fingerprint;
};

// `replaying_role` owns what the replay made; its objects get no OWNER TO, so up.sql applies as
// whoever runs it.
Emitted emit_consolidated(const catalog::Catalog& part, const std::string& replayed_conninfo,
                          bool with_data, const std::string& replaying_role);

}  // namespace schemakit::squash
