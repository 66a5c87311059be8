#include "squash/scope.hpp"

#include <algorithm>
#include <fmt/core.h>

#include "catalog/start_state.hpp"

namespace schemakit::squash {

catalog::Catalog migrations_part(const catalog::Catalog& catalog, const catalog::Catalog& base,
                                 const std::optional<TrackingTable>& tracking) {
  catalog::Catalog out;
  out.server_version = catalog.server_version;
  out.database = catalog.database;
  for (const auto& object : catalog.objects) {
    if (tracking && object.id.schema == tracking->schema &&
        (object.id.table == tracking->name ||
         (object.id.kind == catalog::Kind::table && object.id.name == tracking->name))) {
      continue;
    }
    const catalog::Object* before = base.find(object.id);
    if (before != nullptr && before->attributes == object.attributes) continue;
    out.objects.push_back(object);
  }
  // The public schema is part of a new database: gone after the migrations, it is recorded
  // as dropped (catalog/start_state.hpp) so that up.sql drops it too.
  const catalog::ObjectId public_schema{catalog::Kind::schema, "", "", "public", ""};
  const auto is_public = [&](const catalog::Object& o) { return o.id == public_schema; };
  if (base.find(public_schema) != nullptr && std::none_of(catalog.objects.begin(), catalog.objects.end(), is_public)) {
    catalog::Object dropped;
    dropped.id = public_schema;
    dropped.attributes[catalog::attr::dropped] = "true";
    out.objects.push_back(std::move(dropped));
  }
  for (const auto& entry : catalog.unsupported) {
    if (std::find(base.unsupported.begin(), base.unsupported.end(), entry) != base.unsupported.end()) {
      continue;
    }
    out.unsupported.push_back(entry);
  }
  out.sort_by_id();
  return out;
}

void leave_out_roles(catalog::Catalog& catalog, const std::set<std::string>& role_names) {
  std::erase_if(catalog.objects, [&](const catalog::Object& o) {
    return o.id.kind == catalog::Kind::role && role_names.count(o.id.name) > 0;
  });
}

std::vector<std::string> describe_unsupported(const catalog::Catalog& catalog) {
  std::vector<std::string> lines;
  for (const auto& u : catalog.unsupported) {
    lines.push_back(u.reason.empty() ? fmt::format("{} {}", u.kind, u.identity)
                                     : fmt::format("{} {} ({})", u.kind, u.identity, u.reason));
  }
  return lines;
}

}  // namespace schemakit::squash
