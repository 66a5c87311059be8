#pragma once
// The independent half of the proof: pg_dump's own view of two databases must agree, after
// normalizing the few places where pg_dump prints semantically equal catalogs differently. Each
// normalization is a named, separately tested rule; nothing is loosened in general.
#include <string>
#include <vector>

namespace schemakit::squash {

// `pg_dump --schema-only` of `conninfo` with the pg_dump in `bindir`. Throws ServerError
// (trouble) with pg_dump's own message when it fails.
std::string pg_dump_schema(const std::string& bindir, const std::string& conninfo);

// The rules, applied in this order:
// - restrict-key: drops the `\restrict KEY` / `\unrestrict KEY` lines, whose key is random.
// - privilege-order: pg_dump prints an object's GRANTs in the order of its ACL array, which is
//   the order the grants were made; a run of consecutive GRANT lines of one TOC entry is
//   sorted, since an ACL is a set.
std::string normalize_pg_dump(const std::string& dump);

}  // namespace schemakit::squash
