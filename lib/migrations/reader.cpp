#include "migrations/reader.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/error.hpp"
#include "common/sha256.hpp"
#include "migrations/flyway_config.hpp"
#include "migrations/java_properties.hpp"
#include "migrations/placeholders.hpp"
#include "migrations/sql_splitter.hpp"
#include "migrations/sql_text.hpp"
#include "migrations/text.hpp"
#include "migrations/tx_mode.hpp"

namespace schemakit::migrations {

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// Small text helpers

using text::ends_with;
using text::lower;
using text::starts_with;
using text::trim;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// "000123" -> "123", "000" -> "0": the integer a numeric runner parses.
std::string canonical_number(std::string_view digits) {
  size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(digits.substr(first));
}

// Integers of any length compared as integers (digits already canonical).
int compare_numbers(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

struct Line {
  size_t begin = 0;  // first byte
  size_t end = 0;    // the newline (or the end of the text)
  size_t next = 0;   // first byte of the next line
  std::string_view text;
};

std::vector<Line> lines_of(std::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    size_t end = newline == std::string_view::npos ? text.size() : newline;
    size_t next = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back({start, end, next, text.substr(start, end - start)});
    start = next;
  }
  return lines;
}

bool only_blanks_and_comments(std::string_view text) {
  return skip_blanks_and_comments(text, 0) == text.size();
}

// Files every runner passes over: READMEs and notes, hidden files (.keep, .gitkeep), Prisma's
// lock file.
bool runner_ignores(const std::string& name) {
  std::string l = lower(name);
  return starts_with(l, ".") || starts_with(l, "readme") || ends_with(l, ".md") ||
         starts_with(l, "license") || l == "migration_lock.toml" || l == "atlas.sum";
}

std::string expected_patterns(Layout layout) {
  switch (layout) {
    case Layout::hasura:
      return "<version>_<name>/up.sql with an optional down.sql";
    case Layout::diesel:
      return "<version>_<name>/up.sql with an optional down.sql and metadata.toml";
    case Layout::golang_migrate:
      return "<version>_<name>.up.sql or <version>_<name>.down.sql";
    case Layout::plain:
      return "<version>_<name>.sql or <version>-<name>.sql";
    case Layout::dbmate:
    case Layout::goose:
      return "<version>_<name>.sql";
    case Layout::flyway:
      return "V<version>__<name>.sql, U<version>__<name>.sql, R__<name>.sql or <file>.sql.conf";
    case Layout::prisma:
      return "<timestamp>_<name>/migration.sql";
  }
  return {};
}

bool is_folder_layout(Layout layout) {
  return layout == Layout::hasura || layout == Layout::diesel || layout == Layout::prisma;
}

// Runners that order by comparing strings (file names or versions as text); the others parse
// versions as integers.
bool orders_lexically(Layout layout) {
  return layout == Layout::diesel || layout == Layout::dbmate || layout == Layout::prisma;
}

// ---------------------------------------------------------------------------------------------
// The folder, read once

struct Entry {
  fs::path path;  // relative to the root
  bool directory = false;
  std::string name() const { return path.filename().string(); }
};

class Folder {
 public:
  explicit Folder(fs::path root) : root_(std::move(root)) {
    std::error_code ec;
    auto status = fs::status(root_, ec);
    if (ec || !fs::exists(status)) {
      throw IoError(fmt::format("cannot read migrations folder {}: {}", root_.string(),
                                ec ? ec.message() : std::strerror(ENOENT)));
    }
    if (!fs::is_directory(status)) {
      throw IoError(fmt::format("{}: not a directory (expected a folder of migrations)", root_.string()));
    }
  }

  const fs::path& root() const { return root_; }
  std::string display(const fs::path& relative) const { return display_path(root_, relative); }

  std::vector<Entry> list(const fs::path& relative) const {
    std::vector<Entry> entries;
    std::error_code ec;
    fs::directory_iterator it(root_ / relative, ec);
    if (ec) throw IoError(fmt::format("cannot read folder {}: {}", display(relative), ec.message()));
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::error_code type_ec;
      bool directory = it->is_directory(type_ec);
      entries.push_back({relative / it->path().filename(), directory});
    }
    if (ec) throw IoError(fmt::format("cannot read folder {}: {}", display(relative), ec.message()));
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.name() < b.name(); });
    return entries;
  }

  bool is_file(const fs::path& relative) const {
    std::error_code ec;
    return fs::is_regular_file(root_ / relative, ec);
  }

  const std::string& bytes(const fs::path& relative) {
    auto found = bytes_.find(relative);
    if (found != bytes_.end()) return found->second;
    std::ifstream in(root_ / relative, std::ios::binary);
    if (!in) throw IoError(fmt::format("cannot read {}: {}", display(relative), std::strerror(errno)));
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) throw IoError(fmt::format("cannot read {}: {}", display(relative), std::strerror(errno)));
    return bytes_.emplace(relative, content.str()).first->second;
  }

  // The file as text: UTF-8 without NUL bytes, a leading byte-order mark dropped (runners strip
  // it; the parser would not).
  std::string text(const fs::path& relative) {
    const std::string& raw = bytes(relative);
    if (auto problem = find_encoding_problem(raw)) {
      TextPosition p = position_at(raw, problem->byte_offset);
      if (problem->nul_byte) {
        throw InputError(fmt::format("{}:{}:{}: contains a NUL byte (byte offset {})", display(relative),
                                     p.line, p.column, problem->byte_offset));
      }
      throw InputError(fmt::format("{}:{}:{}: not valid UTF-8 (byte 0x{:02x} at byte offset {})",
                                   display(relative), p.line, p.column,
                                   static_cast<unsigned char>(raw[problem->byte_offset]),
                                   problem->byte_offset));
    }
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    return starts_with(raw, kBom) ? raw.substr(kBom.size()) : raw;
  }

  MigrationFile describe(const fs::path& relative) {
    const std::string& raw = bytes(relative);
    return MigrationFile{relative, sha256_hex(raw), raw.size()};
  }

  [[noreturn]] void unknown(const fs::path& relative, Layout layout) const {
    throw InputError(fmt::format("{}: matches no pattern of the {} layout (expected {})", display(relative),
                                 to_string(layout), expected_patterns(layout)));
  }

 private:
  fs::path root_;
  std::map<fs::path, std::string> bytes_;
};

// ---------------------------------------------------------------------------------------------
// Candidates: migrations found by name, before their files are read

struct Candidate {
  std::string version;                 // as reported
  std::string identity;                // equal for versions the runner takes as equal
  std::vector<std::string> number;     // numeric runners: canonical integer parts
  std::string text_order;              // lexical runners: the string they compare
  bool repeatable = false;             // Flyway R__
  std::string name;
  fs::path primary;                    // what messages name: the folder or the up file
  fs::path up;
  std::optional<fs::path> down;
  std::optional<fs::path> up_conf, down_conf;  // Flyway .sql.conf
  std::optional<fs::path> metadata;            // diesel metadata.toml
  std::optional<fs::path> folder;
};

// <digits>_<rest>, or <digits>-<rest> where `separators` allows it.
std::optional<std::pair<std::string, std::string>> split_numbered(std::string_view name,
                                                                  std::string_view separators = "_") {
  size_t separator = name.find_first_of(separators);
  if (separator == std::string_view::npos || !all_digits(name.substr(0, separator))) return std::nullopt;
  return std::make_pair(std::string(name.substr(0, separator)), std::string(name.substr(separator + 1)));
}

// golang-migrate, dbmate and goose split the version off at the first underscore; plain numbered
// files (no runner of their own: psql loops, in-house runners) are also written 0001-name.sql.
std::string_view version_separators(Layout layout) { return layout == Layout::plain ? "_-" : "_"; }

