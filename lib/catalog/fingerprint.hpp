#pragma once
// A stable hash of the normalized model: equal catalogs (same objects, attributes and
// dependencies) give the same fingerprint whatever database, server or run they were read from.
#include <string>

#include "catalog/model.hpp"

namespace schemakit::catalog {

// SHA-256 (lowercase hex) of the canonical serialization: every object in identity order with its
// identity, its attributes in name order except data.* (sequence positions are data, not schema),
// and its sorted dependencies; then the unsupported list. Every field is length-prefixed, so no
// value can imitate a separator. The server version and database name are not part of it.
std::string fingerprint(const Catalog& catalog);

}  // namespace schemakit::catalog
