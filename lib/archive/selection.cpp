#include "archive/selection.hpp"

#include <fmt/core.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "common/sha256.hpp"

namespace fs = std::filesystem;

namespace schemakit::archive {
namespace {

using nlohmann::json;

PlannedMigration plan(const migrations::Migration& migration, const fs::path& root) {
  PlannedMigration planned{migration.version, migration.name, migration.files};
  for (migrations::MigrationFile& file : planned.files)
    if (file.sha256.empty()) file.sha256 = sha256_file_hex(root / file.path);
  return planned;
}

}  // namespace

SquashReport read_squash_report(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot read the squash report", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  SquashReport report;
  report.path = file;
  try {
    json document = json::parse(text.str());
    if (!document.is_object()) throw InputError(fmt::format("{}: not a squash report (not a JSON object)", file.string()));
    if (auto it = document.find("format"); it != document.end() && it->is_string()) report.format = it->get<std::string>();
    if (auto it = document.find("fingerprint"); it != document.end() && it->is_string())
      report.fingerprint = it->get<std::string>();
    else
      throw InputError(fmt::format("{}: not a squash report (no \"fingerprint\")", file.string()));
    if (auto it = document.find("verification"); it != document.end() && it->is_object()) {
      if (auto result = it->find("result"); result != it->end() && result->is_string())
        report.verification = result->get<std::string>();
    }
    auto list = document.find("migrations");
    if (list == document.end() || !list->is_array())
      throw InputError(fmt::format("{}: not a squash report (no \"migrations\" array)", file.string()));
    for (const json& item : *list) {
      SquashedMigration migration;
      migration.version = item.at("version").get<std::string>();
      migration.name = item.value("name", std::string());
      for (const json& entry : item.at("files"))
        migration.files.push_back({entry.at("path").get<std::string>(), entry.at("sha256").get<std::string>()});
      report.migrations.push_back(std::move(migration));
    }
  } catch (const json::exception& e) {
    throw InputError(fmt::format("{}: not a readable squash report: {}", file.string(), e.what()));
  }
  return report;
}

Selection select_all(const migrations::History& history, std::string criterion) {
  Selection selection;
  selection.root = history.root;
  selection.layout = history.layout;
  selection.criterion = std::move(criterion);
  for (const migrations::Migration& migration : history.migrations)
    selection.migrations.push_back(plan(migration, history.root));
  return selection;
}

Selection select_covered(const migrations::History& history, const SquashReport& report) {
  Selection selection;
  selection.root = history.root;
  selection.layout = history.layout;
  selection.criterion = "covered by " + report.path.string();
  selection.squash = report;
  if (report.verification && *report.verification != "proved")
    selection.doubts.push_back(fmt::format("{}: the squash's proof did not pass (verification result \"{}\")",
                                           report.path.string(), *report.verification));

  std::map<std::pair<std::string, std::string>, const SquashedMigration*> covered;
  for (const SquashedMigration& migration : report.migrations) covered[{migration.version, migration.name}] = &migration;
  std::set<std::pair<std::string, std::string>> found;

  std::vector<std::string> uncovered_so_far;
  for (const migrations::Migration& migration : history.migrations) {
    auto it = covered.find({migration.version, migration.name});
    if (it == covered.end()) {
      uncovered_so_far.push_back(fmt::format("{} {}", migration.version, migration.name));
      continue;
    }
    found.insert(it->first);
    for (const std::string& gap : uncovered_so_far)
      selection.gaps.push_back(fmt::format("{} is not covered by the squash report but comes before {} {}", gap,
                                           migration.version, migration.name));
    uncovered_so_far.clear();

    PlannedMigration planned = plan(migration, history.root);
    std::map<std::string, std::string> squashed;
    for (const SquashedFile& file : it->second->files) squashed[file.path] = file.sha256;
    for (const migrations::MigrationFile& file : planned.files) {
      const std::string path = file.path.generic_string();
      auto expected = squashed.find(path);
      if (expected == squashed.end()) {
        selection.changed.push_back(fmt::format("{}: added since it was squashed", path));
        selection.changed_paths.push_back(path);
      } else {
        if (expected->second != file.sha256) {
          selection.changed.push_back(fmt::format("{}: changed since it was squashed (sha256 {}, squash.json has {})",
                                                  path, file.sha256, expected->second));
          selection.changed_paths.push_back(path);
        }
        squashed.erase(expected);
      }
    }
    for (const auto& [path, sha] : squashed) {
      selection.changed.push_back(fmt::format("{}: deleted since it was squashed", path));
      selection.changed_paths.push_back(path);
    }
    selection.migrations.push_back(std::move(planned));
  }
  for (const SquashedMigration& migration : report.migrations)
    if (!found.count({migration.version, migration.name}))
      selection.not_in_folder.push_back(fmt::format("{} {}", migration.version, migration.name));
  return selection;
}

}  // namespace schemakit::archive