// The identity a version written by a person (--through) has in a layout, or nullopt when it
// cannot be a version there.
std::optional<std::string> identity_of(Layout layout, std::string version) {
  switch (layout) {
    case Layout::hasura:
    case Layout::golang_migrate:
    case Layout::plain:
    case Layout::goose:
      if (!all_digits(version)) return std::nullopt;
      return canonical_number(version);
    case Layout::diesel:
      version.erase(std::remove(version.begin(), version.end(), '-'), version.end());
      return version;
    case Layout::dbmate:
      return version;
    case Layout::prisma:
      return version.substr(0, version.find('_'));
    case Layout::flyway: {
      if (!version.empty() && (version[0] == 'V' || version[0] == 'v')) version.erase(0, 1);
      std::vector<std::string> parts;
      std::string part;
      for (char c : version + ".") {
        if (c == '.' || c == '_') {
          if (!all_digits(part)) return std::nullopt;
          parts.push_back(canonical_number(part));
          part.clear();
        } else {
          part += c;
        }
      }
      while (parts.size() > 1 && parts.back() == "0") parts.pop_back();  // Flyway: 1.0 == 1
      std::string identity;
      for (const auto& p : parts) identity += (identity.empty() ? "" : ".") + p;
      return identity;
    }
  }
  return std::nullopt;
}

