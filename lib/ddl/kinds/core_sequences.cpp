// Writer for sequences. The position (data.last_value / data.is_called) is data: the script
// emitter writes it with setval in the data section.
#include <fmt/core.h>

#include "catalog/core_attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::core {

// " AS bigint START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9 CACHE 1 [CYCLE]" from the
// sequence attributes under `prefix` ("" for a sequence, "identity." for an identity column).
std::string sequence_options(const catalog::Object& o, const std::string& prefix, bool with_type) {
  namespace attr = catalog::attr;
  auto get = [&](const char* name) { return o.attr(prefix + name); };
  std::string sql;
  if (with_type && !get(attr::sequence_type).empty()) sql += " AS " + get(attr::sequence_type);
  sql += fmt::format(" START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {}", get(attr::sequence_start),
                     get(attr::sequence_increment), get(attr::sequence_min), get(attr::sequence_max),
                     get(attr::sequence_cache));
  if (!get(attr::sequence_cycle).empty()) sql += " CYCLE";
  return sql;
}

namespace {

using catalog::Catalog;
using catalog::Object;
namespace attr = catalog::attr;

std::string create_sequence(const Object& o, const Catalog&) {
  return fmt::format("CREATE {}SEQUENCE {}{};\n", o.has(attr::sequence_unlogged) ? "UNLOGGED " : "", name_of(o),
                     sequence_options(o, "", true));
}

// OWNED BY needs the table: after every table, in post-data.
std::string sequence_post_data(const Object& o, const Catalog&) {
  if (!o.has(attr::sequence_owned_by)) return {};
  return fmt::format("ALTER SEQUENCE {} OWNED BY {};\n", name_of(o), o.attr(attr::sequence_owned_by));
}

// A sequence owned by a column goes with its table.
std::string drop_sequence(const Object& o, const Catalog&) {
  if (o.has(attr::sequence_owned_by)) return {};
  return fmt::format("DROP SEQUENCE {};\n", name_of(o));
}

std::string reference_sequence(const Object& o) { return "SEQUENCE " + name_of(o); }

}  // namespace

void add_sequence_writers(std::vector<KindWriter>& writers) {
  KindWriter sequence;
  sequence.kind = catalog::Kind::sequence;
  sequence.section = Section::pre_data;
  sequence.create = &create_sequence;
  sequence.drop = &drop_sequence;
  sequence.reference = &reference_sequence;
  sequence.post_data = &sequence_post_data;
  writers.push_back(sequence);
}

}  // namespace schemakit::ddl::core
