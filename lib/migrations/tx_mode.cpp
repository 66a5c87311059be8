#include "migrations/tx_mode.hpp"

#include <fmt/format.h>
#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/error.hpp"
#include "migrations/sql_splitter.hpp"
#include "migrations/sql_text.hpp"
#include "migrations/text.hpp"

namespace schemakit::migrations {

namespace {

using nlohmann::json;

class ParseResult {
 public:
  explicit ParseResult(const std::string& text) : result_(pg_query_parse(text.c_str())) {}
  ~ParseResult() { pg_query_free_parse_result(result_); }
  ParseResult(const ParseResult&) = delete;
  ParseResult& operator=(const ParseResult&) = delete;
  const PgQueryParseResult* operator->() const { return &result_; }

 private:
  PgQueryParseResult result_;
};

// One top-level statement of the parse tree: its node type ("IndexStmt"), its fields, and the
// byte offset of its first token in the text.
struct ParsedStatement {
  std::string type;
  json fields;
  size_t offset = 0;
};

std::vector<ParsedStatement> parse_statements(const Script& script) {
  // The rows after a COPY ... FROM STDIN are not SQL: blanked at the same offsets. A COPY is
  // then one more statement that runs in the migration's transaction, like any DML.
  const bool has_copy_data = std::any_of(script.statements.begin(), script.statements.end(),
                                         [](const Statement& s) { return s.copy_data.has_value(); });
  const std::string sql_only = has_copy_data ? text_without_copy_data(script) : std::string();
  const std::string& text = has_copy_data ? sql_only : script.text;
  ParseResult result(text);
  if (result->error != nullptr) {
    // split_script reports syntax errors with their position first; this is a second opinion.
    throw InputError(fmt::format("{}: {}", script.file.string(), result->error->message));
  }
  json tree = json::parse(result->parse_tree);
  std::vector<ParsedStatement> statements;
  for (const json& raw : tree.value("stmts", json::array())) {
    const json& stmt = raw.at("stmt");
    if (stmt.empty()) continue;
    ParsedStatement parsed;
    parsed.type = stmt.begin().key();
    parsed.fields = stmt.begin().value();
    parsed.offset = skip_blanks_and_comments(text, raw.value("stmt_location", 0u));
    statements.push_back(std::move(parsed));
  }
  return statements;
}

bool flag(const json& fields, const char* name) {
  auto it = fields.find(name);
  return it != fields.end() && it->is_boolean() && it->get<bool>();
}

bool has_option(const json& fields, const char* list, const std::string& name) {
  auto it = fields.find(list);
  if (it == fields.end()) return false;
  return std::any_of(it->begin(), it->end(), [&](const json& option) {
    return option.contains("DefElem") && option["DefElem"].value("defname", "") == name;
  });
}

// The value of a DefElem option as written (`create_slot = false`, `connect = off`), lowercase.
std::optional<std::string> option_value(const json& fields, const char* list, const std::string& name) {
  auto it = fields.find(list);
  if (it == fields.end()) return std::nullopt;
  for (const json& option : *it) {
    if (!option.contains("DefElem") || option["DefElem"].value("defname", "") != name) continue;
    const json& def = option["DefElem"];
    if (!def.contains("arg")) return std::string("true");  // `WITH (create_slot)`
    const json& arg = def["arg"];
    std::string value;
    if (arg.contains("String")) {
      value = arg["String"].value("sval", "");
    } else if (arg.contains("Boolean")) {
      value = arg["Boolean"].value("boolval", false) ? "true" : "false";
    } else if (arg.contains("Integer")) {
      value = std::to_string(arg["Integer"].value("ival", 0));
    } else if (arg.contains("TypeName") && !arg["TypeName"].value("names", json::array()).empty()) {
      value = arg["TypeName"]["names"].back()["String"].value("sval", "");
    }
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return value;
  }
  return std::nullopt;
}

bool is_false(const std::optional<std::string>& value) {
  return value && (*value == "false" || *value == "off" || *value == "0" || *value == "no");
}

// What PostgreSQL calls the statement when it refuses it inside a transaction block, or empty
// when it runs in one (ALTER TYPE ... ADD VALUE does since PostgreSQL 12).
std::string non_transactional_name(const ParsedStatement& s) {
  const json& f = s.fields;
  if (s.type == "IndexStmt" && flag(f, "concurrent")) return "CREATE INDEX CONCURRENTLY";
  if (s.type == "DropStmt" && flag(f, "concurrent")) return "DROP INDEX CONCURRENTLY";
  if (s.type == "ReindexStmt") {
    std::string kind = f.value("kind", "");
    if (has_option(f, "params", "concurrently")) return "REINDEX ... CONCURRENTLY";
    if (kind == "REINDEX_OBJECT_SCHEMA") return "REINDEX SCHEMA";
    if (kind == "REINDEX_OBJECT_SYSTEM") return "REINDEX SYSTEM";
    if (kind == "REINDEX_OBJECT_DATABASE") return "REINDEX DATABASE";
    return {};
  }
  if (s.type == "VacuumStmt" && flag(f, "is_vacuumcmd")) return "VACUUM";
  if (s.type == "AlterSystemStmt") return "ALTER SYSTEM";
  if (s.type == "CreatedbStmt") return "CREATE DATABASE";
  if (s.type == "DropdbStmt") return "DROP DATABASE";
  if (s.type == "CreateTableSpaceStmt") return "CREATE TABLESPACE";
  if (s.type == "DropTableSpaceStmt") return "DROP TABLESPACE";
  if (s.type == "AlterDatabaseStmt" && has_option(f, "options", "tablespace")) {
    return "ALTER DATABASE ... SET TABLESPACE";
  }
  if (s.type == "ClusterStmt" && !f.contains("relation")) return "CLUSTER";
  if (s.type == "DiscardStmt" && f.value("target", "") == "DISCARD_ALL") return "DISCARD ALL";
  if (s.type == "CreateSubscriptionStmt" && !is_false(option_value(f, "options", "create_slot")) &&
      !is_false(option_value(f, "options", "connect"))) {
    return "CREATE SUBSCRIPTION";
  }
  // Refused when the subscription has a replication slot, which only the server knows.
  if (s.type == "DropSubscriptionStmt") return "DROP SUBSCRIPTION";
  return {};
}

std::string trim(std::string_view line) { return std::string(text::trim(line)); }

// Collapses runs of blanks and lowercases, so "--  +goose no transaction" matches too.
std::string normalized(std::string_view line) {
  std::string out;
  bool blank = false;
  for (char c : trim(line)) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::optional<std::string> find_no_transaction_marker(std::string_view file_text) {
  int line_number = 0;
  size_t start = 0;
  while (start < file_text.size()) {
    ++line_number;
    size_t newline = file_text.find('\n', start);
    size_t end = newline == std::string_view::npos ? file_text.size() : newline;
    std::string_view line = file_text.substr(start, end - start);
    std::string marker = normalized(line);
    bool whole_file_marker = marker == "-- +goose no transaction" ||
                             marker == "-- atlas:txmode none" || marker == "-- hasura:no-transaction";
    // sqlx reads its marker from the first line only.
    bool sqlx_marker = line_number == 1 && marker == "-- no-transaction";
    if (whole_file_marker || sqlx_marker) return fmt::format("{} (line {})", trim(line), line_number);
    start = newline == std::string_view::npos ? file_text.size() : newline + 1;
  }
  return std::nullopt;
}

std::optional<std::string> find_non_transactional_statement(const Script& script) {
  for (const ParsedStatement& s : parse_statements(script)) {
    std::string name = non_transactional_name(s);
    if (!name.empty()) {
      return fmt::format("{} (line {})", name, file_position(script, s.offset).line);
    }
  }
  return std::nullopt;
}

TxDecision decide_tx_mode(const Script& script, const std::optional<std::string>& runner_says_none) {
  std::vector<ParsedStatement> statements = parse_statements(script);
  std::optional<size_t> begin, commit;
  std::optional<std::string> refused;
  for (const ParsedStatement& s : statements) {
    if (s.type == "TransactionStmt") {
      std::string kind = s.fields.value("kind", "");
      if (!begin && (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START")) begin = s.offset;
      if (begin && !commit && kind == "TRANS_STMT_COMMIT") commit = s.offset;
    }
    if (!refused) {
      std::string name = non_transactional_name(s);
      if (!name.empty()) {
        refused = fmt::format("{} (line {})", name, file_position(script, s.offset).line);
      }
    }
  }
  if (begin && commit) {
    return {TxMode::as_written, fmt::format("own BEGIN (line {}) and COMMIT (line {})",
                                            file_position(script, *begin).line,
                                            file_position(script, *commit).line)};
  }
  if (runner_says_none) return {TxMode::none, *runner_says_none};
  if (refused) return {TxMode::none, *refused};
  return {};
}

}  // namespace schemakit::migrations
