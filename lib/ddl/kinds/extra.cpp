// Registration of the remaining kinds' writers (owned by the catalog-extra work).
#include "ddl/writer.hpp"

namespace schemakit::ddl {

void register_extra_writers(std::vector<KindWriter>& writers) { (void)writers; }

}  // namespace schemakit::ddl
