#include "diff/render.hpp"

#include <dtl/dtl.hpp>

#include <algorithm>
#include <fmt/core.h>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "catalog/attributes.hpp"

namespace schemakit::diff {
namespace {

using catalog::Kind;

constexpr size_t kLongValue = 80;
constexpr const char* kIndentValue = "      ";

struct Palette {
  bool on = false;
  std::string paint(std::string_view code, std::string_view text) const {
    if (!on) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
  std::string removed(std::string_view t) const { return paint("31", t); }
  std::string added(std::string_view t) const { return paint("32", t); }
  std::string changed(std::string_view t) const { return paint("33", t); }
  std::string hunk(std::string_view t) const { return paint("36", t); }
  std::string heading(std::string_view t) const { return paint("1", t); }
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string one_line_value(const std::string& value) { return value.empty() ? "(none)" : value; }

std::string children_note(const std::map<Kind, size_t>& children) {
  if (children.empty()) return {};
  std::string out;
  for (const auto& [kind, n] : children) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", n, n == 1 ? catalog::to_string(kind) : catalog::plural_label(kind));
  }
  return "  (with " + out + ")";
}

std::string change_label(Change change) {
  switch (change) {
    case Change::only_in_a:
      return "only in A";
    case Change::only_in_b:
      return "only in B";
    case Change::changed:
      return "changed";
  }
  return "changed";
}

void render_summary(std::string& out, const ChangeSet& changes, const Palette& palette) {
  out += palette.heading(fmt::format("{:<22}{:>8}{:>8}", "Objects", "A", "B")) + "\n";
  bool any = false;
  for (Kind kind : catalog::all_kinds()) {
    auto ia = changes.counts_a.find(kind);
    auto ib = changes.counts_b.find(kind);
    size_t na = ia == changes.counts_a.end() ? 0 : ia->second;
    size_t nb = ib == changes.counts_b.end() ? 0 : ib->second;
    if (na == 0 && nb == 0) continue;
    any = true;
    std::string row = fmt::format("  {:<20}{:>8}{:>8}", catalog::plural_label(kind), na, nb);
    out += na == nb ? row + "\n" : palette.changed(row + "  *") + "\n";
  }
  if (!any) out += "  (no objects on either side)\n";
}

void render_value_change(std::string& out, const Difference& d, const Palette& palette) {
  out += fmt::format("    {}\n", d.attribute);
  if (shown_as_diff(d.id.kind, d.attribute, d.a, d.b)) {
    out += unified_diff(d.a, d.b, kIndentValue, palette.on);
    return;
  }
  out += kIndentValue + palette.removed("A: " + one_line_value(d.a)) + "\n";
  out += kIndentValue + palette.added("B: " + one_line_value(d.b)) + "\n";
}

void render_differences(std::string& out, const std::vector<Difference>& differences,
                        const Palette& palette) {
  // Grouped by kind, then only in A, only in B, changed; identities in id order within each.
  std::vector<const Difference*> ordered;
  for (const auto& d : differences) ordered.push_back(&d);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Difference* x, const Difference* y) {
    return std::tie(x->id.kind, x->change) < std::tie(y->id.kind, y->change);
  });
  std::optional<Kind> kind;
  const Difference* previous = nullptr;
  for (const Difference* d : ordered) {
    if (!kind || *kind != d->id.kind) {
      kind = d->id.kind;
      out += "\n" + palette.heading(std::string(catalog::plural_label(*kind))) + "\n";
      previous = nullptr;
    }
    bool same_object = previous != nullptr && previous->change == d->change && previous->id == d->id;
    if (!same_object) {
      std::string label = fmt::format("{:<11}", change_label(d->change));
      std::string line = "  " + label + catalog::display_name(d->id);
      if (!d->renamed_in_b.empty()) line += "  (named " + d->renamed_in_b + " in B)";
      line += children_note(d->children);
      out += (d->change == Change::only_in_a   ? palette.removed(line)
              : d->change == Change::only_in_b ? palette.added(line)
                                               : palette.changed(line)) +
             "\n";
    }
    if (d->change == Change::changed) render_value_change(out, *d, palette);
    previous = d;
  }
}

void render_unsupported(std::string& out, const ChangeSet& changes, const Palette& palette) {
  using Key = std::tuple<std::string, std::string>;
  std::map<Key, std::pair<const catalog::Unsupported*, int>> seen;  // 1: A, 2: B, 3: both
  for (const auto& u : changes.unsupported_a) {
    auto& entry = seen[{u.kind, u.identity}];
    entry.first = &u;
    entry.second |= 1;
  }
  for (const auto& u : changes.unsupported_b) {
    auto& entry = seen[{u.kind, u.identity}];
    if (entry.first == nullptr) entry.first = &u;
    entry.second |= 2;
  }
  if (seen.empty()) return;
  out += "\n" + palette.heading("not compared (the model does not cover them)") + "\n";
  for (const auto& [key, entry] : seen) {
    const auto& [what, sides] = entry;
    const catalog::Unsupported* changed_in_b = nullptr;
    for (const auto& u : changes.unsupported_changed) {
      if (u.kind == what->kind && u.identity == what->identity) changed_in_b = &u;
    }
    if (changed_in_b != nullptr) {
      out += palette.changed(fmt::format("  {:<11}{} {}", "changed", what->kind, what->identity)) + "\n";
      out += palette.removed("    A: " + what->reason) + "\n";
      out += palette.added("    B: " + changed_in_b->reason) + "\n";
      continue;
    }
    std::string label = sides == 1 ? "only in A" : sides == 2 ? "only in B" : "in both";
    std::string line = fmt::format("  {:<11}{} {}", label, what->kind, what->identity);
    if (!what->reason.empty()) line += ": " + what->reason;
    out += (sides == 1 ? palette.removed(line) : sides == 2 ? palette.added(line) : line) + "\n";
  }
}

}  // namespace

