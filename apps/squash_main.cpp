// squash: thin front end; the work lives in lib/squash.
#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/error.hpp"
#include "common/version.hpp"
#include "migrations/migration.hpp"
#include "squash/console.hpp"
#include "squash/lifecycle.hpp"
#include "squash/squash.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace schemakit;

namespace {

constexpr const char* kUsage =
    "Usage:\n"
    "  squash MIGRATIONS_DIR --output OUT_DIR [OPTIONS]\n"
    "      Replay a migration history into a scratch database, write OUT_DIR/up.sql, down.sql\n"
    "      and squash.json, prove them equal to the replay, and only then move them into\n"
    "      OUT_DIR (left exactly as it was on any failure).\n"
    "  squash apply --db CONN OUT_DIR [--force]\n"
    "      Run up.sql in one transaction; refuses when the schema's objects already exist,\n"
    "      unless --force, which runs down.sql first in the same transaction.\n"
    "  squash rollback --db CONN OUT_DIR\n"
    "      Run down.sql in one transaction.\n"
    "  squash verify --db CONN OUT_DIR [--scratch-url URL] [--setup FILE]...\n"
    "      Compare the live database with what up.sql builds in a scratch database;\n"
    "      exits like schema-compare (0 identical, 1 differences).\n";

po::options_description squash_options() {
  po::options_description o("Squash options");
  o.add_options()
      ("output,o", po::value<std::string>()->value_name("OUT_DIR"),
       "where up.sql, down.sql and squash.json go (created if absent)")
      ("format", po::value<std::string>()->value_name("LAYOUT"),
       ("the history's layout instead of detecting it: " + [] {
          std::string names;
          for (const auto& n : migrations::layout_names()) names += (names.empty() ? "" : ", ") + n;
          return names;
        }()).c_str())
      ("through", po::value<std::string>()->value_name("VERSION"),
       "squash only up to this version (as the runner writes it)")
      ("dry-run", "read, check, replay and prove, but write nothing")
      ("no-data", "leave rows and sequence positions out of up.sql")
      ("setup", po::value<std::vector<std::string>>()->value_name("FILE")->composing(),
       "SQL run before the replay (platform roles, extensions a host provides); what it makes "
       "is left out of the output. Repeatable; also for verify")
      ("allow-duplicate-versions", "keep migrations that share a version, in name order")
      ("flyway-config", po::value<std::vector<std::string>>()->value_name("FILE")->composing(),
       "Flyway's flyway.conf or flyway.toml to replay with (repeatable: later files override); "
       "default: the one in MIGRATIONS_DIR, else in its parent");
  return o;
}

po::options_description lifecycle_options() {
  po::options_description o("apply / rollback / verify options");
  o.add_options()
      ("db", po::value<std::string>()->value_name("CONN"),
       "the database: a name, a conninfo string or a postgresql:// URI (PG* variables apply)")
      ("force", "apply: run down.sql first, in the same transaction")
      ("no-color", "verify: no colours in the report");
  return o;
}

po::options_description common_options() {
  po::options_description o("Common options");
  o.add_options()
      ("scratch-url", po::value<std::string>()->value_name("URL"),
       "replay into scratch databases on this server instead of an embedded PostgreSQL")
      ("pg-bindir", po::value<std::string>()->value_name("DIR"),
       "PostgreSQL server binaries (initdb, postgres, pg_dump) for the embedded server")
      ("verbose,v", "list each step on stderr")
      ("help,h", "show this help and exit")
      ("version", "show the version and exit");
  return o;
}

std::string value_or_empty(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

std::vector<fs::path> setup_files(const po::variables_map& vm) {
  std::vector<fs::path> files;
  if (vm.count("setup")) {
    for (const auto& f : vm["setup"].as<std::vector<std::string>>()) files.emplace_back(f);
  }
  return files;
}

void refuse(const po::variables_map& vm, const std::vector<const char*>& names, const std::string& where) {
  for (const char* name : names) {
    if (vm.count(name)) throw UsageError(fmt::format("--{} does not apply to {}", name, where));
  }
}

int run_lifecycle(const std::string& command, const po::variables_map& vm,
                  const std::vector<std::string>& positionals) {
  refuse(vm, {"output", "format", "through", "dry-run", "no-data", "allow-duplicate-versions", "flyway-config"},
         "squash " + command);
  if (command != "apply") refuse(vm, {"force"}, "squash " + command);
  if (command != "verify") refuse(vm, {"setup", "scratch-url", "pg-bindir", "no-color"}, "squash " + command);
  if (!vm.count("db")) throw UsageError(fmt::format("squash {}: --db CONN is required", command));
  if (positionals.size() != 2) {
    throw UsageError(fmt::format("squash {}: expected one OUT_DIR, got {}", command, positionals.size() - 1));
  }
  squash::LifecycleOptions options;
  options.db = vm["db"].as<std::string>();
  options.out_dir = positionals[1];
  options.force = vm.count("force") > 0;
  options.scratch_url = value_or_empty(vm, "scratch-url");
  options.pg_bindir = value_or_empty(vm, "pg-bindir");
  options.setup_files = setup_files(vm);
  options.color = cli::stdout_is_terminal() && !vm.count("no-color") && std::getenv("NO_COLOR") == nullptr;
  squash::Console console(vm.count("verbose") > 0, squash::stderr_is_terminal());
  if (command == "apply") {
    std::cout << squash::apply(options, console);
    return 0;
  }
  if (command == "rollback") {
    std::cout << squash::rollback(options, console);
    return 0;
  }
  squash::VerifyOutcome outcome = squash::verify(options, console);
  std::cout << outcome.report;
  return outcome.identical ? 0 : 1;
}

int run_squash(const po::variables_map& vm, const std::vector<std::string>& positionals) {
  refuse(vm, {"db", "force", "no-color"}, "squashing a history (they belong to apply/rollback/verify)");
  if (positionals.empty()) throw UsageError("expected MIGRATIONS_DIR (see squash --help)");
  if (positionals.size() > 1) {
    throw UsageError(fmt::format("expected one MIGRATIONS_DIR, got {}: {} ...", positionals.size(),
                                 positionals[1]));
  }
  squash::SquashOptions options;
  options.migrations_dir = positionals[0];
  options.output_dir = value_or_empty(vm, "output");
  options.scratch_url = value_or_empty(vm, "scratch-url");
  options.pg_bindir = value_or_empty(vm, "pg-bindir");
  if (vm.count("format")) {
    const std::string name = vm["format"].as<std::string>();
    options.format = migrations::layout_from_string(name);
    if (!options.format) {
      std::string names;
      for (const auto& n : migrations::layout_names()) names += (names.empty() ? "" : ", ") + n;
      throw UsageError(fmt::format("--format {}: not a layout squash reads ({})", name, names));
    }
  }
  if (vm.count("through")) options.through = vm["through"].as<std::string>();
  options.dry_run = vm.count("dry-run") > 0;
  options.no_data = vm.count("no-data") > 0;
  options.allow_duplicate_versions = vm.count("allow-duplicate-versions") > 0;
  options.setup_files = setup_files(vm);
  if (vm.count("flyway-config")) {
    for (const auto& f : vm["flyway-config"].as<std::vector<std::string>>()) options.flyway_config_files.emplace_back(f);
  }
  if (!options.dry_run && options.output_dir.empty()) {
    throw UsageError("--output OUT_DIR is required (or --dry-run)");
  }
  squash::Console console(vm.count("verbose") > 0, squash::stderr_is_terminal());
  squash::SquashOutcome outcome = squash::run_squash(options, console);
  std::cout << outcome.summary;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return cli::run("squash", [&] {
    po::options_description visible;
    visible.add(squash_options()).add(lifecycle_options()).add(common_options());
    po::options_description all = visible;
    all.add_options()("positional", po::value<std::vector<std::string>>());
    po::positional_options_description positional;
    positional.add("positional", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << kUsage << "\n" << visible << "\n" << cli::kExitCodeTable;
      return 0;
    }
    if (vm.count("version")) {
      fmt::print("squash (schemakit) {}\n", kVersion);
      return 0;
    }
    std::vector<std::string> positionals;
    if (vm.count("positional")) positionals = vm["positional"].as<std::vector<std::string>>();
    if (!positionals.empty() &&
        (positionals[0] == "apply" || positionals[0] == "rollback" || positionals[0] == "verify")) {
      return run_lifecycle(positionals[0], vm, positionals);
    }
    return run_squash(vm, positionals);
  });
}
