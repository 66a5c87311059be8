// archive, verify, restore on real histories through the real binary: afterwards the migrations
// folder is byte-identical to before (every file and the listing, folders included).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "archive_test_helpers.hpp"

namespace schemakit::testing::archive_tests {
namespace {

using nlohmann::json;

// A squash.json covering every migration of the folder, built from `archive list --json` (the
// same shape `squash` writes: format, fingerprint, migrations[] of version, name, files[]).
json squash_report_for(const fs::path& project) {
  ToolRun list = run_archive(project, {"list", "--migrations", "migrations", "--json"});
  EXPECT_EQ(list.code, 0) << list.output;
  json listing = json::parse(list.output);
  json report = {{"format", listing["selection"]["layout"]}, {"fingerprint", "test-fingerprint"}, {"migrations", json::array()}};
  for (const json& migration : listing["selection"]["migrations"]) {
    json files = json::array();
    for (const json& file : migration["files"]) files.push_back({{"path", file["path"]}, {"sha256", file["sha256"]}});
    report["migrations"].push_back({{"version", migration["version"]}, {"name", migration["name"]}, {"files", files}});
  }
  return report;
}

// archive everything (covered by a squash report), verify, restore; the folder must come back
// exactly.
void round_trip(const fs::path& history) {
  TempDir temp;
  const fs::path project = temp.path() / "project";
  copy_history(history, project);
  const Snapshot before = snapshot(project / "migrations");
  ASSERT_FALSE(before.empty());

  json report = squash_report_for(project);
  write_file(project / "out" / "squash.json", report.dump(2));
  const std::size_t migrations = report["migrations"].size();
  const std::string set = report["migrations"].front()["version"].get<std::string>() + "-" +
                          report["migrations"].back()["version"].get<std::string>();

  ToolRun archived = run_archive(project, {"archive", "--migrations", "migrations", "--covered-by", "out/squash.json"});
  ASSERT_EQ(archived.code, 0) << archived.output;
  EXPECT_NE(archived.output.find("archived " + std::to_string(migrations) + " migrations"), std::string::npos)
      << archived.output;

  // Every file left the runner's folder; the set holds each byte for byte.
  for (const auto& [path, content] : before) {
    if (content == "<dir>") continue;
    EXPECT_FALSE(fs::exists(project / "migrations" / path)) << path;
    EXPECT_EQ(read_file(project / "archived_migrations" / set / path), content) << path;
  }
  json manifest = json::parse(read_file(project / "archived_migrations" / set / "manifest.json"));
  EXPECT_EQ(manifest["source"], "migrations");
  EXPECT_EQ(manifest["squash"]["fingerprint"], "test-fingerprint");
  EXPECT_EQ(manifest["squash"]["report"], "out/squash.json");
  EXPECT_EQ(manifest["versions"]["migrations"], migrations);
  EXPECT_FALSE(fs::exists(project / "archived_migrations" / ".journal.json"));

  ToolRun verified = run_archive(project, {"verify"});
  EXPECT_EQ(verified.code, 0) << verified.output;
  EXPECT_NE(verified.output.find("set " + set + ": intact"), std::string::npos) << verified.output;

  ToolRun restored = run_archive(project, {"restore", set});
  ASSERT_EQ(restored.code, 0) << restored.output;
  EXPECT_EQ(snapshot(project / "migrations"), before);
  EXPECT_EQ(keys(snapshot(project / "archived_migrations")), std::vector<std::string>{".lock"});
}

TEST(ArchiveRoundTrip, SampleHistoryInSchemaFolder) {
  const fs::path sample = source_dir() / "schema" / "migrations";
  if (!fs::exists(sample) || fs::is_empty(sample)) GTEST_SKIP() << "schema/migrations is empty in this checkout";
  round_trip(sample);
}

TEST(ArchiveRoundTrip, TrickyCorpus) {
  if (tricky_corpus().empty()) GTEST_SKIP() << kNoSharedCorpus;
  round_trip(tricky_corpus());
}

TEST(ArchiveRoundTrip, GeneratedHasuraHistoryWithFolders) {
  TempDir temp;
  write_hasura_history(temp.path() / "history", 5);
  round_trip(temp.path() / "history");
}

// archive moves files as they are: an old migration whose SQL no longer parses, or whose up was
// emptied on purpose, is archived and restored like any other (only squash reads the SQL).
TEST(ArchiveRoundTrip, MigrationsWhoseSqlDoesNotParseAreArchivedAsTheyAre) {
  TempDir temp;
  const fs::path history = temp.path() / "history";
  write_hasura_history(history, 3);
  const fs::path first = history / (hasura_version(1) + "_step_1");
  write_file(first / "up.sql", "CREATE TABLE broken (id int;\n");
  write_file(history / (hasura_version(2) + "_step_2") / "up.sql", "-- emptied when it was squashed\n");
  round_trip(history);
}

TEST(ArchiveRoundTrip, ThroughAVersionMovesOnlyThePrefix) {
  TempDir temp;
  const fs::path project = temp.path() / "project";
  write_hasura_history(project / "migrations", 4);
  const Snapshot before = snapshot(project / "migrations");

  ToolRun archived = run_archive(project, {"archive", "--migrations", "migrations", "--through", hasura_version(2),
                                       "--name", "first-two"});
  ASSERT_EQ(archived.code, 0) << archived.output;
  // The migration folders went with their files; the later ones stayed.
  EXPECT_EQ(keys(snapshot(project / "migrations")),
            (std::vector<std::string>{hasura_version(3) + "_step_3", hasura_version(3) + "_step_3/down.sql",
                                      hasura_version(3) + "_step_3/up.sql", hasura_version(4) + "_step_4",
                                      hasura_version(4) + "_step_4/down.sql", hasura_version(4) + "_step_4/up.sql"}));

  ToolRun listed = run_archive(project, {"list", "--migrations", "migrations", "--through", hasura_version(4)});
  EXPECT_EQ(listed.code, 0) << listed.output;
  EXPECT_NE(listed.output.find("first-two  intact: 2 migrations (" + hasura_version(1) + " .. " + hasura_version(2)),
            std::string::npos)
      << listed.output;
  EXPECT_NE(listed.output.find(hasura_version(3) + "  step_3  (2 files)"), std::string::npos) << listed.output;

  ASSERT_EQ(run_archive(project, {"restore", "first-two"}).code, 0);
  EXPECT_EQ(snapshot(project / "migrations"), before);
}

TEST(ArchiveRoundTrip, RestoreToAnotherFolder) {
  TempDir temp;
  const fs::path project = temp.path() / "project";
  write_hasura_history(project / "migrations", 3);
  const Snapshot before = snapshot(project / "migrations");
  ASSERT_EQ(run_archive(project, {"archive", "--migrations", "migrations", "--through", hasura_version(3), "--name", "all"}).code, 0);
  ToolRun restored = run_archive(project, {"restore", "all", "--to", "elsewhere/deep"});
  ASSERT_EQ(restored.code, 0) << restored.output;
  EXPECT_EQ(snapshot(project / "elsewhere" / "deep"), before);
}

TEST(ArchiveRoundTrip, CustomArchiveDirAndSetNameFromOutsideTheProject) {
  TempDir temp;
  write_hasura_history(temp.path() / "app" / "db" / "migrations", 2);
  const Snapshot before = snapshot(temp.path() / "app" / "db" / "migrations");
  ToolRun archived = run_archive(temp.path(), {"archive", "--migrations", "app/db/migrations", "--through", hasura_version(2),
                                           "--archive-dir", "app/old_migrations", "--name", "v1"});
  ASSERT_EQ(archived.code, 0) << archived.output;
  json manifest = json::parse(read_file(temp.path() / "app" / "old_migrations" / "v1" / "manifest.json"));
  EXPECT_EQ(manifest["source"], "db/migrations");  // relative to the archive folder's parent
  // Restore from another working directory: the manifest says where the files go.
  ASSERT_EQ(run_archive(temp.path() / "app" / "db", {"restore", "v1", "--archive-dir", "../old_migrations"}).code, 0);
  EXPECT_EQ(snapshot(temp.path() / "app" / "db" / "migrations"), before);
}

TEST(ArchiveRoundTrip, DryRunChangesNothing) {
  TempDir temp;
  const fs::path project = temp.path() / "project";
  write_hasura_history(project / "migrations", 3);
  const Snapshot before = snapshot(project);
  ToolRun dry = run_archive(project, {"archive", "--migrations", "migrations", "--through", hasura_version(2), "--dry-run"});
  ASSERT_EQ(dry.code, 0) << dry.output;
  EXPECT_NE(dry.output.find("would archive 2 migrations"), std::string::npos) << dry.output;
  EXPECT_EQ(snapshot(project), before);

  ASSERT_EQ(run_archive(project, {"archive", "--migrations", "migrations", "--through", hasura_version(2)}).code, 0);
  const std::string set = hasura_version(1) + "-" + hasura_version(2);
  const Snapshot archived = snapshot(project);
  ToolRun dry_restore = run_archive(project, {"restore", set, "--dry-run"});
  ASSERT_EQ(dry_restore.code, 0) << dry_restore.output;
  EXPECT_NE(dry_restore.output.find("would restore set " + set), std::string::npos) << dry_restore.output;
  EXPECT_EQ(snapshot(project), archived);
}

TEST(ArchiveRoundTrip, ChangedCoveredFileIsRefusedUnlessForced) {
  TempDir temp;
  const fs::path project = temp.path() / "project";
  write_hasura_history(project / "migrations", 3);
  json report = squash_report_for(project);
  write_file(project / "squash.json", report.dump());
  const std::string changed = hasura_version(2) + "_step_2/up.sql";
  write_file(project / "migrations" / changed, "CREATE TABLE t2 (id bigint PRIMARY KEY);\n");
  const Snapshot before = snapshot(project);

  ToolRun refused = run_archive(project, {"archive", "--migrations", "migrations", "--covered-by", "squash.json"});
  EXPECT_EQ(refused.code, 1) << refused.output;
  EXPECT_NE(refused.output.find(changed + ": changed since it was squashed"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("--force"), std::string::npos) << refused.output;
  EXPECT_EQ(snapshot(project), before);

  ToolRun listed = run_archive(project, {"list", "--migrations", "migrations", "--covered-by", "squash.json"});
  EXPECT_EQ(listed.code, 1) << listed.output;
  EXPECT_NE(listed.output.find("Archive refuses these without --force"), std::string::npos) << listed.output;

  ToolRun forced = run_archive(project, {"archive", "--migrations", "migrations", "--covered-by", "squash.json", "--force"});
  ASSERT_EQ(forced.code, 0) << forced.output;
  const std::string set = hasura_version(1) + "-" + hasura_version(3);
  json manifest = json::parse(read_file(project / "archived_migrations" / set / "manifest.json"));
  EXPECT_EQ(manifest["squash"]["changed_since_squash"], json::array({changed}));
}

TEST(ArchiveRoundTrip, JsonOutputs) {
  TempDir temp;
  const fs::path project = temp.path() / "project";
  write_hasura_history(project / "migrations", 2);
  ToolRun archived = run_archive(project, {"archive", "--migrations", "migrations", "--through", hasura_version(2), "--name",
                                       "s", "--json"});
  ASSERT_EQ(archived.code, 0) << archived.output;
  json outcome = json::parse(archived.output);
  EXPECT_EQ(outcome["set"], "s");
  EXPECT_EQ(outcome["files"].size(), 4u);
  EXPECT_EQ(outcome["layout"], "hasura");

  ToolRun verified = run_archive(project, {"verify", "s", "--json"});
  ASSERT_EQ(verified.code, 0) << verified.output;
  json report = json::parse(verified.output);
  EXPECT_EQ(report["sets"][0]["state"], "intact");
  EXPECT_EQ(report["sets"][0]["file_count"], 4u);

  ToolRun listed = run_archive(project, {"list", "--json"});
  ASSERT_EQ(listed.code, 0) << listed.output;
  EXPECT_EQ(json::parse(listed.output)["sets"][0]["set"], "s");
}

TEST(ArchiveCli, HelpListsEveryOptionAndTheExitCodes) {
  TempDir temp;
  ToolRun help = run_archive(temp.path(), {"--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* option : {"--migrations", "--covered-by", "--through", "--name", "--archive-dir", "--to", "--dry-run",
                             "--force", "--json", "Exit codes"})
    EXPECT_NE(help.output.find(option), std::string::npos) << option;
}

TEST(ArchiveCli, VersionAndUsageErrors) {
  TempDir temp;
  ToolRun version = run_archive(temp.path(), {"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.output.rfind("archive (schemakit) ", 0), 0u) << version.output;

  ToolRun unknown = run_archive(temp.path(), {"--frobnicate"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.output.find("archive: error: unrecognised option '--frobnicate'"), std::string::npos) << unknown.output;

  EXPECT_EQ(run_archive(temp.path(), {}).code, 2);
  EXPECT_EQ(run_archive(temp.path(), {"shuffle"}).code, 2);
  EXPECT_EQ(run_archive(temp.path(), {"archive", "--migrations", "m"}).code, 2);  // no selection
  EXPECT_EQ(run_archive(temp.path(), {"restore"}).code, 2);                       // no set
  EXPECT_EQ(run_archive(temp.path(), {"verify", "--to", "x"}).code, 2);           // option of another command
  EXPECT_EQ(run_archive(temp.path(), {"list", "--migrations", "m", "--through", "1", "--covered-by", "s"}).code, 2);
  ToolRun missing = run_archive(temp.path(), {"verify"});
  EXPECT_EQ(missing.code, 2) << missing.output;
  EXPECT_NE(missing.output.find("archived_migrations: no such directory"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace schemakit::testing::archive_tests
