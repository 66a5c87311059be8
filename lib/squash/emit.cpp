#include "squash/emit.hpp"

#include "catalog/fingerprint.hpp"
#include "ddl/script.hpp"
#include "introspect/data.hpp"

namespace schemakit::squash {

Emitted emit_consolidated(const catalog::Catalog& part, const std::string& replayed_conninfo,
                          bool with_data, const std::string& replaying_role) {
  ddl::ScriptOptions options;
  options.with_data = with_data;
  options.skip_owner = replaying_role;
  ddl::TableData data;
  if (with_data) data = introspect::read_table_data(replayed_conninfo, part);
  ddl::Script script = ddl::write_script(part, with_data ? &data : nullptr, options);
  return {std::move(script.up), std::move(script.down), catalog::fingerprint(part)};
}

}  // namespace schemakit::squash