bool shown_as_diff(Kind kind, const std::string& attribute, const std::string& a, const std::string& b) {
  if (a.find('\n') != std::string::npos || b.find('\n') != std::string::npos) return true;
  if (a.size() > kLongValue || b.size() > kLongValue) return true;
  if (attribute == catalog::attr::definition) {
    switch (kind) {
      case Kind::function:
      case Kind::procedure:
      case Kind::aggregate:
      case Kind::view:
      case Kind::materialized_view:
        return true;
      default:
        break;
    }
  }
  return false;
}

std::string unified_diff(const std::string& a, const std::string& b, const std::string& indent,
                         bool color) {
  Palette palette{color};
  std::vector<std::string> lines_a = split_lines(a), lines_b = split_lines(b);
  dtl::Diff<std::string> diff(lines_a, lines_b);
  diff.compose();
  diff.composeUnifiedHunks();
  std::string out;
  out += indent + palette.removed("--- A") + "\n";
  out += indent + palette.added("+++ B") + "\n";
  auto hunks = diff.getUniHunks();
  if (hunks.empty()) {
    // Same lines: the texts differ only in a final newline.
    out += indent + fmt::format("(the values differ only in a final line break: A {}, B {})\n",
                                a.ends_with('\n') ? "has one" : "has none",
                                b.ends_with('\n') ? "has one" : "has none");
    return out;
  }
  for (const auto& hunk : hunks) {
    out += indent + palette.hunk(fmt::format("@@ -{},{} +{},{} @@", hunk.a, hunk.b, hunk.c, hunk.d)) + "\n";
    for (const auto& line : hunk.common[0]) out += indent + " " + line.first + "\n";
    for (const auto& line : hunk.change) {
      switch (line.second.type) {
        case dtl::SES_ADD:
          out += indent + palette.added("+" + line.first) + "\n";
          break;
        case dtl::SES_DELETE:
          out += indent + palette.removed("-" + line.first) + "\n";
          break;
        default:
          out += indent + " " + line.first + "\n";
          break;
      }
    }
    for (const auto& line : hunk.common[1]) out += indent + " " + line.first + "\n";
  }
  return out;
}

