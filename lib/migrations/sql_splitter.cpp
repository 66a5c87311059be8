#include "migrations/sql_splitter.hpp"

#include <fmt/format.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/error.hpp"

namespace schemakit::migrations {

namespace {

// Where the text came from, to turn offsets in the text into file positions.
struct Origin {
  std::string display;
  int first_line = 1;
  const std::vector<int>* column_shifts = nullptr;
  // Set when Flyway placeholders were replaced in the text: positions are counted in the file's
  // text as written (Script::source_text).
  const Script* replaced = nullptr;
};

Origin origin_of(const Script& script, std::string display) {
  return Origin{std::move(display), script.first_line, &script.column_shifts,
                script.replacements.empty() ? nullptr : &script};
}

// The offset in the file's text of an offset in the replaced text; inside a value, where its
// placeholder starts.
size_t source_offset(const Script& script, size_t offset) {
  const auto& replacements = script.replacements;
  auto after = std::upper_bound(replacements.begin(), replacements.end(), offset,
                                [](size_t x, const TextReplacement& r) { return x < r.offset; });
  if (after == replacements.begin()) return offset;
  const TextReplacement& r = *std::prev(after);
  if (offset < r.offset + r.length) return r.source_offset;
  return r.source_offset + r.source_length + (offset - r.offset - r.length);
}

// A position in the text as a position in the file.
TextPosition in_file(TextPosition position, const Origin& origin) {
  size_t line_index = static_cast<size_t>(position.line - 1);
  if (origin.column_shifts != nullptr && line_index < origin.column_shifts->size()) {
    position.column += (*origin.column_shifts)[line_index];
  }
  position.line += origin.first_line - 1;
  return position;
}

TextPosition to_file_position(std::string_view text, size_t byte_offset, const Origin& origin) {
  if (origin.replaced != nullptr) {
    return in_file(position_at(origin.replaced->source_text, source_offset(*origin.replaced, byte_offset)), origin);
  }
  return in_file(position_at(text, byte_offset), origin);
}

// File positions of offsets that only grow, counted in one pass: a file of many statements (a
// pg_dump baseline with its rows) is not counted again from its start for each one.
class PositionCursor {
 public:
  PositionCursor(std::string_view text, const Origin& origin)
      : text_(origin.replaced != nullptr ? std::string_view(origin.replaced->source_text) : text), origin_(origin) {}

  // `byte_offset` in the text split (mapped to the file's text when placeholders were replaced:
  // the mapping keeps the order of offsets).
  TextPosition at(size_t byte_offset) {
    if (origin_.replaced != nullptr) byte_offset = source_offset(*origin_.replaced, byte_offset);
    if (byte_offset < offset_) return in_file(position_at(text_, byte_offset), origin_);
    const size_t end = std::min(byte_offset, text_.size());
    for (; offset_ < end; ++offset_) {
      const unsigned char c = static_cast<unsigned char>(text_[offset_]);
      if (c == '\n') {
        ++position_.line;
        position_.column = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++position_.column;
      }
    }
    return in_file(position_, origin_);
  }

 private:
  std::string_view text_;
  const Origin& origin_;
  size_t offset_ = 0;
  TextPosition position_;
};

std::string location(std::string_view text, size_t byte_offset, const Origin& origin) {
  TextPosition p = to_file_position(text, byte_offset, origin);
  return fmt::format("{}:{}:{}", origin.display, p.line, p.column);
}

class SplitResult {
 public:
  explicit SplitResult(const std::string& text) : result_(pg_query_split_with_parser(text.c_str())) {}
  ~SplitResult() { pg_query_free_split_result(result_); }
  SplitResult(const SplitResult&) = delete;
  SplitResult& operator=(const SplitResult&) = delete;
  const PgQuerySplitResult& operator*() const { return result_; }
  const PgQuerySplitResult* operator->() const { return &result_; }

