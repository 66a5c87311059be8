#include "migrations/database_names.hpp"

#include <fmt/format.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "migrations/sql_splitter.hpp"
#include "migrations/sql_text.hpp"

namespace schemakit::migrations {
namespace {

using nlohmann::json;

class Parsed {
 public:
  explicit Parsed(const std::string& text) : result_(pg_query_parse(text.c_str())) {}
  ~Parsed() { pg_query_free_parse_result(result_); }
  Parsed(const Parsed&) = delete;
  Parsed& operator=(const Parsed&) = delete;
  const PgQueryParseResult* operator->() const { return &result_; }

 private:
  PgQueryParseResult result_;
};

struct Token {
  size_t begin = 0;
  size_t end = 0;
  PgQuery__Token kind = PG_QUERY__TOKEN__NUL;
  PgQuery__KeywordKind keyword = PG_QUERY__KEYWORD_KIND__NO_KEYWORD;
};

std::vector<Token> scan(const std::string& text, const std::string& source_name) {
  PgQueryScanResult result = pg_query_scan(text.c_str());
  std::vector<Token> tokens;
  std::string error = result.error != nullptr ? result.error->message : "";
  if (error.empty()) {
    PgQuery__ScanResult* scanned = pg_query__scan_result__unpack(
        nullptr, result.pbuf.len, reinterpret_cast<const uint8_t*>(result.pbuf.data));
    if (scanned == nullptr) {
      error = "the scanner's answer could not be read";
    } else {
      for (size_t i = 0; i < scanned->n_tokens; ++i) {
        const PgQuery__ScanToken& t = *scanned->tokens[i];
        // Comments are tokens to the scanner, and nothing to the grammar.
        if (t.token == PG_QUERY__TOKEN__SQL_COMMENT || t.token == PG_QUERY__TOKEN__C_COMMENT) continue;
        tokens.push_back({static_cast<size_t>(t.start), static_cast<size_t>(t.end), t.token, t.keyword_kind});
      }
      pg_query__scan_result__free_unpacked(scanned, nullptr);
    }
  }
  pg_query_free_scan_result(result);
  if (!error.empty()) throw InputError(fmt::format("{}: {}", source_name, error));
  return tokens;
}

// The name a token stands for, as the server reads it: "My ""x""" -> My "x", MyApp -> myapp;
// cut to NAMEDATALEN - 1 bytes (on a character boundary) as the server's scanner cuts it.
// nullopt for tokens that cannot be a database name, and for U&"..." names, whose escapes only
// the server decodes (their place is still known from the grammar).
std::optional<std::string> name_of(std::string_view text, const Token& token) {
  std::string_view written = text.substr(token.begin, token.end - token.begin);
  std::string name;
  if (token.kind == PG_QUERY__TOKEN__IDENT && !written.empty() && written.front() == '"') {
    for (size_t i = 1; i + 1 < written.size(); ++i) {
      name += written[i];
      if (written[i] == '"') ++i;  // "" stands for one quote
    }
  } else if (token.kind == PG_QUERY__TOKEN__IDENT ||
             token.keyword == PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD ||
             token.keyword == PG_QUERY__KEYWORD_KIND__COL_NAME_KEYWORD) {
    for (char c : written) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else {
    return std::nullopt;
  }
  constexpr size_t kMaxName = 63;
  if (name.size() > kMaxName) {
    size_t cut = kMaxName;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    name.resize(cut);
  }
  return name;
}

bool is_name_token(const Token& token) {
  return token.kind == PG_QUERY__TOKEN__IDENT || token.kind == PG_QUERY__TOKEN__UIDENT ||
         token.keyword == PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD ||
         token.keyword == PG_QUERY__KEYWORD_KIND__COL_NAME_KEYWORD;
}

// One top-level statement: its node type and fields, and its tokens.
struct StatementTokens {
  std::string type;
  const json* fields = nullptr;
  std::vector<Token> tokens;
};

// Index of the first token of `first` immediately followed by `second`; tokens.size() if none.
size_t find_pair(const std::vector<Token>& tokens, PgQuery__Token first, PgQuery__Token second) {
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i].kind == first && tokens[i + 1].kind == second) return i;
  }
  return tokens.size();
}

std::string string_node(const json& node) {
  if (node.contains("String")) return node["String"].value("sval", "");
  return {};
}

