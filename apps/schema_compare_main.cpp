// schema-compare: thin front end; the work lives in lib/ (introspect, diff).
#include <boost/program_options.hpp>
#include <algorithm>
#include <cstdlib>
#include <fmt/core.h>
#include <future>
#include <iostream>
#include <optional>
#include <pqxx/nontransaction>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "common/cli.hpp"
#include "common/error.hpp"
#include "common/version.hpp"
#include "ddl/quote.hpp"
#include "diff/diff.hpp"
#include "diff/render.hpp"
#include "introspect/introspect.hpp"
#include "pg/connection.hpp"

namespace po = boost::program_options;
using namespace schemakit;

namespace {

constexpr const char* kTool = "schema-compare";
constexpr const char* kApplicationName = "schemakit schema-compare";
constexpr int kMaxJobs = 16;

// Connections per database by default: both databases are read at once, so each side gets half
// of this machine's cores, 1 to 4. On 2 cores two per side (the library's default for one
// database) lost to one per side once the index definitions were no longer the server's long
// deparse: 4 backends and 4 parsing threads then only take turns (docs/benchmarks.md).
int default_jobs() {
  const unsigned cores = std::thread::hardware_concurrency();
  return std::clamp(static_cast<int>(cores / 2), 1, 4);
}

constexpr const char* kUsage =
    "Usage: schema-compare [OPTIONS] A B [SCHEMA ...]\n"
    "\n"
    "Compares the catalogs of two live databases object by object and prints every difference.\n"
    "A and B are each a database name, a libpq conninfo string (\"host=db dbname=app\") or a\n"
    "postgresql:// URI; what they leave out comes from PGHOST, PGPORT, PGUSER, PGPASSWORD,\n"
    "~/.pgpass and service files, and from DB_HOST, DB_PORT, DB_USER when the PG* ones are unset.\n"
    "SCHEMA names limit the comparison to those schemas (like --schema).\n"
    "\n"
    "Both databases are read at the same time, each in one READ ONLY, REPEATABLE READ\n"
    "transaction of a session with default_transaction_read_only on; nothing is ever written.\n"
    "With --jobs above 1, each database is read on that many such sessions sharing the first\n"
    "one's snapshot (pg_export_snapshot), so each side is still one consistent snapshot.\n";

constexpr const char* kCompareExitCodes =
    "schema-compare exits like diff: 0 the catalogs are identical, 1 they differ,\n"
    "2 trouble (bad arguments, connection, permission or server failure).\n";

struct Settings {
  std::string target_a;
  std::string target_b;
  introspect::IntrospectOptions introspection;
  diff::DiffOptions diff;
  bool json = false;
  bool color = false;
  std::string lock_timeout;
  std::string statement_timeout;
};

// Duration in PostgreSQL's units ("5s", "250ms", "5min", "1h", a plain number of ms).
std::string checked_duration(const std::string& option, const std::string& value) {
  static const std::regex duration(R"(^\s*[0-9]+(\.[0-9]+)?\s*(us|ms|s|min|h|d)?\s*$)");
  if (!std::regex_match(value, duration)) {
    throw UsageError(fmt::format("--{}: \"{}\" is not a duration in PostgreSQL's units (e.g. 500ms, 5s, "
                                 "2min, 1h; 0 turns the limit off)",
                                 option, value));
  }
  return value;
}

void apply_ignore(const std::string& list, diff::DiffOptions& options) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string item = list.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (item == "column-order") {
      options.ignore_column_order = true;
    } else if (item == "constraint-names") {
      options.ignore_constraint_names = true;
    } else if (item == "index-names") {
      options.ignore_index_names = true;
    } else if (item == "comments") {
      options.ignore_comments = true;
    } else if (item == "privileges") {
      options.ignore_privileges = true;
    } else if (item == "ownership") {
      options.ignore_ownership = true;
    } else {
      throw UsageError(fmt::format(
          "--ignore: unknown value \"{}\" (known: column-order, constraint-names, index-names, comments, "
          "privileges, ownership)",
          item));
    }
    start = end + 1;
  }
}

