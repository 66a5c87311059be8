#include "migrations/flyway_config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>

#include "common/error.hpp"
#include "migrations/java_properties.hpp"
#include "migrations/text.hpp"

namespace schemakit::migrations {

namespace fs = std::filesystem;

namespace {

using text::lower;
using text::starts_with;

std::string trim(std::string_view s) { return std::string(text::trim(s)); }

// A value as the file wrote it: conf values are strings (lists comma-separated), TOML values
// strings, booleans or numbers (held as text) or arrays of them.
struct Value {
  std::string text;
  std::optional<std::vector<std::string>> list;  // TOML arrays
};

// One setting: its Flyway name ("schemas", "placeholders.tenant"), its value, and where it is.
struct Setting {
  std::string name;
  std::string written;  // as the file names it, for the report: "flyway.schemas"
  Value value;
  std::string where;    // "flyway.conf:12"
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(fmt::format("cannot read Flyway configuration {}: {}", file.string(), std::strerror(errno)));
  std::ostringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  if (starts_with(text, "\xEF\xBB\xBF")) text.erase(0, 3);
  return text;
}

// ---------------------------------------------------------------------------------------------
// flyway.conf: Java properties (migrations/java_properties.hpp).

std::vector<Setting> parse_conf(const std::string& text, const std::string& display) {
  std::vector<Setting> settings;
  for (JavaProperty& p : parse_java_properties(text, display)) {
    const std::string where = fmt::format("{}:{}", display, p.line);
    if (!starts_with(p.key, "flyway.")) {
      throw InputError(fmt::format("{}: {} is not a Flyway setting (flyway.conf settings start with flyway.)", where, p.key));
    }
    settings.push_back({p.key.substr(7), p.key, Value{std::move(p.value), std::nullopt}, where});
  }
  return settings;
}

// ---------------------------------------------------------------------------------------------
// flyway.toml: parsed by toml++, then flattened into dotted keys in file order. Flyway's settings
// are strings, booleans, numbers and arrays of them; arrays of tables and nested arrays are not.

struct TomlSetting {
  std::vector<std::string> key;  // the full dotted path: {"environments", "default", "url"}
  Value value;
  toml::source_position at;
};

[[noreturn]] void refuse_toml(const std::string& display, const toml::source_region& at, const std::string& what) {
  throw InputError(fmt::format("{}:{}:{}: {}", display, at.begin.line, at.begin.column, what));
}

// A scalar as Flyway's TOML reader hands it over: the string itself, or the value's text.
std::string scalar_text(const toml::node& node, const std::string& display, const std::string& written) {
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (node.is_array() || node.is_table()) {
    refuse_toml(display, node.source(),
                fmt::format("{}: nested arrays and tables in an array are not part of Flyway's configuration", written));
  }
  std::ostringstream text;  // floats, dates and times, in TOML's notation
  node.visit([&](const auto& value) { text << value; });
  return text.str();
}

void flatten(const toml::table& table, std::vector<std::string>& path, const std::string& display,
             std::vector<TomlSetting>& out) {
  for (const auto& [name, node] : table) {
    path.emplace_back(name.str());
    const std::string written = fmt::format("{}", fmt::join(path, "."));
    if (const auto* inner = node.as_table()) {
      flatten(*inner, path, display, out);
    } else if (const auto* array = node.as_array()) {
      if (array->is_array_of_tables() && !array->empty()) {
        refuse_toml(display, node.source(),
                    fmt::format("{}: arrays of tables ([[...]]) are not part of Flyway's configuration", written));
      }
      std::vector<std::string> items;
      for (const toml::node& item : *array) items.push_back(scalar_text(item, display, written));
      out.push_back({path, Value{fmt::format("{}", fmt::join(items, ",")), items}, node.source().begin});
    } else {
      out.push_back({path, Value{scalar_text(node, display, written), std::nullopt}, node.source().begin});
    }
    path.pop_back();
  }
}

// Every value with its full dotted path, in the order the file writes them (toml++ keeps a
// table's keys sorted by name). InputError at file:line:column for a syntax error.
std::vector<TomlSetting> toml_settings(const std::string& text, const std::string& display) {
  toml::table root;
  try {
    root = toml::parse(text, display);
  } catch (const toml::parse_error& e) {
    refuse_toml(display, e.source(), fmt::format("TOML syntax error: {}", e.description()));
  }
  std::vector<TomlSetting> settings;
  std::vector<std::string> path;
  flatten(root, path, display, settings);
  std::stable_sort(settings.begin(), settings.end(), [](const TomlSetting& a, const TomlSetting& b) {
    return std::pair(a.at.line, a.at.column) < std::pair(b.at.line, b.at.column);
  });
  return settings;
}
std::string joined(const std::vector<std::string>& parts, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) out += (out.empty() ? "" : ".") + parts[i];
  return out;
}

// What an environment table holds (Flyway 10's environment parameters) besides a `flyway`
// table of its own.
bool is_environment_parameter(const std::string& name) {
  static const char* const kNames[] = {"url", "user", "password", "driver", "schemas", "connectRetries",
                                       "connectRetriesInterval", "initSql", "token", "provisioner", "displayName"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return starts_with(name, "jdbcProperties.") || starts_with(name, "resolvers.");
}

std::vector<Setting> parse_toml(const std::string& text, const std::string& display, std::string* environment,
                                std::vector<std::string>* other_tables) {
  const std::vector<TomlSetting> values = toml_settings(text, display);
  // The environment is chosen first: [flyway] environment = "...", "default" otherwise.
  for (const auto& [key, value, at] : values) {
    if (key.size() == 2 && key[0] == "flyway" && key[1] == "environment") *environment = value.text;
  }
  std::vector<Setting> flyway, environment_settings, environment_flyway;
  bool environment_defined = false;
  for (const auto& [key, value, at] : values) {
    const std::string written = joined(key);
    const std::string where = fmt::format("{}:{}", display, at.line);
    if (key[0] == "flyway" && key.size() > 1) {
      flyway.push_back({joined(key, 1), written, value, where});
    } else if (key[0] == "environments" && key.size() > 2) {
      if (key[1] != *environment) {
        other_tables->push_back(written);
        continue;
      }
      environment_defined = true;
      if (key[2] == "flyway" && key.size() > 3) {
        environment_flyway.push_back({joined(key, 3), written, value, where});
      } else if (is_environment_parameter(joined(key, 2))) {
        environment_settings.push_back({joined(key, 2), written, value, where});
      } else {
        throw InputError(fmt::format("{}: {} is not a parameter of a Flyway environment", where, written));
      }
    } else if (key[0] == "flywayDesktop" || key[0] == "redgateCompare" ||
               (key.size() == 1 && (key[0] == "id" || key[0] == "name" || key[0] == "databaseType"))) {
      // Flyway Desktop's and Redgate Compare's own keys: they change nothing migrate runs.
      other_tables->push_back(written);
    } else {
      throw InputError(fmt::format("{}: {} is not a Flyway setting (flyway.toml keeps them under [flyway] and "
                                   "[environments.<name>])",
                                   where, written));
    }
  }
  if (!environment_defined && *environment != "default") {
    throw InputError(fmt::format("{}: flyway.environment = \"{}\", but the file defines no [environments.{}]", display,
                                 *environment, *environment));
  }
  std::vector<Setting> all = std::move(flyway);
  for (auto& s : environment_settings) all.push_back(std::move(s));
  for (auto& s : environment_flyway) all.push_back(std::move(s));
  return all;
}

// ---------------------------------------------------------------------------------------------
// Applying settings

bool boolean(const Setting& s) {
  const std::string v = lower(trim(s.value.text));
  if (v == "true") return true;
  if (v == "false") return false;
  throw InputError(fmt::format("{}: {} must be true or false, not '{}'", s.where, s.written, s.value.text));
}

std::vector<std::string> list(const Setting& s) {
  if (s.value.list) return *s.value.list;
  std::vector<std::string> items;
  std::string item;
  for (char c : s.value.text + ",") {
    if (c == ',') {
      std::string t = trim(item);
      if (!t.empty()) items.push_back(t);
      item.clear();
    } else {
      item += c;
    }
  }
  return items;
}

std::string non_empty(const Setting& s) {
  if (s.value.text.empty()) throw InputError(fmt::format("{}: {} must not be empty", s.where, s.written));
  return s.value.text;
}

// The database of a jdbc:postgresql://host:port/database?params url (empty for other urls).
std::string database_of_url(const std::string& url) {
  constexpr std::string_view kPrefix = "jdbc:postgresql://";
  if (!starts_with(url, kPrefix)) return {};
  std::string rest = url.substr(kPrefix.size());
  size_t slash = rest.find('/');
  if (slash == std::string::npos) return {};
  std::string database = rest.substr(slash + 1);
  return database.substr(0, database.find('?'));
}

bool same_folder(const fs::path& a, const fs::path& b) {
  std::error_code ec_a, ec_b;
  fs::path ca = fs::weakly_canonical(a, ec_a), cb = fs::weakly_canonical(b, ec_b);
  if (ec_a || ec_b) return a.lexically_normal() == b.lexically_normal();
  return ca == cb;
}

// `locations` and `callbackLocations`: each must be the folder squash reads.
void check_locations(const Setting& s, const fs::path& config_folder, const fs::path& migrations_root) {
  for (const std::string& location : list(s)) {
    const std::string where = fmt::format("{}: {} {}", s.where, s.written, location);
    if (!starts_with(location, "filesystem:")) {
      const size_t colon = location.find(':');
      const std::string kind = colon == std::string::npos ? "classpath: (no prefix)" : location.substr(0, colon + 1);
      throw InputError(fmt::format("{}: squash reads a folder of files, and a {} location is not one (squash the "
                                   "folder of files it holds, with a configuration whose locations name that folder)",
                                   where, kind));
    }
    fs::path path = location.substr(11);
    if (location.find_first_of("*?") != std::string::npos) {
      throw InputError(fmt::format("{}: wildcard locations are not supported", where));
    }
    if (path.is_relative()) path = config_folder / path;
    if (!same_folder(path, migrations_root)) {
      throw InputError(fmt::format("{}: names {}, not the folder squash reads ({}); squash replays one location: the "
                                   "one it is given",
                                   where, path.lexically_normal().string(), migrations_root.string()));
    }
  }
}

enum class Use { applied, not_applicable };

// Settings that change nothing `flyway migrate` does to an empty database (connection,
// validation of an existing history, reporting, other commands).
bool not_applicable(const std::string& name) {
  static const char* const kNames[] = {
      "url", "password", "driver", "connectRetries", "connectRetriesInterval", "connectRetriesCount",
      "lockRetryCount", "baselineOnMigrate", "baselineVersion", "baselineDescription", "outOfOrder",
      "cleanDisabled", "cleanOnValidationError", "ignoreMigrationPatterns", "ignoreMissingMigrations",
      "ignoreIgnoredMigrations", "ignorePendingMigrations", "ignoreFutureMigrations", "installedBy",
      "tablespace", "outputQueryResults", "failOnMissingLocations", "reportEnabled", "reportFilename",
      "color", "loggers", "licenseKey", "kerberosConfigFile", "postgresql.transactional.lock", "environment",
      "stream", "batch", "validateMigrationNaming", "mixed", "token", "displayName", "outputType",
      "createSchemasIfNotExist"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return starts_with(name, "jdbcProperties.");
}

// Why a setting is refused, when squash knows the setting.
std::optional<std::string> refusal(const std::string& name) {
  if (name == "initSql") {
    return "runs on every connection Flyway opens; squash replays on one session that it resets between "
           "migrations, and cannot run it as often as Flyway would";
  }
  if (name == "callbacks") return "names Java callback classes, which squash cannot run";
  if (starts_with(name, "resolvers")) return "names Java migration resolvers, which squash cannot run";
  if (name == "skipExecutingMigrations") return "makes migrate record migrations without running them";
  if (name == "cherryPick") return "runs a chosen subset of migrations (Flyway Teams); squash replays them all";
  if (name == "dryRunOutput") return "makes migrate write SQL instead of running it";
  if (name == "errorOverrides") return "changes which errors fail a migration (Flyway Teams)";
  if (name == "configFiles") return "names further configuration files: pass each with --flyway-config";
  if (name == "workingDirectory") return "changes where Flyway resolves paths and ${flyway:workingDirectory}";
  if (name == "jarDirs") return "adds Java migrations and callbacks, which squash cannot run";
  if (name == "scriptPlaceholderPrefix" || name == "scriptPlaceholderSuffix") {
    return "configures placeholders in script file names, which squash does not replace";
  }
  if (name == "provisioner") return "provisions a database; squash replays into a scratch database of its own";
  return std::nullopt;
}

void apply(FlywayConfig& config, const Setting& s, const fs::path& config_folder, const fs::path& migrations_root) {
  const std::string& n = s.name;
  std::optional<Use> use;
  if (s.value.text.find("${") != std::string::npos && !starts_with(n, "placeholders.") && n != "placeholderPrefix" &&
      n != "placeholderSuffix") {
    throw InputError(fmt::format("{}: {} = {}: Flyway would substitute an environment variable or a resolver here; "
                                 "squash reads no environment variables (write the value)",
                                 s.where, s.written, s.value.text));
  }
  if (starts_with(n, "placeholders.") && n.size() > 13) {
    config.placeholders[n.substr(13)] = s.value.text;
    use = Use::applied;
  } else if (n == "placeholderPrefix") {
    config.placeholder_prefix = non_empty(s);
    use = Use::applied;
  } else if (n == "placeholderSuffix") {
    config.placeholder_suffix = non_empty(s);
    use = Use::applied;
  } else if (n == "placeholderReplacement") {
    config.placeholder_replacement = boolean(s);
    use = Use::applied;
  } else if (n == "placeholderSeparator") {
    if (s.value.text != ":") {
      throw InputError(fmt::format("{}: {} = {}: only Flyway's default ':' is supported", s.where, s.written, s.value.text));
    }
    use = Use::applied;
  } else if (n == "schemas") {
    config.schemas = list(s);
    use = Use::applied;
  } else if (n == "defaultSchema") {
    config.default_schema = trim(s.value.text);
    use = Use::applied;
  } else if (n == "createSchemas") {
    config.create_schemas = boolean(s);
    use = Use::applied;
  } else if (n == "validateOnMigrate") {
    config.validate_on_migrate = boolean(s);
    use = Use::applied;
  } else if (n == "sqlMigrationPrefix") {
    config.sql_migration_prefix = non_empty(s);
    use = Use::applied;
  } else if (n == "sqlMigrationSeparator") {
    config.sql_migration_separator = non_empty(s);
    use = Use::applied;
  } else if (n == "sqlMigrationSuffixes") {
    config.sql_migration_suffixes = list(s);
    if (config.sql_migration_suffixes.empty()) {
      throw InputError(fmt::format("{}: {} must name at least one suffix", s.where, s.written));
    }
    use = Use::applied;
  } else if (n == "repeatableSqlMigrationPrefix") {
    config.repeatable_sql_migration_prefix = non_empty(s);
    use = Use::applied;
  } else if (n == "undoSqlMigrationPrefix") {
    config.undo_sql_migration_prefix = non_empty(s);
    use = Use::applied;
  } else if (n == "encoding") {
    const std::string e = lower(trim(s.value.text));
    if (e != "utf-8" && e != "utf8") {
      throw InputError(fmt::format("{}: {} = {}: squash reads UTF-8 files only", s.where, s.written, s.value.text));
    }
    use = Use::applied;
  } else if (n == "detectEncoding") {
    if (boolean(s)) throw InputError(fmt::format("{}: {} = true: squash reads UTF-8 files only", s.where, s.written));
    use = Use::not_applicable;
  } else if (n == "locations" || n == "callbackLocations") {
    check_locations(s, config_folder, migrations_root);
    use = Use::applied;
  } else if (n == "target") {
    const std::string t = trim(s.value.text);
    if (t == "current" || t == "next" || t.empty() || t.back() == '?') {
      throw InputError(fmt::format("{}: {} = {}: squash replays from an empty database, up to a version or latest",
                                   s.where, s.written, t));
    }
    if (t == "latest") {
      config.target.reset();
    } else {
      config.target = t;
    }
    use = Use::applied;
  } else if (n == "table") {
    config.table = non_empty(s);
    use = Use::applied;
  } else if (n == "user") {
    config.user = s.value.text;
    use = Use::applied;
  } else if (n == "url") {
    config.database = database_of_url(s.value.text);
    use = Use::not_applicable;
  } else if (n == "group") {
    if (boolean(s)) {
      throw InputError(fmt::format("{}: {} = true runs all pending migrations in one transaction; squash replays "
                                   "each in its own, as Flyway's default does",
                                   s.where, s.written));
    }
    use = Use::applied;
  } else if (n == "skipDefaultCallbacks") {
    if (boolean(s)) {
      throw InputError(fmt::format("{}: {} = true: squash replays the SQL callbacks beside the migrations; move them "
                                   "out of the folder instead",
                                   s.where, s.written));
    }
    use = Use::applied;
  } else if (auto why = refusal(n)) {
    throw InputError(fmt::format("{}: {} is not supported: it {}", s.where, s.written, *why));
  } else if (not_applicable(n)) {
    use = Use::not_applicable;
  } else {
    throw InputError(fmt::format("{}: {} is not a Flyway setting squash knows; squash refuses it rather than "
                                 "replay without it",
                                 s.where, s.written));
  }
  (*use == Use::applied ? config.applied : config.not_applicable).push_back(s.written);
}

}  // namespace

std::optional<fs::path> find_flyway_config(const fs::path& migrations_root) {
  fs::path root = migrations_root;
  if (!root.has_filename()) root = root.parent_path();
  // The parent as the user would name it: "" for a bare folder name (the current folder).
  fs::path parent = root.parent_path();
  if (root.empty() || root == "." || root.filename() == "..") parent = root / "..";
  for (const fs::path& folder : {root, parent}) {
    const fs::path base = folder.empty() ? fs::path(".") : folder;
    std::error_code ec_conf, ec_toml;
    const bool conf = fs::is_regular_file(base / "flyway.conf", ec_conf);
    const bool toml = fs::is_regular_file(base / "flyway.toml", ec_toml);
    if (conf && toml) {
      throw InputError(fmt::format("{} holds both flyway.conf and flyway.toml: say which configuration flyway migrate "
                                   "reads with --flyway-config FILE",
                                   base.string()));
    }
    if (conf) return folder / "flyway.conf";
    if (toml) return folder / "flyway.toml";
  }
  return std::nullopt;
}

FlywayConfig read_flyway_config(const std::vector<fs::path>& files, const fs::path& migrations_root) {
  FlywayConfig config;
  for (const fs::path& file : files) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
      throw IoError(fmt::format("cannot read Flyway configuration {}: no such file", file.string()));
    }
    const std::string text = read_text(file);
    const std::string display = file.string();
    std::vector<Setting> settings;
    if (file.extension() == ".toml") {
      std::vector<std::string> other_tables;
      settings = parse_toml(text, display, &config.environment, &other_tables);
      for (auto& t : other_tables) config.not_applicable.push_back(std::move(t));
    } else if (file.extension() == ".conf" || file.extension() == ".properties") {
      settings = parse_conf(text, display);
    } else {
      throw InputError(fmt::format("{}: a Flyway configuration is a .conf or a .toml file", display));
    }
    fs::path folder = file.parent_path();
    if (folder.empty()) folder = ".";
    for (const Setting& s : settings) apply(config, s, folder, migrations_root);
    config.files.push_back(file);
  }
  if (!config.default_schema.empty() && !config.schemas.empty() &&
      std::find(config.schemas.begin(), config.schemas.end(), config.default_schema) == config.schemas.end()) {
    throw InputError(fmt::format("defaultSchema {} is not among schemas ({}): Flyway refuses that (\"The "
                                 "defaultSchema property is specified but is not a member of the schemas property\")",
                                 config.default_schema, [&] {
                                   std::string s;
                                   for (const auto& x : config.schemas) s += (s.empty() ? "" : ", ") + x;
                                   return s;
                                 }()));
  }
  if (config.default_schema.empty() && !config.schemas.empty()) config.default_schema = config.schemas.front();
  if (!config.default_schema.empty() && config.schemas.empty()) config.schemas.push_back(config.default_schema);
  return config;
}

}  // namespace schemakit::migrations
