// Writers for schemas, extensions and collations (attributes: lib/catalog/core_attributes.hpp).
#include <fmt/core.h>

#include "catalog/core_attributes.hpp"
#include "catalog/start_state.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::core {
namespace {

using catalog::Catalog;
using catalog::Object;
namespace attr = catalog::attr;

// `public` comes with every database: never created or dropped, only its owner, grants and
// comment (lib/ddl/script.cpp). Unless the migrations dropped it for good: then up.sql drops it
// (without CASCADE: on a database that holds something in it, up.sql stops there) and down.sql
// makes it again as a new database has it.
bool is_public(const Object& schema) { return schema.id.name == "public"; }

std::string create_schema(const Object& o, const Catalog&) {
  if (is_public(o)) return o.has(attr::dropped) ? "DROP SCHEMA public;\n" : "";
  return fmt::format("CREATE SCHEMA {};\n", quote_ident(o.id.name));
}
std::string drop_schema(const Object& o, const Catalog& catalog) {
  if (!is_public(o)) return fmt::format("DROP SCHEMA {};\n", quote_ident(o.id.name));
  if (!o.has(attr::dropped)) return {};
  // A schema made by CREATE SCHEMA has no ACL (its owner's defaults): granting the owner's
  // privileges first writes the list in the order a new database has it.
  if (catalog.server_version < 150000) {
    return "CREATE SCHEMA public;\nGRANT ALL ON SCHEMA public TO PUBLIC;\n"
           "COMMENT ON SCHEMA public IS 'standard public schema';\n";
  }
  return "CREATE SCHEMA public;\nALTER SCHEMA public OWNER TO pg_database_owner;\n"
         "GRANT ALL ON SCHEMA public TO pg_database_owner;\nGRANT USAGE ON SCHEMA public TO PUBLIC;\n"
         "COMMENT ON SCHEMA public IS 'standard public schema';\n";
}
std::string reference_schema(const Object& o) { return "SCHEMA " + quote_ident(o.id.name); }

// An extension initdb made (start_state) is in every database: only its members' privileges
// are written (lib/ddl/script.cpp, start_state.hpp).
std::string create_extension(const Object& o, const Catalog&) {
  if (o.has(attr::start_state)) return {};
  std::string sql = "CREATE EXTENSION " + quote_ident(o.id.name);
  if (o.has(attr::extension_schema)) sql += " WITH SCHEMA " + quote_ident(o.attr(attr::extension_schema));
  if (o.has(attr::extension_version)) sql += " VERSION " + quote_literal(o.attr(attr::extension_version));
  return sql + ";\n";
}
std::string drop_extension(const Object& o, const Catalog&) {
  if (o.has(attr::start_state)) return {};
  return fmt::format("DROP EXTENSION {};\n", quote_ident(o.id.name));
}
std::string reference_extension(const Object& o) { return "EXTENSION " + quote_ident(o.id.name); }

std::string create_collation(const Object& o, const Catalog&) {
  std::vector<std::string> parts;
  parts.push_back("provider = " + o.attr(attr::collation_provider));
  if (o.has(attr::collation_locale)) parts.push_back("locale = " + quote_literal(o.attr(attr::collation_locale)));
  if (o.has(attr::collation_lc_collate)) {
    parts.push_back("lc_collate = " + quote_literal(o.attr(attr::collation_lc_collate)));
  }
  if (o.has(attr::collation_lc_ctype)) parts.push_back("lc_ctype = " + quote_literal(o.attr(attr::collation_lc_ctype)));
  if (o.has(attr::collation_rules)) parts.push_back("rules = " + quote_literal(o.attr(attr::collation_rules)));
  if (o.has(attr::collation_nondeterministic)) parts.push_back("deterministic = false");
  std::string list;
  for (const auto& part : parts) list += (list.empty() ? "" : ", ") + part;
  return fmt::format("CREATE COLLATION {} ({});\n", name_of(o), list);
}
std::string drop_collation(const Object& o, const Catalog&) { return fmt::format("DROP COLLATION {};\n", name_of(o)); }
std::string reference_collation(const Object& o) { return "COLLATION " + name_of(o); }

}  // namespace

void add_schema_writers(std::vector<KindWriter>& writers) {
  KindWriter schema;
  schema.kind = catalog::Kind::schema;
  schema.section = Section::pre_data;
  schema.create = &create_schema;
  schema.drop = &drop_schema;
  schema.reference = &reference_schema;
  writers.push_back(schema);

  KindWriter extension;
  extension.kind = catalog::Kind::extension;
  extension.section = Section::pre_data;
  extension.create = &create_extension;
  extension.drop = &drop_extension;
  extension.reference = &reference_extension;
  writers.push_back(extension);

  KindWriter collation;
  collation.kind = catalog::Kind::collation;
  collation.section = Section::pre_data;
  collation.create = &create_collation;
  collation.drop = &drop_collation;
  collation.reference = &reference_collation;
  writers.push_back(collation);
}

}  // namespace schemakit::ddl::core
