// Default privileges, post-data (so that the objects the script creates get the privileges
// written for them, not these defaults). The defaults for all schemas replace the built-in
// ones: the script first revokes what is built in, then grants what was read; the defaults
// IN SCHEMA only add. Dropping brings the built-in defaults back, after which the server
// forgets the entry.
#include <fmt/core.h>

#include "catalog/attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/privileges.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::extra {
namespace {

// "ALTER DEFAULT PRIVILEGES FOR ROLE app IN SCHEMA app"
std::string prefix(const catalog::Object& object) {
  std::string out = "ALTER DEFAULT PRIVILEGES FOR ROLE " + quote_ident(object.attr("role"));
  if (!object.id.schema.empty()) out += " IN SCHEMA " + quote_ident(object.id.schema);
  return out;
}

// What every role gets on new objects of this type without any ALTER DEFAULT PRIVILEGES.
std::string builtin_public_privilege(const std::string& type) {
  if (type == "functions") return "EXECUTE";
  if (type == "types") return "USAGE";
  return "";
}

// "SELECT, INSERT" and "UPDATE" (grantable) from ACL letters "ra*w"... as two lists.
void privilege_lists(const std::string& letters, std::string& plain, std::string& grantable) {
  for (size_t i = 0; i < letters.size(); ++i) {
    const bool with_grant_option = i + 1 < letters.size() && letters[i + 1] == '*';
    std::string& list = with_grant_option ? grantable : plain;
    list += (list.empty() ? "" : ", ") + privilege_name(letters[i]);
    if (with_grant_option) ++i;
  }
}

std::string grantee_sql(const std::string& grantee) { return grantee.empty() ? "PUBLIC" : quote_ident(grantee); }

std::string default_privilege_create(const catalog::Object& object, const catalog::Catalog&) {
  const std::string type = upper_case(object.attr("object_type"));
  const std::string head = prefix(object);
  std::string out;
  if (object.id.schema.empty()) {
    out += fmt::format("{} REVOKE ALL ON {} FROM PUBLIC;\n", head, type);
    out += fmt::format("{} REVOKE ALL ON {} FROM {};\n", head, type, quote_ident(object.attr("role")));
  }
  for (const auto& entry : parse_acl(object.attr(catalog::attr::privileges))) {
    std::string plain, grantable;
    privilege_lists(entry.privileges, plain, grantable);
    if (!plain.empty()) out += fmt::format("{} GRANT {} ON {} TO {};\n", head, plain, type, grantee_sql(entry.grantee));
    if (!grantable.empty()) {
      out += fmt::format("{} GRANT {} ON {} TO {} WITH GRANT OPTION;\n", head, grantable, type,
                         grantee_sql(entry.grantee));
    }
  }
  return out;
}

std::string default_privilege_drop(const catalog::Object& object, const catalog::Catalog&) {
  const std::string type = upper_case(object.attr("object_type"));
  const std::string head = prefix(object);
  std::string out;
  for (const auto& entry : parse_acl(object.attr(catalog::attr::privileges))) {
    out += fmt::format("{} REVOKE ALL ON {} FROM {};\n", head, type, grantee_sql(entry.grantee));
  }
  if (object.id.schema.empty()) {
    out += fmt::format("{} GRANT ALL ON {} TO {};\n", head, type, quote_ident(object.attr("role")));
    const std::string to_public = builtin_public_privilege(object.attr("object_type"));
    if (!to_public.empty()) out += fmt::format("{} GRANT {} ON {} TO PUBLIC;\n", head, to_public, type);
  }
  return out;
}

}  // namespace

void add_default_privilege_writers(std::vector<KindWriter>& writers) {
  KindWriter writer;
  writer.kind = catalog::Kind::default_privilege;
  writer.section = Section::post_data;
  writer.create = &default_privilege_create;
  writer.drop = &default_privilege_drop;
  writers.push_back(writer);
}

}  // namespace schemakit::ddl::extra
