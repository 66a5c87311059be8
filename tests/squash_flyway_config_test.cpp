// Flyway's configuration on a real server: squash replays what `flyway migrate` runs with the
// project's flyway.conf / flyway.toml (placeholders, schemas created and the default schema first
// in the search_path, naming settings) and proves the consolidated up.sql; refusals come before a
// server starts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/error.hpp"
#include "migrations/reader.hpp"
#include "squash/replay.hpp"
#include "support/error_of.hpp"
#include "support/squash_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace schemakit;
using schemakit::testing::error_of;
using schemakit::testing::read_file;
using schemakit::testing::run_command;
using schemakit::testing::shell_quote;
using schemakit::testing::SquashFixtureTest;
using schemakit::testing::TempDir;
using schemakit::testing::test_server;
using schemakit::testing::tool_path;
using schemakit::testing::write_file;

namespace {

class SquashFlywayConfig : public SquashFixtureTest {
 protected:
  void file(const std::string& relative, const std::string& content) { write_file(dir.path() / relative, content); }

  // squash on the temporary project's `sql` folder; its exit code, its output in `output`.
  int squash_temp(const std::string& arguments, std::string* output) {
    return run_command(shell_quote(tool_path("squash").string()) + " " + shell_quote((dir.path() / "sql").string()) +
                           " --dry-run --scratch-url " + shell_quote(test_server().admin_conninfo()) + " " + arguments,
                       output);
  }

  void replay_temp() {
    squash::replay(migrations::read_history(dir.path() / "sql"), conninfo(), {});
  }

  nlohmann::json report() const { return nlohmann::json::parse(read_file(out() / "squash.json")); }

