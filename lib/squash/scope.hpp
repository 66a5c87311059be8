#pragma once
// What a squash covers: the objects the migrations made. Everything that was there before the
// first migration (what --setup scripts made, the runner's tracking table, what the server
// provides) is in the base catalog and left out; so is everything on the tracking table.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/model.hpp"
#include "squash/replay.hpp"

namespace schemakit::squash {

// `catalog` without the objects that are in `base` unchanged (same identity and attributes) and
// without the tracking table and what lives on it. Objects of `base` that the migrations changed
// stay: a consolidated schema that cannot reproduce the change then fails its proof, loudly.
// Unsupported entries that `base` has too are dropped as well.
catalog::Catalog migrations_part(const catalog::Catalog& catalog, const catalog::Catalog& base,
                                 const std::optional<TrackingTable>& tracking);

// Roles are cluster-wide and appear in a catalog only when something refers to them, so a role
// a --setup script made shows up as soon as a migration grants to it. These are left out by name
// (the roles that exist after the setup scripts and did not before).
void leave_out_roles(catalog::Catalog& catalog, const std::set<std::string>& role_names);

// "text search configuration public.x (not modelled: ...)" per unsupported entry.
std::vector<std::string> describe_unsupported(const catalog::Catalog& catalog);

}  // namespace schemakit::squash
