#pragma once
// Java properties files (java.util.Properties.load(Reader)), as Flyway reads flyway.conf and a
// script's <file>.sql.conf. Debian ships no C++ reader for this format, so it is read here, and
// completely: `#` and `!` comment lines; logical lines continued by an odd number of trailing
// backslashes (the next line's leading blanks dropped); lines ended by \n, \r\n or \r; the key
// ends at the first unescaped `=`, `:` or blank, and one `=` or `:` with blanks around it
// separates it from the value (`key=value`, `key: value`, `key value`); escapes \t \n \r \f,
// \uXXXX (surrogate pairs joined) and `\c` for any other c. The text is UTF-8, as Flyway reads it.
// Pure parsing: no files.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace schemakit::migrations {

struct JavaProperty {
  std::string key;
  std::string value;
  size_t line = 0;  // 1-based: the first physical line of the logical line
};

// Every property in file order (a key written twice appears twice: the later one wins, as in
// java.util.Properties). InputError "<display>:<line>: ..." for a malformed \u escape or a lone
// surrogate, which Java refuses too (or would turn into text that is not UTF-8).
std::vector<JavaProperty> parse_java_properties(std::string_view text, const std::string& display);

}  // namespace schemakit::migrations