// Libpq and server messages can span lines ("...failed: ...\n\tIs the server running...");
// errors are one line.
std::string one_line(const std::string& text) {
  std::string out;
  bool in_break = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      in_break = true;
      continue;
    }
    if (in_break) {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      if (!out.empty()) out += ' ';
      in_break = false;
      if (c == ' ') continue;
    }
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// A password the user typed in the target, to scrub from any message that might quote the
// target back (libpq echoes a malformed URI whole).
std::optional<std::string> password_in(const std::string& target) {
  static const std::regex uri(R"(^[A-Za-z]+://[^/@:]*:([^@/]+)@)");
  static const std::regex keyword(R"((^|\s)password\s*=\s*('((\\.|[^'\\])*)'|[^\s']+))");
  std::smatch m;
  if (std::regex_search(target, m, uri)) return m[1].str();
  if (std::regex_search(target, m, keyword)) return m[3].matched ? m[3].str() : m[2].str();
  return std::nullopt;
}

std::string scrubbed(std::string message, const std::vector<std::string>& targets) {
  for (const auto& target : targets) {
    auto password = password_in(target);
    if (!password || password->empty()) continue;
    for (size_t at = message.find(*password); at != std::string::npos; at = message.find(*password, at)) {
      message.replace(at, password->size(), "********");
      at += 8;
    }
  }
  return message;
}

void set_session(pqxx::connection& connection, const Settings& settings) {
  pqxx::nontransaction session(connection, "schemakit-session-settings");
  session.exec("SET lock_timeout = " + ddl::quote_literal(settings.lock_timeout));
  session.exec("SET statement_timeout = " + ddl::quote_literal(settings.statement_timeout));
  session.exec("SET default_transaction_read_only = on");
  session.commit();
}

// Connects, sets the session up and reads one catalog. Errors come back as one line that names
// the side and the target (password masked).
catalog::Catalog read_side(const std::string& side, const std::string& conninfo, const Settings& settings) {
  const std::string masked = pg::mask_password(conninfo);
  const std::string where = fmt::format("{} ({})", side, masked);
  try {
    std::unique_ptr<pqxx::connection> connection;
    try {
      connection = pg::connect(conninfo, kApplicationName);
    } catch (const Error& e) {
      std::string message = e.what();
      const std::string prefix = "cannot connect to " + masked + ": ";
      if (message.starts_with(prefix)) message = message.substr(prefix.size());
      throw ServerError(ExitCode::trouble, fmt::format("cannot connect: {}", message));
    }
    try {
      set_session(*connection, settings);
    } catch (...) {
      pg::rethrow_as_server_error("setting up the read-only session");
    }
    // The other connections of this side (--jobs) are set up alike; one that fails is done
    // without (the introspection then reads on fewer).
    const introspect::Connector connect_more = [&conninfo, &settings] {
      auto more = pg::connect(conninfo, kApplicationName);
      set_session(*more, settings);
      return more;
    };
    return introspect::introspect(*connection, connect_more, settings.introspection);
  } catch (const ServerError& e) {
    throw ServerError(e.code(), one_line(fmt::format("{}: {}", where, e.what())), e.sqlstate(), e.query());
  } catch (const Error& e) {
    throw Error(e.code(), one_line(fmt::format("{}: {}", where, e.what())));
  } catch (const std::exception& e) {
    throw ServerError(ExitCode::trouble, one_line(fmt::format("{}: {}", where, e.what())));
  }
}

int compare_databases(const Settings& settings) {
  const std::string conninfo_a = pg::resolve_conninfo(settings.target_a);
  const std::string conninfo_b = pg::resolve_conninfo(settings.target_b);
  // Two connections, two threads: the two catalogs are read at the same time.
  auto future_a = std::async(std::launch::async, read_side, "A", conninfo_a, std::cref(settings));
  auto future_b = std::async(std::launch::async, read_side, "B", conninfo_b, std::cref(settings));
  std::optional<catalog::Catalog> a, b;
  std::vector<std::string> failures;
  ExitCode code = ExitCode::trouble;
  try {
    a = future_a.get();
  } catch (const Error& e) {
    failures.push_back(e.what());
    code = e.code();
  }
  try {
    b = future_b.get();
  } catch (const Error& e) {
    failures.push_back(e.what());
    if (failures.size() == 1) code = e.code();
  }
  if (!failures.empty()) {
    std::string message = failures[0];
    if (failures.size() == 2) message += "; " + failures[1];
    throw Error(code, message);
  }
  diff::ChangeSet changes = diff::compare(*a, *b, settings.diff);
  // The two models are most of the process's memory (250,000 objects of maps and strings on a
  // large catalog): freeing them one by one took about as long as the comparison. The process
  // ends after the report, so they are kept (reachable, not leaked) and the system takes them back.
  static auto* const kept = new std::vector<catalog::Catalog>();
  kept->push_back(std::move(*a));
  kept->push_back(std::move(*b));
  if (settings.json) {
    std::cout << diff::render_json(changes);
  } else {
    diff::RenderOptions render;
    render.color = settings.color;
    render.name_a = pg::mask_password(conninfo_a);
    render.name_b = pg::mask_password(conninfo_b);
    std::cout << diff::render_text(changes, render);
  }
  std::cout.flush();
  return static_cast<int>(changes.identical() ? ExitCode::ok : ExitCode::no);
}

}  // namespace