 private:
  PgQuerySplitResult result_;
};

// A goose StatementBegin/StatementEnd block: the bytes between the two annotation lines.
struct Block {
  size_t begin = 0;
  size_t end = 0;
};

std::string trimmed_upper(std::string_view line) {
  size_t b = 0, e = line.size();
  while (b < e && std::isspace(static_cast<unsigned char>(line[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(line[e - 1]))) --e;
  std::string out(line.substr(b, e - b));
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "-- +goose StatementBegin" -> "STATEMENTBEGIN"; empty when the line is no goose annotation.
std::string goose_annotation(std::string_view line) {
  std::string upper = trimmed_upper(line);
  constexpr std::string_view kPrefix = "-- +GOOSE";
  if (upper.compare(0, kPrefix.size(), kPrefix) != 0) return {};
  std::string rest = upper.substr(kPrefix.size());
  rest.erase(std::remove_if(rest.begin(), rest.end(),
                            [](unsigned char c) { return std::isspace(c) != 0; }),
             rest.end());
  return rest;
}

std::vector<Block> find_goose_blocks(std::string_view text, const Origin& origin) {
  std::vector<Block> blocks;
  // npos while no block is open (std::optional here trips GCC's -Wmaybe-uninitialized).
  constexpr size_t kClosed = std::string_view::npos;
  size_t open_line_start = kClosed;
  size_t open_content_start = 0;
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t newline = text.find('\n', line_start);
    size_t line_end = newline == std::string_view::npos ? text.size() : newline;
    size_t next = newline == std::string_view::npos ? text.size() : newline + 1;
    std::string annotation = goose_annotation(text.substr(line_start, line_end - line_start));
    if (annotation == "STATEMENTBEGIN") {
      if (open_line_start != kClosed) {
        throw InputError(fmt::format(
            "{}: -- +goose StatementBegin inside the block opened at line {} (blocks do not nest)",
            location(text, line_start, origin),
            to_file_position(text, open_line_start, origin).line));
      }
      open_line_start = line_start;
      open_content_start = next;
    } else if (annotation == "STATEMENTEND") {
      if (open_line_start == kClosed) {
        throw InputError(fmt::format("{}: -- +goose StatementEnd without a StatementBegin",
                                     location(text, line_start, origin)));
      }
      blocks.push_back({open_content_start, line_start});
      open_line_start = kClosed;
    }
    line_start = next;
  }
  if (open_line_start != kClosed) {
    throw InputError(fmt::format("{}: -- +goose StatementBegin without a StatementEnd",
                                 location(text, open_line_start, origin)));
  }
  return blocks;
}

Statement make_statement(std::string_view text, size_t begin, size_t end, PositionCursor& positions) {
  Statement statement;
  statement.offset = begin;
  statement.sql = std::string(text.substr(begin, end - begin));
  TextPosition p = positions.at(begin);
  statement.line = p.line;
  statement.column = p.column;
  return statement;
}

// ---------------------------------------------------------------------------------------------
// COPY ... FROM STDIN and the rows after it

using nlohmann::json;

constexpr std::string_view kCopyDataRunners = "psql and Flyway read them from the lines that follow";

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool starts_with_copy_keyword(std::string_view sql) {
  if (sql.size() < 4) return false;
  for (size_t i = 0; i < 4; ++i) {
    if (std::tolower(static_cast<unsigned char>(sql[i])) != "copy"[i]) return false;
  }
  return sql.size() == 4 || !is_word_char(sql[4]);
}

// What a COPY statement asks for, read from its parse tree.
struct CopyStatement {
  bool from = false;
  bool program = false;
  bool server_file = false;  // a file name (or PROGRAM's command) instead of STDIN/STDOUT
  std::string format = "text";
  char quote = '"';
  char escape = '"';
  bool escape_given = false;
};

// nullopt when `sql` is not one COPY statement.
std::optional<CopyStatement> parse_copy(std::string_view sql) {
  if (!starts_with_copy_keyword(sql)) return std::nullopt;
  PgQueryParseResult result = pg_query_parse(std::string(sql).c_str());
  std::optional<CopyStatement> copy;
  if (result.error == nullptr) {
    const json tree = json::parse(result.parse_tree);
    const json& stmts = tree.value("stmts", json::array());
    if (stmts.size() == 1 && stmts[0].contains("stmt") && stmts[0]["stmt"].contains("CopyStmt")) {
      const json& c = stmts[0]["stmt"]["CopyStmt"];
      CopyStatement out;
      out.from = c.value("is_from", false);
      out.program = c.value("is_program", false);
      out.server_file = c.contains("filename");
      for (const json& option : c.value("options", json::array())) {
        if (!option.contains("DefElem")) continue;
        const json& def = option["DefElem"];
        std::string value;
        if (def.contains("arg") && def["arg"].contains("String")) value = def["arg"]["String"].value("sval", "");
        const std::string name = def.value("defname", "");
        if (name == "format") {
          out.format = value;
          std::transform(out.format.begin(), out.format.end(), out.format.begin(),
                         [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        } else if (name == "quote" && !value.empty()) {
          out.quote = value[0];
        } else if (name == "escape" && !value.empty()) {
          out.escape = value[0];
          out.escape_given = true;
        }
      }
      if (!out.escape_given) out.escape = out.quote;  // the server's default
      copy = out;
    }
  }
  pg_query_free_parse_result(result);
  return copy;
}

// Why squash refuses a COPY statement, or empty when it runs it.
std::string copy_refusal(const CopyStatement& copy, const SplitOptions& options) {
  if (copy.program) {
    return fmt::format("COPY ... {} PROGRAM runs a command on the database server: squash does not run it",
                       copy.from ? "FROM" : "TO");
  }
  if (copy.server_file && copy.from) {
    return "COPY ... FROM a file reads the database server's disk, which a replay into a scratch database does "
           "not have (load the rows with COPY ... FROM stdin and the rows after it, or INSERT)";
  }
  if (copy.server_file) return "COPY ... TO a file writes on the database server's disk: squash does not run it";
  if (!copy.from) return {};  // TO STDOUT: runs, its output is discarded (psql prints it)
  if (!options.copy_data_unsupported_by.empty()) {
    return fmt::format("COPY ... FROM stdin takes its rows from the client: {} sends the file to the server as SQL "
                       "text and has none to give ({})",
                       options.copy_data_unsupported_by, kCopyDataRunners);
  }
  if (copy.format == "binary") return "COPY ... FROM stdin in binary format cannot take its rows from a SQL file";
  return {};
}

// The end of the line that starts at `line_start`, without its "\n" or "\r\n".
size_t content_end(std::string_view text, size_t line_start, size_t* next_line) {
  size_t newline = text.find('\n', line_start);
  size_t end = newline == std::string_view::npos ? text.size() : newline;
  *next_line = newline == std::string_view::npos ? text.size() : newline + 1;
  if (end > line_start && text[end - 1] == '\r') --end;
  return end;
}

bool is_end_of_data_line(std::string_view text, size_t line_start) {
  size_t next;
  size_t end = content_end(text, line_start, &next);
  return text.substr(line_start, end - line_start) == "\\.";
}

// The start of the first line at or after `from` (a line start) that is exactly `\.`: there
// any COPY data in between ends, so SQL before it can be parsed without the rest of the text.
size_t next_end_of_data_line(std::string_view text, size_t from) {
  size_t at = from;
  while (at < text.size()) {
    if (is_end_of_data_line(text, at)) return at;
    size_t candidate = text.find("\n\\.", at);
    if (candidate == std::string_view::npos) return text.size();
    at = candidate + 1;
  }
  return text.size();
}

// The server's rule for CSV quotes (copyfromparse.c, CopyReadLineText): an escape character
// only counts inside quotes and when it differs from the quote character.
struct CsvQuoteState {
  char quote = '"';
  char escape = '\0';
  bool in_quote = false;
  bool last_was_escape = false;

  CsvQuoteState(char q, char e) : quote(q), escape(e == q ? '\0' : e) {}
  void step(char c) {
    if (in_quote && escape != '\0' && c == escape) last_was_escape = !last_was_escape;
    if (c == quote && !last_was_escape) in_quote = !in_quote;
    if (escape == '\0' || c != escape) last_was_escape = false;
  }
};

// The rows after a COPY ... FROM STDIN statement whose semicolon is at `semicolon` (or
// text.size() when the statement ends the text without one): from the next line up to a line
// that is exactly `\.`, as psql reads them.
CopyData read_copy_data(std::string_view text, size_t semicolon, const CopyStatement& copy, const Origin& origin) {
  CopyData data;
  data.csv = copy.format == "csv";
  data.quote = copy.quote;
  data.escape = copy.escape;

  size_t i = semicolon < text.size() ? semicolon + 1 : text.size();
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
  if (text.compare(i, 2, "--") == 0) {
    size_t newline = text.find('\n', i);
    i = newline == std::string_view::npos ? text.size() : newline;
  }
  if (i < text.size() && text[i] != '\n') {
    throw InputError(fmt::format(
        "{}: SQL after COPY ... FROM stdin; on the same line: psql runs it after the rows and Flyway skips it; "
        "put it on a line of its own after the \\. line",
        location(text, i, origin)));
  }
  const size_t first = i < text.size() ? i + 1 : text.size();
  data.offset = first;

  CsvQuoteState csv(copy.quote, copy.escape);
  size_t quote_opened_at = 0;
  size_t line = first;
  while (line < text.size()) {
    size_t next;
    const size_t end = content_end(text, line, &next);
    const std::string_view content = text.substr(line, end - line);
    if (content == "\\.") {
      if (data.csv && csv.in_quote) {
        throw InputError(fmt::format(
            "{}: this \\. line is inside the quoted CSV value opened at line {}: psql and Flyway end the rows here "
            "and cut the value (the server would read on); close the quote before it or write the value another way",
            location(text, line, origin), to_file_position(text, quote_opened_at, origin).line));
      }
      data.rows = std::string(text.substr(first, line - first));
      data.end = next;
      return data;
    }
    size_t b = 0, e = content.size();
    while (b < e && std::isspace(static_cast<unsigned char>(content[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(content[e - 1]))) --e;
    if (content.substr(b, e - b) == "\\.") {
      throw InputError(fmt::format(
          "{}: \\. with blanks around it: Flyway ends the rows here, psql sends the line as a row; write \\. alone "
          "on its line",
          location(text, line, origin)));
    }
    if (data.csv) {
      for (size_t k = line; k < next; ++k) {
        const bool was_in_quote = csv.in_quote;
        csv.step(text[k]);
        if (!was_in_quote && csv.in_quote) quote_opened_at = k;
      }
    }
    line = next;
  }
  data.rows = std::string(text.substr(first));
  data.end = text.size();
  return data;
}

// ---------------------------------------------------------------------------------------------
// Splitting

// A statement's tokens: [begin, end) in the text; `semicolon` where its `;` is (text.size() when
// the text ends without one).
struct Range {
  size_t begin = 0;
  size_t end = 0;
  size_t semicolon = 0;
};

// Token ranges of the parser's statements in text[from, to): its locations include the blanks
// and comments before a statement, and the last statement's length runs to the end of the text.
// nullopt and `error_at`/`message` set when the parser refuses the text.
std::optional<std::vector<Range>> parse_ranges(std::string_view text, size_t from, size_t to, size_t* error_at,
                                               std::string* message) {
  const std::string_view segment = text.substr(from, to - from);
  SplitResult result{std::string(segment)};  // libpg_query reads a C string
  if (result->error != nullptr) {
    const PgQueryError& error = *result->error;
    *error_at = from + (error.cursorpos > 0
                            ? byte_offset_of_character(segment, static_cast<size_t>(error.cursorpos - 1))
                            : skip_blanks_and_comments(segment, 0));
    *message = error.message;
    return std::nullopt;
  }
  std::vector<Range> ranges;
  for (int i = 0; i < result->n_stmts; ++i) {
    const PgQuerySplitStmt& s = *result->stmts[i];
    const size_t stmt_from = from + static_cast<size_t>(s.stmt_location);
    const size_t stmt_to = s.stmt_len == 0 ? to : stmt_from + static_cast<size_t>(s.stmt_len);
    const size_t begin = skip_blanks_and_comments(text.substr(0, to), stmt_from);
    if (begin >= stmt_to) continue;
    Range range;
    range.begin = begin;
    range.end = end_of_last_token(text, begin, stmt_to);
    const size_t after = skip_blanks_and_comments(text.substr(0, to), range.end);
    range.semicolon = after < to && text[after] == ';' ? after : text.size();
    ranges.push_back(range);
  }
  return ranges;
}

// Tokens of text[from, to) from libpg_query's scanner (comments left out); nullopt when the
// scanner refuses the text.
struct ScanToken {
  size_t begin = 0;
  size_t end = 0;
  int kind = 0;
};
std::optional<std::vector<ScanToken>> scan_tokens(std::string_view text, size_t from, size_t to) {
  PgQueryScanResult result = pg_query_scan(std::string(text.substr(from, to - from)).c_str());
  std::optional<std::vector<ScanToken>> tokens;
  if (result.error == nullptr) {
    PgQuery__ScanResult* scanned = pg_query__scan_result__unpack(
        nullptr, result.pbuf.len, reinterpret_cast<const uint8_t*>(result.pbuf.data));
    if (scanned != nullptr) {
      tokens.emplace();
      for (size_t i = 0; i < scanned->n_tokens; ++i) {
        const PgQuery__ScanToken& t = *scanned->tokens[i];
        if (t.token == PG_QUERY__TOKEN__SQL_COMMENT || t.token == PG_QUERY__TOKEN__C_COMMENT) continue;
        tokens->push_back({from + static_cast<size_t>(t.start), from + static_cast<size_t>(t.end), t.token});
      }
      pg_query__scan_result__free_unpacked(scanned, nullptr);
    }
  }
  pg_query_free_scan_result(result);
  return tokens;
}

constexpr int kSemicolonToken = ';';  // the scanner names one-character tokens by their byte

// Where the parser failed at `error_at` because the rows of a COPY ... FROM STDIN before it are
// not SQL: one past that COPY's semicolon, or nullopt when no such statement comes first.
std::optional<size_t> end_of_copy_from_stdin_before(std::string_view text, size_t from, size_t error_at) {
  const auto tokens = scan_tokens(text, from, error_at);
  if (!tokens) return std::nullopt;
  bool statement_start = true;
  for (size_t t = 0; t < tokens->size(); ++t) {
    const ScanToken& token = (*tokens)[t];
    if (token.kind == kSemicolonToken) {
      statement_start = true;
      continue;
    }
    const bool starts = statement_start;
    statement_start = false;
    if (!starts || token.kind != PG_QUERY__TOKEN__COPY) continue;
    size_t s = t + 1;
    while (s < tokens->size() && (*tokens)[s].kind != kSemicolonToken) ++s;
    if (s == tokens->size()) return std::nullopt;
    const size_t semicolon = (*tokens)[s].begin;
    auto copy = parse_copy(text.substr(token.begin, semicolon - token.begin));
    if (copy && copy->from && !copy->server_file && !copy->program) return semicolon + 1;
  }
  return std::nullopt;
}

// A backslash where a statement starts: a psql meta-command (or a stray `\.`), which no SQL
// parser takes. Empty when `at` is something else.
std::string meta_command_refusal(std::string_view text, size_t from, size_t at) {
  if (at >= text.size() || text[at] != '\\') return {};
  const auto tokens = scan_tokens(text, from, at);
  if (!tokens || (!tokens->empty() && tokens->back().kind != kSemicolonToken)) return {};
  size_t end = at + 1;
  while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
  const std::string command(text.substr(at, end - at));
  if (command == "\\.") return "\\. ends the rows of a COPY ... FROM stdin, but no such statement comes before it";
  return fmt::format("psql meta-command {} is not SQL: squash cannot run it", command);
}

std::vector<Statement> split(std::string_view text, const Origin& origin, const SplitOptions& options) {
  // Statements with their rows; the text is parsed in pieces, each ending where COPY rows begin.
  std::vector<Range> ranges;
  std::vector<std::optional<CopyData>> copy_data;
  size_t from = 0;
  while (from < text.size()) {
    // Rows end at the first `\.` line: parse up to it only, so that a long file with many COPY
    // blocks is not parsed (and copied) again to its end for each one. A `\.` line inside a
    // string or a dollar-quoted body makes that piece fail: then the rest of the text is tried.
    size_t bounded = next_end_of_data_line(text, from);
    if (bounded == from) bounded = text.size();  // a `\.` line where SQL is due: the parser says why
    size_t to = bounded;
    size_t error_at = 0;
    std::string message;
    auto parsed = parse_ranges(text, from, to, &error_at, &message);
    std::optional<size_t> cut;
    if (!parsed) cut = end_of_copy_from_stdin_before(text, from, error_at);
    if (!parsed && !cut && bounded < text.size()) {
      to = text.size();
      parsed = parse_ranges(text, from, to, &error_at, &message);
      if (!parsed) cut = end_of_copy_from_stdin_before(text, from, error_at);
    }
    if (!parsed && !cut) {
      std::string refusal = meta_command_refusal(text, from, error_at);
      throw InputError(fmt::format("{}: {}", location(text, error_at, origin), refusal.empty() ? message : refusal));
    }
    if (!parsed) {
      to = *cut;
      parsed = parse_ranges(text, from, to, &error_at, &message);
      if (!parsed) throw InputError(fmt::format("{}: {}", location(text, error_at, origin), message));
    }

    size_t next_from = to;
    for (const Range& range : *parsed) {
      const std::string_view sql = text.substr(range.begin, range.end - range.begin);
      const auto copy = parse_copy(sql);
      std::string refusal = copy ? copy_refusal(*copy, options) : std::string();
      if (!refusal.empty()) throw InputError(fmt::format("{}: {}", location(text, range.begin, origin), refusal));
      ranges.push_back(range);
      if (copy && copy->from) {
        copy_data.push_back(read_copy_data(text, range.semicolon, *copy, origin));
        next_from = copy_data.back()->end;
        break;  // what the parser made of the rows is not SQL
      }
      copy_data.emplace_back();
    }
    from = next_from;
  }

  std::vector<Block> blocks;
  if (options.goose_statement_blocks) blocks = find_goose_blocks(text, origin);

  std::vector<Statement> statements;
  PositionCursor positions(text, origin);
  size_t next_block = 0;
  for (size_t i = 0; i < ranges.size();) {
    while (next_block < blocks.size() && blocks[next_block].end <= ranges[i].begin) ++next_block;
    if (next_block < blocks.size() && blocks[next_block].begin <= ranges[i].begin) {
      // Everything that starts inside the block is one statement, as goose sends it.
      size_t last = i;
      while (last + 1 < ranges.size() && ranges[last + 1].begin < blocks[next_block].end) ++last;
      statements.push_back(make_statement(text, ranges[i].begin, ranges[last].end, positions));
      i = last + 1;
      ++next_block;
    } else {
      statements.push_back(make_statement(text, ranges[i].begin, ranges[i].end, positions));
      statements.back().copy_data = std::move(copy_data[i]);
      ++i;
    }
  }
  return statements;
}

}  // namespace

std::string display_path(const std::filesystem::path& root, const std::filesystem::path& file) {
  return root.empty() ? file.string() : (root / file).string();
}

TextPosition file_position(const Script& script, size_t byte_offset) {
  return to_file_position(script.text, byte_offset, origin_of(script, std::string()));
}

void split_script(Script& script, const SplitOptions& options) {
  const Origin origin = origin_of(script, display_path(options.root, script.file));
  script.statements = split(script.text, origin, options);
}

std::vector<Statement> split_statements(std::string_view text, const std::string& source_name,
                                        int first_line, const SplitOptions& options) {
  Origin origin{source_name, first_line, nullptr};
  return split(text, origin, options);
}

std::optional<long long> copy_context_line(std::string_view context) {
  // "COPY currencies, line 3, column minor_units: ..." is the server's CopyFromErrorCallback;
  // a trigger or a function the row fired puts its own lines before it.
  size_t line_start = 0;
  while (line_start < context.size()) {
    size_t newline = context.find('\n', line_start);
    std::string_view line =
        context.substr(line_start, (newline == std::string_view::npos ? context.size() : newline) - line_start);
    if (line.substr(0, 5) == "COPY ") {
      constexpr std::string_view kMarker = ", line ";
      for (size_t at = line.find(kMarker); at != std::string_view::npos; at = line.find(kMarker, at + 1)) {
        size_t digits = at + kMarker.size();
        size_t end = digits;
        while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end]))) ++end;
        if (end > digits && (end == line.size() || line[end] == ',' || line[end] == ':')) {
          return std::stoll(std::string(line.substr(digits, end - digits)));
        }
      }
    }
    if (newline == std::string_view::npos) break;
    line_start = newline + 1;
  }
  return std::nullopt;
}

std::optional<size_t> copy_data_line_offset(const CopyData& data, long long line) {
  if (line < 1) return std::nullopt;
  // The server's count (copyfromparse.c): one for each row it starts to read, and, in CSV, one
  // for each line end inside a quoted value, but only once the data's line ends are known from
  // a first unquoted one (before that it counts carriage returns only).
  enum class LineEnd { unknown, newline, carriage_return };
  LineEnd line_end = LineEnd::unknown;
  const std::string& rows = data.rows;
  long long count = 0;
  size_t i = 0;
  while (i < rows.size()) {
    const size_t row_start = i;
    ++count;
    CsvQuoteState csv(data.quote, data.escape);
    while (i < rows.size()) {
      const char c = rows[i++];
      if (data.csv) {
        csv.step(c);
        if (csv.in_quote) {
          if (c == (line_end == LineEnd::newline ? '\n' : '\r')) ++count;
          continue;
        }
      } else if (c == '\\') {
        ++i;  // the escaped character, a newline included, belongs to the row
        continue;
      }
      if (c == '\n') {
        if (line_end == LineEnd::unknown) line_end = LineEnd::newline;
        break;
      }
      if (c == '\r') {
        if (i < rows.size() && rows[i] == '\n') {
          ++i;
          if (line_end == LineEnd::unknown) line_end = LineEnd::carriage_return;  // \r\n: the server's CRNL
        } else if (line_end == LineEnd::unknown) {
          line_end = LineEnd::carriage_return;
        }
        break;
      }
    }
    // The server names a row by its count when it has read it all: the row whose count
    // reaches `line` is the one (its first line is where it is reported).
    if (line <= count) return row_start;
  }
  return std::nullopt;
}

std::string text_without_copy_data(const Script& script) {
  std::string text = script.text;
  for (const Statement& statement : script.statements) {
    if (!statement.copy_data) continue;
    for (size_t i = statement.copy_data->offset; i < statement.copy_data->end && i < text.size(); ++i) {
      if (text[i] != '\n') text[i] = ' ';
    }
  }
  return text;
}

}  // namespace schemakit::migrations
