#pragma once
// Reports of a ChangeSet: the text report people read (summary table, then the differences
// grouped by kind) and the JSON report scripts read (keys documented in docs/schema-compare.md).
#include <nlohmann/json.hpp>
#include <string>

#include "diff/diff.hpp"

namespace schemakit::diff {

struct RenderOptions {
  bool color = false;  // ANSI colours (callers decide: a terminal, no NO_COLOR, no --no-color)
  // What A and B are, printed in the report's first lines when set (never a password: callers
  // pass database names or masked connection strings).
  std::string name_a;
  std::string name_b;
};

// True when a value is shown as a unified diff rather than on one line: multi-line values,
// values over 80 characters, and the definitions of routines and views.
bool shown_as_diff(catalog::Kind kind, const std::string& attribute, const std::string& a,
                   const std::string& b);

// Unified diff of two texts, line by line ("--- A", "+++ B", "@@ -l,n +l,n @@" hunks with three
// lines of context), every line indented by `indent`.
std::string unified_diff(const std::string& a, const std::string& b, const std::string& indent,
                         bool color);

std::string render_text(const ChangeSet& changes, const RenderOptions& options);

nlohmann::json to_json(const ChangeSet& changes);
// to_json, pretty-printed with two spaces and a final newline.
std::string render_json(const ChangeSet& changes);

}  // namespace schemakit::diff
