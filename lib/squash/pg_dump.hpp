#pragma once
// The independent half of the proof: pg_dump's own view of two databases must agree, after
// normalizing the few places where pg_dump prints semantically equal catalogs differently. Each
// normalization is a named, separately tested rule; nothing is loosened in general.
#include <string>
#include <vector>

namespace schemakit::squash {

// A table by schema and name, as pg_dump's --exclude-table matches it exactly.
struct DumpedTable {
  std::string schema;
  std::string name;
};

// `pg_dump --schema-only` of `conninfo` with the pg_dump in `bindir`, without the tables in
// `excluded` (and everything on them: columns, indexes, grants). Throws ServerError (trouble)
// with pg_dump's own message when it fails.
std::string pg_dump_schema(const std::string& bindir, const std::string& conninfo,
                           const std::vector<DumpedTable>& excluded = {});

// "schema"."name" as a pg_dump pattern that matches that one table (quotes make every
// character literal; a quote is doubled).
std::string exact_table_pattern(const DumpedTable& table);

// The rules:
// - restrict-key: drops the `\restrict KEY` / `\unrestrict KEY` lines, whose key is random.
// The order of an object's GRANTs is not normalized: pg_dump prints them in the order of the
// ACL, which up.sql rebuilds (ddl/privileges.hpp), and an outside check diffs the raw text.
std::string normalize_pg_dump(const std::string& dump);

}  // namespace schemakit::squash