std::string render_text(const ChangeSet& changes, const RenderOptions& options) {
  Palette palette{options.color};
  std::string out;
  if (!options.name_a.empty() || !options.name_b.empty()) {
    out += "A: " + options.name_a + "\n";
    out += "B: " + options.name_b + "\n\n";
  }
  render_summary(out, changes, palette);
  out += "\n";
  size_t only_a = 0, only_b = 0, changed = 0;
  for (const auto& d : changes.differences) {
    (d.change == Change::only_in_a ? only_a : d.change == Change::only_in_b ? only_b : changed)++;
  }
  only_a += changes.unsupported_only_in_a.size();
  only_b += changes.unsupported_only_in_b.size();
  changed += changes.unsupported_changed.size();
  size_t total = only_a + only_b + changed;
  if (total == 0) {
    out += palette.heading("No differences.") + "\n";
  } else {
    out += palette.heading(fmt::format("{} difference{}: {} only in A, {} only in B, {} changed", total,
                                       total == 1 ? "" : "s", only_a, only_b, changed)) +
           "\n";
    render_differences(out, changes.differences, palette);
  }
  render_unsupported(out, changes, palette);
  return out;
}

nlohmann::json to_json(const ChangeSet& changes) {
  using nlohmann::json;
  json counts = json::object();
  for (Kind kind : catalog::all_kinds()) {
    auto ia = changes.counts_a.find(kind);
    auto ib = changes.counts_b.find(kind);
    counts[std::string(catalog::to_string(kind))] = {
        {"a", ia == changes.counts_a.end() ? 0 : ia->second},
        {"b", ib == changes.counts_b.end() ? 0 : ib->second}};
  }
  json differences = json::array();
  for (const auto& d : changes.differences) {
    json children = json::object();
    for (const auto& [kind, n] : d.children) children[std::string(catalog::to_string(kind))] = n;
    bool changed = d.change == Change::changed;
    differences.push_back({
        {"kind", std::string(catalog::to_string(d.id.kind))},
        {"identity", catalog::display_name(d.id)},
        {"change", to_string(d.change)},
        {"attribute", changed ? json(d.attribute) : json(nullptr)},
        {"a", changed ? json(d.a) : json(nullptr)},
        {"b", changed ? json(d.b) : json(nullptr)},
        {"children", children},
        {"renamed_in_b", d.renamed_in_b.empty() ? json(nullptr) : json(d.renamed_in_b)},
    });
  }
  auto unsupported_list = [&changes](const std::vector<catalog::Unsupported>& list,
                             const std::vector<catalog::Unsupported>& only_here) {
    json out = json::array();
    for (const auto& u : list) {
      bool one_side = std::any_of(only_here.begin(), only_here.end(), [&](const catalog::Unsupported& o) {
        return o.kind == u.kind && o.identity == u.identity;
      });
      bool changed = std::any_of(changes.unsupported_changed.begin(), changes.unsupported_changed.end(),
                                 [&](const catalog::Unsupported& o) { return o.kind == u.kind && o.identity == u.identity; });
      out.push_back({{"kind", u.kind}, {"identity", u.identity}, {"reason", u.reason},
                     {"only_here", one_side}, {"changed", changed}});
    }
    return out;
  };
  return {
      {"identical", changes.identical()},
      {"counts", counts},
      {"differences", differences},
      {"unsupported",
       {{"a", unsupported_list(changes.unsupported_a, changes.unsupported_only_in_a)},
        {"b", unsupported_list(changes.unsupported_b, changes.unsupported_only_in_b)}}},
  };
}

std::string render_json(const ChangeSet& changes) { return to_json(changes).dump(2) + "\n"; }

}  // namespace schemakit::diff
