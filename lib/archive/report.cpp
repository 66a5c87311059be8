#include "archive/report.hpp"

namespace schemakit::archive {

using nlohmann::json;

namespace {

json recovered_json(const std::vector<RecoveryNote>& notes) {
  json list = json::array();
  for (const RecoveryNote& note : notes) list.push_back(to_json(note));
  return list;
}

json entries_json(const std::vector<ManifestEntry>& entries) {
  json list = json::array();
  for (const ManifestEntry& entry : entries)
    list.push_back({{"path", entry.path},
                    {"size", entry.size},
                    {"sha256", entry.sha256},
                    {"version", entry.version},
                    {"name", entry.name}});
  return list;
}

}  // namespace

json to_json(const RecoveryNote& note) {
  return {{"operation", to_string(note.operation)},
          {"set", note.set},
          {"outcome", note.finished ? "finished" : "undone"},
          {"detail", note.detail}};
}

json to_json(const Selection& selection) {
  json migrations = json::array();
  std::uint64_t files = 0, bytes = 0;
  for (const PlannedMigration& migration : selection.migrations) {
    json paths = json::array();
    for (const migrations::MigrationFile& file : migration.files) {
      paths.push_back({{"path", file.path.generic_string()}, {"size", file.size}, {"sha256", file.sha256}});
      ++files;
      bytes += file.size;
    }
    migrations.push_back({{"version", migration.version}, {"name", migration.name}, {"files", std::move(paths)}});
  }
  return {{"folder", selection.root.string()},
          {"layout", migrations::to_string(selection.layout)},
          {"criterion", selection.criterion},
          {"migrations", std::move(migrations)},
          {"file_count", files},
          {"bytes", bytes},
          {"default_set", default_set_name(selection)},
          {"changed_since_squash", selection.changed},
          {"gaps", selection.gaps},
          {"doubts", selection.doubts},
          {"not_in_folder", selection.not_in_folder},
          {"needs_force", selection.needs_force()}};
}

json to_json(const SetReport& report) {
  json problems = json::array();
  for (const Problem& problem : report.problems)
    problems.push_back({{"kind", problem.kind}, {"path", problem.path}, {"detail", problem.detail}});
  json out = {{"set", report.set}, {"state", to_string(report.state)}, {"problems", std::move(problems)}};
  if (!report.pending.empty()) out["pending"] = report.pending;
  if (report.manifest) {
    const Manifest& m = *report.manifest;
    out["source"] = m.source;
    out["layout"] = m.layout;
    out["created_at"] = m.created_at;
    out["versions"] = {{"first", m.first_version}, {"last", m.last_version}, {"migrations", m.migration_count}};
    out["file_count"] = m.files.size();
  }
  return out;
}

json to_json(const ArchiveOutcome& outcome) {
  return {{"set", outcome.set},
          {"set_dir", outcome.set_dir.string()},
          {"dry_run", outcome.dry_run},
          {"bytes", outcome.bytes},
          {"source", outcome.manifest.source},
          {"layout", outcome.manifest.layout},
          {"versions",
           {{"first", outcome.manifest.first_version},
            {"last", outcome.manifest.last_version},
            {"migrations", outcome.manifest.migration_count}}},
          {"files", entries_json(outcome.manifest.files)},
          {"kept", outcome.kept},
          {"notes", outcome.notes},
          {"recovered", recovered_json(outcome.recovered)}};
}

json to_json(const RestoreOutcome& outcome) {
  return {{"set", outcome.set},
          {"target", outcome.target.string()},
          {"dry_run", outcome.dry_run},
          {"placed", outcome.placed},
          {"already_present", outcome.already_present},
          {"notes", outcome.notes},
          {"recovered", recovered_json(outcome.recovered)}};
}

}  // namespace schemakit::archive
