#pragma once
// Table rows as data, and their SQL: multi-row INSERT statements whose values are the server's
// own text output as string literals, so that every type round-trips through its input
// function exactly (NULL stays NULL, '' stays '', bytea, bit strings, arrays, jsonb, numeric
// precision, infinity and NaN, timestamps with time zones). lib/introspect/data.hpp reads them.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "catalog/model.hpp"

namespace schemakit::ddl {

struct TableRows {
  catalog::ObjectId table;
  // Column names in position order; generated columns are left out (the server computes them).
  std::vector<std::string> columns;
  // An identity GENERATED ALWAYS column is among the columns: INSERT needs OVERRIDING SYSTEM VALUE.
  bool overriding_system_value = false;
  // Each value in the server's text form (read with TimeZone UTC, DateStyle ISO); nullopt is NULL.
  std::vector<std::vector<std::optional<std::string>>> rows;
};

struct TableData {
  // Tables that hold rows, in load order (referenced tables before referencing ones where the
  // foreign keys allow; by identity otherwise). Tables without rows are not listed.
  std::vector<TableRows> tables;

  size_t row_count() const;
  const TableRows* find(const catalog::ObjectId& table) const;
};

// "INSERT INTO app.t (a, b) [OVERRIDING SYSTEM VALUE] VALUES\n(...),\n(...);\n" in statements of
// at most `rows_per_statement` rows. Empty text for a table without rows.
std::string insert_statements(const TableRows& rows, size_t rows_per_statement = 1000);

// The load order of `tables` (by identity in the input): a table comes after the tables its
// foreign keys reference, except along a loop of foreign keys, which is broken at the smallest
// identity. Rows are loaded before the constraints exist, so the order is for readers, and for
// loading into a schema that already has its foreign keys.
std::vector<catalog::ObjectId> load_order(const catalog::Catalog& catalog, std::vector<catalog::ObjectId> tables);

}  // namespace schemakit::ddl
