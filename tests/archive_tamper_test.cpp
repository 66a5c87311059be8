// Tampering is reported exactly (one changed byte, a rename, a deletion, an addition, an edited
// manifest), and unsafe input is refused with no change: paths that escape, symlinks, duplicate
// entries, a manifest that does not parse, set names with separators, targets in the way.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "archive_test_helpers.hpp"
#include "common/sha256.hpp"

namespace schemakit::testing::archive_tests {
namespace {

using nlohmann::json;

const std::string kSet = "s";

class ArchiveTamper : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = temp_.path() / "project";
    write_hasura_history(project_ / "migrations", 2);
    original_ = snapshot(project_ / "migrations");
    ToolRun archived =
        run_archive(project_, {"archive", "--migrations", "migrations", "--through", hasura_version(2), "--name", kSet});
    ASSERT_EQ(archived.code, 0) << archived.output;
  }

  fs::path set_dir() const { return project_ / "archived_migrations" / kSet; }
  std::string file(int migration, const char* leaf) const {
    return hasura_version(migration) + "_step_" + std::to_string(migration) + "/" + leaf;
  }

  // The problem lines of `archive verify s` (the lines after "set s: tampered").
  std::vector<std::string> problems(int expected_code = 1) {
    ToolRun verified = run_archive(project_, {"verify", kSet});
    EXPECT_EQ(verified.code, expected_code) << verified.output;
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < verified.output.size()) {
      std::size_t end = verified.output.find('\n', start);
      if (end == std::string::npos) end = verified.output.size();
      std::string line = verified.output.substr(start, end - start);
      if (line.rfind("  ", 0) == 0) lines.push_back(line.substr(2));
      start = end + 1;
    }
    return lines;
  }

  json manifest() const { return json::parse(read_file(set_dir() / "manifest.json")); }
  void write_manifest(const json& document) const { write_file(set_dir() / "manifest.json", document.dump(2)); }

  // Restore must refuse with exit 1 and a message containing `expected`, changing nothing.
  void expect_restore_refused(const std::string& expected, const std::vector<std::string>& extra_args = {}) {
    const Snapshot before = snapshot(temp_.path());
    std::vector<std::string> args{"restore", kSet};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    ToolRun refused = run_archive(project_, args);
    EXPECT_EQ(refused.code, 1) << refused.output;
    EXPECT_NE(refused.output.find(expected), std::string::npos) << refused.output;
    EXPECT_EQ(snapshot(temp_.path()), before);
  }

  TempDir temp_;
  fs::path project_;
  Snapshot original_;
};

TEST_F(ArchiveTamper, IntactSetVerifies) {
  EXPECT_TRUE(problems(0).empty());
}

TEST_F(ArchiveTamper, OneChangedByte) {
  const fs::path target = set_dir() / file(1, "up.sql");
  std::string content = read_file(target);
  content[3] ^= 0x20;
  write_file(target, content);
  auto lines = problems();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("changed  " + file(1, "up.sql") + ": sha256 " + sha256_hex(content) + " (expected ", 0), 0u)
      << lines[0];
  expect_restore_refused("does not verify: changed " + file(1, "up.sql"));
}

TEST_F(ArchiveTamper, Rename) {
  fs::rename(set_dir() / file(2, "down.sql"), set_dir() / file(2, "down_old.sql"));
  auto lines = problems();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "renamed  " + file(2, "down.sql") + ": now at " + file(2, "down_old.sql"));
}

TEST_F(ArchiveTamper, Delete) {
  fs::remove(set_dir() / file(1, "down.sql"));
  auto lines = problems();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("missing  " + file(1, "down.sql") + ": ", 0), 0u) << lines[0];
  expect_restore_refused("missing " + file(1, "down.sql"));
}

TEST_F(ArchiveTamper, Add) {
  write_file(set_dir() / "notes.txt", "hello\n");
  auto lines = problems();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "extra    notes.txt: not in the manifest (6 bytes, sha256 " + sha256_hex("hello\n") + ")");
}

TEST_F(ArchiveTamper, AddedEmptyFolder) {
  fs::create_directories(set_dir() / "empty");
  auto lines = problems();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "extra    empty/: an empty folder the manifest does not list");
}

