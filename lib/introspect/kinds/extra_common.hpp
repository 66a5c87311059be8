#pragma once
// Small pieces the catalog-extra readers share: optional SQL for owner / privileges / comment
// (each can be switched off in IntrospectOptions, and then is not read at all), and reading
// pqxx fields into attributes.
#include <fmt/core.h>

#include <optional>
#include <pqxx/row>
#include <string>
#include <string_view>

#include "catalog/attributes.hpp"
#include "catalog/model.hpp"
#include "introspect/read_context.hpp"

namespace schemakit::introspect::extra {

// SQL giving the owner's name, or NULL when ownership is not read.
inline std::string owner_sql(const ReadContext& ctx, std::string_view owner_oid_column) {
  if (!ctx.options.ownership) return "NULL::text";
  return fmt::format("pg_catalog.pg_get_userbyid({})", owner_oid_column);
}

// SQL giving the normalized ACL text (see ReadContext::acl_sql), or NULL when not read.
inline std::string privileges_sql(const ReadContext& ctx, std::string_view acl_column) {
  if (!ctx.options.privileges) return "NULL::text";
  return ReadContext::acl_sql(acl_column);
}

// SQL giving the object's comment from pg_description (sub-id 0), or NULL.
inline std::string comment_sql(const ReadContext& ctx, std::string_view catalog_table,
                               std::string_view oid_column) {
  if (!ctx.options.comments) return "NULL::text";
  return fmt::format(
      "(SELECT d.description FROM pg_catalog.pg_description d WHERE d.classoid = "
      "'pg_catalog.{}'::pg_catalog.regclass AND d.objoid = {} AND d.objsubid = 0)",
      catalog_table, oid_column);
}

inline std::optional<std::string> optional_text(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return std::string(field.c_str());
}

inline std::string text(const pqxx::field& field) { return field.is_null() ? std::string() : field.c_str(); }

// Sets `name` when the field is not NULL (NULL means "not set", which differs from '').
inline void set_if_present(catalog::Object& object, const char* name, const pqxx::field& field) {
  if (!field.is_null()) object.attributes[name] = field.c_str();
}

// Owner, privileges and comment from three consecutive columns starting at `first`, in that
// order, each NULL when not read.
inline void set_owner_privileges_comment(catalog::Object& object, const pqxx::row& row, int first) {
  set_if_present(object, catalog::attr::owner, row[first]);
  set_if_present(object, catalog::attr::privileges, row[first + 1]);
  set_if_present(object, catalog::attr::comment, row[first + 2]);
}

// The model kind of a pg_class relation that other objects (triggers, rules, policies,
// statistics) live on.
inline catalog::Kind relation_kind(std::string_view relkind) {
  switch (relkind.empty() ? 'r' : relkind.front()) {
    case 'v': return catalog::Kind::view;
    case 'm': return catalog::Kind::materialized_view;
    case 'f': return catalog::Kind::foreign_table;
    default: return catalog::Kind::table;
  }
}

inline bool is_true(const pqxx::field& field) {
  return !field.is_null() && (std::string_view(field.c_str()) == "t" || std::string_view(field.c_str()) == "true");
}

}  // namespace schemakit::introspect::extra
