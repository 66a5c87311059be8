#include "migrations/java_properties.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/error.hpp"

namespace schemakit::migrations {

namespace {

// Java's whitespace in a properties file: space, tab and form feed (line ends are handled apart).
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

std::string_view skip_blanks(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && is_blank(s[n])) ++n;
  return s.substr(n);
}

void append_utf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// The code unit of a \uXXXX escape whose `u` is at s[at], or nullopt when four hex digits do not
// follow.
std::optional<unsigned> code_unit(std::string_view s, size_t at) {
  if (at + 5 > s.size()) return std::nullopt;
  unsigned code = 0;
  for (size_t i = at + 1; i < at + 5; ++i) {
    const unsigned char h = static_cast<unsigned char>(s[i]);
    if (!std::isxdigit(h)) return std::nullopt;
    code = code * 16 + static_cast<unsigned>(std::isdigit(h) ? h - '0' : std::tolower(h) - 'a' + 10);
  }
  return code;
}

std::string unescape(std::string_view s, const std::string& where) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    switch (c) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        std::optional<unsigned> code = code_unit(s, i);
        if (!code) throw InputError(fmt::format("{}: malformed \\uxxxx escape (Java wants four hex digits)", where));
        i += 4;
        if (*code >= 0xDC00 && *code <= 0xDFFF) {
          throw InputError(fmt::format("{}: \\u{:04X} is a low surrogate without its high surrogate", where, *code));
        }
        if (*code >= 0xD800 && *code <= 0xDBFF) {
          std::optional<unsigned> low;
          if (i + 2 < s.size() && s[i + 1] == '\\' && s[i + 2] == 'u') low = code_unit(s, i + 2);
          if (!low || *low < 0xDC00 || *low > 0xDFFF) {
            throw InputError(fmt::format("{}: \\u{:04X} is a high surrogate without its low surrogate (\\uDC00 to "
                                         "\\uDFFF) after it",
                                         where, *code));
          }
          i += 6;
          *code = 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00);
        }
        append_utf8(out, *code);
        break;
      }
      default: out += c;
    }
  }
  return out;
}

// Physical lines, ended by \n, \r\n or \r.
std::vector<std::string_view> physical_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

size_t trailing_backslashes(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && s[s.size() - 1 - n] == '\\') ++n;
  return n;
}

}  // namespace

std::vector<JavaProperty> parse_java_properties(std::string_view text, const std::string& display) {
  std::vector<JavaProperty> properties;
  const std::vector<std::string_view> lines = physical_lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t first_line = i + 1;
    std::string_view part = skip_blanks(lines[i]);
    // Only the first line of a logical line can be a comment or blank; a comment never continues.
    if (part.empty() || part[0] == '#' || part[0] == '!') continue;
    std::string logical;
    while (trailing_backslashes(part) % 2 == 1) {
      logical += part.substr(0, part.size() - 1);
      if (i + 1 == lines.size()) {
        part = {};  // a backslash at the end of the file continues onto nothing
        break;
      }
      part = skip_blanks(lines[++i]);
    }
    logical += part;

    const std::string where = fmt::format("{}:{}", display, first_line);
    size_t key_end = 0;
    while (key_end < logical.size()) {
      const char c = logical[key_end];
      if (c == '\\') {
        key_end += 2;
        continue;
      }
      if (c == '=' || c == ':' || is_blank(c)) break;
      ++key_end;
    }
    key_end = std::min(key_end, logical.size());
    std::string_view rest = skip_blanks(std::string_view(logical).substr(key_end));
    if (!rest.empty() && (rest[0] == '=' || rest[0] == ':')) rest = skip_blanks(rest.substr(1));
    properties.push_back(
        {unescape(std::string_view(logical).substr(0, key_end), where), unescape(rest, where), first_line});
  }
  return properties;
}

}  // namespace schemakit::migrations