// What names a database in a statement, per the grammar: where its names start (token index),
// the names the parse tree holds (in order), and what squash cannot reproduce.
struct Naming {
  std::string statement;
  size_t first_name = 0;  // token index
  std::vector<std::string> names;
  std::string refusal;
  std::optional<size_t> refusal_at;  // byte offset in the text; the statement's start otherwise
};

std::optional<Naming> naming_of(const StatementTokens& s) {
  const json& f = *s.fields;
  const std::vector<Token>& t = s.tokens;
  const size_t none = t.size();
  auto alter_database = [&](std::string statement, std::string name) -> std::optional<Naming> {
    // ALTER DATABASE <name> ...
    if (t.size() < 3 || t[0].kind != PG_QUERY__TOKEN__ALTER || t[1].kind != PG_QUERY__TOKEN__DATABASE) {
      return std::nullopt;
    }
    return Naming{std::move(statement), 2, {std::move(name)}, {}, std::nullopt};
  };
  auto is_database = [&](const char* field) { return f.value(field, "") == "OBJECT_DATABASE"; };

  if (s.type == "AlterDatabaseSetStmt") {
    return alter_database("ALTER DATABASE ... SET", f.value("dbname", ""));
  }
  if (s.type == "AlterDatabaseRefreshCollStmt") {
    return alter_database("ALTER DATABASE ... REFRESH COLLATION VERSION", f.value("dbname", ""));
  }
  if (s.type == "AlterDatabaseStmt") {
    auto naming = alter_database("ALTER DATABASE", f.value("dbname", ""));
    if (!naming) return naming;
    for (const json& option : f.value("options", json::array())) {
      if (!option.contains("DefElem")) continue;
      const json& def = option["DefElem"];
      const std::string name = def.value("defname", "");
      if (name == "connection_limit") continue;  // modelled (the database's connection_limit)
      naming->refusal = name == "tablespace"
                            ? "ALTER DATABASE ... SET TABLESPACE: squash does not reproduce the database's "
                              "tablespace (tablespaces are not modelled)"
                            : fmt::format("ALTER DATABASE ... {}: squash reproduces the database's settings, "
                                          "privileges, comment and connection limit, not this option",
                                          [&] {
                                            std::string upper = name;
                                            for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                                            return upper;
                                          }());
      if (def.contains("location")) naming->refusal_at = def["location"].get<size_t>();
      break;
    }
    return naming;
  }
  if (s.type == "AlterOwnerStmt" && is_database("objectType")) {
    auto naming = alter_database("ALTER DATABASE ... OWNER TO", string_node(f.value("object", json::object())));
    if (naming) {
      naming->refusal =
          "ALTER DATABASE ... OWNER TO: squash does not reproduce the database's owner (down.sql could "
          "not give the database back to its previous owner); set the owner where the database is created";
    }
    return naming;
  }
  if (s.type == "RenameStmt" && is_database("renameType")) {
    auto naming = alter_database("ALTER DATABASE ... RENAME TO", f.value("subname", ""));
    if (naming) {
      naming->refusal = "ALTER DATABASE ... RENAME TO: a consolidated schema cannot rename the database it is "
                        "applied to";
    }
    return naming;
  }
  if (s.type == "GrantStmt" && is_database("objtype")) {
    Naming naming{f.value("is_grant", false) ? "GRANT ... ON DATABASE" : "REVOKE ... ON DATABASE", 0, {}, {},
                  std::nullopt};
    for (const json& object : f.value("objects", json::array())) naming.names.push_back(string_node(object));
    size_t on = find_pair(t, PG_QUERY__TOKEN__ON, PG_QUERY__TOKEN__DATABASE);
    if (on == none) return std::nullopt;
    naming.first_name = on + 2;
    return naming;
  }
  if ((s.type == "CommentStmt" || s.type == "SecLabelStmt") && is_database("objtype")) {
    Naming naming{s.type == "CommentStmt" ? "COMMENT ON DATABASE" : "SECURITY LABEL ON DATABASE", 0,
                  {string_node(f.value("object", json::object()))}, {}, std::nullopt};
    size_t on = find_pair(t, PG_QUERY__TOKEN__ON, PG_QUERY__TOKEN__DATABASE);
    if (on == none) return std::nullopt;
    naming.first_name = on + 2;
    return naming;
  }
  if (s.type == "AlterRoleSetStmt" && f.contains("database")) {
    Naming naming{"ALTER ROLE ... IN DATABASE", 0, {f.value("database", "")}, {}, std::nullopt};
    size_t in = find_pair(t, PG_QUERY__TOKEN__IN_P, PG_QUERY__TOKEN__DATABASE);
    if (in == none) return std::nullopt;
    naming.first_name = in + 2;
    return naming;
  }
  if (s.type == "ReindexStmt" && f.contains("name")) {
    const std::string kind = f.value("kind", "");
    if (kind != "REINDEX_OBJECT_DATABASE" && kind != "REINDEX_OBJECT_SYSTEM") return std::nullopt;
    // REINDEX [ ( options ) ] DATABASE | SYSTEM [ CONCURRENTLY ] <name>
    int depth = 0;
    for (size_t i = 1; i < t.size(); ++i) {
      if (t[i].kind == PG_QUERY__TOKEN__ASCII_40) ++depth;
      if (t[i].kind == PG_QUERY__TOKEN__ASCII_41) --depth;
      if (depth == 0 && (t[i].kind == PG_QUERY__TOKEN__DATABASE || t[i].kind == PG_QUERY__TOKEN__SYSTEM_P)) {
        size_t name = i + 1;
        if (name < t.size() && t[name].kind == PG_QUERY__TOKEN__CONCURRENTLY) ++name;
        return Naming{kind == "REINDEX_OBJECT_DATABASE" ? "REINDEX DATABASE" : "REINDEX SYSTEM", name,
                      {f.value("name", "")}, {}, std::nullopt};
      }
    }
    return std::nullopt;
  }
  if (s.type == "CreateSchemaStmt") {
    for (const json& element : f.value("schemaElts", json::array())) {
      if (element.contains("GrantStmt") && element["GrantStmt"].value("objtype", "") == "OBJECT_DATABASE") {
        return Naming{"CREATE SCHEMA ... GRANT ... ON DATABASE", 0, {}, 
                      "GRANT ... ON DATABASE inside CREATE SCHEMA: write it as a statement of its own, "
                      "so that squash can point it at the database it replays into",
                      std::nullopt};
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<DatabaseName> find_database_names(std::string_view sql, const std::string& source_name) {
  const std::string text(sql);  // libpg_query reads C strings
  Parsed parsed(text);
  if (parsed->error != nullptr) throw InputError(fmt::format("{}: {}", source_name, parsed->error->message));
  const json tree = json::parse(parsed->parse_tree);
  const std::vector<Token> tokens = scan(text, source_name);

  std::vector<DatabaseName> found;
  for (const json& raw : tree.value("stmts", json::array())) {
    const json& stmt = raw.at("stmt");
    if (stmt.empty()) continue;
    const size_t from = raw.value("stmt_location", size_t{0});
    const size_t length = raw.value("stmt_len", size_t{0});
    const size_t to = length == 0 ? text.size() : from + length;
    StatementTokens s;
    s.type = stmt.begin().key();
    s.fields = &stmt.begin().value();
    for (const Token& token : tokens) {
      if (token.begin >= from && token.end <= to) s.tokens.push_back(token);
    }
    std::optional<Naming> naming = naming_of(s);
    if (!naming) continue;
    const size_t statement_start = s.tokens.empty() ? from : s.tokens.front().begin;
    if (naming->names.empty()) {
      // Refused before its names were looked for (CREATE SCHEMA ... GRANT ON DATABASE).
      found.push_back({statement_start, statement_start, "", naming->statement, naming->refusal, statement_start});
      continue;
    }
    size_t at = naming->first_name;
    for (size_t n = 0; n < naming->names.size(); ++n) {
      if (n > 0) {
        if (at >= s.tokens.size() || s.tokens[at].kind != PG_QUERY__TOKEN__ASCII_44) at = s.tokens.size();
        ++at;  // past the comma
      }
      std::optional<std::string> read;
      if (at < s.tokens.size() && is_name_token(s.tokens[at])) {
        read = s.tokens[at].kind == PG_QUERY__TOKEN__UIDENT ? naming->names[n] : name_of(text, s.tokens[at]);
      }
      if (!read || *read != naming->names[n]) {
        // The grammar says the name is here; not finding it is a fault of this module.
        throw Error(ExitCode::trouble,
                    fmt::format("{}: cannot find where the {} statement writes database name \"{}\"", source_name,
                                naming->statement, naming->names[n]));
      }
      DatabaseName name;
      name.begin = s.tokens[at].begin;
      name.end = s.tokens[at].end;
      name.name = naming->names[n];
      name.statement = naming->statement;
      name.refusal = naming->refusal;
      name.refusal_at = naming->refusal_at.value_or(statement_start);
      found.push_back(std::move(name));
      ++at;
    }
  }
  return found;
}

namespace {

// Only statements whose text holds the keyword DATABASE or SYSTEM (REINDEX SYSTEM) can name a
// database: the others skip the second parse. A keyword is never written with escapes, so
// looking for its letters, in any case, misses none (it may find some in a string or a name:
// those statements are parsed, and name nothing).
bool may_name_a_database(std::string_view sql) {
  auto contains = [&](std::string_view word) {
    auto it = std::search(sql.begin(), sql.end(), word.begin(), word.end(), [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) == b;
    });
    return it != sql.end();
  };
  return contains("database") || contains("system");
}

}  // namespace

DatabaseNaming find_history_database_names(const History& history) {
  DatabaseNaming naming;
  // Migrations first, then callbacks: the first name the migrations write is the database's.
  std::vector<std::pair<const Script*, std::map<std::pair<size_t, size_t>, std::vector<DatabaseName>>*>> scripts;
  std::vector<size_t> indexes;
  for (size_t m = 0; m < history.migrations.size(); ++m) {
    scripts.emplace_back(&history.migrations[m].up, &naming.names);
    indexes.push_back(m);
  }
  for (size_t c = 0; c < history.callbacks.size(); ++c) {
    scripts.emplace_back(&history.callbacks[c].script, &naming.callback_names);
    indexes.push_back(c);
  }
  for (size_t k = 0; k < scripts.size(); ++k) {
    const Script& up = *scripts[k].first;
    const size_t m = indexes[k];
    for (size_t s = 0; s < up.statements.size(); ++s) {
      const Statement& statement = up.statements[s];
      if (!may_name_a_database(statement.sql)) continue;
      auto where = [&](size_t byte_in_statement) {
        const TextPosition p = file_position(up, statement.offset + byte_in_statement);
        return fmt::format("{}:{}:{}", display_path(history.root, up.file), p.line, p.column);
      };
      std::vector<DatabaseName> names = find_database_names(statement.sql, where(0));
      for (const DatabaseName& name : names) {
        if (!name.refusal.empty()) throw InputError(fmt::format("{}: {}", where(name.refusal_at), name.refusal));
        if (!naming.application_database) {
          naming.application_database = name.name;
          naming.first_named_at = where(name.begin);
        } else if (name.name != *naming.application_database) {
          throw InputError(fmt::format(
              "{}: {} names database \"{}\", but {} named \"{}\": a history is squashed into one database, so it "
              "may name only that one (squash points every such statement at the database it replays into)",
              where(name.begin), name.statement, name.name, naming.first_named_at, *naming.application_database));
        }
      }
      if (!names.empty()) (*scripts[k].second)[{m, s}] = std::move(names);
    }
  }
  return naming;
}

int RewrittenSql::original_position(int position) const {
  if (position <= 0) return position;
  const size_t index = static_cast<size_t>(position - 1);  // 0-based character in the rewritten text
  long long shift_before = 0;
  for (const Edit& edit : edits) {
    if (index < edit.at) break;
    if (index < edit.at + edit.length) {
      // Inside the replacement: the original name's first character.
      return static_cast<int>(static_cast<long long>(edit.at) - shift_before + 1);
    }
    shift_before += edit.shift;
  }
  return static_cast<int>(position - shift_before);
}

RewrittenSql rewrite_database_names(std::string_view sql, const std::vector<DatabaseName>& names,
                                    std::string_view replacement) {
  auto characters = [](std::string_view text) {
    size_t n = 0;
    for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
  };
  std::vector<const DatabaseName*> ordered;
  for (const DatabaseName& name : names) {
    if (name.end > name.begin) ordered.push_back(&name);
  }
  std::sort(ordered.begin(), ordered.end(), [](const DatabaseName* a, const DatabaseName* b) { return a->begin < b->begin; });
  RewrittenSql out;
  const size_t replacement_length = characters(replacement);
  size_t copied = 0;
  for (const DatabaseName* name : ordered) {
    out.sql.append(sql.substr(copied, name->begin - copied));
    RewrittenSql::Edit edit;
    edit.at = characters(out.sql);
    edit.length = replacement_length;
    edit.shift = static_cast<long long>(replacement_length) -
                 static_cast<long long>(characters(sql.substr(name->begin, name->end - name->begin)));
    out.edits.push_back(edit);
    out.sql.append(replacement);
    copied = name->end;
  }
  out.sql.append(sql.substr(copied));
  return out;
}

}  // namespace schemakit::migrations
