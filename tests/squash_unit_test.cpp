// The parts of squash that need no server: headers, source labels, the report's JSON, the staged
// output directory, the scope rules and the transaction lines the lifecycle blanks.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "squash/lifecycle.hpp"
#include "squash/output.hpp"
#include "squash/report.hpp"
#include "squash/scope.hpp"
#include "squash/squash.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace schemakit;
using schemakit::testing::read_file;
using schemakit::testing::TempDir;
using schemakit::testing::write_file;

namespace {

TEST(SquashHeader, NamesSourceMigrationsServerAndFingerprintAndNothingElse) {
  squash::HeaderFacts facts{"schema/migrations", "hasura", "", "1700000000000", "create_users",
                            "1702339200000", "seed_anonymous_user", 17, "15.20", "abc123", true};
  EXPECT_EQ(squash::up_header(facts),
            "-- Consolidated schema written by schemakit squash: the state the migrations below leave,\n"
            "-- built from an empty database in one transaction. Generated: squash again, do not edit.\n"
            "--\n"
            "-- Source:      schema/migrations (hasura layout)\n"
            "-- Migrations:  17, 1700000000000 (create_users) through 1702339200000 (seed_anonymous_user)\n"
            "-- Server:      PostgreSQL 15.20\n"
            "-- Fingerprint: abc123\n"
            "-- Data:        rows and sequence positions included\n"
            "-- Undo with:   down.sql\n"
            "\n");
  facts.through = "003";
  facts.data = false;
  const std::string up = squash::up_header(facts);
  EXPECT_NE(up.find("(seed_anonymous_user), --through 003\n"), std::string::npos) << up;
  EXPECT_NE(up.find("-- Data:        schema only (--no-data)\n"), std::string::npos) << up;
  const std::string down = squash::down_header(facts);
  EXPECT_NE(down.find("-- Source:      schema/migrations (hasura layout)\n"), std::string::npos) << down;
  EXPECT_NE(down.find("Roles are never dropped"), std::string::npos) << down;
}

TEST(SquashHeader, ServerVersionText) {
  EXPECT_EQ(squash::server_version_text(150020), "15.20");
  EXPECT_EQ(squash::server_version_text(170000), "17.0");
  EXPECT_EQ(squash::server_version_text(90624), "9.6.24");
}

TEST(SquashSourceLabel, RelativeAsGivenAbsoluteMadeRelativeWhenShorter) {
  EXPECT_EQ(squash::source_label("schema/migrations"), "schema/migrations");
  EXPECT_EQ(squash::source_label("schema/migrations/"), "schema/migrations");
  EXPECT_EQ(squash::source_label("./schema//migrations"), "schema/migrations");
  EXPECT_EQ(squash::source_label(fs::current_path() / "schema" / "migrations"), "schema/migrations");
  EXPECT_EQ(squash::source_label("/"), "/");
}

TEST(SquashLifecycle, BlanksOnlyTheScriptsOwnTransactionLines) {
  const std::string script =
      "-- header\n\nBEGIN;\nSET LOCAL x = 1;\nINSERT INTO t VALUES ('a\nCOMMIT;\nb');\nCOMMIT;\n";
  EXPECT_EQ(squash::without_transaction_lines(script),
            "-- header\n\n\nSET LOCAL x = 1;\nINSERT INTO t VALUES ('a\nCOMMIT;\nb');\n\n");
  EXPECT_EQ(squash::without_transaction_lines("BEGIN;\nSELECT 1;\nCOMMIT;"), "\nSELECT 1;\n");
  EXPECT_EQ(squash::without_transaction_lines("SELECT 1;\n"), "SELECT 1;\n");
}

TEST(SquashReport, JsonRoundTripsAndHasTheKeysArchiveReads) {
  squash::Report r;
  r.tool_version = "0.1.0";
  r.source = "schema/migrations";
  r.format = "hasura";
  r.migrations = {{"1", "create", {{"1_create/up.sql", std::string(64, 'a')}}}};
  r.server_version = "15.20";
  r.fingerprint = std::string(64, 'f');
  r.objects["tables"] = 2;
  r.rows["public.t"] = 3;
  r.outputs["up.sql"] = {"up.sql", std::string(64, 'b')};
  r.timings = {{"read", 0.0123456}, {"total", 1.5}};
  r.proved = true;
  r.checks = {{"catalog", "passed", "2 objects equal"}, {"pg_dump", "skipped", "not installed"}};
  const std::string text = squash::to_json(r);
  EXPECT_EQ(text.find("timings"), std::string::npos) << "times change run to run; squash.json must not: " << text;
  EXPECT_NE(text.find("\"result\": \"proved\""), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
  squash::Report back = squash::report_from_json(text, "squash.json");
  EXPECT_EQ(back.source, r.source);
  EXPECT_EQ(back.format, r.format);
  ASSERT_EQ(back.migrations.size(), 1u);
  EXPECT_EQ(back.migrations[0].files[0].path, "1_create/up.sql");
  EXPECT_EQ(back.fingerprint, r.fingerprint);
  EXPECT_EQ(back.rows, r.rows);
  EXPECT_TRUE(back.proved);
  EXPECT_EQ(back.checks.size(), 2u);
  EXPECT_EQ(back.checks[1].detail, "not installed");
  EXPECT_THROW(squash::report_from_json("{\"report_version\": 1}", "x.json"), InputError);
  EXPECT_THROW(squash::report_from_json("not json", "x.json"), InputError);
}

TEST(SquashOutput, AbsentOutDirAppearsWholeOnCommitAndNotBefore) {
  TempDir tmp;
  const fs::path out = tmp.path() / "deeper" / "out";
  {
    squash::StagedOutput staged(out);
    staged.write("up.sql", "up\n");
    staged.write("down.sql", "down\n");
    EXPECT_FALSE(fs::exists(out));
    EXPECT_EQ(staged.staging().parent_path(), tmp.path()) << "staged in the nearest existing directory";
    staged.commit();
  }
  EXPECT_EQ(read_file(out / "up.sql"), "up\n");
  EXPECT_EQ(read_file(out / "down.sql"), "down\n");
  EXPECT_EQ((fs::status(out).permissions() & fs::perms::others_read), fs::perms::others_read)
      << "OUT_DIR keeps mkdtemp's private mode";
}

TEST(SquashOutput, ExistingOutDirKeepsItsOtherFiles) {
  TempDir tmp;
  const fs::path out = tmp.path() / "out";
  write_file(out / "up.sql", "old\n");
  write_file(out / "keep.txt", "kept\n");
  {
    squash::StagedOutput staged(out);
    staged.write("up.sql", "new\n");
    staged.commit();
  }
  EXPECT_EQ(read_file(out / "up.sql"), "new\n");
  EXPECT_EQ(read_file(out / "keep.txt"), "kept\n");
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(tmp.path())) entries += (void(e), 1);
  EXPECT_EQ(entries, 1u) << "the staging directory is gone";
}

TEST(SquashOutput, WithoutCommitNothingChanges) {
  TempDir tmp;
  const fs::path out = tmp.path() / "out";
  write_file(out / "up.sql", "old\n");
  {
    squash::StagedOutput staged(out);
    staged.write("up.sql", "new\n");
  }
  EXPECT_EQ(read_file(out / "up.sql"), "old\n");
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(tmp.path())) entries += (void(e), 1);
  EXPECT_EQ(entries, 1u);
}

