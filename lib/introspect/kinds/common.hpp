#pragma once
// What every per-kind reader shares: SQL for owner / privileges / comment (each switchable in
// IntrospectOptions, and then not read at all), the small SQL fragments several queries repeat,
// reading result fields into attributes, and lists the server returns as JSON (so that no
// hand-written array parser meets quotes and backslashes).
#include <fmt/core.h>

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/row>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/attributes.hpp"
#include "catalog/model.hpp"
#include "ddl/quote.hpp"
#include "introspect/read_context.hpp"

namespace schemakit::introspect {

// ------------------------------------------------------------------------------------------ SQL

// The owner's name, or NULL when ownership is not read.
inline std::string owner_sql(const ReadContext& ctx, std::string_view owner_oid_column) {
  if (!ctx.options.ownership) return "NULL::text";
  return fmt::format("pg_catalog.pg_get_userbyid({})", owner_oid_column);
}

// The normalized ACL (ReadContext::acl_sql), '' for a NULL ACL (the built-in defaults), or NULL
// when privileges are not read. The kinds of the extra readers keep '' as their `privileges`.
inline std::string privileges_sql(const ReadContext& ctx, std::string_view acl_column) {
  if (!ctx.options.privileges) return "NULL::text";
  return ReadContext::acl_sql(acl_column);
}

// The normalized ACL, or NULL both for a NULL ACL (the built-in defaults) and when privileges
// are not read: `privileges` is then absent. The core kinds and every column read it so.
inline std::string granted_privileges_sql(const ReadContext& ctx, std::string_view acl_column) {
  if (!ctx.options.privileges) return "NULL::text";
  return fmt::format("CASE WHEN {0} IS NOT NULL THEN {1} END", acl_column, ReadContext::acl_sql(acl_column));
}

// The comment of (catalog_table, oid, subid) from pg_description, or NULL. One index probe per
// row: queries over many rows join pg_description instead (comment_join_sql).
inline std::string comment_sql(const ReadContext& ctx, std::string_view catalog_table,
                               std::string_view oid_column, std::string_view subid = "0") {
  if (!ctx.options.comments) return "NULL::text";
  return fmt::format(
      "(SELECT d.description FROM pg_catalog.pg_description d WHERE d.classoid = "
      "'pg_catalog.{}'::pg_catalog.regclass AND d.objoid = {} AND d.objsubid = {})",
      catalog_table, oid_column, subid);
}

// For queries over many rows: a LEFT JOIN of pg_description as `alias` for the comments of
// (catalog_table, oid, subid), which the server hashes once instead of probing per row; "" when
// comments are not read. Select joined_comment_sql(ctx, alias).
inline std::string comment_join_sql(const ReadContext& ctx, std::string_view alias, std::string_view catalog_table,
                                    std::string_view oid_column, std::string_view subid = "0") {
  if (!ctx.options.comments) return "";
  return fmt::format(
      " LEFT JOIN pg_catalog.pg_description {0} ON {0}.objoid = {2} AND {0}.classoid = "
      "'pg_catalog.{1}'::pg_catalog.regclass AND {0}.objsubid = {3}",
      alias, catalog_table, oid_column, subid);
}

inline std::string joined_comment_sql(const ReadContext& ctx, std::string_view alias) {
  return ctx.options.comments ? fmt::format("{}.description", alias) : std::string("NULL::text");
}

// owner, privileges (NULL for the built-in defaults), comment: the three columns the core
// queries end their select list with, named so.
inline std::string owner_privileges_comment_sql(const ReadContext& ctx, std::string_view owner_column,
                                                std::string_view acl_column, std::string_view catalog_table,
                                                std::string_view oid_column) {
  return fmt::format("{} AS owner, {} AS acl, {} AS comment", owner_sql(ctx, owner_column),
                     granted_privileges_sql(ctx, acl_column), comment_sql(ctx, catalog_table, oid_column));
}

// CASE turning a pg_trigger / pg_rewrite / pg_event_trigger enabled letter into the attribute's
// word: origin | disabled | replica | always.
inline std::string enabled_sql(std::string_view column) {
  return fmt::format(
      "CASE {} WHEN 'O' THEN 'origin' WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END",
      column);
}

// "schema.name" as SQL (both quoted where needed) of the row of `catalog_table` whose oid is
// `oid_expression`, or NULL when there is none: a function, a collation, a relation named by
// OID. `name_column` and `namespace_column` are columns of `catalog_table`.
inline std::string qualified_name_sql(std::string_view catalog_table, std::string_view name_column,
                                      std::string_view namespace_column, std::string_view oid_expression) {
  return fmt::format(
      "(SELECT pg_catalog.quote_ident(qn.nspname) || '.' || pg_catalog.quote_ident(qo.{1}) "
      "FROM pg_catalog.{0} qo JOIN pg_catalog.pg_namespace qn ON qn.oid = qo.{2} WHERE qo.oid = {3})",
      catalog_table, name_column, namespace_column, oid_expression);
}

// ------------------------------------------------------------------------------------ results

// Column positions of a result by name (pqxx resolves a name with PQfnumber on every access, a
// large share of the reading time on catalogs of 100,000 columns). A reader asks for the fields
// of every row in the same order, so the field after the last one found is tried first: one
// comparison per access instead of a search. Not shared between threads.
class Columns {
 public:
  explicit Columns(const pqxx::result& result) {
    for (pqxx::row::size_type i = 0; i < result.columns(); ++i) names_.emplace_back(result.column_name(i));
  }
  pqxx::row::size_type operator[](std::string_view name) const {
    if (next_ < names_.size() && names_[next_] == name) return static_cast<pqxx::row::size_type>(next_++);
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) {
        next_ = i + 1;
        return static_cast<pqxx::row::size_type>(i);
      }
    }
    throw std::logic_error("catalog query has no column " + std::string(name));
  }

 private:
  std::vector<std::string> names_;
  mutable size_t next_ = 0;
};

