#include "ddl/quote.hpp"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <mutex>
#include <unordered_map>

namespace schemakit::ddl {
namespace {

bool is_plain_lowercase_word(std::string_view name) {
  if (name.empty()) return false;
  char first = name.front();
  if (!((first >= 'a' && first <= 'z') || first == '_')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Asks PostgreSQL's own scanner (libpg_query) whether `word` is a keyword that needs quoting:
// every keyword but the unreserved ones does, as in the server's quote_ident().
bool is_keyword_needing_quotes(const std::string& word) {
  static std::mutex mutex;
  static std::unordered_map<std::string, bool> cache;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find(word); it != cache.end()) return it->second;
  bool needs = false;
  PgQueryScanResult result = pg_query_scan(word.c_str());
  if (result.error == nullptr) {
    PgQuery__ScanResult* scan = pg_query__scan_result__unpack(
        nullptr, result.pbuf.len, reinterpret_cast<const uint8_t*>(result.pbuf.data));
    if (scan != nullptr) {
      if (scan->n_tokens == 1) {
        PgQuery__KeywordKind kind = scan->tokens[0]->keyword_kind;
        needs = kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD &&
                kind != PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD;
      } else {
        needs = true;
      }
      pg_query__scan_result__free_unpacked(scan, nullptr);
    } else {
      needs = true;
    }
  } else {
    needs = true;
  }
  pg_query_free_scan_result(result);
  cache.emplace(word, needs);
  return needs;
}

}  // namespace

std::string quote_ident(std::string_view name) {
  if (is_plain_lowercase_word(name) && !is_keyword_needing_quotes(std::string(name))) {
    return std::string(name);
  }
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string qualified(std::string_view schema, std::string_view name) {
  if (schema.empty()) return quote_ident(name);
  return quote_ident(schema) + "." + quote_ident(name);
}

std::string quote_literal(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

std::string dollar_quote(std::string_view value) {
  std::string tag = "$$";
  for (int i = 0; std::string_view::npos != value.find(tag); ++i) {
    tag = "$q" + (i == 0 ? std::string() : std::to_string(i)) + "$";
  }
  return tag + std::string(value) + tag;
}

}  // namespace schemakit::ddl
