// Registration of the remaining kinds' readers (owned by the catalog-extra work). One reader per
// kind (views and materialized views share one, as do functions and procedures; foreign servers
// and tables live in one file, as do text search dictionaries and configurations), each in
// lib/introspect/kinds/extra_<kind>.cpp and each one query; see docs/catalog-kinds-extra.md.
#include "introspect/read_context.hpp"

namespace schemakit::introspect {
namespace extra {
void read_roles(ReadContext& ctx);
void read_database_settings(ReadContext& ctx);
void read_current_database(ReadContext& ctx);
void read_functions(ReadContext& ctx);
void read_aggregates(ReadContext& ctx);
void read_text_search_dictionaries(ReadContext& ctx);
void read_text_search_configurations(ReadContext& ctx);
void read_operators(ReadContext& ctx);
void read_casts(ReadContext& ctx);
void read_views(ReadContext& ctx);
void read_foreign_servers(ReadContext& ctx);
void read_foreign_tables(ReadContext& ctx);
void read_triggers(ReadContext& ctx);
void read_event_triggers(ReadContext& ctx);
void read_policies(ReadContext& ctx);
void read_rules(ReadContext& ctx);
void read_statistics(ReadContext& ctx);
void read_publications(ReadContext& ctx);
void read_default_privileges(ReadContext& ctx);
void read_unsupported(ReadContext& ctx);
}  // namespace extra

void register_extra_readers(std::vector<KindReader>& readers) {
  readers.push_back(&extra::read_roles);  // before the settings, which look their roles up
  readers.push_back(&extra::read_database_settings);
  readers.push_back(&extra::read_current_database);  // after the roles its ACL names
  readers.push_back(&extra::read_functions);
  readers.push_back(&extra::read_aggregates);
  readers.push_back(&extra::read_text_search_dictionaries);
  readers.push_back(&extra::read_text_search_configurations);
  readers.push_back(&extra::read_operators);
  readers.push_back(&extra::read_casts);
  readers.push_back(&extra::read_views);
  readers.push_back(&extra::read_foreign_servers);
  readers.push_back(&extra::read_foreign_tables);
  readers.push_back(&extra::read_triggers);
  readers.push_back(&extra::read_event_triggers);
  readers.push_back(&extra::read_policies);
  readers.push_back(&extra::read_rules);
  readers.push_back(&extra::read_statistics);
  readers.push_back(&extra::read_publications);
  readers.push_back(&extra::read_default_privileges);
  readers.push_back(&extra::read_unsupported);
}

}  // namespace schemakit::introspect
