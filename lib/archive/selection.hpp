#pragma once
// Which migrations an archive run moves: all of a history read up to --through, or those a squash
// report (squash.json) covers and whose files still hash as they did when they were squashed.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "migrations/migration.hpp"

namespace schemakit::archive {

struct SquashedFile {
  std::string path;  // relative to the migrations folder
  std::string sha256;
};

struct SquashedMigration {
  std::string version;
  std::string name;
  std::vector<SquashedFile> files;
};

// The parts of squash.json (written by `squash`) that archive needs.
struct SquashReport {
  std::filesystem::path path;
  std::string format;  // the layout squash read, when the report names one
  std::string fingerprint;
  std::vector<SquashedMigration> migrations;
  // "verification": {"result": ...} when the report has it; anything but "proved" is a doubt.
  std::optional<std::string> verification;
};

// Throws IoError when the file cannot be read, InputError when it is not a squash report.
SquashReport read_squash_report(const std::filesystem::path& file);

struct PlannedMigration {
  std::string version;
  std::string name;
  std::vector<migrations::MigrationFile> files;
};

struct Selection {
  std::filesystem::path root;  // the migrations folder
  migrations::Layout layout{};
  std::string criterion;  // for messages: "through 000005", "covered by out/squash.json"
  std::vector<PlannedMigration> migrations;
  std::optional<SquashReport> squash;
  // Reasons to refuse unless --force, one line each (with --covered-by only):
  std::vector<std::string> changed;        // a covered file changed, was added or was deleted
  std::vector<std::string> changed_paths;  // the paths behind `changed`
  std::vector<std::string> gaps;           // uncovered migrations ordered before covered ones
  std::vector<std::string> doubts;         // about the report itself (a proof that failed)
  // Covered migrations that are not in the folder any more (archived before?), for the listing.
  std::vector<std::string> not_in_folder;

  bool needs_force() const { return !changed.empty() || !gaps.empty() || !doubts.empty(); }
};

// Every migration of `history` (read with ReadOptions::through_version for --through).
Selection select_all(const migrations::History& history, std::string criterion);

// The migrations of `history` that `report` lists (matched by version and name).
Selection select_covered(const migrations::History& history, const SquashReport& report);

}  // namespace schemakit::archive