int compare_order(Layout layout, const Candidate& a, const Candidate& b) {
  if (orders_lexically(layout)) {
    int c = a.text_order.compare(b.text_order);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  size_t parts = std::max(a.number.size(), b.number.size());
  for (size_t i = 0; i < parts; ++i) {
    int c = compare_numbers(i < a.number.size() ? a.number[i] : "0", i < b.number.size() ? b.number[i] : "0");
    if (c != 0) return c;
  }
  return 0;
}

[[noreturn]] void duplicate_error(const Folder& folder, const std::string& what, const fs::path& first,
                                  const fs::path& second) {
  throw InputError(fmt::format("duplicate {}: {} and {} (--allow-duplicate-versions keeps both, in name order)",
                               what, folder.display(first), folder.display(second)));
}

// ---------------------------------------------------------------------------------------------
// Scanners per layout family

// A Flyway SQL callback found by name, before its file is read.
struct CallbackCandidate {
  CallbackEvent event{};
  std::string description;
  fs::path file;
  std::optional<fs::path> conf;  // its .sql.conf
};

struct Scan {
  std::vector<Candidate> candidates;
  std::vector<CallbackCandidate> callbacks;
  std::vector<fs::path> ignored;
};

// Hasura projects begun before config v3 keep metadata steps (permissions, relationships, table
// tracking) as up.yaml / down.yaml beside or instead of up.sql. They change Hasura's metadata, not
// the database, and are passed over; a run_sql step (Hasura 1.0's way of writing SQL in YAML)
// does change the database and is refused rather than left out.
void hasura_metadata_step(Folder& folder, const fs::path& file) {
  const std::string& bytes = folder.bytes(file);
  size_t at = bytes.find("run_sql");
  if (at == std::string::npos) return;
  TextPosition p = position_at(bytes, at);
  throw InputError(fmt::format("{}:{}:{}: a Hasura run_sql step in YAML changes the database; squash replays SQL "
                               "migrations only (move the SQL into up.sql)",
                               folder.display(file), p.line, p.column));
}

Scan scan_folders(Folder& folder, Layout layout, const fs::path& base) {
  Scan scan;
  for (const Entry& entry : folder.list(base)) {
    if (runner_ignores(entry.name())) {
      scan.ignored.push_back(entry.path);
      continue;
    }
    if (!entry.directory) folder.unknown(entry.path, layout);
    Candidate c;
    std::string folder_name = entry.name();
    size_t underscore = folder_name.find('_');
    std::string version = folder_name.substr(0, underscore == std::string::npos ? 0 : underscore);
    if (layout == Layout::diesel) {
      std::string digits = *identity_of(Layout::diesel, version);
      bool valid = all_digits(digits) && version.find_first_not_of("0123456789-") == std::string::npos;
      if (!valid) folder.unknown(entry.path, layout);
      c.version = c.identity = c.text_order = digits;
    } else {
      if (!all_digits(version)) folder.unknown(entry.path, layout);
      if (layout == Layout::prisma) {
        c.version = c.identity = version;
        c.text_order = folder_name;
      } else {
        c.version = c.identity = canonical_number(version);
        c.number = {c.identity};
      }
    }
    c.name = folder_name.substr(underscore + 1);
    c.primary = entry.path;
    c.folder = entry.path;
    bool has_up = false;
    bool has_metadata_step = false;
    for (const Entry& file : folder.list(entry.path)) {
      std::string name = file.name();
      if (runner_ignores(name)) {
        scan.ignored.push_back(file.path);
      } else if (layout == Layout::hasura && !file.directory && (name == "up.yaml" || name == "down.yaml")) {
        hasura_metadata_step(folder, file.path);
        scan.ignored.push_back(file.path);
        has_metadata_step = true;
      } else if (file.directory) {
        folder.unknown(file.path, layout);
      } else if (layout == Layout::prisma ? name == "migration.sql" : name == "up.sql") {
        c.up = file.path;
        has_up = true;
      } else if (layout != Layout::prisma && name == "down.sql") {
        c.down = file.path;
      } else if (layout == Layout::diesel && name == "metadata.toml") {
        c.metadata = file.path;
      } else {
        folder.unknown(file.path, layout);
      }
    }
    if (!has_up && has_metadata_step) continue;  // a metadata-only step: nothing to replay
    if (!has_up) {
      throw InputError(fmt::format("{}: the migration folder has no {}", folder.display(entry.path),
                                   layout == Layout::prisma ? "migration.sql" : "up.sql"));
    }
    scan.candidates.push_back(std::move(c));
  }
  return scan;
}

// A file of a layout that keeps up and down apart (golang-migrate .up.sql/.down.sql, Flyway V/U).
struct Half {
  Candidate candidate;  // version fields, name and the file (as `up`)
  bool is_up = true;
};

// Pairs each down with the up of its version, as the runners do (by version, not by name).
std::vector<Candidate> pair_halves(const Folder& folder, const std::vector<Half>& halves, bool allow_duplicates) {
  std::map<std::string, std::vector<const Half*>> by_version;
  std::vector<std::string> version_order;
  for (const Half& h : halves) {
    auto& group = by_version[h.candidate.identity];
    if (group.empty()) version_order.push_back(h.candidate.identity);
    group.push_back(&h);
  }
  std::vector<Candidate> candidates;
  for (const std::string& identity : version_order) {
    std::vector<const Half*> ups, downs;
    for (const Half* h : by_version[identity]) (h->is_up ? ups : downs).push_back(h);
    auto display_version = [&] { return (ups.empty() ? downs : ups).front()->candidate.version; };
    if (!allow_duplicates) {
      if (ups.size() > 1) duplicate_error(folder, "version " + display_version(), ups[0]->candidate.up, ups[1]->candidate.up);
      if (downs.size() > 1) duplicate_error(folder, "version " + display_version(), downs[0]->candidate.up, downs[1]->candidate.up);
    }
    bool by_name = ups.size() > 1 || downs.size() > 1;
    for (const Half* down : downs) {
      auto partner = std::find_if(ups.begin(), ups.end(), [&](const Half* up) {
        return !by_name || up->candidate.name == down->candidate.name;
      });
      if (partner == ups.end()) {
        throw InputError(fmt::format("{}: a down migration without an up migration of version {}",
                                     folder.display(down->candidate.up), down->candidate.version));
      }
    }
    for (const Half* up : ups) {
      Candidate c = up->candidate;
      for (const Half* down : downs) {
        if (!by_name || down->candidate.name == up->candidate.name) {
          c.down = down->candidate.up;
          c.down_conf = down->candidate.up_conf;
        }
      }
      candidates.push_back(std::move(c));
    }
  }
  return candidates;
}

Scan scan_golang_migrate(Folder& folder, const ReadOptions& options) {
  Scan scan;
  std::vector<Half> halves;
  for (const Entry& entry : folder.list({})) {
    if (runner_ignores(entry.name())) {
      scan.ignored.push_back(entry.path);
      continue;
    }
    // golang-migrate skips folders and every file that is not SQL (the embed.go or bindata.go
    // that Go projects keep beside their migrations); a .sql file that is not
    // <version>_<name>.up|down.sql is refused, since it is more likely a misnamed migration.
    if (entry.directory || !ends_with(entry.name(), ".sql")) {
      scan.ignored.push_back(entry.path);
      continue;
    }
    auto numbered = split_numbered(entry.name());
    if (!numbered) folder.unknown(entry.path, Layout::golang_migrate);
    auto& [digits, rest] = *numbered;
    Half h;
    if (ends_with(rest, ".up.sql")) {
      h.candidate.name = rest.substr(0, rest.size() - 7);
    } else if (ends_with(rest, ".down.sql")) {
      h.candidate.name = rest.substr(0, rest.size() - 9);
      h.is_up = false;
    } else {
      folder.unknown(entry.path, Layout::golang_migrate);
    }
    h.candidate.version = h.candidate.identity = canonical_number(digits);
    h.candidate.number = {h.candidate.identity};
    h.candidate.up = h.candidate.primary = entry.path;
    halves.push_back(std::move(h));
  }
  scan.candidates = pair_halves(folder, halves, options.allow_duplicate_versions);
  return scan;
}

// What squash does with a Flyway SQL callback, by its event (Flyway's Event enum and its
// "Callback Events" reference): `flyway migrate` on an empty database, with the default
// configuration, fires the replayed ones; the ignored ones belong to other commands (clean, info,
// repair, baseline, undo, deploy), to a failed migrate, or to schemas Flyway creates (the default
// schema, public, exists); the refused ones cannot be replayed from the file alone.
enum class CallbackUse { replayed, ignored, refused };

struct KnownCallbackEvent {
  const char* name;
  CallbackUse use;
  std::optional<CallbackEvent> event;  // for the replayed ones
  const char* refusal = "";            // why, for the refused ones
};

const std::vector<KnownCallbackEvent>& known_callback_events() {
  static const char* const kPerStatement =
      "runs around every statement of every migration (Flyway Teams); squash replays callbacks as whole scripts "
      "and cannot run it as Flyway would";
  static const char* const kConnect =
      "runs whenever Flyway opens a connection (Flyway Teams, meant for shell scripts); squash cannot tell how "
      "often it would run";
  static const std::vector<KnownCallbackEvent> events = {
      {"beforeValidate", CallbackUse::replayed, CallbackEvent::before_validate},
      {"afterValidate", CallbackUse::replayed, CallbackEvent::after_validate},
      {"beforeMigrate", CallbackUse::replayed, CallbackEvent::before_migrate},
      {"beforeEachMigrate", CallbackUse::replayed, CallbackEvent::before_each_migrate},
      {"afterEachMigrate", CallbackUse::replayed, CallbackEvent::after_each_migrate},
      {"afterVersioned", CallbackUse::replayed, CallbackEvent::after_versioned},
      {"beforeRepeatables", CallbackUse::replayed, CallbackEvent::before_repeatables},
      {"afterMigrateApplied", CallbackUse::replayed, CallbackEvent::after_migrate_applied},
      {"afterMigrate", CallbackUse::replayed, CallbackEvent::after_migrate},
      {"beforeEachMigrateStatement", CallbackUse::refused, std::nullopt, kPerStatement},
      {"afterEachMigrateStatement", CallbackUse::refused, std::nullopt, kPerStatement},
      {"afterEachMigrateStatementError", CallbackUse::refused, std::nullopt, kPerStatement},
      {"beforeConnect", CallbackUse::refused, std::nullopt, kConnect},
      {"afterConnect", CallbackUse::refused, std::nullopt, kConnect},
      {"afterMigrateOperationFinish", CallbackUse::refused, std::nullopt,
       "is not among Flyway's documented callback events, and whether and how it runs depends on the Flyway "
       "version"},
      {"afterValidateError", CallbackUse::ignored, std::nullopt},
      {"afterEachMigrateError", CallbackUse::ignored, std::nullopt},
      {"afterMigrateError", CallbackUse::ignored, std::nullopt},
      {"beforeClean", CallbackUse::ignored, std::nullopt},
      {"afterClean", CallbackUse::ignored, std::nullopt},
      {"afterCleanError", CallbackUse::ignored, std::nullopt},
      {"beforeInfo", CallbackUse::ignored, std::nullopt},
      {"afterInfo", CallbackUse::ignored, std::nullopt},
      {"afterInfoError", CallbackUse::ignored, std::nullopt},
      {"beforeRepair", CallbackUse::ignored, std::nullopt},
      {"afterRepair", CallbackUse::ignored, std::nullopt},
      {"afterRepairError", CallbackUse::ignored, std::nullopt},
      {"beforeBaseline", CallbackUse::ignored, std::nullopt},
      {"afterBaseline", CallbackUse::ignored, std::nullopt},
      {"afterBaselineError", CallbackUse::ignored, std::nullopt},
      {"beforeUndo", CallbackUse::ignored, std::nullopt},
      {"beforeEachUndo", CallbackUse::ignored, std::nullopt},
      {"beforeEachUndoStatement", CallbackUse::ignored, std::nullopt},
      {"afterEachUndoStatement", CallbackUse::ignored, std::nullopt},
      {"afterEachUndoStatementError", CallbackUse::ignored, std::nullopt},
      {"afterEachUndo", CallbackUse::ignored, std::nullopt},
      {"afterEachUndoError", CallbackUse::ignored, std::nullopt},
      {"afterUndo", CallbackUse::ignored, std::nullopt},
      {"afterUndoError", CallbackUse::ignored, std::nullopt},
      {"beforeDeploy", CallbackUse::ignored, std::nullopt},
      {"afterDeploy", CallbackUse::ignored, std::nullopt},
      {"afterDeployError", CallbackUse::ignored, std::nullopt},
      {"createSchema", CallbackUse::ignored, std::nullopt},
      {"beforeCreateSchema", CallbackUse::ignored, std::nullopt},
      {"afterInfoOperationFinish", CallbackUse::ignored, std::nullopt},
      {"afterCleanOperationFinish", CallbackUse::ignored, std::nullopt},
      {"afterValidateOperationFinish", CallbackUse::ignored, std::nullopt},
      {"afterUndoOperationFinish", CallbackUse::ignored, std::nullopt},
      {"afterRepairOperationFinish", CallbackUse::ignored, std::nullopt},
      {"afterBaselineOperationFinish", CallbackUse::ignored, std::nullopt},
      {"afterReportGenerated", CallbackUse::ignored, std::nullopt},
  };
  return events;
}

// Which files are Flyway migrations: <prefix><version><separator><description><suffix>, with
// Flyway's defaults or a configuration's sqlMigrationPrefix, ... (FlywayConfig).
struct FlywayNaming {
  std::string versioned = "V";
  std::string undo = "U";
  std::string repeatable = "R";
  std::string separator = "__";
  std::vector<std::string> suffixes = {".sql"};
};

FlywayNaming flyway_naming(const std::optional<FlywayConfig>& config) {
  FlywayNaming naming;
  if (!config) return naming;
  naming.versioned = config->sql_migration_prefix;
  naming.undo = config->undo_sql_migration_prefix;
  naming.repeatable = config->repeatable_sql_migration_prefix;
  naming.separator = config->sql_migration_separator;
  naming.suffixes = config->sql_migration_suffixes;
  return naming;
}

// The file name without the migration suffix it ends with (the longest, when several match).
std::optional<std::string> flyway_stem(const FlywayNaming& naming, const std::string& name) {
  std::optional<std::string> stem;
  for (const std::string& suffix : naming.suffixes) {
    if (name.size() > suffix.size() && ends_with(name, suffix) && (!stem || name.size() - suffix.size() < stem->size())) {
      stem = name.substr(0, name.size() - suffix.size());
    }
  }
  return stem;
}

struct FlywayName {
  char kind = 'V';  // 'V' versioned, 'U' undo, 'R' repeatable
  std::string version;
  std::string description;
};

// A migration's name parts, trying the longer prefixes first (a prefix may begin another).
std::optional<FlywayName> parse_flyway_name(const FlywayNaming& naming, const std::string& stem) {
  std::vector<std::pair<char, const std::string*>> prefixes = {
      {'R', &naming.repeatable}, {'V', &naming.versioned}, {'U', &naming.undo}};
  std::stable_sort(prefixes.begin(), prefixes.end(),
                   [](const auto& a, const auto& b) { return a.second->size() > b.second->size(); });
  for (const auto& [kind, prefix] : prefixes) {
    if (!starts_with(stem, *prefix)) continue;
    std::string rest = stem.substr(prefix->size());
    size_t separator = rest.find(naming.separator);
    if (separator == std::string::npos) continue;
    std::string version = rest.substr(0, separator);
    if (kind == 'R' ? !version.empty() : !identity_of(Layout::flyway, version)) continue;
    return FlywayName{kind, version, rest.substr(separator + naming.separator.size())};
  }
  return std::nullopt;
}

// The event of a Flyway SQL callback file name (`afterMigrate.sql`, `beforeEachMigrate__log.sql`:
// an event's exact name, optionally `__` and a description), or nullptr for any other name.
const KnownCallbackEvent* flyway_callback_event(const std::string& stem, std::string* description) {
  size_t separator = stem.find("__");
  std::string event = stem.substr(0, separator);
  for (const KnownCallbackEvent& known : known_callback_events()) {
    if (event != known.name) continue;
    *description = separator == std::string::npos ? "" : stem.substr(separator + 2);
    return &known;
  }
  return nullptr;
}

void scan_flyway_folder(Folder& folder, const fs::path& relative, Scan& scan, std::vector<Half>& halves,
                        std::map<fs::path, fs::path>& confs, const ReadOptions& options, const FlywayNaming& naming) {
  for (const Entry& entry : folder.list(relative)) {
    std::string name = entry.name();
    if (runner_ignores(name)) {
      scan.ignored.push_back(entry.path);
      continue;
    }
    if (entry.directory) {  // Flyway searches its locations recursively
      scan_flyway_folder(folder, entry.path, scan, halves, confs, options, naming);
      continue;
    }
    if (ends_with(name, ".conf") && flyway_stem(naming, name.substr(0, name.size() - 5))) {
      confs[entry.path.parent_path() / name.substr(0, name.size() - 5)] = entry.path;
      continue;
    }
    // Flyway reads only files with a migration suffix (.sql unless configured) from its
    // locations (Java migrations live elsewhere). SQL callbacks (beforeMigrate.sql,
    // afterMigrate__grants.sql, ...) sit beside the migrations: those migrate runs are replayed
    // around them, the others listed as ignored.
    const std::optional<std::string> stem = flyway_stem(naming, name);
    if (!stem) {
      scan.ignored.push_back(entry.path);
      continue;
    }
    std::string callback_description;
    if (const KnownCallbackEvent* known = flyway_callback_event(*stem, &callback_description)) {
      if (known->use == CallbackUse::refused && options.read_scripts) {
        throw InputError(fmt::format("{}: a Flyway {} callback {}; squash refuses it (move it out of the migrations "
                                     "location to squash without it)",
                                     folder.display(entry.path), known->name, known->refusal));
      }
      if (known->use == CallbackUse::replayed) {
        scan.callbacks.push_back({*known->event, callback_description, entry.path, std::nullopt});
      } else {
        scan.ignored.push_back(entry.path);
      }
      continue;
    }
    const std::optional<FlywayName> parsed = parse_flyway_name(naming, *stem);
    if (!parsed) {
      throw InputError(fmt::format("{}: matches no pattern of the flyway layout (expected {}{}{}<name>{}, {}{}{}<name>{}, "
                                   "{}{}<name>{} or <file>{}.conf)",
                                   folder.display(entry.path), naming.versioned, "<version>", naming.separator,
                                   naming.suffixes.front(), naming.undo, "<version>", naming.separator,
                                   naming.suffixes.front(), naming.repeatable, naming.separator, naming.suffixes.front(),
                                   naming.suffixes.front()));
    }
    Half h;
    h.candidate.name = parsed->description;
    h.candidate.up = h.candidate.primary = entry.path;
    if (parsed->kind == 'R') {
      h.candidate.repeatable = true;
      h.candidate.identity = "R__" + parsed->description;
    } else {
      h.is_up = parsed->kind == 'V';
      std::string version_text = parsed->version;
      std::replace(version_text.begin(), version_text.end(), '_', '.');
      h.candidate.version = version_text;
      h.candidate.identity = *identity_of(Layout::flyway, version_text);
      std::string part;
      for (char c : h.candidate.identity + ".") {
        if (c == '.') {
          h.candidate.number.push_back(part);
          part.clear();
        } else {
          part += c;
        }
      }
    }
    halves.push_back(std::move(h));
  }
}

Scan scan_flyway(Folder& folder, const ReadOptions& options, const FlywayNaming& naming) {
  Scan scan;
  std::vector<Half> halves;
  std::map<fs::path, fs::path> confs;  // configured .sql file -> its .sql.conf
  scan_flyway_folder(folder, {}, scan, halves, confs, options, naming);
  for (Half& h : halves) {
    auto conf = confs.find(h.candidate.up);
    if (conf != confs.end()) {
      h.candidate.up_conf = conf->second;
      confs.erase(conf);
    }
  }
  for (CallbackCandidate& c : scan.callbacks) {
    auto conf = confs.find(c.file);
    if (conf != confs.end()) {
      c.conf = conf->second;
      confs.erase(conf);
    }
  }
  // Flyway finds callbacks by name in all its locations: one name twice is its error too.
  std::map<std::string, const CallbackCandidate*> by_name;
  for (const CallbackCandidate& c : scan.callbacks) {
    auto [it, inserted] = by_name.emplace(c.file.filename().string(), &c);
    if (!inserted) {
      throw InputError(fmt::format("duplicate Flyway callback {}: {} and {} (Flyway refuses two callback scripts of "
                                   "one name)",
                                   c.file.filename().string(), folder.display(it->second->file), folder.display(c.file)));
    }
  }
  for (auto it = confs.begin(); it != confs.end();) {
    // The conf of a callback that migrate does not run goes with it.
    if (std::find(scan.ignored.begin(), scan.ignored.end(), it->first) != scan.ignored.end()) {
      scan.ignored.push_back(it->second);
      it = confs.erase(it);
    } else {
      ++it;
    }
  }
  if (!confs.empty()) {
    const auto& [sql, conf] = *confs.begin();
    throw InputError(fmt::format("{}: configures {}, which does not exist", folder.display(conf), folder.display(sql)));
  }
  std::vector<Half> versioned;
  for (Half& h : halves) {
    if (h.candidate.repeatable) {
      scan.candidates.push_back(h.candidate);
    } else {
      versioned.push_back(h);
    }
  }
  for (Candidate& c : pair_halves(folder, versioned, options.allow_duplicate_versions)) {
    scan.candidates.push_back(std::move(c));
  }
  return scan;
}

Scan scan_numbered_files(Folder& folder, Layout layout) {
  Scan scan;
  for (const Entry& entry : folder.list({})) {
    std::string name = entry.name();
    if (runner_ignores(name)) {
      scan.ignored.push_back(entry.path);
      continue;
    }
    auto numbered = split_numbered(name, version_separators(layout));
    if (!entry.directory && layout == Layout::goose && numbered && ends_with(name, ".go")) {
      throw InputError(fmt::format("{}: a goose migration written in Go cannot be replayed from SQL",
                                   folder.display(entry.path)));
    }
    // dbmate, goose and a plain runner read .sql files only: the Go package files (embed.go),
    // folders and notes beside them are skipped. A .sql file without a version is refused.
    if (entry.directory || !ends_with(name, ".sql")) {
      scan.ignored.push_back(entry.path);
      continue;
    }
    if (!numbered) folder.unknown(entry.path, layout);
    Candidate c;
    const std::string& digits = numbered->first;
    c.name = numbered->second.substr(0, numbered->second.size() - 4);
    if (layout == Layout::dbmate) {
      c.version = c.identity = digits;
      c.text_order = name;  // dbmate applies files in the order the directory lists them by name
    } else {
      c.version = c.identity = canonical_number(digits);
      c.number = {c.identity};
    }
    c.up = c.primary = entry.path;
    scan.candidates.push_back(std::move(c));
  }
  return scan;
}

// ---------------------------------------------------------------------------------------------
// Layout detection

bool is_dbmate_marker_line(std::string_view line, std::string_view which, std::string* options = nullptr) {
  std::string_view t = trim(line);
  if (!starts_with(t, "--")) return false;
  t = trim(t.substr(2));
  if (!starts_with(t, which)) return false;
  std::string_view rest = t.substr(which.size());
  if (!rest.empty() && !std::isspace(static_cast<unsigned char>(rest[0]))) return false;
  if (options) *options = std::string(trim(rest));
  return true;
}

// "-- +goose Up" -> "UP" (annotation words upper-cased, blanks collapsed); empty if none.
std::string goose_annotation(std::string_view line) {
  std::string_view t = trim(line);
  if (!starts_with(lower(t.substr(0, 9)), "-- +goose")) return {};
  std::string words;
  for (char c : trim(t.substr(9))) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!words.empty() && words.back() != ' ') words += ' ';
    } else {
      words += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return words;
}

