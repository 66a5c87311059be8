#pragma once
// An index's definition as pg_get_indexdef(oid) prints it, rebuilt on the client from pg_index's
// columns and a few small catalog lookups.
//
// Why: pg_get_indexdef opens each indexed table's relcache entry (deparse_context_for) and scans
// pg_opclass for the default operator class of every key column (GetDefaultOpClass); on a catalog
// with 10,000 indexes that is most of a comparison's server time, for text that is mostly column
// names. The rules below are ruleutils.c's (pg_get_indexdef_worker, get_opclass_name) and
// indexcmds.c's (GetDefaultOpClass, with parse_coerce.c's IsBinaryCoercible); whatever they do not
// cover (expression columns, storage parameters, operator classes that take parameters, a type this
// cannot place) is left to the server: rebuild() returns nullopt and the caller asks pg_get_indexdef.
// tests/index_definition_test.cpp holds the rebuilt text to the server's for every operator class
// of every built-in access method on every type it accepts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace schemakit::introspect::index_definition {

// One pg_index row with its index's and table's names.
struct IndexRow {
  std::string name;            // the index (pg_class.relname)
  std::string schema;          // the table's (and index's) schema
  std::string table;           // the indexed table
  uint32_t table_oid = 0;
  std::string access_method;   // pg_am.amname
  bool unique = false;
  bool nulls_not_distinct = false;
  bool only = false;           // a partitioned table's own index: ON ONLY
  std::vector<int> keys;       // indkey: table attnums, 0 for an expression
  size_t key_count = 0;        // indnkeyatts; the rest of `keys` are INCLUDE columns
  std::vector<uint32_t> operator_classes;  // indclass, one per key column
  std::vector<uint32_t> collations;        // indcollation, one per key column
  std::vector<int> options;                // indoption, one per key column
  std::optional<std::string> predicate;    // pg_get_expr(indpred, indrelid) of a partial index
};

// A table column an index uses.
struct Column {
  std::string name;
  uint32_t type = 0;       // atttypid
  uint32_t collation = 0;  // attcollation
};

// A column type reduced to what the default operator class depends on: its base type (a domain's,
// followed to the end of the chain) and that type's properties.
struct TypeFacts {
  uint32_t base = 0;
  char typtype = 'b';
  char category = 'U';
  bool composite = false;        // a row type (typrelid set)
  bool array = false;            // a true array type
  bool composite_array = false;  // an array of a row type
};

struct OperatorClass {
  std::string name;
  std::string schema;
  bool visible = true;  // pg_opclass_is_visible with the reader's search_path: printed unqualified
  uint32_t method = 0;
  uint32_t input_type = 0;
  bool is_default = false;
  char input_category = 'U';
  bool input_preferred = false;
  bool takes_options = true;  // may carry parameters (opclass (name=value)): left to the server
};

struct Collation {
  std::string name;
  std::string schema;
  bool visible = true;  // pg_collation_is_visible
};

// Everything rebuild() looks things up in.
struct Facts {
  std::unordered_map<uint64_t, Column> columns;  // by column_key(table oid, attnum)
  std::unordered_map<uint32_t, TypeFacts> types;
  std::unordered_map<uint32_t, OperatorClass> operator_classes;
  std::unordered_set<uint64_t> binary_casts;     // implicit binary-coercible casts, pair_key(source, target)
  std::unordered_map<uint32_t, Collation> collations;
  // default_operator_class's answers by pair_key(type, method): a catalog has few distinct pairs.
  mutable std::unordered_map<uint64_t, std::optional<uint32_t>> default_classes;

  static uint64_t column_key(uint32_t table_oid, int attnum) {
    return (static_cast<uint64_t>(table_oid) << 16) | static_cast<uint16_t>(attnum);
  }
  static uint64_t pair_key(uint32_t first, uint32_t second) {
    return (static_cast<uint64_t>(first) << 32) | second;
  }
};

// What GetDefaultOpClass(type, method) answers: the default operator class's oid, 0 when there is
// none; nullopt when the type is not in `facts` (the caller then leaves the index to the server).
std::optional<uint32_t> default_operator_class(uint32_t type, uint32_t method, const Facts& facts);

// pg_get_indexdef's text for `index`, or nullopt when it uses something this does not rebuild.
std::optional<std::string> rebuild(const IndexRow& index, const Facts& facts);

// "1 2 0" (int2vector and oidvector output) as numbers.
std::vector<int64_t> parse_vector(std::string_view text);

}  // namespace schemakit::introspect::index_definition
