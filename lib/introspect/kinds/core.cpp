// Registration of the core kinds' readers (lib/introspect/kinds/core_*.cpp), in the order they
// run: later readers find earlier objects through ReadContext::lookup.
#include "introspect/read_context.hpp"

namespace schemakit::introspect {
namespace core {
void read_schemas(ReadContext& ctx);
void read_extensions(ReadContext& ctx);
void read_collations(ReadContext& ctx);
void read_types(ReadContext& ctx);
void read_sequences(ReadContext& ctx);
void read_tables_and_columns(ReadContext& ctx);
void read_constraints_and_indexes(ReadContext& ctx);
}  // namespace core

void register_core_readers(std::vector<KindReader>& readers) {
  readers.push_back(&core::read_schemas);
  readers.push_back(&core::read_extensions);
  readers.push_back(&core::read_collations);
  readers.push_back(&core::read_types);
  readers.push_back(&core::read_sequences);
  readers.push_back(&core::read_tables_and_columns);
  readers.push_back(&core::read_constraints_and_indexes);
}

}  // namespace schemakit::introspect
