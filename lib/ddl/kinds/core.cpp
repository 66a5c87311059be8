// Registration of the core kinds' writers (owned by the catalog-core work).
#include "ddl/writer.hpp"

namespace schemakit::ddl {

void register_core_writers(std::vector<KindWriter>& writers) { (void)writers; }

}  // namespace schemakit::ddl
