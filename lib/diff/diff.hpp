#pragma once
// Object-by-object comparison of two catalogs, matched by identity (never OID), attribute by
// attribute: a merge walk over two id-sorted lists.
#include <string>
#include <vector>

#include "catalog/model.hpp"

namespace schemakit::diff {

struct DiffOptions {
  bool ignore_column_order = false;
  bool ignore_constraint_names = false;  // renamed constraints are then matched by definition
  bool ignore_index_names = false;       // renamed indexes are then matched by definition
  bool ignore_comments = false;
  bool ignore_privileges = false;
  bool ignore_ownership = false;
  bool sequence_positions = false;       // compare data.* attributes too
};

enum class Change { only_in_a, only_in_b, changed };
std::string to_string(Change change);  // "only_in_a", "only_in_b", "changed"

struct Difference {
  catalog::ObjectId id;
  Change change{};
  std::string attribute;  // empty for only_in_a / only_in_b
  std::string a;          // the value in A (empty when absent)
  std::string b;
};

struct ChangeSet {
  std::vector<Difference> differences;  // ordered by kind, identity, attribute
  bool empty() const { return differences.empty(); }
};

ChangeSet compare(const catalog::Catalog& a, const catalog::Catalog& b, const DiffOptions& options);

}  // namespace schemakit::diff