bool has_line(std::string_view text, const std::function<bool(std::string_view)>& predicate) {
  for (const Line& line : lines_of(text)) {
    if (predicate(line.text)) return true;
  }
  return false;
}

bool is_golang_name(const std::string& name) {
  auto numbered = split_numbered(name);
  return numbered && (ends_with(numbered->second, ".up.sql") || ends_with(numbered->second, ".down.sql"));
}

bool is_flyway_name(const std::string& name) {
  if (ends_with(name, ".sql.conf")) return true;
  size_t separator = name.find("__");
  if (!ends_with(name, ".sql") || separator == std::string::npos) return false;
  if (name[0] == 'R') return separator == 1;
  return (name[0] == 'V' || name[0] == 'U') && identity_of(Layout::flyway, name.substr(1, separator - 1));
}

bool has_flyway_files(Folder& folder, const fs::path& relative) {
  for (const Entry& entry : folder.list(relative)) {
    if (runner_ignores(entry.name())) continue;
    if (entry.directory ? has_flyway_files(folder, entry.path) : is_flyway_name(entry.name())) return true;
  }
  return false;
}

// Hasura's config v3 keeps each database's migrations in a folder named after the database
// (`migrations/default/<version>_<name>/up.sql`). The one such folder under the root, when the
// root itself holds no migration; several are refused, since each is its own history.
std::optional<fs::path> hasura_database_folder(Folder& folder) {
  std::vector<fs::path> databases;
  for (const Entry& entry : folder.list({})) {
    if (runner_ignores(entry.name())) continue;
    if (!entry.directory || folder.is_file(entry.path / "up.sql")) return std::nullopt;
    bool holds_migrations = false;
    for (const Entry& child : folder.list(entry.path)) {
      holds_migrations = holds_migrations || (child.directory && folder.is_file(child.path / "up.sql"));
    }
    if (!holds_migrations) return std::nullopt;
    databases.push_back(entry.path);
  }
  if (databases.size() > 1) {
    throw InputError(fmt::format(
        "{} holds the migrations of {} Hasura databases ({}, {}, ...): squash one at a time, e.g. {}",
        folder.root().string(), databases.size(), databases[0].string(), databases[1].string(),
        (folder.root() / databases[0]).string()));
  }
  if (databases.empty()) return std::nullopt;
  return databases.front();
}

