#include "migrations/sql_splitter.hpp"

#include <fmt/format.h>
#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/error.hpp"

namespace schemakit::migrations {

namespace {

// Where the text came from, to turn offsets in the text into file positions.
struct Origin {
  std::string display;
  int first_line = 1;
  const std::vector<int>* column_shifts = nullptr;
};

TextPosition to_file_position(std::string_view text, size_t byte_offset, const Origin& origin) {
  TextPosition position = position_at(text, byte_offset);
  size_t line_index = static_cast<size_t>(position.line - 1);
  if (origin.column_shifts != nullptr && line_index < origin.column_shifts->size()) {
    position.column += (*origin.column_shifts)[line_index];
  }
  position.line += origin.first_line - 1;
  return position;
}

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

Statement make_statement(std::string_view text, size_t begin, size_t end, const Origin& origin) {
  Statement statement;
  statement.offset = begin;
  statement.sql = std::string(text.substr(begin, end - begin));
  TextPosition p = to_file_position(text, begin, origin);
  statement.line = p.line;
  statement.column = p.column;
  return statement;
}

std::vector<Statement> split(std::string_view text, const Origin& origin, bool goose_blocks) {
  std::string terminated(text);  // libpg_query reads a C string
  SplitResult result(terminated);
  if (result->error != nullptr) {
    const PgQueryError& error = *result->error;
    size_t offset = error.cursorpos > 0
                        ? byte_offset_of_character(text, static_cast<size_t>(error.cursorpos - 1))
                        : skip_blanks_and_comments(text, 0);
    throw InputError(fmt::format("{}: {}", location(text, offset, origin), error.message));
  }

  // Token ranges of the parser's statements: its locations include the blanks and comments
  // before a statement, and the last statement's length runs to the end of the text.
  struct Range {
    size_t begin, end;
  };
  std::vector<Range> ranges;
  for (int i = 0; i < result->n_stmts; ++i) {
    const PgQuerySplitStmt& s = *result->stmts[i];
    size_t from = static_cast<size_t>(s.stmt_location);
    size_t to = s.stmt_len == 0 ? text.size() : from + static_cast<size_t>(s.stmt_len);
    size_t begin = skip_blanks_and_comments(text, from);
    if (begin >= to) continue;
    ranges.push_back({begin, end_of_last_token(text, begin, to)});
  }

  std::vector<Block> blocks;
  if (goose_blocks) blocks = find_goose_blocks(text, origin);

  std::vector<Statement> statements;
  size_t next_block = 0;
  for (size_t i = 0; i < ranges.size();) {
    while (next_block < blocks.size() && blocks[next_block].end <= ranges[i].begin) ++next_block;
    if (next_block < blocks.size() && blocks[next_block].begin <= ranges[i].begin) {
      // Everything that starts inside the block is one statement, as goose sends it.
      size_t last = i;
      while (last + 1 < ranges.size() && ranges[last + 1].begin < blocks[next_block].end) ++last;
      statements.push_back(make_statement(text, ranges[i].begin, ranges[last].end, origin));
      i = last + 1;
      ++next_block;
    } else {
      statements.push_back(make_statement(text, ranges[i].begin, ranges[i].end, origin));
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
  Origin origin{std::string(), script.first_line, &script.column_shifts};
  return to_file_position(script.text, byte_offset, origin);
}

void split_script(Script& script, const SplitOptions& options) {
  Origin origin{display_path(options.root, script.file), script.first_line, &script.column_shifts};
  script.statements = split(script.text, origin, options.goose_statement_blocks);
}

std::vector<Statement> split_statements(std::string_view text, const std::string& source_name,
                                        int first_line, const SplitOptions& options) {
  Origin origin{source_name, first_line, nullptr};
  return split(text, origin, options.goose_statement_blocks);
}

}  // namespace schemakit::migrations
