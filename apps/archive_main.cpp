// archive: thin front end; the work lives in lib/archive.
#include <algorithm>
#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "archive/operations.hpp"
#include "archive/report.hpp"
#include "archive/selection.hpp"
#include "common/cli.hpp"
#include "common/error.hpp"
#include "common/version.hpp"
#include "migrations/reader.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace schemakit;
using namespace schemakit::archive;

namespace {

constexpr const char* kUsage =
    "Usage:\n"
    "  archive list    [--migrations DIR [--covered-by SQUASH_JSON | --through VERSION]]\n"
    "  archive archive --migrations DIR (--covered-by SQUASH_JSON | --through VERSION)\n"
    "                  [--name SET] [--dry-run] [--force]\n"
    "  archive restore SET [--to DIR] [--dry-run]\n"
    "  archive verify  [SET]\n"
    "Every command takes --archive-dir DIR (default ./archived_migrations) and --json.\n"
    "\n"
    "Moves migrations that a squash covers out of the folder the runner scans, into\n"
    "<archive dir>/<SET>/ with a manifest (sizes, SHA-256, a chained digest), and back, byte for\n"
    "byte. An interrupted run is finished or undone by the next archive, restore or verify.\n";

struct Options {
  std::string command;
  std::vector<std::string> arguments;
  std::optional<fs::path> migrations_dir;
  std::optional<fs::path> covered_by;
  std::optional<std::string> through;
  std::string name;
  fs::path archive_dir = kDefaultArchiveDir;
  std::optional<fs::path> to;
  bool dry_run = false;
  bool force = false;
  bool json = false;
};

void print_json(const nlohmann::json& document) { std::cout << document.dump(2) << "\n"; }

void print_recovered(const std::vector<RecoveryNote>& notes) {
  // stderr, so that --json output stays one document; the JSON carries them too.
  for (const RecoveryNote& note : notes) fmt::print(stderr, "archive: {}\n", note.summary());
}

Selection read_selection(const Options& options) {
  migrations::ReadOptions read;
  read.read_scripts = false;
  std::optional<SquashReport> report;
  if (options.covered_by) {
    report = read_squash_report(*options.covered_by);
    // squash read the folder with this layout (it may have been given with --format).
    if (auto layout = migrations::layout_from_string(report->format)) read.layout = layout;
  } else if (options.through) {
    read.through_version = options.through;
  }
  migrations::History history = migrations::read_history(*options.migrations_dir, read);
  if (report) return select_covered(history, *report);
  if (options.through) return select_all(history, "through " + *options.through);
  return select_all(history, "every migration");
}

std::uint64_t total_bytes(const Selection& selection, std::size_t* files) {
  std::uint64_t bytes = 0;
  *files = 0;
  for (const PlannedMigration& migration : selection.migrations)
    for (const migrations::MigrationFile& file : migration.files) {
      bytes += file.size;
      ++*files;
    }
  return bytes;
}

void print_selection(const Selection& selection, const Options& options) {
  fmt::print("Migrations in {} ({}){}:\n", selection.root.string(), migrations::to_string(selection.layout),
             options.covered_by || options.through ? " " + selection.criterion : std::string());
  for (const PlannedMigration& migration : selection.migrations)
    fmt::print("  {}  {}  ({} file{})\n", migration.version, migration.name, migration.files.size(),
               migration.files.size() == 1 ? "" : "s");
  std::size_t files = 0;
  std::uint64_t bytes = total_bytes(selection, &files);
  if (selection.migrations.empty())
    fmt::print("  none\n");
  else if (!options.covered_by && !options.through)
    fmt::print("  {} migrations, {} files, {} bytes (--covered-by or --through chooses what archive moves)\n",
               selection.migrations.size(), files, bytes);
  else
    fmt::print("  {} migrations, {} files, {} bytes; `archive archive` would move them to {}\n",
               selection.migrations.size(), files, bytes, (options.archive_dir / default_set_name(selection)).string());
  if (selection.needs_force()) {
    fmt::print("Archive refuses these without --force:\n");
    for (const auto* list : {&selection.doubts, &selection.changed, &selection.gaps})
      for (const std::string& line : *list) fmt::print("  {}\n", line);
  }
  if (!selection.not_in_folder.empty()) {
    fmt::print("Covered but not in the folder (archived already?):\n");
    for (const std::string& line : selection.not_in_folder) fmt::print("  {}\n", line);
  }
}

void print_set_line(const SetReport& report) {
  if (report.state == SetState::incomplete) {
    fmt::print("  {}  incomplete: {}\n", report.set, report.pending);
    return;
  }
  if (report.state == SetState::tampered) {
    fmt::print("  {}  tampered: {} problem{} (details: archive verify {})\n", report.set, report.problems.size(),
               report.problems.size() == 1 ? "" : "s", report.set);
    return;
  }
  const Manifest& m = *report.manifest;
  fmt::print("  {}  intact: {} migration{} ({} .. {}), {} files, from {}, archived {}\n", report.set,
             m.migration_count, m.migration_count == 1 ? "" : "s", m.first_version, m.last_version, m.files.size(),
             m.source, m.created_at);
}

bool any_not_intact(const std::vector<SetReport>& reports) {
  for (const SetReport& report : reports)
    if (report.state != SetState::intact) return true;
  return false;
}

int run_list(const Options& options) {
  std::vector<SetReport> sets = list_sets(options.archive_dir);
  // While an archive or restore is half done, the migrations folder may be half moved: it is
  // read after the next archive, restore or verify run has repaired it.
  const bool pending = std::any_of(sets.begin(), sets.end(), [](const SetReport& report) { return !report.pending.empty(); });
  std::optional<Selection> selection;
  if (options.migrations_dir && !pending) selection = read_selection(options);
  bool problems = any_not_intact(sets) || (selection && selection->needs_force());
  if (options.json) {
    nlohmann::json out = {{"archive_dir", options.archive_dir.string()}, {"sets", nlohmann::json::array()}};
    out["selection"] = selection ? to_json(*selection) : nlohmann::json(nullptr);
    for (const SetReport& report : sets) out["sets"].push_back(to_json(report));
    print_json(out);
    return problems ? 1 : 0;
  }
  if (selection) {
    print_selection(*selection, options);
    fmt::print("\n");
  } else if (options.migrations_dir) {
    fmt::print("Migrations in {}: not read while an interrupted run is pending (see below)\n\n",
               options.migrations_dir->string());
  }
  fmt::print("Archive sets in {}:\n", options.archive_dir.string());
  if (sets.empty()) fmt::print("  none\n");
  for (const SetReport& report : sets) print_set_line(report);
  return problems ? 1 : 0;
}

int run_archive(const Options& options) {
  ArchiveRequest request;
  request.archive_dir = options.archive_dir;
  request.set_name = options.name;
  request.dry_run = options.dry_run;
  request.force = options.force;
  std::optional<Selection> selection;
  ArchiveOutcome outcome = archive_migrations(
      [&] {
        selection = read_selection(options);
        return *selection;
      },
      request);
  print_recovered(outcome.recovered);
  for (const std::string& note : outcome.notes) fmt::print(stderr, "archive: note: {}\n", note);
  if (options.json) {
    print_json(to_json(outcome));
    return outcome.kept.empty() ? 0 : 1;
  }
  if (outcome.manifest.files.empty()) {
    fmt::print("nothing to archive: no migration in {} is {}\n", options.migrations_dir->string(),
               selection ? selection->criterion : std::string("selected"));
    return 0;
  }
  fmt::print("{} {} migration{} ({} .. {}, {} files, {} bytes) {} {}\n", options.dry_run ? "would archive" : "archived",
             outcome.manifest.migration_count, outcome.manifest.migration_count == 1 ? "" : "s",
             outcome.manifest.first_version, outcome.manifest.last_version, outcome.manifest.files.size(),
             outcome.bytes, options.dry_run ? "into" : "into", outcome.set_dir.string());
  for (const ManifestEntry& entry : outcome.manifest.files) fmt::print("  {}\n", entry.path);
  for (const std::string& kept : outcome.kept) fmt::print("kept: {}\n", kept);
  return outcome.kept.empty() ? 0 : 1;
}

int run_restore(const Options& options) {
  RestoreRequest request;
  request.archive_dir = options.archive_dir;
  request.set = options.arguments.at(0);
  request.to = options.to;
  request.dry_run = options.dry_run;
  RestoreOutcome outcome = restore_set(request);
  print_recovered(outcome.recovered);
  for (const std::string& note : outcome.notes) fmt::print(stderr, "archive: note: {}\n", note);
  if (options.json) {
    print_json(to_json(outcome));
    return 0;
  }
  fmt::print("{} set {} into {}: {} file{}{}\n", options.dry_run ? "would restore" : "restored", outcome.set,
             outcome.target.string(), outcome.placed.size(), outcome.placed.size() == 1 ? "" : "s",
             outcome.already_present.empty() ? ""
                                             : fmt::format(" ({} already in place)", outcome.already_present.size()));
  for (const std::string& path : outcome.placed) fmt::print("  {}\n", path);
  return 0;
}

int run_verify(const Options& options) {
  std::optional<std::string> set;
  if (!options.arguments.empty()) set = options.arguments.front();
  std::vector<RecoveryNote> recovered;
  std::vector<SetReport> reports = verify_sets(options.archive_dir, set, &recovered);
  print_recovered(recovered);
  bool problems = any_not_intact(reports);
  if (options.json) {
    nlohmann::json out = {{"archive_dir", options.archive_dir.string()}, {"sets", nlohmann::json::array()}};
    for (const SetReport& report : reports) out["sets"].push_back(to_json(report));
    nlohmann::json notes = nlohmann::json::array();
    for (const RecoveryNote& note : recovered) notes.push_back(to_json(note));
    out["recovered"] = std::move(notes);
    print_json(out);
    return problems ? 1 : 0;
  }
  if (reports.empty()) fmt::print("no archive sets in {}\n", options.archive_dir.string());
  for (const SetReport& report : reports) {
    if (report.state == SetState::intact) {
      const Manifest& m = *report.manifest;
      fmt::print("set {}: intact ({} files, {} migration{}, {} .. {})\n", report.set, m.files.size(), m.migration_count,
                 m.migration_count == 1 ? "" : "s", m.first_version, m.last_version);
      continue;
    }
    fmt::print("set {}: {}\n", report.set, to_string(report.state));
    for (const Problem& problem : report.problems)
      fmt::print("  {:<8} {}{}{}\n", problem.kind, problem.path, problem.path.empty() ? "" : ": ", problem.detail);
  }
  return problems ? 1 : 0;
}

// Which options make sense for which command; anything else is a usage error, not ignored.
void check_combination(const Options& options, const po::variables_map& vm) {
  auto only_for = [&](const char* option, std::initializer_list<const char*> commands) {
    if (!vm.count(option) || vm[option].defaulted()) return;
    for (const char* command : commands)
      if (options.command == command) return;
    throw UsageError(fmt::format("--{} does not apply to `archive {}`", option, options.command));
  };
  only_for("migrations", {"list", "archive"});
  only_for("covered-by", {"list", "archive"});
  only_for("through", {"list", "archive"});
  only_for("name", {"archive"});
  only_for("force", {"archive"});
  only_for("dry-run", {"archive", "restore"});
  only_for("to", {"restore"});
  if (options.covered_by && options.through) throw UsageError("give either --covered-by or --through, not both");
  if ((options.covered_by || options.through) && !options.migrations_dir)
    throw UsageError("--covered-by and --through need --migrations DIR");

  std::size_t max_arguments = options.command == "restore" || options.command == "verify" ? 1 : 0;
  if (options.arguments.size() > max_arguments)
    throw UsageError(fmt::format("unexpected argument \"{}\" for `archive {}`", options.arguments[max_arguments],
                                 options.command));
  if (options.command == "restore" && options.arguments.empty()) throw UsageError("restore needs the name of a set");
  if (options.command == "archive") {
    if (!options.migrations_dir) throw UsageError("archive needs --migrations DIR");
    if (!options.covered_by && !options.through)
      throw UsageError("archive needs --covered-by SQUASH_JSON or --through VERSION (which migrations to move)");
  }
}

}  // namespace