Layout detect(Folder& folder) {
  // One example per kind of name found, to say what was seen when the kinds disagree.
  std::map<std::string, fs::path> seen;
  bool diesel_hint = false;
  std::vector<fs::path> numbered;
  for (const Entry& entry : folder.list({})) {
    std::string name = entry.name();
    if (runner_ignores(name)) continue;
    if (entry.directory) {
      if (folder.is_file(entry.path / "up.sql")) {
        seen.emplace("hasura/diesel folders", entry.path);
        std::string version = name.substr(0, name.find('_'));
        diesel_hint = diesel_hint || version.find('-') != std::string::npos ||
                      name == "00000000000000_diesel_initial_setup" || folder.is_file(entry.path / "metadata.toml");
      } else if (folder.is_file(entry.path / "migration.sql")) {
        seen.emplace("prisma folders", entry.path);
      }
    } else if (is_golang_name(name)) {
      seen.emplace("golang-migrate files", entry.path);
    } else if (is_flyway_name(name)) {
      seen.emplace("flyway files", entry.path);
    } else if (split_numbered(name, version_separators(Layout::plain)) && ends_with(name, ".sql")) {
      seen.emplace("numbered .sql files", entry.path);
      numbered.push_back(entry.path);
    }
  }
  if (seen.size() > 1) {
    auto first = seen.begin(), second = std::next(first);
    throw InputError(fmt::format("cannot tell the layout of {}: it has {} ({}) and {} ({}); pass --format",
                                 folder.root().string(), first->first, folder.display(first->second), second->first,
                                 folder.display(second->second)));
  }
  if (seen.empty()) {
    if (has_flyway_files(folder, {})) return Layout::flyway;
    if (hasura_database_folder(folder)) return Layout::hasura;
    std::string names;
    for (const auto& n : layout_names()) names += (names.empty() ? "" : ", ") + n;
    throw InputError(fmt::format("no migrations found in {}: no file or folder matches a known layout ({})",
                                 folder.root().string(), names));
  }
  const std::string& kind = seen.begin()->first;
  if (kind == "hasura/diesel folders") return diesel_hint ? Layout::diesel : Layout::hasura;
  if (kind == "prisma folders") return Layout::prisma;
  if (kind == "golang-migrate files") return Layout::golang_migrate;
  if (kind == "flyway files") return Layout::flyway;

  std::optional<fs::path> dbmate_file, goose_file;
  for (const fs::path& file : numbered) {
    const std::string& bytes = folder.bytes(file);
    if (!dbmate_file && has_line(bytes, [](std::string_view l) { return is_dbmate_marker_line(l, "migrate:up"); })) {
      dbmate_file = file;
    }
    if (!goose_file && has_line(bytes, [](std::string_view l) { return goose_annotation(l) == "UP"; })) {
      goose_file = file;
    }
  }
  if (dbmate_file && goose_file) {
    throw InputError(fmt::format(
        "cannot tell the layout of {}: {} has dbmate's -- migrate:up and {} has goose's -- +goose Up; pass --format",
        folder.root().string(), folder.display(*dbmate_file), folder.display(*goose_file)));
  }
  if (dbmate_file) return Layout::dbmate;
  if (goose_file) return Layout::goose;
  return Layout::plain;
}

