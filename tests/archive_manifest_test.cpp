// The manifest format, its chained digest, the checks that refuse unsafe manifests, and which
// migrations a squash report selects. Pure logic: no files moved here (see archive_roundtrip_test).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "archive/manifest.hpp"
#include "archive/selection.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"

namespace schemakit::archive {
namespace {

using nlohmann::json;

Manifest sample_manifest() {
  Manifest m;
  m.tool_version = "0.1.0";
  m.created_at = "2024-05-01T12:00:00Z";
  m.source = "migrations";
  m.layout = "golang-migrate";
  m.first_version = "1";
  m.last_version = "2";
  m.migration_count = 2;
  m.files = {{"000001_a.up.sql", 10, sha256_hex("a up"), "1", "a"},
             {"000001_a.down.sql", 12, sha256_hex("a down"), "1", "a"},
             {"000002_b.up.sql", 7, sha256_hex("b up"), "2", "b"}};
  return m;
}

json sample_json() { return json::parse(render_manifest(sample_manifest())); }

std::string message_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST(ArchiveManifest, RendersAndParsesBack) {
  Manifest original = sample_manifest();
  original.squash = SquashOrigin{"out/squash.json", "abc123", {"000002_b.up.sql"}};
  original.git_commit = std::string(40, 'e');
  Manifest parsed = parse_manifest(render_manifest(original), "manifest.json");
  EXPECT_EQ(parsed.source, "migrations");
  EXPECT_EQ(parsed.layout, "golang-migrate");
  EXPECT_EQ(parsed.first_version, "1");
  EXPECT_EQ(parsed.last_version, "2");
  EXPECT_EQ(parsed.migration_count, 2u);
  ASSERT_EQ(parsed.files.size(), 3u);
  EXPECT_EQ(parsed.files[1].path, "000001_a.down.sql");
  EXPECT_EQ(parsed.files[1].size, 12u);
  ASSERT_TRUE(parsed.squash);
  EXPECT_EQ(parsed.squash->fingerprint, "abc123");
  EXPECT_EQ(parsed.squash->changed_since_squash, std::vector<std::string>{"000002_b.up.sql"});
  EXPECT_EQ(parsed.git_commit, std::string(40, 'e'));
  EXPECT_EQ(parsed.chain_sha256, compute_chain(parsed));
}

TEST(ArchiveManifest, RenderingIsDeterministic) {
  EXPECT_EQ(render_manifest(sample_manifest()), render_manifest(sample_manifest()));
}

TEST(ArchiveManifest, ChainChangesWhenEntriesAreReorderedEditedAddedOrRemoved) {
  const Manifest base = sample_manifest();
  const std::string chain = compute_chain(base);

  Manifest reordered = base;
  std::swap(reordered.files[0], reordered.files[1]);
  EXPECT_NE(compute_chain(reordered), chain);

  Manifest edited = base;
  edited.files[2].size += 1;
  EXPECT_NE(compute_chain(edited), chain);

  Manifest renamed = base;
  renamed.files[2].name = "c";
  EXPECT_NE(compute_chain(renamed), chain);

  Manifest removed = base;
  removed.files.pop_back();
  EXPECT_NE(compute_chain(removed), chain);

  Manifest moved = base;
  moved.source = "../elsewhere";
  EXPECT_NE(compute_chain(moved), chain);
}

TEST(ArchiveManifest, RefusesTextThatDoesNotParse) {
  EXPECT_NE(message_of([] { parse_manifest("{ not json", "set/manifest.json"); }).find("set/manifest.json: does not parse"),
            std::string::npos);
}

TEST(ArchiveManifest, RefusesMissingOrMistypedFields) {
  json doc = sample_json();
  doc["files"][0].erase("sha256");
  EXPECT_NE(message_of([&] { parse_manifest(doc.dump(), "m"); }).find("m: files[0]: field \"sha256\" is missing"),
            std::string::npos);
  doc = sample_json();
  doc["files"][1]["size"] = -1;
  EXPECT_NE(message_of([&] { parse_manifest(doc.dump(), "m"); }).find("files[1]: field \"size\" must be a non-negative"),
            std::string::npos);
  doc = sample_json();
  doc["files"][1]["sha256"] = "XYZ";
  EXPECT_NE(message_of([&] { parse_manifest(doc.dump(), "m"); }).find("64 lowercase hex"), std::string::npos);
  doc = sample_json();
  doc["format"] = "something-else";
  EXPECT_NE(message_of([&] { parse_manifest(doc.dump(), "m"); }).find("field \"format\""), std::string::npos);
}

TEST(ArchiveManifest, RefusesAbsolutePaths) {
  json doc = sample_json();
  doc["files"][0]["path"] = "/etc/passwd";
  EXPECT_NE(message_of([&] { parse_manifest(doc.dump(), "m"); }).find("unsafe path \"/etc/passwd\": it is absolute"),
            std::string::npos);
}

TEST(ArchiveManifest, RefusesDotDotAnywhereInAPath) {
  for (const char* path : {"../x.sql", "a/../../x.sql", "a/..", ".."}) {
    json doc = sample_json();
    doc["files"][0]["path"] = path;
    EXPECT_NE(message_of([&] { parse_manifest(doc.dump(), "m"); }).find("contains \"..\""), std::string::npos) << path;
  }
}

TEST(ArchiveManifest, RefusesEmptyAndDotComponents) {
  for (const char* path : {"", "a//b.sql", "./a.sql", "a/"}) {
    json doc = sample_json();
    doc["files"][0]["path"] = path;
    EXPECT_NE(message_of([&] { parse_manifest(doc.dump(), "m"); }).find("unsafe path"), std::string::npos) << path;
  }
}

TEST(ArchiveManifest, RefusesAnEntryNamedLikeTheManifest) {
  json doc = sample_json();
  doc["files"][0]["path"] = "manifest.json";
  EXPECT_NE(message_of([&] { parse_manifest(doc.dump(), "m"); }).find("collide"), std::string::npos);
}

TEST(ArchiveManifest, RefusesDuplicatePaths) {
  json doc = sample_json();
  doc["files"][2]["path"] = doc["files"][0]["path"];
  EXPECT_NE(message_of([&] { parse_manifest(doc.dump(), "m"); })
                .find("duplicate path \"000001_a.up.sql\" (files[0] and files[2])"),
            std::string::npos);
}

TEST(ArchiveManifest, RefusesAPathThatIsAlsoAFolder) {
  json doc = sample_json();
  doc["files"][0]["path"] = "a";
  doc["files"][1]["path"] = "a/up.sql";
  EXPECT_NE(message_of([&] { parse_manifest(doc.dump(), "m"); }).find("is a file and also the folder"),
            std::string::npos);
}

TEST(ArchiveManifest, RefusesAnAbsoluteSource) {
  json doc = sample_json();
  doc["source"] = "/srv/migrations";
  EXPECT_NE(message_of([&] { parse_manifest(doc.dump(), "m"); }).find("field \"source\""), std::string::npos);
}

TEST(ArchiveManifest, SetNames) {
  EXPECT_NO_THROW(check_set_name("1-12"));
  EXPECT_NO_THROW(check_set_name("before release 2.0"));
  EXPECT_NE(message_of([] { check_set_name("a/b"); }).find("path separator"), std::string::npos);
  EXPECT_NE(message_of([] { check_set_name("a\\b"); }).find("path separator"), std::string::npos);
  EXPECT_NE(message_of([] { check_set_name(".."); }).find("starts with a dot"), std::string::npos);
  EXPECT_NE(message_of([] { check_set_name(".hidden"); }).find("starts with a dot"), std::string::npos);
  EXPECT_NE(message_of([] { check_set_name("a\nb"); }).find("control character"), std::string::npos);
}

TEST(ArchiveManifest, TimestampHonoursSourceDateEpoch) {
  ::setenv("SOURCE_DATE_EPOCH", "86400", 1);
  EXPECT_EQ(utc_timestamp(), "1970-01-02T00:00:00Z");
  ::unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_EQ(utc_timestamp().size(), 20u);
}

TEST(ArchiveManifest, GitCommitIsAbsentOutsideAWorkTree) {
  EXPECT_FALSE(git_head_commit("/"));
}

// ------------------------------------------------------------------------------------------------
// Selection from a squash report

migrations::Migration migration(const std::string& version, const std::string& name,
                                const std::vector<std::pair<std::string, std::string>>& files) {
  migrations::Migration m;
  m.version = version;
  m.name = name;
  for (const auto& [path, content] : files) m.files.push_back({path, sha256_hex(content), content.size()});
  return m;
}

migrations::History history_of(std::vector<migrations::Migration> list) {
  migrations::History history;
  history.root = "/nonexistent/migrations";
  history.layout = migrations::Layout::golang_migrate;
  history.migrations = std::move(list);
  return history;
}

SquashedMigration squashed(const std::string& version, const std::string& name,
                           const std::vector<std::pair<std::string, std::string>>& files) {
  SquashedMigration m{version, name, {}};
  for (const auto& [path, content] : files) m.files.push_back({path, sha256_hex(content)});
  return m;
}

TEST(ArchiveSelection, SelectsCoveredMigrationsWhoseFilesStillMatch) {
  auto history = history_of({migration("1", "a", {{"1_a.up.sql", "A"}}), migration("2", "b", {{"2_b.up.sql", "B"}}),
                             migration("3", "c", {{"3_c.up.sql", "C"}})});
  SquashReport report{"out/squash.json", "golang-migrate", "fp", {squashed("1", "a", {{"1_a.up.sql", "A"}}),
                                                                   squashed("2", "b", {{"2_b.up.sql", "B"}})}, std::nullopt};
  Selection selection = select_covered(history, report);
  ASSERT_EQ(selection.migrations.size(), 2u);
  EXPECT_EQ(selection.migrations[0].version, "1");
  EXPECT_EQ(selection.migrations[1].version, "2");
  EXPECT_FALSE(selection.needs_force());
  EXPECT_TRUE(selection.not_in_folder.empty());
}

TEST(ArchiveSelection, ReportsChangedAddedAndDeletedFiles) {
  auto history = history_of({migration("1", "a", {{"1_a.up.sql", "A edited"}, {"1_a.down.sql", "new down"}}),
                             migration("2", "b", {{"2_b.up.sql", "B"}})});
  SquashReport report{"out/squash.json", "", "fp", {squashed("1", "a", {{"1_a.up.sql", "A"}}),
                                                     squashed("2", "b", {{"2_b.up.sql", "B"}, {"2_b.down.sql", "D"}})}, std::nullopt};
  Selection selection = select_covered(history, report);
  EXPECT_TRUE(selection.needs_force());
  ASSERT_EQ(selection.changed.size(), 3u);
  EXPECT_NE(selection.changed[0].find("1_a.up.sql: changed since it was squashed"), std::string::npos);
  EXPECT_NE(selection.changed[1].find("1_a.down.sql: added since it was squashed"), std::string::npos);
  EXPECT_NE(selection.changed[2].find("2_b.down.sql: deleted since it was squashed"), std::string::npos);
  EXPECT_EQ(selection.changed_paths, (std::vector<std::string>{"1_a.up.sql", "1_a.down.sql", "2_b.down.sql"}));
}

TEST(ArchiveSelection, AnUncoveredMigrationBeforeCoveredOnesNeedsForce) {
  auto history = history_of({migration("1", "a", {{"1_a.up.sql", "A"}}), migration("2", "b", {{"2_b.up.sql", "B"}})});
  SquashReport report{"s.json", "", "fp", {squashed("2", "b", {{"2_b.up.sql", "B"}})}, std::nullopt};
  Selection selection = select_covered(history, report);
  ASSERT_EQ(selection.gaps.size(), 1u);
  EXPECT_NE(selection.gaps[0].find("1 a is not covered"), std::string::npos);
  EXPECT_TRUE(selection.needs_force());
}

TEST(ArchiveSelection, AReportWhoseProofFailedNeedsForce) {
  auto history = history_of({migration("1", "a", {{"1_a.up.sql", "A"}})});
  SquashReport report{"s.json", "", "fp", {squashed("1", "a", {{"1_a.up.sql", "A"}})}, std::string("failed")};
  Selection selection = select_covered(history, report);
  ASSERT_EQ(selection.doubts.size(), 1u);
  EXPECT_NE(selection.doubts[0].find("the squash's proof did not pass"), std::string::npos);
  EXPECT_TRUE(selection.needs_force());
  report.verification = "proved";
  EXPECT_FALSE(select_covered(history, report).needs_force());
}

TEST(ArchiveSelection, CoveredMigrationsNoLongerInTheFolderAreListed) {
  auto history = history_of({migration("2", "b", {{"2_b.up.sql", "B"}})});
  SquashReport report{"s.json", "", "fp", {squashed("1", "a", {{"1_a.up.sql", "A"}}), squashed("2", "b", {{"2_b.up.sql", "B"}})}, std::nullopt};
  Selection selection = select_covered(history, report);
  EXPECT_EQ(selection.not_in_folder, std::vector<std::string>{"1 a"});
  EXPECT_FALSE(selection.needs_force());
  ASSERT_EQ(selection.migrations.size(), 1u);
}

}  // namespace
}  // namespace schemakit::archive
