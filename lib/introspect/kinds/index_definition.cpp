#include "introspect/kinds/index_definition.hpp"

#include <charconv>

#include "ddl/quote.hpp"

namespace schemakit::introspect::index_definition {
namespace {

// Pseudo-type OIDs (pg_type.dat), fixed across releases.
constexpr uint32_t kRecord = 2249;
constexpr uint32_t kAny = 2276;
constexpr uint32_t kAnyArray = 2277;
constexpr uint32_t kAnyElement = 2283;
constexpr uint32_t kRecordArray = 2287;
constexpr uint32_t kAnyNonArray = 2776;
constexpr uint32_t kAnyEnum = 3500;
constexpr uint32_t kAnyRange = 3831;
constexpr uint32_t kAnyMultirange = 4537;
constexpr uint32_t kAnyCompatibleMultirange = 4538;
constexpr uint32_t kAnyCompatible = 5077;
constexpr uint32_t kAnyCompatibleArray = 5078;
constexpr uint32_t kAnyCompatibleNonArray = 5079;
constexpr uint32_t kAnyCompatibleRange = 5080;

// indoption bits (pg_index.h).
constexpr int kDescending = 1;
constexpr int kNullsFirst = 2;

// IsBinaryCoercible(source, target) for a source already reduced to its base type.
bool binary_coercible(const TypeFacts& source, uint32_t target, const Facts& facts) {
  if (source.base == target) return true;
  switch (target) {
    case kAny:
    case kAnyElement:
    case kAnyCompatible: return true;
    case kAnyArray:
    case kAnyCompatibleArray: if (source.array) return true; break;
    case kAnyNonArray:
    case kAnyCompatibleNonArray: if (!source.array) return true; break;
    case kAnyEnum: if (source.typtype == 'e') return true; break;
    case kAnyRange:
    case kAnyCompatibleRange: if (source.typtype == 'r') return true; break;
    case kAnyMultirange:
    case kAnyCompatibleMultirange: if (source.typtype == 'm') return true; break;
    case kRecord: if (source.composite) return true; break;
    case kRecordArray: if (source.composite_array) return true; break;
    default: break;
  }
  return facts.binary_casts.count(Facts::pair_key(source.base, target)) > 0;
}

std::string qualified_if_hidden(bool visible, const std::string& schema, const std::string& name) {
  return visible ? ddl::quote_ident(name) : ddl::quote_ident(schema) + "." + ddl::quote_ident(name);
}

}  // namespace

std::vector<int64_t> parse_vector(std::string_view text) {
  std::vector<int64_t> values;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && text[at] == ' ') ++at;
    if (at == text.size()) break;
    int64_t value = 0;
    auto [end, error] = std::from_chars(text.data() + at, text.data() + text.size(), value);
    if (error != std::errc()) return {};
    values.push_back(value);
    at = static_cast<size_t>(end - text.data());
  }
  return values;
}

std::optional<uint32_t> default_operator_class(uint32_t type, uint32_t method, const Facts& facts) {
  auto found = facts.types.find(type);
  if (found == facts.types.end()) return std::nullopt;
  const TypeFacts& base = found->second;
  // GetDefaultOpClass: an exact match on the input type wins; failing that, one binary-coercible
  // default class, a preferred type of the column type's category first.
  int exact = 0, compatible_preferred = 0, compatible = 0;
  uint32_t exact_class = 0, preferred_class = 0, compatible_class = 0;
  for (const auto& [oid, opclass] : facts.operator_classes) {
    if (opclass.method != method || !opclass.is_default) continue;
    if (opclass.input_type == base.base) {
      ++exact;
      exact_class = oid;
    } else if (binary_coercible(base, opclass.input_type, facts)) {
      if (opclass.input_category == base.category && opclass.input_preferred) {
        ++compatible_preferred;
        preferred_class = oid;
      } else {
        ++compatible;
        compatible_class = oid;
      }
    }
  }
  if (exact > 1) return std::nullopt;  // the server itself would refuse
  if (exact == 1) return exact_class;
  if (compatible_preferred == 1) return preferred_class;
  if (compatible_preferred == 0 && compatible == 1) return compatible_class;
  return 0;
}

std::optional<std::string> rebuild(const IndexRow& index, const Facts& facts) {
  if (index.key_count > index.keys.size() || index.operator_classes.size() < index.key_count ||
      index.collations.size() < index.key_count || index.options.size() < index.key_count) {
    return std::nullopt;
  }
  // Only btree orders (amcanorder); another method's DESC or NULLS would need its handler's word.
  const bool orders = index.access_method == "btree";
  std::string text = "CREATE ";
  if (index.unique) text += "UNIQUE ";
  text += "INDEX " + ddl::quote_ident(index.name) + " ON ";
  if (index.only) text += "ONLY ";
  text += ddl::quote_ident(index.schema) + "." + ddl::quote_ident(index.table) + " USING " +
          ddl::quote_ident(index.access_method) + " (";
  for (size_t position = 0; position < index.keys.size(); ++position) {
    if (position == index.key_count) {
      text += ") INCLUDE (";
    } else if (position > 0) {
      text += ", ";
    }
    if (index.keys[position] == 0) return std::nullopt;  // an expression
    auto column = facts.columns.find(Facts::column_key(index.table_oid, index.keys[position]));
    if (column == facts.columns.end()) return std::nullopt;
    text += ddl::quote_ident(column->second.name);
    if (position >= index.key_count) continue;

    const uint32_t collation = index.collations[position];
    if (collation != 0 && collation != column->second.collation) {
      auto named = facts.collations.find(collation);
      if (named == facts.collations.end()) return std::nullopt;
      text += " COLLATE " + qualified_if_hidden(named->second.visible, named->second.schema, named->second.name);
    }
    const uint32_t opclass = index.operator_classes[position];
    auto opclass_row = facts.operator_classes.find(opclass);
    if (opclass_row == facts.operator_classes.end() || opclass_row->second.takes_options) return std::nullopt;
    const uint64_t pair = Facts::pair_key(column->second.type, opclass_row->second.method);
    auto cached = facts.default_classes.find(pair);
    if (cached == facts.default_classes.end()) {
      cached = facts.default_classes
                   .emplace(pair, default_operator_class(column->second.type, opclass_row->second.method, facts))
                   .first;
    }
    const std::optional<uint32_t>& default_class = cached->second;
    if (!default_class) return std::nullopt;
    if (*default_class != opclass) {
      text += " " + qualified_if_hidden(opclass_row->second.visible, opclass_row->second.schema,
                                        opclass_row->second.name);
    }
    const int option = index.options[position];
    if (option != 0 && !orders) return std::nullopt;
    if (option & kDescending) {
      text += (option & kNullsFirst) ? " DESC" : " DESC NULLS LAST";
    } else if (option & kNullsFirst) {
      text += " NULLS FIRST";
    }
  }
  text += ")";
  if (index.nulls_not_distinct) text += " NULLS NOT DISTINCT";
  if (index.predicate) text += " WHERE " + *index.predicate;
  return text;
}

}  // namespace schemakit::introspect::index_definition
