#pragma once
// Object-by-object comparison of two catalogs, matched by identity (never OID), attribute by
// attribute: a merge walk over two id-sorted lists.
#include <cstddef>
#include <map>
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
  // only_in_a / only_in_b of a table-like object: the objects that live on it (columns,
  // constraints, indexes, ...) per kind. They are not reported one by one.
  std::map<catalog::Kind, size_t> children;
  // Set when the object was matched to one with another name (--ignore constraint-names /
  // index-names): the identity it has in B; `id` is its identity in A.
  std::string renamed_in_b;
};

struct ChangeSet {
  std::vector<Difference> differences;  // ordered by kind, identity, change, attribute
  // What each side holds that the model does not cover (copied from the catalogs), and the
  // entries (by kind and identity) found on one side only: those are differences too, even if
  // nothing more can be said about them.
  std::vector<catalog::Unsupported> unsupported_a;
  std::vector<catalog::Unsupported> unsupported_b;
  std::vector<catalog::Unsupported> unsupported_only_in_a;
  std::vector<catalog::Unsupported> unsupported_only_in_b;
  // Entries on both sides (same kind and identity) whose reason differs: the readers put what
  // they can say of the object's state there (owner, comment, privileges, the parts that name
  // it), so that an object the model does not cover still never compares identical after an
  // ALTER. B's entries; A's reason is in unsupported_a.
  std::vector<catalog::Unsupported> unsupported_changed;
  // Object counts per kind on each side (every kind, zeros included).
  std::map<catalog::Kind, size_t> counts_a;
  std::map<catalog::Kind, size_t> counts_b;

  bool empty() const { return differences.empty(); }
  // No difference at all, the unsupported objects included: what schema-compare's exit 0 means.
  bool identical() const {
    return differences.empty() && unsupported_only_in_a.empty() && unsupported_only_in_b.empty() &&
           unsupported_changed.empty();
  }
};

// True when the attribute takes part in the comparison under `options` (data.* only with
// sequence_positions; comment, privileges, owner unless ignored). Column position is compared
// separately, as relative order (see compare()).
bool compares_attribute(catalog::Kind kind, const std::string& attribute, const DiffOptions& options);

// Differences between A and B. Both catalogs must be sorted by id (Catalog::sort_by_id).
// - Objects only on one side give one only_in_a / only_in_b entry; the objects that live on a
//   table that is on one side only are counted in that entry's `children`, not listed.
// - Column order: a column whose place among the columns both sides share differs is reported
//   with attribute "position" (the fewest columns that explain the new order: a column added or
//   dropped elsewhere moves nothing).
// - With ignore_constraint_names / ignore_index_names, unmatched constraints (indexes) of one
//   table are paired by their definition with their own name taken out.
ChangeSet compare(const catalog::Catalog& a, const catalog::Catalog& b, const DiffOptions& options);

}  // namespace schemakit::diff
