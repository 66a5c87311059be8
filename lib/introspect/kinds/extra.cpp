// Registration of the remaining kinds' readers (owned by the catalog-extra work).
#include "introspect/read_context.hpp"

namespace schemakit::introspect {

void register_extra_readers(std::vector<KindReader>& readers) { (void)readers; }

}  // namespace schemakit::introspect
