#pragma once
// Small, exact helpers over SQL text that the parser does not give us: where the comments and
// blanks around a statement end, and how byte offsets map to the 1-based line and column a
// person sees in an editor (columns count characters, not bytes).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace schemakit::migrations {

struct TextPosition {
  int line = 1;
  int column = 1;
};

// Line and column (1-based; the column counts UTF-8 characters) of `byte_offset` in `text`.
TextPosition position_at(std::string_view text, size_t byte_offset);

// The byte offset of the `character_index`-th character (0-based) of `text`; text.size() when
// past the end. libpg_query reports error positions in characters.
size_t byte_offset_of_character(std::string_view text, size_t character_index);

// The first byte at or after `pos` that is neither whitespace nor inside a comment (`--` to the
// end of the line, `/* */` nested as PostgreSQL nests them); `text.size()` when there is none.
size_t skip_blanks_and_comments(std::string_view text, size_t pos);

// One past the last byte of [begin, end) that belongs to a token: trailing blanks, comments and
// semicolons are not part of a statement. Strings, quoted identifiers and dollar-quoted bodies
// are stepped over whole, so a `--` inside them is not taken for a comment.
size_t end_of_last_token(std::string_view text, size_t begin, size_t end);

// Where `bytes` stops being UTF-8 (or holds a NUL byte, which no SQL file may contain).
struct EncodingProblem {
  size_t byte_offset = 0;
  bool nul_byte = false;
};
std::optional<EncodingProblem> find_encoding_problem(std::string_view bytes);

}  // namespace schemakit::migrations