int main(int argc, char** argv) {
  return cli::run("archive", [&] {
    Options options;
    std::string archive_dir;
    po::options_description visible("Options");
    visible.add_options()
        ("migrations", po::value<std::string>(), "DIR: the migrations folder (list, archive)")
        ("covered-by", po::value<std::string>(),
         "SQUASH_JSON: select the migrations this squash report covers, if their files still hash as squashed "
         "(list, archive)")
        ("through", po::value<std::string>(), "VERSION: select every migration up to this version (list, archive)")
        ("name", po::value<std::string>(&options.name), "SET: name of the new set (default <first>-<last> version)")
        ("archive-dir", po::value<std::string>(&archive_dir)->default_value(kDefaultArchiveDir),
         "DIR: where the sets live (every command)")
        ("to", po::value<std::string>(), "DIR: restore into this folder instead of where the files came from")
        ("dry-run", po::bool_switch(&options.dry_run), "show what would move and change nothing (archive, restore)")
        ("force", po::bool_switch(&options.force),
         "archive even when covered files changed since they were squashed")
        ("json", po::bool_switch(&options.json), "print the result as JSON")
        ("help,h", "show this help and exit")
        ("version", "show the version and exit");
    po::options_description hidden;
    hidden.add_options()
        ("command", po::value<std::string>(&options.command))
        ("arguments", po::value<std::vector<std::string>>(&options.arguments)->multitoken());
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positional;
    positional.add("command", 1).add("arguments", -1);

    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << kUsage << "\n" << visible << "\n" << cli::kExitCodeTable;
      return 0;
    }
    if (vm.count("version")) {
      fmt::print("archive (schemakit) {}\n", kVersion);
      return 0;
    }
    if (options.command.empty()) throw UsageError("missing command: list, archive, restore or verify");
    if (vm.count("migrations")) options.migrations_dir = vm["migrations"].as<std::string>();
    if (vm.count("covered-by")) options.covered_by = vm["covered-by"].as<std::string>();
    if (vm.count("through")) options.through = vm["through"].as<std::string>();
    if (vm.count("to")) options.to = vm["to"].as<std::string>();
    options.archive_dir = archive_dir;
    if (options.command != "list" && options.command != "archive" && options.command != "restore" &&
        options.command != "verify")
      throw UsageError(fmt::format("unknown command \"{}\": expected list, archive, restore or verify", options.command));
    check_combination(options, vm);

    if (options.command == "list") return run_list(options);
    if (options.command == "archive") return run_archive(options);
    if (options.command == "restore") return run_restore(options);
    return run_verify(options);
  });
}
