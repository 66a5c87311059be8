// Registration of the remaining kinds' writers (owned by the catalog-extra work). One module per
// kind, each in lib/ddl/kinds/extra_<kind>.cpp (see docs/catalog-kinds-extra.md).
#include "ddl/writer.hpp"

namespace schemakit::ddl {
namespace extra {
void add_role_writers(std::vector<KindWriter>& writers);
void add_database_setting_writers(std::vector<KindWriter>& writers);
void add_database_writers(std::vector<KindWriter>& writers);
void add_function_writers(std::vector<KindWriter>& writers);
void add_aggregate_writers(std::vector<KindWriter>& writers);
void add_text_search_writers(std::vector<KindWriter>& writers);
void add_operator_writers(std::vector<KindWriter>& writers);
void add_cast_writers(std::vector<KindWriter>& writers);
void add_view_writers(std::vector<KindWriter>& writers);
void add_materialized_view_writers(std::vector<KindWriter>& writers);
void add_foreign_writers(std::vector<KindWriter>& writers);
void add_trigger_writers(std::vector<KindWriter>& writers);
void add_policy_writers(std::vector<KindWriter>& writers);
void add_rule_writers(std::vector<KindWriter>& writers);
void add_statistics_writers(std::vector<KindWriter>& writers);
void add_publication_writers(std::vector<KindWriter>& writers);
void add_default_privilege_writers(std::vector<KindWriter>& writers);
}  // namespace extra

void register_extra_writers(std::vector<KindWriter>& writers) {
  extra::add_role_writers(writers);
  extra::add_database_setting_writers(writers);
  extra::add_database_writers(writers);
  extra::add_function_writers(writers);
  extra::add_aggregate_writers(writers);
  extra::add_text_search_writers(writers);
  extra::add_operator_writers(writers);
  extra::add_cast_writers(writers);
  extra::add_view_writers(writers);
  extra::add_materialized_view_writers(writers);
  extra::add_foreign_writers(writers);
  extra::add_trigger_writers(writers);
  extra::add_policy_writers(writers);
  extra::add_rule_writers(writers);
  extra::add_statistics_writers(writers);
  extra::add_publication_writers(writers);
  extra::add_default_privilege_writers(writers);
}

}  // namespace schemakit::ddl