int main(int argc, char** argv) {
  return cli::run(kTool, [&] {
    std::vector<std::string> include, exclude, ignore, positional;
    std::string format, lock_timeout, statement_timeout;
    int jobs = default_jobs();
    po::options_description options("Options");
    options.add_options()
        ("schema,n", po::value(&include)->composing(),
         "compare only schemas matching PATTERN (* and ? wildcards; repeatable)")
        ("exclude-schema,N", po::value(&exclude)->composing(),
         "leave out schemas matching PATTERN (repeatable)")
        ("format", po::value(&format)->default_value("text"), "report format: text or json")
        ("no-color", "no ANSI colours (also off when stdout is not a terminal or NO_COLOR is set)")
        ("ignore", po::value(&ignore)->composing(),
         "comma-separated, repeatable: column-order, constraint-names, index-names, comments, "
         "privileges, ownership (renamed constraints/indexes are then matched by definition)")
        ("sequence-positions", "also compare sequence positions (last_value, is_called: data, not schema)")
        ("lock-timeout", po::value(&lock_timeout)->default_value("5s"),
         "lock_timeout of each session, in PostgreSQL's units (500ms, 5s, 1min)")
        ("statement-timeout", po::value(&statement_timeout)->default_value("5min"),
         "statement_timeout of each session, in PostgreSQL's units")
        ("jobs,j", po::value(&jobs)->default_value(default_jobs()),
         "connections reading each database, sharing one snapshot (1 to 16; by default half\n"
         "this machine's cores, 1 to 4)")
        ("help,h", "show this help and exit")
        ("version", "show the version and exit");
    po::options_description hidden;
    hidden.add_options()("target", po::value(&positional)->composing());
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positions;
    positions.add("target", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(all).positional(positions).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << kUsage << "\n" << options << "\n" << cli::kExitCodeTable << kCompareExitCodes;
      return 0;
    }
    if (vm.count("version")) {
      fmt::print("schema-compare (schemakit) {}\n", kVersion);
      return 0;
    }
    if (positional.size() < 2) {
      throw UsageError("two databases to compare are needed: schema-compare A B [SCHEMA ...] (see --help)");
    }
    Settings settings;
    settings.target_a = positional[0];
    settings.target_b = positional[1];
    include.insert(include.end(), positional.begin() + 2, positional.end());
    if (format != "text" && format != "json") {
      throw UsageError(fmt::format("--format: unknown format \"{}\" (text or json)", format));
    }
    settings.json = format == "json";
    for (const auto& list : ignore) apply_ignore(list, settings.diff);
    settings.diff.sequence_positions = vm.count("sequence-positions") > 0;
    settings.lock_timeout = checked_duration("lock-timeout", lock_timeout);
    settings.statement_timeout = checked_duration("statement-timeout", statement_timeout);
    const char* no_color_env = std::getenv("NO_COLOR");
    settings.color = !settings.json && vm.count("no-color") == 0 && cli::stdout_is_terminal() &&
                     (no_color_env == nullptr || *no_color_env == '\0');
    // What is ignored is not read either: less to fetch, and nothing to compare.
    settings.introspection.privileges = !settings.diff.ignore_privileges;
    settings.introspection.ownership = !settings.diff.ignore_ownership;
    settings.introspection.comments = !settings.diff.ignore_comments;
    settings.introspection.sequence_positions = settings.diff.sequence_positions;
    if (jobs < 1 || jobs > kMaxJobs) {
      throw UsageError(fmt::format("--jobs: {} is not between 1 and {}", jobs, kMaxJobs));
    }
    settings.introspection.jobs = jobs;
    // The comparison is of attributes; pg_depend's edges only order scripts.
    settings.introspection.dependencies = false;
    settings.introspection.include_schemas = include;
    settings.introspection.exclude_schemas = exclude;
    try {
      return compare_databases(settings);
    } catch (const Error& e) {
      // libpq quotes a malformed target back whole, password included.
      throw Error(e.code(), scrubbed(e.what(), {settings.target_a, settings.target_b}));
    }
  });
}
