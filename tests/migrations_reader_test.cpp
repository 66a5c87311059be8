// Reading migration folders: one test per layout and per refusal, exact messages.
#include <gtest/gtest.h>

#include <functional>

#include "common/error.hpp"
#include "migrations/reader.hpp"
#include "support/error_of.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace schemakit;
using namespace schemakit::migrations;
using schemakit::testing::TempDir;
using schemakit::testing::write_file;

namespace {

using schemakit::testing::error_of;

std::vector<std::string> versions(const History& h) {
  std::vector<std::string> out;
  for (const auto& m : h.migrations) out.push_back(m.version);
  return out;
}

std::vector<std::string> names(const History& h) {
  std::vector<std::string> out;
  for (const auto& m : h.migrations) out.push_back(m.name);
  return out;
}

std::vector<std::string> file_paths(const Migration& m) {
  std::vector<std::string> out;
  for (const auto& f : m.files) out.push_back(f.path.generic_string());
  return out;
}

class Reader : public ::testing::Test {
 protected:
  void file(const std::string& relative, const std::string& content) { write_file(dir.path() / relative, content); }
  std::string at(const std::string& relative) const { return (dir.path() / relative).string(); }
  History read(ReadOptions options = {}) { return read_history(dir.path(), options); }
  std::vector<fs::path> ignored_files() { return read().ignored_files; }
  std::string error(ReadOptions options = {}) {
    return error_of([&] { read_history(dir.path(), options); });
  }
  TempDir dir;
};

}  // namespace

// --- layouts ----------------------------------------------------------------------------------

TEST_F(Reader, GolangMigrateOrdersVersionsAsIntegers) {
  file("10_ten.up.sql", "CREATE TABLE ten (id int);");
  file("10_ten.down.sql", "DROP TABLE ten;");
  file("9_nine.up.sql", "CREATE TABLE nine (id int);");
  file("000001_one.up.sql", "CREATE TABLE one (id int);");
  History h = read();
  EXPECT_EQ(h.layout, Layout::golang_migrate);
  EXPECT_EQ(versions(h), (std::vector<std::string>{"1", "9", "10"}));
  EXPECT_EQ(names(h), (std::vector<std::string>{"one", "nine", "ten"}));
  EXPECT_FALSE(h.migrations[1].down.has_value());
  ASSERT_TRUE(h.migrations[2].down.has_value());
  EXPECT_EQ(h.migrations[2].down->statements.at(0).sql, "DROP TABLE ten");
  EXPECT_EQ(file_paths(h.migrations[2]), (std::vector<std::string>{"10_ten.up.sql", "10_ten.down.sql"}));
  EXPECT_EQ(h.migrations[2].up.file, fs::path("10_ten.up.sql"));
}

TEST_F(Reader, HasuraFoldersOrderNumericallyAndIgnoreAReadme) {
  file("1700000000000_b/up.sql", "CREATE TABLE b (id int);");
  file("1700000000000_b/down.sql", "DROP TABLE b;");
  file("999999999999_a/up.sql", "CREATE TABLE a (id int);");
  file("README.md", "# notes");
  History h = read();
  EXPECT_EQ(h.layout, Layout::hasura);
  EXPECT_EQ(versions(h), (std::vector<std::string>{"999999999999", "1700000000000"}));
  EXPECT_EQ(h.migrations[1].folder, fs::path("1700000000000_b"));
  EXPECT_EQ(file_paths(h.migrations[1]), (std::vector<std::string>{"1700000000000_b/up.sql", "1700000000000_b/down.sql"}));
  EXPECT_EQ(h.ignored_files, (std::vector<fs::path>{"README.md"}));
}

TEST_F(Reader, HasuraDatabaseFolderOfConfigV3IsReadThrough) {
  file("default/1700000000000_b/up.sql", "CREATE TABLE b (id int);");
  file("default/1600000000000_a/up.sql", "CREATE TABLE a (id int);");
  file("default/1600000000000_a/down.sql", "DROP TABLE a;");
  History h = read();
  EXPECT_EQ(h.layout, Layout::hasura);
  EXPECT_EQ(versions(h), (std::vector<std::string>{"1600000000000", "1700000000000"}));
  // Paths stay relative to the folder given, so archive moves default/<migration> folders.
  EXPECT_EQ(h.migrations[0].folder, fs::path("default/1600000000000_a"));
  EXPECT_EQ(file_paths(h.migrations[0]),
            (std::vector<std::string>{"default/1600000000000_a/up.sql", "default/1600000000000_a/down.sql"}));
}

TEST_F(Reader, SeveralHasuraDatabaseFoldersAreRefused) {
  file("default/1700000000000_b/up.sql", "CREATE TABLE b (id int);");
  file("reports/1700000000000_c/up.sql", "CREATE TABLE c (id int);");
  EXPECT_EQ(error(), dir.path().string() + " holds the migrations of 2 Hasura databases (default, reports, ...): "
                     "squash one at a time, e.g. " + (dir.path() / "default").string());
}

