#pragma once
// Pieces the core readers share: SQL for owner / privileges / comment (each switchable in
// IntrospectOptions, and then not read at all), reading fields into attributes, lists that the
// server returns as JSON (enum labels, inheritance parents) so that no hand-written array parser
// meets quotes and backslashes.
#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/row>
#include <stdexcept>
#include <vector>
#include <string>
#include <string_view>

#include "catalog/attributes.hpp"
#include "catalog/model.hpp"
#include "introspect/read_context.hpp"

namespace schemakit::introspect::core {

inline std::string owner_sql(const ReadContext& ctx, std::string_view owner_oid_column) {
  if (!ctx.options.ownership) return "NULL::text";
  return fmt::format("pg_catalog.pg_get_userbyid({})", owner_oid_column);
}

inline std::string privileges_sql(const ReadContext& ctx, std::string_view acl_column) {
  if (!ctx.options.privileges) return "NULL::text";
  return ReadContext::acl_sql(acl_column);
}

// The comment of (catalog_table, oid, subid) from pg_description, or NULL.
inline std::string comment_sql(const ReadContext& ctx, std::string_view catalog_table,
                               std::string_view oid_column, std::string_view subid = "0") {
  if (!ctx.options.comments) return "NULL::text";
  return fmt::format(
      "(SELECT d.description FROM pg_catalog.pg_description d WHERE d.classoid = "
      "'pg_catalog.{}'::pg_catalog.regclass AND d.objoid = {} AND d.objsubid = {})",
      catalog_table, oid_column, subid);
}

// owner, privileges, comment: the three columns every query that fills them ends its
// select list with (in that order, named so).
inline std::string owner_privileges_comment_sql(const ReadContext& ctx, std::string_view owner_column,
                                                std::string_view acl_column, std::string_view catalog_table,
                                                std::string_view oid_column) {
  return fmt::format("{} AS owner, {} AS acl, {} AS comment", owner_sql(ctx, owner_column),
                     privileges_sql(ctx, acl_column), comment_sql(ctx, catalog_table, oid_column));
}

// Column positions of a result by name, looked up once per result rather than once per row
// (pqxx resolves a name with PQfnumber on every access, a large share of the reading time on
// catalogs of 100,000 columns).
class Columns {
 public:
  explicit Columns(const pqxx::result& result) {
    for (pqxx::row::size_type i = 0; i < result.columns(); ++i) names_.emplace_back(result.column_name(i));
  }
  pqxx::row::size_type operator[](std::string_view name) const {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) return static_cast<pqxx::row::size_type>(i);
    }
    throw std::logic_error("catalog query has no column " + std::string(name));
  }

 private:
  std::vector<std::string> names_;
};

// One row of a catalog query, fields by name.
class Row {
 public:
  Row(const pqxx::row& row, const Columns& columns) : row_(row), columns_(columns) {}
  pqxx::field operator[](std::string_view name) const { return row_[columns_[name]]; }
  pqxx::field operator[](int index) const { return row_[index]; }

 private:
  const pqxx::row& row_;
  const Columns& columns_;
};

inline std::string text(const pqxx::field& field) { return field.is_null() ? std::string() : field.c_str(); }

inline bool is_true(const pqxx::field& field) {
  return !field.is_null() && (std::string_view(field.c_str()) == "t" || std::string_view(field.c_str()) == "true");
}

inline uint32_t oid(const pqxx::field& field) { return field.is_null() ? 0 : field.as<uint32_t>(); }

// Sets `name` when the field is neither NULL nor empty.
inline void set_if_present(catalog::Object& object, const char* name, const pqxx::field& field) {
  if (!field.is_null() && field.c_str()[0] != '\0') object.attributes[name] = field.c_str();
}

// Sets owner / privileges / comment from the columns named so (NULL when not read).
inline void set_owner_privileges_comment(catalog::Object& object, const Row& row) {
  set_if_present(object, catalog::attr::owner, row["owner"]);
  if (!row["acl"].is_null()) {
    // '' (a NULL ACL: the built-in defaults) is a value too, distinct from "not read".
    std::string acl = row["acl"].c_str();
    if (!acl.empty()) object.attributes[catalog::attr::privileges] = acl;
  }
  set_if_present(object, catalog::attr::comment, row["comment"]);
}

inline nlohmann::json json_of(const pqxx::field& field) {
  if (field.is_null()) return nlohmann::json::array();
  return nlohmann::json::parse(field.c_str());
}

}  // namespace schemakit::introspect::core
