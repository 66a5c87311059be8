// Writers for enums, domains, composite types and range types.
#include <fmt/core.h>

#include "catalog/core_attributes.hpp"
#include "ddl/kinds/common.hpp"
#include "ddl/quote.hpp"
#include "ddl/writer.hpp"

namespace schemakit::ddl::core {
namespace {

using catalog::Catalog;
using catalog::Object;
namespace attr = catalog::attr;

constexpr std::string_view kNotValid = " NOT VALID";

std::string create_enum(const Object& o, const Catalog&) {
  return fmt::format("CREATE TYPE {} AS ENUM ({});\n", name_of(o), o.attr(attr::enum_labels));
}

std::string drop_type(const Object& o, const Catalog&) { return fmt::format("DROP TYPE {};\n", name_of(o)); }
std::string reference_type(const Object& o) { return "TYPE " + name_of(o); }

// Each check of a domain: (name, definition).
std::vector<std::pair<std::string, std::string>> domain_checks(const Object& o) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string prefix = attr::domain_check_prefix;
  for (auto it = o.attributes.lower_bound(prefix); it != o.attributes.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    out.emplace_back(it->first.substr(prefix.size()), it->second);
  }
  return out;
}

// Comments on parts of a type, "comment.<part>.<name>" attributes: (name, comment).
std::vector<std::pair<std::string, std::string>> part_comments(const Object& o, const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = o.attributes.lower_bound(prefix); it != o.attributes.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    out.emplace_back(it->first.substr(prefix.size()), it->second);
  }
  return out;
}

// COMMENT ON CONSTRAINT for the domain's checks that are (or are not) NOT VALID: each comment
// follows its check.
std::string domain_check_comments(const Object& o, bool not_valid) {
  std::string sql;
  for (const auto& [name, comment] : part_comments(o, attr::domain_check_comment_prefix)) {
    if (ends_with(o.attr(attr::domain_check_prefix + name), kNotValid) != not_valid) continue;
    sql += fmt::format("COMMENT ON CONSTRAINT {} ON DOMAIN {} IS {};\n", quote_ident(name), name_of(o),
                       quote_literal(comment));
  }
  return sql;
}

std::string create_domain(const Object& o, const Catalog&) {
  std::string sql = fmt::format("CREATE DOMAIN {} AS {}", name_of(o), o.attr(attr::domain_type));
  if (o.has(attr::collation)) sql += " COLLATE " + o.attr(attr::collation);
  if (o.has(attr::default_value)) sql += " DEFAULT " + o.attr(attr::default_value);
  if (o.has(attr::not_null)) sql += " NOT NULL";
  for (const auto& [name, definition] : domain_checks(o)) {
    // NOT VALID checks must not see the rows: they are added in post-data.
    if (ends_with(definition, kNotValid)) continue;
    sql += fmt::format("\n    CONSTRAINT {} {}", quote_ident(name), definition);
  }
  return sql + ";\n" + domain_check_comments(o, false);
}

std::string domain_post_data(const Object& o, const Catalog&) {
  std::string sql;
  for (const auto& [name, definition] : domain_checks(o)) {
    if (!ends_with(definition, kNotValid)) continue;
    sql += fmt::format("ALTER DOMAIN {} ADD CONSTRAINT {} {};\n", name_of(o), quote_ident(name), definition);
  }
  return sql + domain_check_comments(o, true);
}

std::string drop_domain(const Object& o, const Catalog&) { return fmt::format("DROP DOMAIN {};\n", name_of(o)); }
std::string reference_domain(const Object& o) { return "DOMAIN " + name_of(o); }

std::string create_composite(const Object& o, const Catalog&) {
  std::string sql = fmt::format("CREATE TYPE {} AS ({});\n", name_of(o), o.attr(attr::composite_fields));
  for (const auto& [name, comment] : part_comments(o, attr::composite_field_comment_prefix)) {
    sql += fmt::format("COMMENT ON COLUMN {}.{} IS {};\n", name_of(o), quote_ident(name), quote_literal(comment));
  }
  return sql;
}

std::string create_range(const Object& o, const Catalog&) {
  std::string options = "subtype = " + o.attr(attr::range_subtype);
  if (o.has(attr::range_subtype_opclass)) options += ", subtype_opclass = " + o.attr(attr::range_subtype_opclass);
  if (o.has(attr::collation)) options += ", collation = " + o.attr(attr::collation);
  if (o.has(attr::range_canonical)) options += ", canonical = " + o.attr(attr::range_canonical);
  if (o.has(attr::range_subtype_diff)) options += ", subtype_diff = " + o.attr(attr::range_subtype_diff);
  if (o.has(attr::range_multirange)) options += ", multirange_type_name = " + o.attr(attr::range_multirange);
  return fmt::format("CREATE TYPE {} AS RANGE ({});\n", name_of(o), options);
}

KindWriter type_writer(catalog::Kind kind, std::string (*create)(const Object&, const Catalog&)) {
  KindWriter writer;
  writer.kind = kind;
  writer.section = Section::pre_data;
  writer.create = create;
  writer.drop = &drop_type;
  writer.reference = &reference_type;
  return writer;
}

}  // namespace

void add_type_writers(std::vector<KindWriter>& writers) {
  writers.push_back(type_writer(catalog::Kind::enum_type, &create_enum));
  writers.push_back(type_writer(catalog::Kind::composite_type, &create_composite));
  writers.push_back(type_writer(catalog::Kind::range_type, &create_range));
  KindWriter domain = type_writer(catalog::Kind::domain, &create_domain);
  domain.drop = &drop_domain;
  domain.reference = &reference_domain;
  domain.post_data = &domain_post_data;
  writers.push_back(domain);
}

}  // namespace schemakit::ddl::core