TEST_F(Reader, HasuraMetadataStepsArePassedOverAndRunSqlInYamlIsRefused) {
  file("1_table/up.sql", "CREATE TABLE t (id int);");
  file("1_table/up.yaml", "- type: track_table\n  args: {name: t}\n");
  file("2_permission/up.yaml", "- type: create_select_permission\n");
  file("2_permission/down.yaml", "- type: drop_select_permission\n");
  History h = read();
  EXPECT_EQ(versions(h), (std::vector<std::string>{"1"}));
  EXPECT_EQ(h.ignored_files,
            (std::vector<fs::path>{"1_table/up.yaml", "2_permission/down.yaml", "2_permission/up.yaml"}));
  file("3_sql_in_yaml/up.yaml", "- args:\n    sql: CREATE TABLE u (id int);\n  type: run_sql\n");
  EXPECT_EQ(error(), at("3_sql_in_yaml/up.yaml") +
                         ":3:9: a Hasura run_sql step in YAML changes the database; squash replays SQL migrations "
                         "only (move the SQL into up.sql)");
}

TEST_F(Reader, DieselRemovesDashesAndReadsMetadata) {
  file("2019-01-01-000000_later/up.sql", "CREATE TABLE later (id int);");
  file("2018-12-31-235959_earlier/up.sql", "CREATE TABLE earlier (id int);");
  file("2018-12-31-235959_earlier/down.sql", "DROP TABLE earlier;");
  file("2018-12-31-235959_earlier/metadata.toml", "# diesel\nrun_in_transaction = false\n");
  file("00000000000000_diesel_initial_setup/up.sql", "SELECT 1;");
  file(".keep", "");
  History h = read();
  EXPECT_EQ(h.layout, Layout::diesel);
  EXPECT_EQ(versions(h), (std::vector<std::string>{"00000000000000", "20181231235959", "20190101000000"}));
  const Migration& earlier = h.migrations[1];
  EXPECT_EQ(earlier.up.tx_mode, TxMode::none);
  EXPECT_EQ(earlier.up.tx_mode_reason, "2018-12-31-235959_earlier/metadata.toml: run_in_transaction = false");
  EXPECT_EQ(earlier.down->tx_mode, TxMode::none);
  EXPECT_EQ(file_paths(earlier),
            (std::vector<std::string>{"2018-12-31-235959_earlier/up.sql", "2018-12-31-235959_earlier/down.sql",
                                      "2018-12-31-235959_earlier/metadata.toml"}));
  EXPECT_EQ(h.migrations[2].up.tx_mode, TxMode::transaction);
  EXPECT_EQ(h.ignored_files, (std::vector<fs::path>{".keep"}));
}

// diesel reads metadata.toml as TOML and only its top-level run_in_transaction, a boolean.
TEST_F(Reader, DieselMetadataIsToml) {
  file("2020-01-01-000000_a/up.sql", "CREATE TABLE a (id int);");
  file("2020-01-01-000000_a/metadata.toml",
       "# other keys are diesel's to ignore\nnote = \"\"\"\nrun_in_transaction = false\n\"\"\"\n"
       "[elsewhere]\nrun_in_transaction = false\n");
  EXPECT_EQ(read().migrations[0].up.tx_mode, TxMode::transaction);
  file("2020-01-01-000000_a/metadata.toml", "run_in_transaction=false # CREATE INDEX CONCURRENTLY\n");
  EXPECT_EQ(read().migrations[0].up.tx_mode, TxMode::none);
  file("2020-01-01-000000_a/metadata.toml", "\nrun_in_transaction = \"false\"\n");
  EXPECT_EQ(error(), at("2020-01-01-000000_a/metadata.toml") +
                         ":2:22: run_in_transaction must be true or false, not \"false\"");
  file("2020-01-01-000000_a/metadata.toml", "run_in_transaction = maybe\n");
  EXPECT_EQ(error(), at("2020-01-01-000000_a/metadata.toml") +
                         ":1:22: TOML syntax error: Error while parsing value: could not determine value type");
}

// A .sql.conf is Java properties, as flyway.conf is: `key: value` and `!` comments too.
TEST_F(Reader, FlywayScriptConfIsJavaProperties) {
  file("V1__a.sql", "CREATE TABLE a (id int);");
  file("V1__a.sql.conf", "! per-script settings\r\nexecuteInTransaction : \\\r\n    false\r\n");
  History h = read();
  const Migration& a = h.migrations[0];
  EXPECT_EQ(a.up.tx_mode, TxMode::none);
  EXPECT_EQ(a.up.tx_mode_reason, "V1__a.sql.conf: executeInTransaction=false");
  file("V1__a.sql.conf", "executeInTransaction false\nexecuteInTransaction=true\n");  // the later one wins
  EXPECT_EQ(read().migrations[0].up.tx_mode, TxMode::transaction);
  file("V1__a.sql.conf", "# settings\nexecuteInTransaction=no\n");
  EXPECT_EQ(error(), at("V1__a.sql.conf") + ":2: executeInTransaction must be true or false, not no");
}

