#include "squash/emit.hpp"

#include "common/error.hpp"

namespace schemakit::squash {

// Waits for lib/ddl/script.hpp and lib/catalog/fingerprint.hpp (catalog-core / catalog-extra).
Emitted emit_consolidated(const catalog::Catalog&, const std::string&, bool) {
  throw Error(ExitCode::trouble,
              "writing consolidated SQL needs lib/ddl/script.hpp, which is not in this build yet");
}

}  // namespace schemakit::squash