  TempDir dir;
};

TEST_F(SquashFlywayConfig, ConfProjectWithPlaceholdersSchemasAndPrefixProves) {
  std::string output;
  ASSERT_EQ(run_squash("flyway_conf", "", &output), 0) << output;
  EXPECT_NE(output.find("flyway conf: tests/fixtures/realistic/flyway_conf/flyway.conf (in the migrations folder)"),
            std::string::npos)
      << output;
  const std::string up = up_sql();
  for (const char* expected : {"CREATE SCHEMA shop", "CREATE SCHEMA audit", "CREATE TABLE shop.customers",
                               "CREATE TABLE shop.orders", "CREATE TABLE audit.events", "'EUR'::bpchar",
                               "'30 days'", "the shop of shop_owner in shop", "seeded by M2__seed.sql",
                               "CREATE VIEW shop.order_totals"}) {
    EXPECT_NE(up.find(expected), std::string::npos) << expected << "\n" << up;
  }
  EXPECT_EQ(up.find("${"), std::string::npos) << up;
  const nlohmann::json r = report();
  EXPECT_EQ(r.at("verification").at("result"), "proved");
  const nlohmann::json& config = r.at("flyway_config");
  EXPECT_EQ(config.at("found"), "in the migrations folder");
  EXPECT_EQ(config.at("files").at(0).at("path"), "tests/fixtures/realistic/flyway_conf/flyway.conf");
  EXPECT_EQ(config.at("not_applicable"),
            nlohmann::json({"flyway.url", "flyway.password", "flyway.connectRetries"}));
  EXPECT_EQ(r.at("ignored_files"), nlohmann::json::array());
  EXPECT_EQ(r.at("count"), 4);
}

TEST_F(SquashFlywayConfig, TomlProjectFoundInTheParentFolderProves) {
  std::string output;
  ASSERT_EQ(run_squash("flyway_toml/sql", "", &output), 0) << output;
  EXPECT_NE(output.find("flyway conf: tests/fixtures/realistic/flyway_toml/flyway.toml (in the parent folder)"),
            std::string::npos)
      << output;
  const std::string up = up_sql();
  for (const char* expected : {"CREATE SCHEMA billing", "CREATE TYPE billing.plan AS ENUM ('free', 'pro', 'team')",
                               "DEFAULT 14", "'Hello ${name}'::text", "CREATE INDEX subscriptions_plan ON billing.subscriptions"}) {
    EXPECT_NE(up.find(expected), std::string::npos) << expected << "\n" << up;
  }
  // validateOnMigrate = false: beforeValidate.sql does not run.
  EXPECT_EQ(up.find("validated_at"), std::string::npos) << up;
  const nlohmann::json r = report();
  EXPECT_EQ(r.at("ignored_files"), nlohmann::json({"beforeValidate.sql"}));
  EXPECT_EQ(r.at("flyway_config").at("environment"), "default");
  EXPECT_EQ(r.at("rows").at("billing.subscriptions"), 1);  // afterMigrate ran in billing
}

TEST_F(SquashFlywayConfig, DefaultSchemaLeadsTheSearchPathOnceItExists) {
  // As PostgreSQLConnection.changeCurrentSchemaTo: the default schema goes before the session's
  // search_path for each callback and migration, but only once it exists, which it does after
  // validation, when migrate creates the configured schemas.
  file("flyway.conf", "flyway.schemas=app,extra\n");
  file("sql/beforeValidate.sql",
       "CREATE TABLE public.log (id int GENERATED ALWAYS AS IDENTITY, what text);\n"
       "INSERT INTO public.log (what) VALUES ('validate ' || current_schema());\n");
  file("sql/beforeMigrate.sql", "INSERT INTO public.log (what) VALUES ('before ' || current_setting('search_path'));\n");
  file("sql/V1__one.sql", "CREATE TABLE t (a int);\nINSERT INTO public.log (what) VALUES ('V1 ' || current_schema());\n");
  file("sql/V2__two.sql",
       "SET search_path = public;\nINSERT INTO public.log (what) VALUES ('V2 ' || current_schema());\n");
  file("sql/R__three.sql", "INSERT INTO public.log (what) VALUES ('R ' || current_schema());\n");
  replay_temp();
  EXPECT_EQ(scalar("SELECT string_agg(what, ' | ' ORDER BY id) FROM public.log").value_or(""),
            "validate public | before \"app\",\"$user\", public | V1 app | V2 public | R app");
  EXPECT_EQ(scalar("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname IN "
                   "('app', 'extra')").value_or(""),
            "app,extra");
  EXPECT_EQ(scalar("SELECT to_regclass('app.t') IS NOT NULL").value_or(""), "t");
}

TEST_F(SquashFlywayConfig, CreateSchemasOffWithoutTheDefaultSchemaFailsAsFlywayDoes) {
  file("flyway.conf", "flyway.schemas=app\nflyway.createSchemas=false\n");
  file("sql/V1__one.sql", "CREATE TABLE t (a int);\n");
  EXPECT_EQ(error_of<InputError>([&] { replay_temp(); }),
            "createSchemas=false and the default schema app does not exist when flyway migrate creates its schema "
            "history table in it: Flyway fails there too (create the schema in a beforeValidate callback or a "
            "--setup script)");
  file("sql/beforeValidate.sql", "CREATE SCHEMA app;\n");
  replay_temp();
  EXPECT_EQ(scalar("SELECT to_regclass('app.t') IS NOT NULL").value_or(""), "t");
}

TEST_F(SquashFlywayConfig, MissingPlaceholderIsRefusedAtItsLineBeforeAServerStarts) {
  file("elsewhere/team.conf", "flyway.placeholders.owner=team\n");
  file("sql/V1__one.sql", "CREATE TABLE t (a int);\n");
  file("sql/V2__two.sql", "-- tenants\n\nALTER TABLE t\n    ADD COLUMN tenant text DEFAULT '${tenant}';\n");
  std::string output;
  EXPECT_EQ(squash_temp("--flyway-config " + shell_quote((dir.path() / "elsewhere/team.conf").string()), &output), 1)
      << output;
  EXPECT_NE(output.find((dir.path() / "sql/V2__two.sql").string() +
                        ":4:37: No value provided for placeholder: ${tenant}"),
            std::string::npos)
      << output;
}

TEST_F(SquashFlywayConfig, RefusedSettingIsNamed) {
  file("flyway.toml", "[environments.default]\ninitSql = \"SET ROLE app\"\n");
  file("sql/V1__one.sql", "CREATE TABLE t (a int);\n");
  std::string output;
  EXPECT_EQ(squash_temp("", &output), 1) << output;
  EXPECT_NE(output.find((dir.path() / "flyway.toml").string() +
                        ":2: environments.default.initSql is not supported: it runs on every connection Flyway opens"),
            std::string::npos)
      << output;
}

}  // namespace