// One field of a Row: the text the server sent (NULL as a null pointer), with the part of
// pqxx::field's interface the readers use.
class Field {
 public:
  explicit Field(const char* value) : value_(value) {}
  bool is_null() const noexcept { return value_ == nullptr; }
  const char* c_str() const noexcept { return value_ == nullptr ? "" : value_; }
  template <typename T>
  T as() const {  // as pqxx::field::as<T>(): NULL throws for a type that has no null value
    if (value_ == nullptr) return pqxx::string_traits<T>::null();
    T value;
    pqxx::from_string(value_, value);
    return value;
  }

 private:
  const char* value_;
};

// One row of a catalog query, fields by name. Takes every field's text once, walking the row
// with one iterator: each pqxx::row[i] makes a pqxx::field holding a copy of the result's two
// shared pointers (four atomic operations per field read), which was a fifth of the client's
// CPU reading the 100,000 columns of a large catalog. The texts live as long as the result.
class Row {
 public:
  static constexpr pqxx::row::size_type kMaxFields = 64;
  Row(const pqxx::row& row, const Columns& columns) : columns_(columns), size_(row.size()) {
    if (size_ > kMaxFields) throw std::logic_error("catalog query with more than 64 columns");
    auto field = row.begin();
    for (pqxx::row::size_type i = 0; i < size_; ++i, ++field) values_[i] = field->is_null() ? nullptr : field->c_str();
  }
  Field operator[](std::string_view name) const { return Field(values_[columns_[name]]); }
  Field operator[](int index) const {
    if (index < 0 || static_cast<pqxx::row::size_type>(index) >= size_) {
      throw std::logic_error("catalog query row has no field " + std::to_string(index));
    }
    return Field(values_[static_cast<size_t>(index)]);
  }

 private:
  const Columns& columns_;
  pqxx::row::size_type size_;
  std::array<const char*, kMaxFields> values_;
};

// The helpers below take a pqxx::field (a raw pqxx::row's) or a Field (a Row's) alike.
namespace field_of {
template <typename F>
inline std::string text(const F& field) { return field.is_null() ? std::string() : field.c_str(); }
template <typename F>
inline bool is_true(const F& field) {
  return !field.is_null() && (std::string_view(field.c_str()) == "t" || std::string_view(field.c_str()) == "true");
}
template <typename F>
inline uint32_t oid(const F& field) { return field.is_null() ? 0 : field.template as<uint32_t>(); }
template <typename F>
inline nlohmann::json json_of(const F& field) {
  if (field.is_null()) return nlohmann::json::array();
  return nlohmann::json::parse(field.c_str());
}
template <typename F>
inline void set_if_not_null(catalog::Object& object, const char* name, const F& field) {
  if (!field.is_null()) object.attributes[name] = field.c_str();
}
template <typename F>
inline void set_if_not_empty(catalog::Object& object, const char* name, const F& field) {
  if (!field.is_null() && field.c_str()[0] != '\0') object.attributes[name] = field.c_str();
}
}  // namespace field_of