TEST_F(ArchiveTamper, ManifestEntriesReordered) {
  json m = manifest();
  std::swap(m["files"][0], m["files"][1]);
  write_manifest(m);
  auto lines = problems();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("manifest manifest.json: the chained digest does not match"), std::string::npos) << lines[0];
  expect_restore_refused("chained digest does not match");
}

TEST_F(ArchiveTamper, ManifestEntryEditedToMatchATamperedFile) {
  // Someone edits a file and "fixes" its hash in the manifest: the chain still tells.
  const std::string path = file(1, "up.sql");
  write_file(set_dir() / path, "DROP TABLE everything;\n");
  json m = manifest();
  for (json& entry : m["files"])
    if (entry["path"] == path) {
      entry["sha256"] = sha256_hex("DROP TABLE everything;\n");
      entry["size"] = 23;
    }
  write_manifest(m);
  auto lines = problems();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("chained digest does not match"), std::string::npos) << lines[0];
}

TEST_F(ArchiveTamper, ManifestThatDoesNotParse) {
  write_file(set_dir() / "manifest.json", "{\"format\": ");
  auto lines = problems();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("does not parse as JSON"), std::string::npos) << lines[0];
  expect_restore_refused("does not parse as JSON");
}

TEST_F(ArchiveTamper, MissingManifest) {
  fs::remove(set_dir() / "manifest.json");
  auto lines = problems();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "manifest manifest.json: missing: the set has no manifest");
}

TEST_F(ArchiveTamper, AbsolutePathInManifestIsRefused) {
  json m = manifest();
  m["files"][0]["path"] = (temp_.path() / "escaped.sql").string();
  write_manifest(m);
  expect_restore_refused("it is absolute; refusing");
  EXPECT_FALSE(fs::exists(temp_.path() / "escaped.sql"));
}

TEST_F(ArchiveTamper, DotDotInManifestIsRefused) {
  json m = manifest();
  m["files"][0]["path"] = "../../escaped.sql";
  write_manifest(m);
  expect_restore_refused("contains \"..\"; refusing");
  auto lines = problems();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("unsafe path \"../../escaped.sql\""), std::string::npos) << lines[0];
}

TEST_F(ArchiveTamper, DuplicatePathsAreRefused) {
  json m = manifest();
  m["files"][1]["path"] = m["files"][0]["path"];
  write_manifest(m);
  expect_restore_refused("duplicate path");
}

TEST_F(ArchiveTamper, SymlinkInsideTheSetIsRefused) {
  fs::path victim = temp_.path() / "outside.sql";
  write_file(victim, "outside\n");
  fs::remove(set_dir() / file(1, "up.sql"));
  fs::create_symlink(victim, set_dir() / file(1, "up.sql"));
  auto lines = problems();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "missing  " + file(1, "up.sql") + ": " + std::to_string(original_.at(file(1, "up.sql")).size()) +
                          " bytes, sha256 " + sha256_hex(original_.at(file(1, "up.sql"))));
  EXPECT_EQ(lines[1], "symlink  " + file(1, "up.sql") + ": a symlink inside the set (refusing to follow it)");
  expect_restore_refused("symlink");
}

TEST_F(ArchiveTamper, SymlinkedSetFolderIsRefused) {
  fs::rename(set_dir(), temp_.path() / "real_set");
  fs::create_directory_symlink(temp_.path() / "real_set", set_dir());
  auto lines = problems();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("the set folder is a symlink"), std::string::npos) << lines[0];
  expect_restore_refused("symlink");
}

TEST_F(ArchiveTamper, TargetPathThroughASymlinkIsRefused) {
  // The migration folder in the target was replaced by a symlink to somewhere else: writing
  // through it would put files outside the migrations folder.
  fs::path elsewhere = temp_.path() / "elsewhere";
  fs::create_directories(elsewhere);
  fs::create_directory_symlink(elsewhere, project_ / "migrations" / (hasura_version(1) + "_step_1"));
  expect_restore_refused("is a symlink");
  EXPECT_TRUE(fs::is_empty(elsewhere));
}

TEST_F(ArchiveTamper, TargetFileThatIsASymlinkIsRefused) {
  fs::path elsewhere = temp_.path() / "elsewhere.sql";
  write_file(elsewhere, "keep me\n");
  fs::create_directories(project_ / "migrations" / (hasura_version(1) + "_step_1"));
  fs::create_symlink(elsewhere, project_ / "migrations" / file(1, "up.sql"));
  expect_restore_refused("is a symlink (refusing to write through it)");
  EXPECT_EQ(read_file(elsewhere), "keep me\n");
}

