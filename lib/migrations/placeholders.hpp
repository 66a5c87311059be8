#pragma once
// Flyway's placeholder replacement, done the way Flyway's reader does it before a script is
// parsed: every `<prefix><name><suffix>` in the text (comments and strings included) becomes the
// placeholder's value; a name without a value is refused. The spans replaced are kept in the
// Script, so positions in the replaced text are told as positions in the file.
#include <map>
#include <string>

#include "migrations/migration.hpp"

namespace schemakit::migrations {

struct PlaceholderValues {
  std::string prefix = "${";
  std::string suffix = "}";
  std::map<std::string, std::string> values;  // name -> value (built-ins as "flyway:filename")
  // Built-ins squash has no value for, with why: refused where a script uses them.
  std::map<std::string, std::string> unknown;
};

// Replaces the placeholders of script.text (the whole file); sets script.source_text and
// script.replacements when it replaced any. InputError "<display>:<line>:<column>: No value
// provided for placeholder: ${name} ..." for a name without a value or a prefix without its
// suffix.
void replace_placeholders(Script& script, const PlaceholderValues& placeholders, const std::string& display);

}  // namespace schemakit::migrations
