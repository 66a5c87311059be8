#include "catalog/fingerprint.hpp"

#include <algorithm>

#include "catalog/attributes.hpp"
#include "catalog/privilege_lists.hpp"
#include "common/sha256.hpp"

namespace schemakit::catalog {
namespace {

void field(Sha256& hash, std::string_view value) {
  hash.update(std::to_string(value.size()));
  hash.update(":");
  hash.update(value);
  hash.update(";");
}

void identity(Sha256& hash, const ObjectId& id) {
  field(hash, to_string(id.kind));
  field(hash, id.schema);
  field(hash, id.table);
  field(hash, id.name);
  field(hash, id.signature);
}

}  // namespace

std::string fingerprint(const Catalog& catalog) {
  std::vector<const Object*> objects;
  objects.reserve(catalog.objects.size());
  for (const auto& o : catalog.objects) objects.push_back(&o);
  std::sort(objects.begin(), objects.end(), [](const Object* a, const Object* b) { return a->id < b->id; });
  Sha256 hash;
  hash.update("schemakit-catalog-v1\n");
  for (const Object* o : objects) {
    hash.update("object\n");
    identity(hash, o->id);
    for (const auto& [name, value] : o->attributes) {
      if (name.rfind(attr::data_prefix, 0) == 0) continue;
      field(hash, name);
      // Privilege lists as sets, as the diff compares them: granted in another order, same print.
      field(hash, is_privilege_attribute(name) ? privilege_items_sorted(value) : value);
    }
    std::vector<ObjectId> deps = o->depends_on;
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
    hash.update("depends\n");
    for (const auto& dep : deps) identity(hash, dep);
  }
  std::vector<Unsupported> unsupported = catalog.unsupported;
  std::sort(unsupported.begin(), unsupported.end());
  for (const auto& u : unsupported) {
    hash.update("unsupported\n");
    field(hash, u.kind);
    field(hash, u.identity);
    field(hash, u.reason);
  }
  return hash.hex_digest();
}

}  // namespace schemakit::catalog