TEST_F(ArchiveTamper, RestoreOntoAFileWithOtherContentNamesIt) {
  write_file(project_ / "migrations" / file(2, "up.sql"), "-- someone else's file\n");
  expect_restore_refused(file(2, "up.sql") + " exists with other content");
}

TEST_F(ArchiveTamper, RestoreOntoIdenticalFilesIsFine) {
  write_file(project_ / "migrations" / file(2, "up.sql"), original_.at(file(2, "up.sql")));
  ToolRun restored = run_archive(project_, {"restore", kSet});
  ASSERT_EQ(restored.code, 0) << restored.output;
  EXPECT_NE(restored.output.find("(1 already in place)"), std::string::npos) << restored.output;
  EXPECT_EQ(snapshot(project_ / "migrations"), original_);
}

TEST_F(ArchiveTamper, SetNamesWithPathSeparatorsAreRefused) {
  write_hasura_history(project_ / "more", 1);
  const Snapshot before = snapshot(temp_.path());
  for (const char* name : {"a/b", "../up", "..", ".hidden"}) {
    ToolRun refused = run_archive(project_, {"archive", "--migrations", "more", "--through", hasura_version(1), "--name", name});
    EXPECT_EQ(refused.code, 1) << name << ": " << refused.output;
    ToolRun restore = run_archive(project_, {"restore", name});
    EXPECT_EQ(restore.code, 1) << name << ": " << restore.output;
    ToolRun verify = run_archive(project_, {"verify", name});
    EXPECT_EQ(verify.code, 1) << name << ": " << verify.output;
  }
  EXPECT_EQ(snapshot(temp_.path()), before);
}

TEST_F(ArchiveTamper, ExistingSetIsNotOverwritten) {
  ASSERT_EQ(run_archive(project_, {"restore", kSet}).code, 0);
  fs::create_directories(set_dir());
  write_file(set_dir() / "keep.txt", "keep\n");
  ToolRun refused = run_archive(project_, {"archive", "--migrations", "migrations", "--through", hasura_version(2), "--name", kSet});
  EXPECT_EQ(refused.code, 1) << refused.output;
  EXPECT_NE(refused.output.find("archive set s already exists"), std::string::npos) << refused.output;
  EXPECT_EQ(snapshot(project_ / "migrations"), original_);
}

TEST_F(ArchiveTamper, SymlinkedMigrationIsNotArchived) {
  ASSERT_EQ(run_archive(project_, {"restore", kSet}).code, 0);
  fs::path real = temp_.path() / "real_up.sql";
  fs::rename(project_ / "migrations" / file(1, "up.sql"), real);
  fs::create_symlink(real, project_ / "migrations" / file(1, "up.sql"));
  const Snapshot before = snapshot(temp_.path());
  ToolRun refused = run_archive(project_, {"archive", "--migrations", "migrations", "--through", hasura_version(2)});
  EXPECT_EQ(refused.code, 1) << refused.output;
  EXPECT_NE(refused.output.find("is a symlink; archive moves regular files only"), std::string::npos) << refused.output;
  EXPECT_EQ(snapshot(temp_.path()), before);
}

TEST_F(ArchiveTamper, VerifyJsonNamesEachProblem) {
  fs::remove(set_dir() / file(1, "down.sql"));
  write_file(set_dir() / "x.sql", "x");
  ToolRun verified = run_archive(project_, {"verify", "--json"});
  EXPECT_EQ(verified.code, 1) << verified.output;
  json report = json::parse(verified.output);
  ASSERT_EQ(report["sets"].size(), 1u);
  EXPECT_EQ(report["sets"][0]["state"], "tampered");
  ASSERT_EQ(report["sets"][0]["problems"].size(), 2u);
  EXPECT_EQ(report["sets"][0]["problems"][0]["kind"], "missing");
  EXPECT_EQ(report["sets"][0]["problems"][0]["path"], file(1, "down.sql"));
  EXPECT_EQ(report["sets"][0]["problems"][1]["kind"], "extra");
  EXPECT_EQ(report["sets"][0]["problems"][1]["path"], "x.sql");
}

}  // namespace
}  // namespace schemakit::testing::archive_tests
