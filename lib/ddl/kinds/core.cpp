// Registration of the core kinds' writers (lib/ddl/kinds/core_*.cpp).
#include "ddl/writer.hpp"

namespace schemakit::ddl {
namespace core {
void add_schema_writers(std::vector<KindWriter>& writers);
void add_type_writers(std::vector<KindWriter>& writers);
void add_sequence_writers(std::vector<KindWriter>& writers);
void add_table_writers(std::vector<KindWriter>& writers);
void add_constraint_writers(std::vector<KindWriter>& writers);
}  // namespace core

void register_core_writers(std::vector<KindWriter>& writers) {
  core::add_schema_writers(writers);
  core::add_type_writers(writers);
  core::add_sequence_writers(writers);
  core::add_table_writers(writers);
  core::add_constraint_writers(writers);
}

}  // namespace schemakit::ddl