TEST_F(Reader, PlainRollbackSectionIsUncommented) {
  file("0002_b.sql", "CREATE TABLE b (id int);\n");
  file("0001_a.sql", "CREATE TABLE a (id int);\n\n-- Rollback migration\n-- DROP TABLE a;\n\n--   -- keep this comment\n");
  History h = read();
  EXPECT_EQ(h.layout, Layout::plain);
  EXPECT_EQ(versions(h), (std::vector<std::string>{"1", "2"}));
  const Migration& a = h.migrations[0];
  ASSERT_TRUE(a.down.has_value());
  EXPECT_EQ(a.down->text, "DROP TABLE a;\n\n  -- keep this comment\n");
  ASSERT_EQ(a.down->statements.size(), 1u);
  EXPECT_EQ(a.down->statements[0].sql, "DROP TABLE a");
  EXPECT_EQ(a.down->statements[0].line, 4);
  EXPECT_EQ(a.down->statements[0].column, 4);
  EXPECT_EQ(a.up.text, "CREATE TABLE a (id int);\n\n");
  EXPECT_FALSE(h.migrations[1].down.has_value());
}

TEST_F(Reader, PlainRollbackLineThatIsNotCommentedIsRefused) {
  file("0001_a.sql", "CREATE TABLE a (id int);\n-- Rollback migration\nDROP TABLE a;\n");
  EXPECT_EQ(error(), at("0001_a.sql") +
                         ":3:1: this line of the rollback section is not commented out with '-- ' (every line after "
                         "'-- Rollback migration' must be)");
}

TEST_F(Reader, FlywayOrdersVersionPartsAsIntegersAndRepeatablesLast) {
  file("V1_10__c.sql", "CREATE TABLE c (id int);");
  file("V1_2__b.sql", "CREATE TABLE b (id int);");
  file("V1_2__b.sql.conf", "# per-script settings\nexecuteInTransaction=false\n");
  file("U1_2__b.sql", "DROP TABLE b;");
  file("V1__a.sql", "CREATE TABLE a (id int);");
  file("R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;");
  file("R__aaa.sql", "SELECT 1;");
  History h = read();
  EXPECT_EQ(h.layout, Layout::flyway);
  EXPECT_EQ(versions(h), (std::vector<std::string>{"1", "1.2", "1.10", "", ""}));
  EXPECT_EQ(names(h), (std::vector<std::string>{"a", "b", "c", "aaa", "views"}));
  const Migration& b = h.migrations[1];
  ASSERT_TRUE(b.down.has_value());
  EXPECT_EQ(b.down->file, fs::path("U1_2__b.sql"));
  EXPECT_EQ(b.up.tx_mode, TxMode::none);
  EXPECT_EQ(b.up.tx_mode_reason, "V1_2__b.sql.conf: executeInTransaction=false");
  EXPECT_EQ(b.down->tx_mode, TxMode::transaction);
  EXPECT_EQ(file_paths(b), (std::vector<std::string>{"V1_2__b.sql", "U1_2__b.sql", "V1_2__b.sql.conf"}));
}

TEST_F(Reader, DbmateSectionsAndTransactionOption) {
  file("20240101000000_a.sql",
       "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (id);\n\n-- migrate:down\nDROP INDEX i;\n");
  History h = read();
  EXPECT_EQ(h.layout, Layout::dbmate);
  const Migration& m = h.migrations.at(0);
  EXPECT_EQ(m.version, "20240101000000");
  EXPECT_EQ(m.up.first_line, 2);
  EXPECT_EQ(m.up.text, "CREATE INDEX CONCURRENTLY i ON t (id);\n\n");
  EXPECT_EQ(m.up.tx_mode, TxMode::none);
  EXPECT_EQ(m.up.tx_mode_reason, "-- migrate:up transaction:false (line 1)");
  ASSERT_TRUE(m.down.has_value());
  EXPECT_EQ(m.down->first_line, 5);
  EXPECT_EQ(m.down->statements.at(0).line, 5);
  EXPECT_EQ(m.down->tx_mode, TxMode::transaction);
  EXPECT_EQ(file_paths(m), (std::vector<std::string>{"20240101000000_a.sql"}));
}

TEST_F(Reader, DbmateOrdersByFileNameAsDbmateDoes) {
  file("2_b.sql", "-- migrate:up\nSELECT 2;\n");
  file("10_c.sql", "-- migrate:up\nSELECT 10;\n");
  file("1_a.sql", "-- migrate:up\nSELECT 1;\n");
  // dbmate sorts file names as bytes: "10_" before "1_" because '0' < '_'.
  EXPECT_EQ(versions(read()), (std::vector<std::string>{"10", "1", "2"}));
}