// ---------------------------------------------------------------------------------------------
// Turning files into scripts

// The script of a whole file.
Script whole_file_script(Folder& folder, const fs::path& file) {
  Script script;
  script.file = file;
  script.text = folder.text(file);
  return script;
}

Script section_script(const fs::path& file, std::string_view text, size_t begin, size_t end, int first_line) {
  Script script;
  script.file = file;
  script.first_line = first_line;
  script.text = std::string(text.substr(begin, end - begin));
  return script;
}

struct Sections {
  Script up;
  std::optional<Script> down;
  std::optional<std::string> up_runner_none, down_runner_none;
};

// plain: the up, then optionally a line `-- Rollback migration` and the down commented out.
Sections plain_sections(const Folder& folder, const fs::path& file, const std::string& text) {
  std::vector<Line> lines = lines_of(text);
  auto marker = std::find_if(lines.begin(), lines.end(),
                             [](const Line& l) { return lower(trim(l.text)) == "-- rollback migration"; });
  Sections s;
  if (marker == lines.end()) {
    s.up = section_script(file, text, 0, text.size(), 1);
    return s;
  }
  s.up = section_script(file, text, 0, marker->begin, 1);
  Script down;
  down.file = file;
  down.first_line = static_cast<int>(marker - lines.begin()) + 2;
  for (auto line = marker + 1; line != lines.end(); ++line) {
    std::string_view content = line->text;
    std::string_view ending = std::string_view(text).substr(line->end, line->next - line->end);
    size_t indent = 0;
    while (indent < content.size() && (content[indent] == ' ' || content[indent] == '\t')) ++indent;
    std::string_view rest = content.substr(indent);
    size_t removed;
    if (trim(rest).empty()) {
      removed = content.size();  // a blank line stays blank
    } else if (starts_with(rest, "-- ")) {
      removed = indent + 3;
    } else if (starts_with(rest, "--")) {
      removed = indent + 2;
    } else {
      TextPosition p = position_at(text, line->begin + indent);
      throw InputError(fmt::format(
          "{}:{}:{}: this line of the rollback section is not commented out with '-- ' (every line after "
          "'-- Rollback migration' must be)",
          folder.display(file), p.line, p.column));
    }
    down.text += std::string(content.substr(removed));
    down.text += std::string(ending);
    down.column_shifts.push_back(static_cast<int>(removed));
  }
  s.down = std::move(down);
  return s;
}

// dbmate: `-- migrate:up [transaction:false]` and an optional `-- migrate:down [...]`.
Sections dbmate_sections(const Folder& folder, const fs::path& file, const std::string& text) {
  std::vector<Line> lines = lines_of(text);
  std::optional<size_t> up_line, down_line;
  std::string up_options, down_options;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string options;
    std::string where = fmt::format("{}:{}", folder.display(file), i + 1);
    if (is_dbmate_marker_line(lines[i].text, "migrate:up", &options)) {
      if (up_line) throw InputError(fmt::format("{}: a second -- migrate:up (the first is on line {})", where, *up_line + 1));
      if (down_line) throw InputError(fmt::format("{}: -- migrate:up after -- migrate:down", where));
      up_line = i;
      up_options = options;
    } else if (is_dbmate_marker_line(lines[i].text, "migrate:down", &options)) {
      if (!up_line) throw InputError(fmt::format("{}: -- migrate:down before -- migrate:up", where));
      if (down_line) throw InputError(fmt::format("{}: a second -- migrate:down (the first is on line {})", where, *down_line + 1));
      down_line = i;
      down_options = options;
    }
  }
  if (!up_line) throw InputError(fmt::format("{}: no -- migrate:up section (dbmate requires one)", folder.display(file)));
  if (!only_blanks_and_comments(std::string_view(text).substr(0, lines[*up_line].begin))) {
    throw InputError(fmt::format("{}:1: SQL before -- migrate:up (dbmate runs only the up and down sections)",
                                 folder.display(file)));
  }
  auto transaction_off = [&](const std::string& options, size_t line) -> std::optional<std::string> {
    std::optional<std::string> off;
    std::istringstream words(options);
    std::string word;
    while (words >> word) {
      if (word == "transaction:false") {
        off = fmt::format("-- migrate:{} transaction:false (line {})", line == *up_line ? "up" : "down", line + 1);
      } else if (word != "transaction:true") {
        throw InputError(fmt::format("{}:{}: unknown dbmate option '{}' (dbmate knows transaction:false)",
                                     folder.display(file), line + 1, word));
      }
    }
    return off;
  };
  Sections s;
  size_t up_end = down_line ? lines[*down_line].begin : text.size();
  s.up = section_script(file, text, lines[*up_line].next, up_end, static_cast<int>(*up_line) + 2);
  s.up_runner_none = transaction_off(up_options, *up_line);
  if (down_line) {
    s.down = section_script(file, text, lines[*down_line].next, text.size(), static_cast<int>(*down_line) + 2);
    s.down_runner_none = transaction_off(down_options, *down_line);
  }
  return s;
}

// goose: `-- +goose Up`, an optional `-- +goose Down`, StatementBegin/End blocks and
// `-- +goose NO TRANSACTION` for the whole file.
Sections goose_sections(const Folder& folder, const fs::path& file, const std::string& text) {
  std::vector<Line> lines = lines_of(text);
  std::optional<size_t> up_line, down_line;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string annotation = goose_annotation(lines[i].text);
    if (annotation.empty()) continue;
    std::string where = fmt::format("{}:{}", folder.display(file), i + 1);
    if (annotation == "UP") {
      if (up_line) throw InputError(fmt::format("{}: a second -- +goose Up (the first is on line {})", where, *up_line + 1));
      if (down_line) throw InputError(fmt::format("{}: -- +goose Up after -- +goose Down", where));
      up_line = i;
    } else if (annotation == "DOWN") {
      if (!up_line) throw InputError(fmt::format("{}: -- +goose Down before -- +goose Up", where));
      if (down_line) throw InputError(fmt::format("{}: a second -- +goose Down (the first is on line {})", where, *down_line + 1));
      down_line = i;
    } else if (annotation != "STATEMENTBEGIN" && annotation != "STATEMENTEND" && annotation != "NO TRANSACTION") {
      throw InputError(fmt::format("{}: unsupported goose annotation '{}'", where, std::string(trim(lines[i].text))));
    }
  }
  if (!up_line) throw InputError(fmt::format("{}: no -- +goose Up annotation (goose requires one)", folder.display(file)));
  if (!only_blanks_and_comments(std::string_view(text).substr(0, lines[*up_line].begin))) {
    throw InputError(fmt::format("{}:1: SQL before -- +goose Up (goose runs only the Up and Down sections)",
                                 folder.display(file)));
  }
  Sections s;
  size_t up_end = down_line ? lines[*down_line].begin : text.size();
  s.up = section_script(file, text, lines[*up_line].next, up_end, static_cast<int>(*up_line) + 2);
  if (down_line) {
    s.down = section_script(file, text, lines[*down_line].next, text.size(), static_cast<int>(*down_line) + 2);
  }
  return s;
}

