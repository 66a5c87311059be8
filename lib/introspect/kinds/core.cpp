// Registration of the core kinds' readers (owned by the catalog-core work).
#include "introspect/read_context.hpp"

namespace schemakit::introspect {

void register_core_readers(std::vector<KindReader>& readers) { (void)readers; }

}  // namespace schemakit::introspect