TEST(SquashOutput, OutDirThatIsAFileIsAUsageError) {
  TempDir tmp;
  write_file(tmp.path() / "file", "x");
  EXPECT_THROW(squash::StagedOutput(tmp.path() / "file"), UsageError);
}

catalog::Object object(catalog::Kind kind, std::string schema, std::string table, std::string name,
                       catalog::Attributes attributes = {}) {
  catalog::Object o;
  o.id = {kind, std::move(schema), std::move(table), std::move(name), ""};
  o.attributes = std::move(attributes);
  return o;
}

TEST(SquashScope, LeavesOutUnchangedBaseObjectsAndTheTrackingTable) {
  using catalog::Kind;
  catalog::Catalog base;
  base.objects = {object(Kind::schema, "", "", "platform", {{"owner", "postgres"}}),
                  object(Kind::schema, "", "", "public", {{"owner", "pg_database_owner"}}),
                  object(Kind::table, "public", "", "schema_migrations"),
                  object(Kind::column, "public", "schema_migrations", "version")};
  base.unsupported = {{"text search configuration", "platform.ts", ""}};
  base.sort_by_id();
  catalog::Catalog replayed = base;
  replayed.objects.push_back(object(Kind::table, "public", "", "users"));
  replayed.objects.push_back(object(Kind::column, "public", "schema_migrations", "note"));
  replayed.objects.push_back(object(Kind::index, "public", "schema_migrations", "by_note"));
  for (auto& o : replayed.objects) {
    if (o.id.name == "public") o.attributes["comment"] = "changed by a migration";
  }
  replayed.unsupported.push_back({"text search configuration", "public.mine", ""});
  replayed.sort_by_id();

  const auto part = squash::migrations_part(replayed, base, squash::tracking_table(migrations::Layout::golang_migrate));
  std::vector<std::string> names;
  for (const auto& o : part.objects) names.push_back(std::string(catalog::to_string(o.id.kind)) + " " + o.id.name);
  EXPECT_EQ(names, (std::vector<std::string>{"schema public", "table users"}));
  ASSERT_EQ(part.unsupported.size(), 1u);
  EXPECT_EQ(part.unsupported[0].identity, "public.mine");
  EXPECT_EQ(squash::describe_unsupported(part), std::vector<std::string>{"text search configuration public.mine"});
}

TEST(SquashScope, TrackingTablesAsTheRunnersCreateThem) {
  EXPECT_FALSE(squash::tracking_table(migrations::Layout::hasura));
  EXPECT_FALSE(squash::tracking_table(migrations::Layout::flyway));
  auto diesel = squash::tracking_table(migrations::Layout::diesel);
  ASSERT_TRUE(diesel);
  EXPECT_EQ(diesel->name, "__diesel_schema_migrations");
  EXPECT_NE(diesel->create_sql.find("version VARCHAR(50) PRIMARY KEY NOT NULL"), std::string::npos);
  auto golang = squash::tracking_table(migrations::Layout::golang_migrate);
  ASSERT_TRUE(golang);
  EXPECT_EQ(golang->name, "schema_migrations");
  EXPECT_NE(golang->create_sql.find("version bigint not null primary key, dirty boolean not null"),
            std::string::npos);
}

}  // namespace
