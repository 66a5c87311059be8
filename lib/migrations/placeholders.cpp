#include "migrations/placeholders.hpp"

#include <fmt/format.h>

#include "common/error.hpp"
#include "migrations/sql_text.hpp"

namespace schemakit::migrations {

void replace_placeholders(Script& script, const PlaceholderValues& placeholders, const std::string& display) {
  const std::string& source = script.text;
  const std::string& prefix = placeholders.prefix;
  const std::string& suffix = placeholders.suffix;
  std::string out;
  std::vector<TextReplacement> replacements;
  out.reserve(source.size());
  size_t i = 0;
  while (i < source.size()) {
    // Flyway's reader takes characters while they begin the prefix; when they stop doing so
    // before the prefix is complete, it passes them on unread (so in "$${x}" the second '$' does
    // not start a placeholder: Flyway leaves it, and so does squash).
    size_t taken = 1;
    while (taken < prefix.size() && i + taken <= source.size() &&
           source.compare(i, taken, prefix, 0, taken) == 0 && i + taken < source.size()) {
      ++taken;
    }
    if (source.compare(i, prefix.size(), prefix) != 0 || taken != prefix.size()) {
      out.append(source, i, std::min(taken, source.size() - i));
      i += taken;
      continue;
    }
    const size_t name_start = i + prefix.size();
    const size_t end = source.find(suffix, name_start);
    const TextPosition at = position_at(source, i);
    if (end == std::string::npos) {
      throw InputError(fmt::format("{}:{}:{}: No value provided for placeholder: {} has no closing {} (Flyway reads "
                                   "the rest of the file as the placeholder's name)",
                                   display, at.line, at.column, prefix, suffix));
    }
    const std::string name = source.substr(name_start, end - name_start);
    const std::string written = prefix + name + suffix;
    auto value = placeholders.values.find(name);
    if (value == placeholders.values.end()) {
      auto unknown = placeholders.unknown.find(name);
      if (unknown != placeholders.unknown.end()) {
        throw InputError(fmt::format("{}:{}:{}: {}: {}", display, at.line, at.column, written, unknown->second));
      }
      throw InputError(fmt::format("{}:{}:{}: No value provided for placeholder: {} (set flyway.placeholders.{} in "
                                   "the Flyway configuration, or turn placeholderReplacement off)",
                                   display, at.line, at.column, written, name));
    }
    replacements.push_back({out.size(), value->second.size(), i, written.size()});
    out += value->second;
    i = end + suffix.size();
  }
  if (replacements.empty()) return;
  script.source_text = source;
  script.text = std::move(out);
  script.replacements = std::move(replacements);
}

}  // namespace schemakit::migrations