TEST_F(Reader, GooseSectionsBlocksAndNoTransaction) {
  file("00002_b.sql",
       "-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int "
       "LANGUAGE sql AS 'SELECT 1';\nSELECT f();\n-- +goose StatementEnd\n\n-- +goose Down\nDROP FUNCTION f();\n");
  file("00001_a.sql", "-- +goose Up\nCREATE TABLE a (id int);\n");
  History h = read();
  EXPECT_EQ(h.layout, Layout::goose);
  EXPECT_EQ(versions(h), (std::vector<std::string>{"1", "2"}));
  EXPECT_FALSE(h.migrations[0].down.has_value());
  const Migration& b = h.migrations[1];
  ASSERT_EQ(b.up.statements.size(), 1u);
  EXPECT_EQ(b.up.statements[0].sql, "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nSELECT f()");
  EXPECT_EQ(b.up.statements[0].line, 4);
  EXPECT_EQ(b.up.tx_mode, TxMode::none);
  EXPECT_EQ(b.up.tx_mode_reason, "-- +goose NO TRANSACTION (line 1)");
  EXPECT_EQ(b.down->tx_mode, TxMode::none);
  EXPECT_EQ(b.down->statements.at(0).line, 9);
}

TEST_F(Reader, PrismaFoldersWithoutDownsAndLockFileIgnored) {
  file("20230102000000_second/migration.sql", "CREATE TABLE b (id int);");
  file("20230101000000_init/migration.sql", "CREATE TABLE a (id int);");
  file("migration_lock.toml", "provider = \"postgresql\"\n");
  History h = read();
  EXPECT_EQ(h.layout, Layout::prisma);
  EXPECT_EQ(names(h), (std::vector<std::string>{"init", "second"}));
  EXPECT_FALSE(h.migrations[0].down.has_value());
  EXPECT_EQ(h.ignored_files, (std::vector<fs::path>{"migration_lock.toml"}));
}

TEST_F(Reader, FormatOverridesDetection) {
  file("1_a.sql", "-- +goose Up\nCREATE TABLE a (id int);\n");
  ReadOptions options;
  options.layout = Layout::plain;
  History h = read(options);
  EXPECT_EQ(h.layout, Layout::plain);
  EXPECT_EQ(h.migrations.at(0).up.statements.size(), 1u);
  EXPECT_EQ(read().layout, Layout::goose);
}

// --- refusals ---------------------------------------------------------------------------------

TEST_F(Reader, DuplicateVersionsNameBothFiles) {
  file("3_a.up.sql", "SELECT 1;");
  file("003_b.up.sql", "SELECT 2;");
  EXPECT_EQ(error(), "duplicate version 3: " + at("003_b.up.sql") + " and " + at("3_a.up.sql") +
                         " (--allow-duplicate-versions keeps both, in name order)");
}

TEST_F(Reader, DuplicateFolderVersionsNameBothFolders) {
  file("1700000000000_b/up.sql", "SELECT 1;");
  file("1700000000000_a/up.sql", "SELECT 2;");
  EXPECT_EQ(error(), "duplicate version 1700000000000: " + at("1700000000000_a") + " and " + at("1700000000000_b") +
                         " (--allow-duplicate-versions keeps both, in name order)");
}

