#include "migrations/sql_text.hpp"

namespace schemakit::migrations {

namespace {

bool is_continuation_byte(unsigned char c) { return (c & 0xC0) == 0x80; }

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Characters that may continue an identifier or keyword: a `$` after one of these is part of
// the identifier, not the start of a dollar quote.
bool is_identifier_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || u >= 0x80;
}

bool is_tag_start(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}

// Past a comment starting at `pos` (which must hold `--` or `/*`).
size_t skip_comment(std::string_view text, size_t pos) {
  if (text[pos] == '-') {
    size_t newline = text.find('\n', pos);
    return newline == std::string_view::npos ? text.size() : newline + 1;
  }
  int depth = 0;
  size_t i = pos;
  while (i < text.size()) {
    if (text.compare(i, 2, "/*") == 0) {
      ++depth;
      i += 2;
    } else if (text.compare(i, 2, "*/") == 0) {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return text.size();
}

bool starts_comment(std::string_view text, size_t pos) {
  return text.compare(pos, 2, "--") == 0 || text.compare(pos, 2, "/*") == 0;
}

// Past a quoted token starting at `pos` ('...', E'...', "..." or $tag$...$tag$); nullopt when
// `pos` does not start one.
std::optional<size_t> skip_quoted(std::string_view text, size_t pos) {
  char c = text[pos];
  if (c == '\'' || c == '"') {
    bool backslash_escapes = false;
    if (c == '\'' && pos > 0 && (text[pos - 1] == 'E' || text[pos - 1] == 'e')) {
      backslash_escapes = pos < 2 || !is_identifier_char(text[pos - 2]);
    }
    size_t i = pos + 1;
    while (i < text.size()) {
      if (backslash_escapes && text[i] == '\\') {
        i += 2;
      } else if (text[i] == c) {
        if (i + 1 < text.size() && text[i + 1] == c) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        ++i;
      }
    }
    return text.size();
  }
  if (c == '$' && (pos == 0 || !is_identifier_char(text[pos - 1]))) {
    size_t i = pos + 1;
    if (i < text.size() && is_tag_start(text[i])) {
      while (i < text.size() && is_identifier_char(text[i]) && text[i] != '$') ++i;
    }
    if (i >= text.size() || text[i] != '$') return std::nullopt;  // $1, a parameter
    std::string_view tag = text.substr(pos, i - pos + 1);
    size_t close = text.find(tag, i + 1);
    return close == std::string_view::npos ? text.size() : close + tag.size();
  }
  return std::nullopt;
}

}  // namespace

TextPosition position_at(std::string_view text, size_t byte_offset) {
  TextPosition position;
  size_t end = byte_offset < text.size() ? byte_offset : text.size();
  for (size_t i = 0; i < end; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++position.line;
      position.column = 1;
    } else if (!is_continuation_byte(c)) {
      ++position.column;
    }
  }
  return position;
}

size_t byte_offset_of_character(std::string_view text, size_t character_index) {
  size_t characters = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_continuation_byte(static_cast<unsigned char>(text[i]))) continue;
    if (characters == character_index) return i;
    ++characters;
  }
  return text.size();
}

size_t skip_blanks_and_comments(std::string_view text, size_t pos) {
  while (pos < text.size()) {
    if (is_blank(text[pos])) {
      ++pos;
    } else if (starts_comment(text, pos)) {
      pos = skip_comment(text, pos);
    } else {
      return pos;
    }
  }
  return text.size();
}

size_t end_of_last_token(std::string_view text, size_t begin, size_t end) {
  std::string_view scope = text.substr(0, end);
  size_t last_end = begin;
  size_t i = begin;
  while (i < scope.size()) {
    char c = scope[i];
    if (is_blank(c) || c == ';') {
      ++i;
    } else if (starts_comment(scope, i)) {
      i = skip_comment(scope, i);
    } else if (auto past = skip_quoted(scope, i)) {
      i = last_end = *past;
    } else {
      i = last_end = i + 1;
    }
  }
  return last_end;
}

std::optional<EncodingProblem> find_encoding_problem(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == 0) return EncodingProblem{i, true};
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    unsigned int code_point;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      code_point = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      code_point = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      code_point = c & 0x07;
    } else {
      return EncodingProblem{i, false};
    }
    if (i + length > bytes.size()) return EncodingProblem{i, false};
    for (size_t k = 1; k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(bytes[i + k]);
      if (!is_continuation_byte(next)) return EncodingProblem{i, false};
      code_point = (code_point << 6) | (next & 0x3F);
    }
    bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
    bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (overlong || surrogate || code_point > 0x10FFFF) return EncodingProblem{i, false};
    i += length;
  }
  return std::nullopt;
}

}  // namespace schemakit::migrations