// diesel's metadata.toml: `run_in_transaction` (a boolean, true when absent) is the one key diesel
// reads; it ignores any other. A file that is not TOML fails diesel's migration run too.
std::optional<std::string> diesel_runner_none(Folder& folder, const fs::path& file) {
  const std::string text = folder.text(file);
  toml::table metadata;
  try {
    metadata = toml::parse(text, folder.display(file));
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}:{}:{}: TOML syntax error: {}", folder.display(file), e.source().begin.line,
                                 e.source().begin.column, e.description()));
  }
  const toml::node* run_in_transaction = metadata.get("run_in_transaction");
  if (run_in_transaction == nullptr) return std::nullopt;
  const auto* flag = run_in_transaction->as_boolean();
  if (flag == nullptr) {
    const toml::source_position at = run_in_transaction->source().begin;
    std::ostringstream written;  // as TOML writes it: a string in quotes
    if (const auto* text = run_in_transaction->as_string()) {
      written << '"' << text->get() << '"';
    } else {
      run_in_transaction->visit([&](const auto& value) { written << value; });
    }
    throw InputError(fmt::format("{}:{}:{}: run_in_transaction must be true or false, not {}", folder.display(file),
                                 at.line, at.column, written.str()));
  }
  if (!flag->get()) return fmt::format("{}: run_in_transaction = false", file.string());
  return std::nullopt;
}

// Flyway's per-script .sql.conf (Java properties): `executeInTransaction=false`.
std::optional<std::string> flyway_runner_none(Folder& folder, const fs::path& file) {
  std::optional<std::string> none;
  for (const JavaProperty& p : parse_java_properties(folder.text(file), folder.display(file))) {
    if (p.key == "executeInTransaction") {
      const std::string value = std::string(trim(p.value));
      if (value != "true" && value != "false") {
        throw InputError(fmt::format("{}:{}: executeInTransaction must be true or false, not {}", folder.display(file),
                                     p.line, value));
      }
      // A key written twice: the later one wins, as in java.util.Properties.
      none = value == "false" ? std::optional(fmt::format("{}: executeInTransaction=false", file.string())) : std::nullopt;
    } else if (p.key == "shouldExecute") {
      throw InputError(fmt::format("{}:{}: shouldExecute is not supported (a squash cannot evaluate it)",
                                   folder.display(file), p.line));
    }
  }
  return none;
}

void finish_script(Folder& folder, Layout layout, Script& script, std::optional<std::string> runner_none,
                   const std::string& file_text) {
  if (!runner_none) runner_none = find_no_transaction_marker(file_text);
  SplitOptions split;
  split.root = folder.root();
  split.goose_statement_blocks = layout == Layout::goose;
  // psql (plain files) and Flyway read COPY rows from the file; the other runners cannot.
  if (layout != Layout::plain && layout != Layout::flyway) split.copy_data_unsupported_by = to_string(layout);
  split_script(script, split);
  TxDecision decision = decide_tx_mode(script, runner_none);
  script.tx_mode = decision.mode;
  script.tx_mode_reason = decision.reason;
}

// Flyway replaces placeholders in a script's text before it parses it; ${flyway:filename} is the
// script's own name.
void replace_flyway_placeholders(const Folder& folder, Script& script, const PlaceholderValues* placeholders) {
  if (placeholders == nullptr) return;
  PlaceholderValues values = *placeholders;
  values.values["flyway:filename"] = script.file.filename().string();
  replace_placeholders(script, values, folder.display(script.file));
}

Migration build(Folder& folder, Layout layout, const Candidate& c, bool read_scripts,
                const PlaceholderValues* placeholders) {
  Migration m;
  m.version = c.version;
  m.name = c.name;
  m.folder = c.folder;
  m.repeatable = c.repeatable;
  m.files.push_back(folder.describe(c.up));
  if (c.down) m.files.push_back(folder.describe(*c.down));
  for (const auto& extra : {c.metadata, c.up_conf, c.down_conf}) {
    if (extra) m.files.push_back(folder.describe(*extra));
  }
  if (!read_scripts) return m;

  std::string up_text = folder.text(c.up);
  bool sections = layout == Layout::plain || layout == Layout::dbmate || layout == Layout::goose;
  if (sections) {
    Sections s = layout == Layout::plain    ? plain_sections(folder, c.up, up_text)
                 : layout == Layout::dbmate ? dbmate_sections(folder, c.up, up_text)
                                            : goose_sections(folder, c.up, up_text);
    m.up = std::move(s.up);
    finish_script(folder, layout, m.up, s.up_runner_none, up_text);
    if (s.down) {
      m.down = std::move(s.down);
      finish_script(folder, layout, *m.down, s.down_runner_none, up_text);
    }
  } else {
    std::optional<std::string> up_none, down_none;
    if (c.metadata) up_none = down_none = diesel_runner_none(folder, *c.metadata);
    if (c.up_conf) up_none = flyway_runner_none(folder, *c.up_conf);
    if (c.down_conf) down_none = flyway_runner_none(folder, *c.down_conf);
    m.up = whole_file_script(folder, c.up);
    replace_flyway_placeholders(folder, m.up, placeholders);
    finish_script(folder, layout, m.up, up_none, m.up.text);
    if (c.down) {
      m.down = whole_file_script(folder, *c.down);
      replace_flyway_placeholders(folder, *m.down, placeholders);
      finish_script(folder, layout, *m.down, down_none, m.down->text);
    }
  }
  if (m.up.statements.empty()) {
    bool marked_section = layout == Layout::dbmate || layout == Layout::goose;
    std::string where = marked_section ? fmt::format("{}:{}", folder.display(c.up), m.up.first_line - 1) : folder.display(c.up);
    throw InputError(fmt::format("{}: the up migration is empty (only blanks and comments)", where));
  }
  return m;
}

Callback build_callback(Folder& folder, const CallbackCandidate& c, bool read_scripts,
                        const PlaceholderValues* placeholders) {
  Callback callback;
  callback.event = c.event;
  callback.description = c.description;
  callback.files.push_back(folder.describe(c.file));
  if (c.conf) callback.files.push_back(folder.describe(*c.conf));
  callback.script.file = c.file;
  if (!read_scripts) return callback;
  // Read and wrapped like a migration: Flyway runs a callback script in a transaction of its own
  // unless it cannot (executeInTransaction=false, CREATE INDEX CONCURRENTLY, ...); the
  // each-migrate ones run in the migration's transaction instead (replay decides that).
  callback.script = whole_file_script(folder, c.file);
  replace_flyway_placeholders(folder, callback.script, placeholders);
  finish_script(folder, Layout::flyway, callback.script, c.conf ? flyway_runner_none(folder, *c.conf) : std::nullopt,
                callback.script.text);
  return callback;
}

// Which Flyway configuration a read uses (ReadOptions::flyway_config_files).
struct FlywayConfigChoice {
  std::vector<fs::path> files;
  std::string found;
  bool makes_layout_flyway = false;  // given, or in the migrations folder itself
};

