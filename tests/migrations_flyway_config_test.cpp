// Flyway's configuration as the reader applies it (no server): which file is read, placeholders
// replaced before parsing with positions kept in the file, naming settings, refusals by name.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/error.hpp"
#include "migrations/flyway_config.hpp"
#include "migrations/reader.hpp"
#include "support/error_of.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace schemakit;
using namespace schemakit::migrations;
using schemakit::testing::error_of;
using schemakit::testing::TempDir;
using schemakit::testing::write_file;

namespace {

class FlywayConfigReader : public ::testing::Test {
 protected:
  // The project folder holds the configuration; its `sql` folder the migrations (Flyway's CLI
  // layout), unless a test writes the configuration into `sql` itself.
  fs::path project() const { return tmp.path(); }
  fs::path sql() const { return tmp.path() / "sql"; }
  void file(const std::string& relative, const std::string& content) { write_file(tmp.path() / relative, content); }

  History read(ReadOptions options = {}) { return read_history(sql(), options); }
  std::string read_error(ReadOptions options = {}) {
    return error_of<InputError>([&] { read(options); });
  }

  TempDir tmp;
};

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST_F(FlywayConfigReader, ConfPlaceholdersAreReplacedBeforeParsing) {
  file("flyway.conf",
       "flyway.placeholders.currency=EUR\n"
       "flyway.placeholders.kinds='a', \\\n"
       "    'b'\n");
  file("sql/V1__init.sql",
       "-- currency ${currency}\n"
       "CREATE TABLE t (c char(3) DEFAULT '${currency}', k text CHECK (k IN (${kinds})));\n");
  History h = read();
  ASSERT_TRUE(h.flyway_config);
  EXPECT_EQ(h.flyway_config->found, "in the parent folder");
  EXPECT_EQ(h.flyway_config->files, std::vector<fs::path>{project() / "flyway.conf"});
  ASSERT_EQ(h.migrations.size(), 1u);
  EXPECT_EQ(h.migrations[0].up.statements.at(0).sql,
            "CREATE TABLE t (c char(3) DEFAULT 'EUR', k text CHECK (k IN ('a', 'b')))");
  EXPECT_EQ(h.migrations[0].up.text.find("${"), std::string::npos);
  EXPECT_EQ(h.migrations[0].up.statements[0].line, 2);
}

TEST_F(FlywayConfigReader, MissingPlaceholderIsRefusedAtFileLineColumn) {
  file("flyway.conf", "flyway.placeholders.known=1\n");
  file("sql/V1__init.sql", "CREATE TABLE t (a int);\n\nCREATE TABLE u (b int DEFAULT ${unknown});\n");
  EXPECT_EQ(read_error(), (sql() / "V1__init.sql").string() +
                              ":3:31: No value provided for placeholder: ${unknown} (set flyway.placeholders.unknown "
                              "in the Flyway configuration, or turn placeholderReplacement off)");
}

TEST_F(FlywayConfigReader, UnterminatedPlaceholderIsRefused) {
  file("sql/V1__init.sql", "SELECT 1;\n  -- ${oops\n");
  EXPECT_EQ(read_error(), (sql() / "V1__init.sql").string() +
                              ":2:6: No value provided for placeholder: ${ has no closing } (Flyway reads the rest of "
                              "the file as the placeholder's name)");
}

TEST_F(FlywayConfigReader, PositionsAfterReplacementAreFilePositions) {
  // A value spanning lines and one shorter than its placeholder: the statement after them and a
  // syntax error are still told at the file's line and column.
  file("flyway.conf", "flyway.placeholders.cols=a int,\\n  b int\nflyway.placeholders.s=x\n");
  file("sql/V1__ok.sql", "CREATE TABLE t (${cols});\nSELECT '${s}', 1;\n");
  History h = read();
  const Script& up = h.migrations[0].up;
  ASSERT_EQ(up.statements.size(), 2u);
  EXPECT_EQ(up.statements[0].sql, "CREATE TABLE t (a int,\n  b int)");
  EXPECT_EQ(up.statements[1].line, 2);
  EXPECT_EQ(up.statements[1].column, 1);
  file("sql/V2__broken.sql", "SELECT '${s}', ${s} FROM;\n");
  EXPECT_EQ(read_error(), (sql() / "V2__broken.sql").string() + ":1:25: syntax error at or near \";\"");
}

TEST_F(FlywayConfigReader, ReplacementOffLeavesTheText) {
  file("flyway.conf", "flyway.placeholderReplacement=false\n");
  file("sql/V1__init.sql", "SELECT '${not_replaced}';\n");
  History h = read();
  EXPECT_EQ(h.migrations[0].up.statements[0].sql, "SELECT '${not_replaced}'");
  EXPECT_TRUE(h.migrations[0].up.replacements.empty());
}

TEST_F(FlywayConfigReader, WithoutAConfigurationFlywaysDefaultsStillReplace) {
  file("sql/V1__init.sql", "COMMENT ON SCHEMA ${flyway:defaultSchema} IS '${flyway:filename} ${flyway:table}';\n");
  History h = read();
  EXPECT_FALSE(h.flyway_config);
  EXPECT_EQ(h.migrations[0].up.statements[0].sql,
            "COMMENT ON SCHEMA public IS 'V1__init.sql flyway_schema_history'");
  file("sql/V2__more.sql", "SELECT '${undefined}';\n");
  EXPECT_NE(read_error().find("V2__more.sql:1:9: No value provided for placeholder: ${undefined}"), std::string::npos);
}

TEST_F(FlywayConfigReader, BuiltInsSquashCannotKnowAreRefused) {
  file("sql/V1__init.sql", "GRANT USAGE ON SCHEMA public TO ${flyway:user};\n");
  EXPECT_EQ(read_error(), (sql() / "V1__init.sql").string() +
                              ":1:33: ${flyway:user}: the user flyway migrate connects as, which squash cannot know: "
                              "set user (flyway.user) in the Flyway configuration");
  file("sql/V1__init.sql", "SELECT '${flyway:workingDirectory}';\n");
  EXPECT_NE(read_error().find(":1:9: ${flyway:workingDirectory}: the folder flyway is started from"), std::string::npos);
  file("sql/V1__init.sql", "SELECT '${flyway:timestamp}';\n");
  EXPECT_NE(read_error().find(":1:9: ${flyway:timestamp}: the time flyway migrate runs"), std::string::npos);
  ReadOptions at_noon;
  at_noon.flyway_timestamp = "2024-05-01 12:00:00";
  EXPECT_EQ(read(at_noon).migrations[0].up.statements[0].sql, "SELECT '2024-05-01 12:00:00'");
  file("flyway.conf", "flyway.user=app\nflyway.url=jdbc:postgresql://db:5432/shop?ssl=true\n");
  file("sql/V1__init.sql", "SELECT '${flyway:user}', '${flyway:database}';\n");
  EXPECT_EQ(read().migrations[0].up.statements[0].sql, "SELECT 'app', 'shop'");
}

TEST_F(FlywayConfigReader, TomlWithEnvironmentsAndCustomPlaceholderSyntax) {
  file("flyway.toml",
       "name = \"billing\"\n"
       "[environments.default]\n"
       "url = \"jdbc:postgresql://localhost/billing\"\n"
       "schemas = [\"billing\", \"audit\"]\n"
       "[environments.prod]\n"
       "url = \"jdbc:postgresql://prod/billing\"\n"
       "schemas = [\"elsewhere\"]\n"
       "[flyway]\n"
       "placeholderPrefix = \"{{\"\n"
       "placeholderSuffix = \"}}\"\n"
       "placeholders.plan = 'pro'  # a dotted key\n"
       "locations = [\n  \"filesystem:sql\",\n]\n"
       // Not a [flyway.placeholders] header: TOML forbids one for a table dotted keys made.
       "placeholders.days = 14\n");
  file("sql/V1__init.sql", "SELECT '{{plan}}', {{days}}, '${left_alone}';\n");
  History h = read();
  ASSERT_TRUE(h.flyway_config);
  EXPECT_EQ(h.flyway_config->environment, "default");
  EXPECT_EQ(h.flyway_config->schemas, (std::vector<std::string>{"billing", "audit"}));
  EXPECT_EQ(h.flyway_config->default_schema, "billing");
  EXPECT_EQ(h.flyway_config->database, "billing");
  EXPECT_EQ(h.migrations[0].up.statements[0].sql, "SELECT 'pro', 14, '${left_alone}'");
  EXPECT_TRUE(contains(h.flyway_config->applied, "flyway.placeholders.plan"));
  EXPECT_TRUE(contains(h.flyway_config->not_applicable, "environments.default.url"));
  EXPECT_TRUE(contains(h.flyway_config->not_applicable, "environments.prod.schemas"));
}

TEST_F(FlywayConfigReader, TomlEnvironmentChosenByFlywayEnvironment) {
  file("flyway.toml",
       "[environments.dev]\nschemas = [\"dev_schema\"]\n"
       "[environments.dev.flyway.placeholders]\nwho = \"dev\"\n"
       "[flyway]\nenvironment = \"dev\"\n");
  file("sql/V1__init.sql", "SELECT '${who}';\n");
  History h = read();
  EXPECT_EQ(h.flyway_config->environment, "dev");
  EXPECT_EQ(h.flyway_config->default_schema, "dev_schema");
  EXPECT_EQ(h.migrations[0].up.statements[0].sql, "SELECT 'dev'");
  file("flyway.toml", "[flyway]\nenvironment = \"missing\"\n");
  EXPECT_EQ(read_error(), (project() / "flyway.toml").string() +
                              ": flyway.environment = \"missing\", but the file defines no [environments.missing]");
}

TEST_F(FlywayConfigReader, TomlSyntaxErrorIsToldAtFileLineColumn) {
  file("sql/V1__init.sql", "SELECT 1;\n");
  file("flyway.toml", "[flyway]\ntable = \"history\"\nschemas = [\"a\" \"b\"]\n");
  EXPECT_EQ(read_error(), (project() / "flyway.toml").string() +
                              ":3:16: TOML syntax error: Error while parsing array: expected comma or closing ']', "
                              "saw '\"'");
  // TOML's own rules hold: a table its dotted keys made cannot get a [header] of its own.
  file("flyway.toml", "[flyway]\nplaceholders.a = \"1\"\n[flyway.placeholders]\nb = \"2\"\n");
  EXPECT_EQ(read_error(), (project() / "flyway.toml").string() +
                              ":3:1: TOML syntax error: Error while parsing table header: cannot redefine existing "
                              "table 'flyway.placeholders'");
}

// Multi-line and literal strings, inline tables and a [flyway.placeholders] table are TOML a
// flyway.toml may use: values as Flyway reads them, settings reported in file order.
TEST_F(FlywayConfigReader, TomlMultiLineStringsAndInlineTables) {
  file("flyway.toml",
       "[environments.default]\n"
       "url = \"jdbc:postgresql://localhost/shop\"\n"
       "jdbcProperties = { ssl = \"true\", sslmode = 'require' }\n"
       "[flyway]\n"
       "schemas = [ 'app',\n"
       "            \"audit\" ]  # a multi-line array\n"
       "[flyway.placeholders]\n"
       "banner = \"\"\"\n"
       "first line\n"
       "second line\"\"\"\n"
       "path = '''C:\\no\\escapes'''\n");
  file("sql/V1__init.sql", "COMMENT ON SCHEMA app IS '${banner} ${path}';\n");
  History h = read();
  ASSERT_TRUE(h.flyway_config);
  EXPECT_EQ(h.flyway_config->schemas, (std::vector<std::string>{"app", "audit"}));
  EXPECT_EQ(h.flyway_config->placeholders.at("banner"), "first line\nsecond line");
  EXPECT_EQ(h.flyway_config->placeholders.at("path"), "C:\\no\\escapes");
  EXPECT_EQ(h.migrations[0].up.statements.at(0).sql,
            "COMMENT ON SCHEMA app IS 'first line\nsecond line C:\\no\\escapes'");
  EXPECT_EQ(h.flyway_config->applied,
            (std::vector<std::string>{"flyway.schemas", "flyway.placeholders.banner", "flyway.placeholders.path"}));
  EXPECT_EQ(h.flyway_config->not_applicable,
            (std::vector<std::string>{"environments.default.url", "environments.default.jdbcProperties.ssl",
                                      "environments.default.jdbcProperties.sslmode"}));
  file("flyway.toml", "[flyway]\ntable = \"t\"\n[[flyway.callbacks]]\nname = \"x\"\n");
  EXPECT_EQ(read_error(), (project() / "flyway.toml").string() +
                              ":3:1: flyway.callbacks: arrays of tables ([[...]]) are not part of Flyway's "
                              "configuration");
  file("flyway.toml", "[flyway]\nschemas = [[\"a\"], \"b\"]\n");
  EXPECT_EQ(read_error(), (project() / "flyway.toml").string() +
                              ":2:12: flyway.schemas: nested arrays and tables in an array are not part of Flyway's "
                              "configuration");
}

TEST_F(FlywayConfigReader, CustomNamingDecidesWhichFilesAreMigrations) {
  file("sql/flyway.conf",
       "flyway.sqlMigrationPrefix=M\n"
       "flyway.sqlMigrationSeparator=-\n"
       "flyway.sqlMigrationSuffixes=.pgsql,.sql\n"
       "flyway.repeatableSqlMigrationPrefix=Rep\n"
       "flyway.undoSqlMigrationPrefix=Undo\n");
  file("sql/M1-first.pgsql", "SELECT 1;\n");
  file("sql/M1_2-second.sql", "SELECT 2;\n");
  file("sql/M1_10-third.sql", "SELECT 3;\n");
  file("sql/Undo1_2-second.sql", "SELECT -2;\n");
  file("sql/Rep-view.sql", "SELECT 4;\n");
  file("sql/M1_10-third.sql.conf", "executeInTransaction=false\n");
  file("sql/notes.txt", "not a migration\n");
  History h = read();
  EXPECT_EQ(h.layout, Layout::flyway);  // a configuration in the folder makes it Flyway's
  EXPECT_EQ(h.flyway_config->found, "in the migrations folder");
  std::vector<std::string> versions;
  for (const auto& m : h.migrations) versions.push_back(m.version + " " + m.name);
  EXPECT_EQ(versions, (std::vector<std::string>{"1 first", "1.2 second", "1.10 third", " view"}));
  ASSERT_TRUE(h.migrations[1].down);
  EXPECT_EQ(h.migrations[1].down->statements[0].sql, "SELECT -2");
  EXPECT_EQ(h.migrations[2].up.tx_mode, TxMode::none);
  EXPECT_EQ(h.ignored_files, std::vector<fs::path>{"notes.txt"});  // flyway.conf is read, not ignored
  file("sql/V1__default_prefix.sql", "SELECT 5;\n");
  EXPECT_EQ(read_error(), (sql() / "V1__default_prefix.sql").string() +
                              ": matches no pattern of the flyway layout (expected M<version>-<name>.pgsql, "
                              "Undo<version>-<name>.pgsql, Rep-<name>.pgsql or <file>.pgsql.conf)");
}

TEST_F(FlywayConfigReader, WhichFileIsRead) {
  file("sql/V1__init.sql", "SELECT 1;\n");
  EXPECT_FALSE(read().flyway_config);
  file("flyway.toml", "[flyway]\ntable = \"parent\"\n");
  EXPECT_EQ(read().flyway_config->table, "parent");
  file("sql/flyway.conf", "flyway.table=folder\n");
  EXPECT_EQ(read().flyway_config->table, "folder");  // the folder's own wins over its parent's
  file("sql/flyway.toml", "[flyway]\ntable = \"both\"\n");
  EXPECT_EQ(read_error(), sql().string() +
                              " holds both flyway.conf and flyway.toml: say which configuration flyway migrate reads "
                              "with --flyway-config FILE");
  ReadOptions explicit_files;
  file("a.conf", "flyway.table=a\nflyway.placeholders.x=1\n");
  file("b.conf", "flyway.table=b\n");
  explicit_files.flyway_config_files = {project() / "a.conf", project() / "b.conf"};
  History h = read(explicit_files);
  EXPECT_EQ(h.flyway_config->found, "--flyway-config");
  EXPECT_EQ(h.flyway_config->table, "b");  // a later file overrides an earlier one
  EXPECT_EQ(h.flyway_config->placeholders.at("x"), "1");
}

TEST_F(FlywayConfigReader, SettingsSquashCannotHonourAreRefusedByName) {
  file("sql/V1__init.sql", "SELECT 1;\n");
  const std::string conf = (project() / "flyway.conf").string();
  auto refused = [&](const std::string& line) {
    file("flyway.conf", "flyway.url=jdbc:postgresql://h/db\n" + line + "\n");
    return read_error();
  };
  EXPECT_EQ(refused("flyway.initSql=SET ROLE app"),
            conf + ":2: flyway.initSql is not supported: it runs on every connection Flyway opens; squash replays on "
                   "one session that it resets between migrations, and cannot run it as often as Flyway would");
  EXPECT_EQ(refused("flyway.group=true"),
            conf + ":2: flyway.group = true runs all pending migrations in one transaction; squash replays each in "
                   "its own, as Flyway's default does");
  EXPECT_EQ(refused("flyway.encoding=ISO-8859-1"), conf + ":2: flyway.encoding = ISO-8859-1: squash reads UTF-8 files only");
  EXPECT_EQ(refused("flyway.locations=classpath:db/migration"),
            conf + ":2: flyway.locations classpath:db/migration: squash reads a folder of files, and a classpath: "
                   "location is not one (squash the folder of files it holds, with a configuration whose locations "
                   "name that folder)");
  EXPECT_EQ(refused("flyway.locations=filesystem:sql,filesystem:more"),
            conf + ":2: flyway.locations filesystem:more: names " + (project() / "more").string() +
                ", not the folder squash reads (" + sql().string() + "); squash replays one location: the one it is given");
  EXPECT_EQ(refused("flyway.schemas=${SCHEMAS}"),
            conf + ":2: flyway.schemas = ${SCHEMAS}: Flyway would substitute an environment variable or a resolver "
                   "here; squash reads no environment variables (write the value)");
  EXPECT_EQ(refused("flyway.sqlMigrationPrefixx=M"),
            conf + ":2: flyway.sqlMigrationPrefixx is not a Flyway setting squash knows; squash refuses it rather than "
                   "replay without it");
  EXPECT_EQ(refused("spring.flyway.enabled=true"),
            conf + ":2: spring.flyway.enabled is not a Flyway setting (flyway.conf settings start with flyway.)");
  EXPECT_EQ(refused("flyway.validateOnMigrate=maybe"),
            conf + ":2: flyway.validateOnMigrate must be true or false, not 'maybe'");
  EXPECT_EQ(refused("flyway.schemas=a,b\nflyway.defaultSchema=c"),
            "defaultSchema c is not among schemas (a, b): Flyway refuses that (\"The defaultSchema property is "
            "specified but is not a member of the schemas property\")");
}

TEST_F(FlywayConfigReader, SettingsThatChangeNothingAreListed) {
  file("flyway.conf",
       "flyway.url=jdbc:postgresql://h/db\nflyway.password=secret\nflyway.connectRetries=5\n"
       "flyway.validateMigrationNaming=true\nflyway.schemas=app\nflyway.locations=filesystem:sql\n");
  file("sql/V1__init.sql", "SELECT 1;\n");
  History h = read();
  EXPECT_EQ(h.flyway_config->not_applicable,
            (std::vector<std::string>{"flyway.url", "flyway.password", "flyway.connectRetries",
                                      "flyway.validateMigrationNaming"}));
  EXPECT_EQ(h.flyway_config->applied, (std::vector<std::string>{"flyway.schemas", "flyway.locations"}));
  EXPECT_EQ(h.flyway_config->default_schema, "app");
}

TEST_F(FlywayConfigReader, TargetStopsLikeThrough) {
  file("flyway.conf", "flyway.target=1.1\n");
  file("sql/V1__a.sql", "SELECT 1;\n");
  file("sql/V1_1__b.sql", "SELECT 2;\n");
  file("sql/V2__c.sql", "SELECT 3;\n");
  EXPECT_EQ(read().migrations.size(), 2u);
  ReadOptions through;
  through.through_version = "2";  // the command line wins, as flyway's -target does
  EXPECT_EQ(read(through).migrations.size(), 3u);
  file("flyway.conf", "flyway.target=9\n");
  EXPECT_EQ(read_error(), "flyway.target 9: no migration in " + sql().string() + " has that version");
}

TEST_F(FlywayConfigReader, ValidateOnMigrateOffLeavesValidateCallbacksOut) {
  file("flyway.conf", "flyway.validateOnMigrate=false\n");
  file("sql/V1__a.sql", "SELECT 1;\n");
  file("sql/beforeValidate.sql", "SELECT 2;\n");
  file("sql/beforeMigrate.sql", "SELECT 3;\n");
  History h = read();
  ASSERT_EQ(h.callbacks.size(), 1u);
  EXPECT_EQ(h.callbacks[0].event, CallbackEvent::before_migrate);
  EXPECT_EQ(h.ignored_files, std::vector<fs::path>{"beforeValidate.sql"});
}

TEST_F(FlywayConfigReader, CallbacksGetPlaceholdersAndTheirOwnFilename) {
  file("flyway.conf", "flyway.placeholders.role=reader\n");
  file("sql/V1__a.sql", "SELECT 1;\n");
  file("sql/afterMigrate__grants.sql", "SELECT '${role}', '${flyway:filename}';\n");
  History h = read();
  ASSERT_EQ(h.callbacks.size(), 1u);
  EXPECT_EQ(h.callbacks[0].script.statements[0].sql, "SELECT 'reader', 'afterMigrate__grants.sql'");
}

TEST_F(FlywayConfigReader, ArchiveReadsWithoutScriptsStillUsesTheNaming) {
  file("sql/flyway.conf", "flyway.sqlMigrationPrefix=M\n");
  file("sql/M1__a.sql", "SELECT '${unset}';\n");  // not read: no placeholder error
  ReadOptions files_only;
  files_only.read_scripts = false;
  History h = read(files_only);
  ASSERT_EQ(h.migrations.size(), 1u);
  EXPECT_EQ(h.migrations[0].version, "1");
}

}  // namespace