inline std::string text(const pqxx::field& field) { return field_of::text(field); }
inline std::string text(const Field& field) { return field_of::text(field); }

inline bool is_true(const pqxx::field& field) { return field_of::is_true(field); }
inline bool is_true(const Field& field) { return field_of::is_true(field); }

inline uint32_t oid(const pqxx::field& field) { return field_of::oid(field); }
inline uint32_t oid(const Field& field) { return field_of::oid(field); }

inline nlohmann::json json_of(const pqxx::field& field) { return field_of::json_of(field); }
inline nlohmann::json json_of(const Field& field) { return field_of::json_of(field); }

// Sets `name` unless the field is NULL: NULL means "not set", '' is a value (an aggregate's
// INITCOND '', the '' privileges of the built-in defaults).
inline void set_if_not_null(catalog::Object& object, const char* name, const pqxx::field& field) {
  field_of::set_if_not_null(object, name, field);
}
inline void set_if_not_null(catalog::Object& object, const char* name, const Field& field) {
  field_of::set_if_not_null(object, name, field);
}

// Sets `name` unless the field is NULL or '': for deparsed text and names, where '' never means
// anything (a collation's lc_collate where its provider has none).
inline void set_if_not_empty(catalog::Object& object, const char* name, const pqxx::field& field) {
  field_of::set_if_not_empty(object, name, field);
}
inline void set_if_not_empty(catalog::Object& object, const char* name, const Field& field) {
  field_of::set_if_not_empty(object, name, field);
}

// owner, privileges and comment from the fields named so (NULL when not read, see
// owner_privileges_comment_sql).
inline void set_owner_privileges_comment(catalog::Object& object, const Row& row) {
  set_if_not_null(object, catalog::attr::owner, row["owner"]);
  set_if_not_null(object, catalog::attr::privileges, row["acl"]);
  set_if_not_null(object, catalog::attr::comment, row["comment"]);
}

// The same from three consecutive fields starting at `first`, in that order.
inline void set_owner_privileges_comment(catalog::Object& object, const pqxx::row& row, int first) {
  set_if_not_null(object, catalog::attr::owner, row[first]);
  set_if_not_null(object, catalog::attr::privileges, row[first + 1]);
  set_if_not_null(object, catalog::attr::comment, row[first + 2]);
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

// An object that lives on a relation (trigger, rule, policy), from the first five fields of its
// query: oid, schema, relation name, relkind, name. It depends on its relation.
inline catalog::Object relation_member(catalog::Kind kind, const pqxx::row& row) {
  catalog::Object object;
  object.id = {kind, text(row[1]), text(row[2]), text(row[4]), ""};
  object.depends_on.push_back({relation_kind(text(row[3])), object.id.schema, "", object.id.table, ""});
  return object;
}

// The extensions an object was marked with ALTER ... DEPENDS ON EXTENSION (pg_depend deptype
// 'x'), as a JSON array of [oid, name] in the order the marks were made (their place in
// pg_depend, which is the order pg_dump prints them in), or NULL.
inline std::string extension_marks_sql(std::string_view catalog_table, std::string_view oid_column) {
  return fmt::format(
      "(SELECT pg_catalog.json_agg(pg_catalog.json_build_array(e.oid::pg_catalog.int8, e.extname) "
      "ORDER BY x.ctid) FROM pg_catalog.pg_depend x JOIN pg_catalog.pg_extension e ON e.oid = x.refobjid "
      "WHERE x.classid = 'pg_catalog.{}'::pg_catalog.regclass AND x.objid = {} AND x.refclassid = "
      "'pg_catalog.pg_extension'::pg_catalog.regclass AND x.deptype = 'x')",
      catalog_table, oid_column);
}

// What extension_marks_sql read: the names as SQL writes them (", "-separated, for
// catalog::attr::depends_on_extension; empty when none) and the extensions' OIDs (for
// ReadContext::depend once the object is added, so that the script creates the extension first).
struct ExtensionMarks {
  std::string names;
  std::vector<uint32_t> oids;
};

inline ExtensionMarks extension_marks(const pqxx::field& marks) {
  ExtensionMarks out;
  if (marks.is_null()) return out;
  for (const auto& mark : nlohmann::json::parse(marks.c_str())) {
    if (!out.names.empty()) out.names += ", ";
    out.names += ddl::quote_ident(mark[1].get<std::string>());
    out.oids.push_back(mark[0].get<uint32_t>());
  }
  return out;
}

}  // namespace schemakit::introspect