TEST_F(Reader, AllowedDuplicateVersionsStayInNameOrder) {
  file("1_b.sql", "SELECT 2;");
  file("1_a.sql", "SELECT 1;");
  file("2_c.sql", "SELECT 3;");
  ReadOptions options;
  options.allow_duplicate_versions = true;
  EXPECT_EQ(names(read(options)), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(Reader, FileMatchingNoPatternIsRefused) {
  file("1_a.up.sql", "SELECT 1;");
  file("notes.sql", "SELECT 2;");
  EXPECT_EQ(error(), at("notes.sql") +
                         ": matches no pattern of the golang-migrate layout (expected <version>_<name>.up.sql or "
                         "<version>_<name>.down.sql)");
}

// What the runners skip is skipped and reported, as they would: Go package files beside SQL
// migrations (embed.go), folders, notes.
TEST_F(Reader, FilesTheRunnerSkipsAreIgnoredAndListed) {
  file("000001_a.up.sql", "SELECT 1;");
  file("embed.go", "package migrations");
  file("testdata/x.txt", "x");
  History h = read();
  EXPECT_EQ(h.layout, Layout::golang_migrate);
  EXPECT_EQ(versions(h), (std::vector<std::string>{"1"}));
  EXPECT_EQ(h.ignored_files, (std::vector<fs::path>{"embed.go", "testdata"}));
}

TEST_F(Reader, GoosePackageFileIsIgnoredButAGoMigrationIsRefused) {
  file("00001_a.sql", "-- +goose Up\nSELECT 1;\n");
  file("migrations.go", "package migrations");
  EXPECT_EQ(ignored_files(), (std::vector<fs::path>{"migrations.go"}));
  file("00002_backfill.go", "package migrations");
  EXPECT_EQ(error(), at("00002_backfill.go") + ": a goose migration written in Go cannot be replayed from SQL");
}

TEST_F(Reader, FlywayCallbackIsReadBesideTheMigrationsNotAsOne) {
  file("db/migration/V1__init.sql", "SELECT 1;");
  file("db/migration/notes.txt", "x");
  EXPECT_EQ(ignored_files(), (std::vector<fs::path>{"db/migration/notes.txt"}));
  file("db/migration/afterMigrate__grants.sql", "SELECT 2;");
  History h = read();
  EXPECT_EQ(versions(h), (std::vector<std::string>{"1"}));
  ASSERT_EQ(h.callbacks.size(), 1u);
  EXPECT_EQ(h.callbacks[0].event, CallbackEvent::after_migrate);
  EXPECT_EQ(h.callbacks[0].description, "grants");
  EXPECT_EQ(h.ignored_files, (std::vector<fs::path>{"db/migration/notes.txt"}));
}

TEST_F(Reader, UnknownFileInsideAMigrationFolderIsRefused) {
  file("1_a/up.sql", "SELECT 1;");
  file("1_a/up.json", "[]");
  EXPECT_EQ(error(), at("1_a/up.json") +
                         ": matches no pattern of the hasura layout (expected <version>_<name>/up.sql with an "
                         "optional down.sql)");
}

TEST_F(Reader, MixedLayoutsAreRefused) {
  file("1_a.up.sql", "SELECT 1;");
  file("2_b/up.sql", "SELECT 2;");
  EXPECT_EQ(error(), "cannot tell the layout of " + dir.path().string() + ": it has golang-migrate files (" +
                         at("1_a.up.sql") + ") and hasura/diesel folders (" + at("2_b") + "); pass --format");
}

TEST_F(Reader, EmptyFolderIsRefused) {
  file("README.md", "nothing yet");
  EXPECT_EQ(error(), "no migrations found in " + dir.path().string() +
                         ": no file or folder matches a known layout (hasura, diesel, golang-migrate, plain, flyway, "
                         "dbmate, goose, prisma)");
}

TEST_F(Reader, MissingFolderIsAnIoError) {
  fs::path missing = dir.path() / "missing";
  try {
    read_history(missing);
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read migrations folder " + missing.string() + ": No such file or directory");
    EXPECT_EQ(e.code(), ExitCode::trouble);
  }
}

TEST_F(Reader, UnreadableFileIsAnIoError) {
  file("1_a.up.sql", "SELECT 1;");
  fs::create_symlink(dir.path() / "nowhere.sql", dir.path() / "2_b.up.sql");
  try {
    read();
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + at("2_b.up.sql") + ": No such file or directory");
  }
}

TEST_F(Reader, EmptyUpIsRefused) {
  file("1_a.up.sql", "-- nothing yet\n\n/* later */\n");
  EXPECT_EQ(error(), at("1_a.up.sql") + ": the up migration is empty (only blanks and comments)");
}

TEST_F(Reader, EmptyUpSectionIsRefusedWithItsLine) {
  file("1_a.sql", "-- migrate:up\n\n-- migrate:down\nSELECT 1;\n");
  EXPECT_EQ(error(), at("1_a.sql") + ":1: the up migration is empty (only blanks and comments)");
}

TEST_F(Reader, EmptyDownIsKeptAsPresentAndEmpty) {
  file("1_a.up.sql", "SELECT 1;");
  file("1_a.down.sql", "");
  History h = read();
  ASSERT_TRUE(h.migrations.at(0).down.has_value());
  EXPECT_TRUE(h.migrations[0].down->statements.empty());
}

TEST_F(Reader, NonUtf8FileIsRefusedWithItsLocation) {
  file("1_a.up.sql", "SELECT 1;\nSELECT '\xff';\n");
  EXPECT_EQ(error(), at("1_a.up.sql") + ":2:9: not valid UTF-8 (byte 0xff at byte offset 18)");
}

TEST_F(Reader, NulByteIsRefused) {
  file("1_a.up.sql", std::string("SELECT 1;\0", 10));
  EXPECT_EQ(error(), at("1_a.up.sql") + ":1:10: contains a NUL byte (byte offset 9)");
}

TEST_F(Reader, SyntaxErrorNamesFileLineColumn) {
  file("1_a.up.sql", "CREATE TABLE t (id int);\nCREATE TABLE u (id int,);\n");
  auto e = error();
  EXPECT_EQ(e, at("1_a.up.sql") + ":2:24: syntax error at or near \")\"");
}

TEST_F(Reader, SyntaxErrorInASectionCountsFileLines) {
  file("1_a.sql", "-- +goose Up\nSELECT 1;\n\n-- +goose Down\nDROP TABLE;\n");
  EXPECT_EQ(error(), at("1_a.sql") + ":5:11: syntax error at or near \";\"");
}

// --- through, markers, checksums ---------------------------------------------------------------

TEST_F(Reader, ThroughStopsAfterThatVersion) {
  for (int v : {1, 2, 10}) file(std::to_string(v) + "_m.up.sql", "SELECT 1;");
  ReadOptions options;
  options.through_version = "0002";
  EXPECT_EQ(versions(read(options)), (std::vector<std::string>{"1", "2"}));
  options.through_version = "7";
  EXPECT_EQ(error(options), "--through 7: no migration in " + dir.path().string() + " has that version");
}

TEST_F(Reader, ThroughAcceptsDieselAndFlywaySpellings) {
  file("V1__a.sql", "SELECT 1;");
  file("V1_2__b.sql", "SELECT 2;");
  file("V2__c.sql", "SELECT 3;");
  ReadOptions options;
  options.through_version = "V1_2";
  EXPECT_EQ(versions(read(options)), (std::vector<std::string>{"1", "1.2"}));
  options.through_version = "1.2.0";
  EXPECT_EQ(versions(read(options)), (std::vector<std::string>{"1", "1.2"}));
}

TEST_F(Reader, TextMarkersAndStatementsSetTxMode) {
  file("1_a.up.sql", "-- hasura:no-transaction\nCREATE TABLE a (id int);");
  file("2_b.up.sql", "CREATE INDEX CONCURRENTLY i ON a (id);");
  file("3_c.up.sql", "BEGIN;\nCREATE TABLE c (id int);\nCOMMIT;");
  History h = read();
  EXPECT_EQ(h.migrations[0].up.tx_mode_reason, "-- hasura:no-transaction (line 1)");
  EXPECT_EQ(h.migrations[1].up.tx_mode, TxMode::none);
  EXPECT_EQ(h.migrations[1].up.tx_mode_reason, "CREATE INDEX CONCURRENTLY (line 1)");
  EXPECT_EQ(h.migrations[2].up.tx_mode, TxMode::as_written);
}

TEST_F(Reader, ChecksumsMatchSha256sum) {
  file("1_a.up.sql", "CREATE TABLE a (id int);\n");
  file("1_a.down.sql", "DROP TABLE a;\n");
  History h = read();
  for (const MigrationFile& f : h.migrations.at(0).files) {
    std::string output;
    ASSERT_EQ(schemakit::testing::run_command("sha256sum '" + at(f.path.string()) + "'", &output), 0) << output;
    EXPECT_EQ(f.sha256, output.substr(0, 64));
    EXPECT_EQ(f.size, fs::file_size(dir.path() / f.path));
  }
}

// --- real histories ---------------------------------------------------------------------------

TEST(ReaderCorpus, ReadsTheTrickyGolangMigrateCorpus) {
  fs::path corpus = schemakit::testing::tricky_corpus();
  if (corpus.empty()) GTEST_SKIP() << schemakit::testing::kNoSharedCorpus;
  History h = read_history(corpus);
  EXPECT_EQ(h.layout, Layout::golang_migrate);
  ASSERT_EQ(h.migrations.size(), 12u);
  for (size_t i = 0; i < h.migrations.size(); ++i) {
    EXPECT_EQ(h.migrations[i].version, std::to_string(i + 1));
    EXPECT_TRUE(h.migrations[i].down.has_value());
    EXPECT_FALSE(h.migrations[i].up.statements.empty());
    EXPECT_EQ(h.migrations[i].files.size(), 2u);
  }
}

TEST(ReaderCorpus, ReadsTheSampleHistoryInSchema) {
  fs::path sample = schemakit::testing::source_dir() / "schema" / "migrations";
  bool empty = !fs::is_directory(sample) || fs::directory_iterator(sample) == fs::directory_iterator();
  if (empty) GTEST_SKIP() << sample.string() << " holds no migrations yet";
  History h = read_history(sample);
  ASSERT_GE(h.migrations.size(), 1u);
  for (size_t i = 1; i < h.migrations.size(); ++i) {
    const std::string& a = h.migrations[i - 1].version;
    const std::string& b = h.migrations[i].version;
    EXPECT_TRUE(a.size() < b.size() || (a.size() == b.size() && a < b)) << a << " before " << b;
  }
}

// --- Flyway SQL callbacks ---------------------------------------------------------------------

namespace {

std::vector<std::string> callback_names(const History& h) {
  std::vector<std::string> out;
  for (const auto& c : h.callbacks) out.push_back(c.files.front().path.generic_string());
  return out;
}

}  // namespace

// Flyway's order: by the event's place in a migrate, then the file without a description, then
// descriptions as strings; wherever in the locations the files are.
TEST_F(Reader, FlywayCallbacksAreInTheOrderMigrateFiresThem) {
  file("sql/V1__init.sql", "SELECT 1;");
  file("sql/R__views.sql", "SELECT 2;");
  file("sql/callbacks/afterMigrate__b_grants.sql", "SELECT 3;");
  file("sql/afterMigrate.sql", "SELECT 4;");
  file("sql/callbacks/afterMigrate__a_refresh.sql", "SELECT 5;");
  file("sql/beforeMigrate.sql", "SELECT 6;");
  file("sql/afterEachMigrate.sql", "SELECT 7;");
  file("sql/beforeEachMigrate__audit.sql", "SELECT 8;");
  file("sql/afterVersioned.sql", "SELECT 9;");
  file("sql/beforeRepeatables.sql", "SELECT 10;");
  file("sql/afterMigrateApplied.sql", "SELECT 11;");
  file("sql/beforeValidate.sql", "SELECT 12;");
  file("sql/afterValidate.sql", "SELECT 13;");
  History h = read();
  EXPECT_EQ(h.layout, Layout::flyway);
  EXPECT_EQ(names(h), (std::vector<std::string>{"init", "views"}));
  EXPECT_FALSE(h.migrations[0].repeatable);
  EXPECT_TRUE(h.migrations[1].repeatable);
  EXPECT_EQ(callback_names(h), (std::vector<std::string>{
                                   "sql/beforeValidate.sql", "sql/afterValidate.sql", "sql/beforeMigrate.sql",
                                   "sql/beforeEachMigrate__audit.sql", "sql/afterEachMigrate.sql",
                                   "sql/afterVersioned.sql", "sql/beforeRepeatables.sql",
                                   "sql/afterMigrateApplied.sql", "sql/afterMigrate.sql",
                                   "sql/callbacks/afterMigrate__a_refresh.sql",
                                   "sql/callbacks/afterMigrate__b_grants.sql"}));
  EXPECT_EQ(to_string(h.callbacks[3].event), "beforeEachMigrate");
  EXPECT_EQ(h.callbacks[3].description, "audit");
  EXPECT_EQ(h.callbacks[8].description, "");
  ASSERT_EQ(h.callbacks[0].script.statements.size(), 1u);
  EXPECT_EQ(h.callbacks[0].script.statements[0].sql, "SELECT 12");
  EXPECT_EQ(h.callbacks[0].script.tx_mode, TxMode::transaction);
  EXPECT_TRUE(h.ignored_files.empty());
}

// Callbacks of events a successful migrate does not fire (other commands, errors, schema
// creation, undo) are listed with the other ignored files, with their .sql.conf.
TEST_F(Reader, FlywayCallbacksMigrateDoesNotRunAreIgnoredAndListed) {
  file("V1__init.sql", "SELECT 1;");
  for (const char* name : {"afterClean.sql", "beforeClean__x.sql", "beforeInfo.sql", "afterInfo.sql", "beforeRepair.sql",
                           "afterBaseline.sql", "afterEachMigrateError.sql", "afterMigrateError__alert.sql",
                           "afterValidateError.sql", "beforeUndo.sql", "afterEachUndo.sql", "createSchema.sql",
                           "beforeCreateSchema.sql", "beforeDeploy.sql"}) {
    file(name, "SELECT 2;");
  }
  file("afterClean.sql.conf", "executeInTransaction=false\n");
  History h = read();
  EXPECT_TRUE(h.callbacks.empty());
  EXPECT_EQ(h.ignored_files,
            (std::vector<fs::path>{"afterBaseline.sql", "afterClean.sql", "afterClean.sql.conf", "afterEachMigrateError.sql",
                                   "afterEachUndo.sql", "afterInfo.sql", "afterMigrateError__alert.sql",
                                   "afterValidateError.sql", "beforeClean__x.sql", "beforeCreateSchema.sql",
                                   "beforeDeploy.sql", "beforeInfo.sql", "beforeRepair.sql", "beforeUndo.sql",
                                   "createSchema.sql"}));
}

TEST_F(Reader, FlywayStatementCallbacksAreRefusedByName) {
  file("V1__init.sql", "SELECT 1;");
  file("beforeEachMigrateStatement__policy.sql", "SELECT 2;");
  EXPECT_EQ(error(), at("beforeEachMigrateStatement__policy.sql") +
                         ": a Flyway beforeEachMigrateStatement callback runs around every statement of every "
                         "migration (Flyway Teams); squash replays callbacks as whole scripts and cannot run it as "
                         "Flyway would; squash refuses it (move it out of the migrations location to squash without "
                         "it)");
  fs::remove(dir.path() / "beforeEachMigrateStatement__policy.sql");
  file("afterEachMigrateStatementError.sql", "SELECT 2;");
  EXPECT_NE(error().find("a Flyway afterEachMigrateStatementError callback runs around every statement"), std::string::npos);
  fs::remove(dir.path() / "afterEachMigrateStatementError.sql");
  file("afterConnect.sql", "SELECT 2;");
  EXPECT_EQ(error(), at("afterConnect.sql") +
                         ": a Flyway afterConnect callback runs whenever Flyway opens a connection (Flyway Teams, "
                         "meant for shell scripts); squash cannot tell how often it would run; squash refuses it (move "
                         "it out of the migrations location to squash without it)");
  fs::remove(dir.path() / "afterConnect.sql");
  file("afterMigrateOperationFinish.sql", "SELECT 2;");
  EXPECT_NE(error().find("is not among Flyway's documented callback events"), std::string::npos);
}

// archive reads without scripts: it moves migrations only and refuses no callback.
TEST_F(Reader, FlywayCallbacksWithoutScriptsAreListedAndNothingIsRefused) {
  file("V1__init.sql", "SELECT 1;");
  file("afterMigrate.sql", "this does not parse");
  file("afterEachMigrateStatement.sql", "SELECT 2;");
  ReadOptions options;
  options.read_scripts = false;
  History h = read(options);
  EXPECT_EQ(callback_names(h), (std::vector<std::string>{"afterMigrate.sql"}));
  EXPECT_TRUE(h.callbacks[0].script.statements.empty());
  EXPECT_EQ(h.callbacks[0].files[0].sha256.size(), 64u);
  EXPECT_EQ(h.ignored_files, (std::vector<fs::path>{"afterEachMigrateStatement.sql"}));
}

TEST_F(Reader, FlywayCallbackTransactionModeAndConf) {
  file("V1__init.sql", "CREATE TABLE t (id int);");
  file("afterMigrate__vacuum.sql", "VACUUM ANALYZE t;");
  file("afterMigrate__grants.sql", "SELECT 1;");
  file("afterMigrate__grants.sql.conf", "executeInTransaction=false\n");
  History h = read();
  ASSERT_EQ(h.callbacks.size(), 2u);
  EXPECT_EQ(h.callbacks[0].description, "grants");
  EXPECT_EQ(h.callbacks[0].script.tx_mode, TxMode::none);
  EXPECT_EQ(h.callbacks[0].files.size(), 2u);
  EXPECT_EQ(h.callbacks[0].files[1].path, fs::path("afterMigrate__grants.sql.conf"));
  EXPECT_EQ(h.callbacks[1].description, "vacuum");
  EXPECT_EQ(h.callbacks[1].script.tx_mode, TxMode::none);
  file("afterMigrate__grants.sql.conf", "shouldExecute=false\n");
  EXPECT_EQ(error(), at("afterMigrate__grants.sql.conf") + ":1: shouldExecute is not supported (a squash cannot evaluate it)");
}

TEST_F(Reader, FlywayCallbackSyntaxErrorIsLocatedInItsFile) {
  file("V1__init.sql", "SELECT 1;");
  file("cb/beforeEachMigrate.sql", "SET search_path = app;\nINSERT INTO audit VALUES (;\n");
  EXPECT_EQ(error(), at("cb/beforeEachMigrate.sql") + ":2:27: syntax error at or near \";\"");
}

TEST_F(Reader, FlywayCallbackNameTwiceIsRefused) {
  file("a/V1__init.sql", "SELECT 1;");
  file("a/afterMigrate.sql", "SELECT 2;");
  file("b/afterMigrate.sql", "SELECT 3;");
  EXPECT_EQ(error(), "duplicate Flyway callback afterMigrate.sql: " + at("a/afterMigrate.sql") + " and " +
                         at("b/afterMigrate.sql") + " (Flyway refuses two callback scripts of one name)");
}

// A name that only looks like an event is no callback: it matches no pattern, as before.
TEST_F(Reader, FlywayNameLikeAnEventThatIsNoneIsRefused) {
  file("V1__init.sql", "SELECT 1;");
  file("afterEverything.sql", "SELECT 2;");
  EXPECT_EQ(error(), at("afterEverything.sql") +
                         ": matches no pattern of the flyway layout (expected V<version>__<name>.sql, "
                         "U<version>__<name>.sql, R__<name>.sql or <file>.sql.conf)");
}

// --through stops the migrations, not the callbacks: migrate to a target still runs them all.
TEST_F(Reader, FlywayThroughKeepsTheCallbacks) {
  file("V1__a.sql", "SELECT 1;");
  file("V2__b.sql", "SELECT 2;");
  file("afterMigrate.sql", "SELECT 3;");
  file("beforeEachMigrate.sql", "SELECT 4;");
  ReadOptions options;
  options.through_version = "1";
  History h = read(options);
  EXPECT_EQ(versions(h), (std::vector<std::string>{"1"}));
  EXPECT_EQ(callback_names(h), (std::vector<std::string>{"beforeEachMigrate.sql", "afterMigrate.sql"}));
}