FlywayConfigChoice choose_flyway_config(const fs::path& root, const ReadOptions& options) {
  FlywayConfigChoice choice;
  if (!options.flyway_config_files.empty()) {
    choice.files = options.flyway_config_files;
    choice.found = "--flyway-config";
    choice.makes_layout_flyway = true;
    return choice;
  }
  if (options.layout && *options.layout != Layout::flyway) return choice;
  if (auto found = find_flyway_config(root)) {
    const bool in_folder = found->parent_path() == (root.has_filename() ? root : root.parent_path());
    choice.files = {*found};
    choice.found = in_folder ? "in the migrations folder" : "in the parent folder";
    choice.makes_layout_flyway = in_folder;
  }
  return choice;
}

// Values for Flyway's placeholders: the configuration's, and the built-ins Flyway defines
// (${flyway:defaultSchema}, ...) where squash can know them; nullopt when replacement is off.
std::optional<PlaceholderValues> flyway_placeholders(const std::optional<FlywayConfig>& config,
                                                     const ReadOptions& options) {
  PlaceholderValues values;
  if (config) {
    if (!config->placeholder_replacement) return std::nullopt;
    values.prefix = config->placeholder_prefix;
    values.suffix = config->placeholder_suffix;
    values.values = config->placeholders;
  }
  // Without a schema configured, Flyway's default schema is the connection's current one: public
  // on the scratch database the replay starts from.
  values.values["flyway:defaultSchema"] = config && !config->default_schema.empty() ? config->default_schema : "public";
  values.values["flyway:table"] = config ? config->table : "flyway_schema_history";
  values.values["flyway:environment"] = config ? config->environment : "default";
  if (config && !config->user.empty()) {
    values.values["flyway:user"] = config->user;
  } else {
    values.unknown["flyway:user"] =
        "the user flyway migrate connects as, which squash cannot know: set user (flyway.user) in the Flyway "
        "configuration";
  }
  if (config && !config->database.empty()) {
    values.values["flyway:database"] = config->database;
  } else {
    values.unknown["flyway:database"] =
        "the database flyway migrate connects to, which squash cannot know: set a jdbc:postgresql://host/database url "
        "in the Flyway configuration";
  }
  if (!options.flyway_timestamp.empty()) {
    values.values["flyway:timestamp"] = options.flyway_timestamp;
  } else {
    values.unknown["flyway:timestamp"] = "the time flyway migrate runs, which this read was not given";
  }
  values.unknown["flyway:workingDirectory"] =
      "the folder flyway is started from, which squash does not replay (the output would depend on where squash "
      "runs); write the path";
  return values;
}

}  // namespace

Layout detect_layout(const fs::path& root) {
  Folder folder(root);
  return detect(folder);
}

History read_history(const fs::path& root, const ReadOptions& options) {
  Folder folder(root);
  History history;
  history.root = root;
  const FlywayConfigChoice flyway_choice = choose_flyway_config(root, options);
  if (options.layout) {
    history.layout = *options.layout;
  } else {
    history.layout = flyway_choice.makes_layout_flyway ? Layout::flyway : detect(folder);
  }
  const Layout layout = history.layout;
  if (!flyway_choice.files.empty() && layout != Layout::flyway && flyway_choice.makes_layout_flyway) {
    throw InputError(fmt::format("{}: a Flyway configuration, but the layout is {} (--format)",
                                 flyway_choice.files.front().string(), to_string(layout)));
  }
  std::optional<PlaceholderValues> placeholders;
  if (layout == Layout::flyway) {
    if (!flyway_choice.files.empty()) {
      history.flyway_config = read_flyway_config(flyway_choice.files, root);
      history.flyway_config->found = flyway_choice.found;
    }
    placeholders = flyway_placeholders(history.flyway_config, options);
  }

  fs::path base;
  if (layout == Layout::hasura) base = hasura_database_folder(folder).value_or(fs::path());
  Scan scan = is_folder_layout(layout)            ? scan_folders(folder, layout, base)
              : layout == Layout::golang_migrate  ? scan_golang_migrate(folder, options)
              : layout == Layout::flyway          ? scan_flyway(folder, options, flyway_naming(history.flyway_config))
                                                  : scan_numbered_files(folder, layout);
  // validateOnMigrate=false: migrate does not validate, and fires no validate event.
  if (history.flyway_config && !history.flyway_config->validate_on_migrate) {
    std::vector<CallbackCandidate> fired;
    for (CallbackCandidate& c : scan.callbacks) {
      if (c.event == CallbackEvent::before_validate || c.event == CallbackEvent::after_validate) {
        scan.ignored.push_back(c.file);
        if (c.conf) scan.ignored.push_back(*c.conf);
      } else {
        fired.push_back(std::move(c));
      }
    }
    scan.callbacks = std::move(fired);
  }
  // The configuration read is not a file the runner ignores.
  for (const fs::path& file : flyway_choice.files) {
    const fs::path relative = file.lexically_relative(root);
    scan.ignored.erase(std::remove(scan.ignored.begin(), scan.ignored.end(), relative), scan.ignored.end());
  }
  if (scan.candidates.empty()) {
    throw InputError(fmt::format("no migrations found in {} (layout {}: {})", root.string(), to_string(layout),
                                 expected_patterns(layout)));
  }

  std::vector<Candidate>& candidates = scan.candidates;
  std::stable_sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.repeatable != b.repeatable) return !a.repeatable;  // Flyway runs repeatables last
    if (a.repeatable) return a.name < b.name;
    int c = compare_order(layout, a, b);
    if (c != 0) return c < 0;
    return a.primary.generic_string() < b.primary.generic_string();
  });

  std::map<std::string, const Candidate*> first_with_identity;
  for (const Candidate& c : candidates) {
    auto [it, inserted] = first_with_identity.emplace(c.identity, &c);
    if (inserted) continue;
    if (c.repeatable) {
      throw InputError(fmt::format("duplicate repeatable migration {}: {} and {}", c.name, folder.display(it->second->primary),
                                   folder.display(c.primary)));
    }
    if (!options.allow_duplicate_versions) duplicate_error(folder, "version " + c.version, it->second->primary, c.primary);
  }

  // Flyway's target stops a migrate as --through does; --through, like flyway's -target on the
  // command line, wins over the configuration.
  std::optional<std::string> through = options.through_version;
  if (!through && history.flyway_config && history.flyway_config->target) through = history.flyway_config->target;
  if (through) {
    std::optional<std::string> wanted = identity_of(layout, *through);
    std::optional<size_t> last;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (!candidates[i].repeatable && wanted && candidates[i].identity == *wanted) last = i;
    }
    if (!last) {
      throw InputError(fmt::format("{} {}: no migration in {} has that version",
                                   options.through_version ? "--through" : "flyway.target", *through, root.string()));
    }
    // Flyway's -target leaves repeatables in; they have no version to stop at.
    std::vector<Candidate> kept(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(*last) + 1);
    for (const Candidate& c : candidates) {
      if (c.repeatable) kept.push_back(c);
    }
    candidates = std::move(kept);
  }

  const PlaceholderValues* replacing = placeholders ? &*placeholders : nullptr;
  for (const Candidate& c : candidates) {
    history.migrations.push_back(build(folder, layout, c, options.read_scripts, replacing));
  }
  // Flyway's order: by event, then no description before any, then descriptions as strings.
  std::stable_sort(scan.callbacks.begin(), scan.callbacks.end(), [](const CallbackCandidate& a, const CallbackCandidate& b) {
    if (a.event != b.event) return a.event < b.event;
    return a.description < b.description;
  });
  for (const CallbackCandidate& c : scan.callbacks) {
    history.callbacks.push_back(build_callback(folder, c, options.read_scripts, replacing));
  }
  history.ignored_files = std::move(scan.ignored);
  std::sort(history.ignored_files.begin(), history.ignored_files.end());
  return history;
}

}  // namespace schemakit::migrations
