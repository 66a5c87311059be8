// Roles the migrations create belong to the consolidated schema whether or not anything in the
// database refers to them: up.sql makes each one when missing, with its attributes, settings,
// memberships and comment. Roles that were on the server before the replay (the cluster's own,
// a --setup script's) stay out unless the database refers to them.
//
// The fixture (tests/fixtures/realistic/unreferenced_created_roles) uses fixed role names, and
// roles outlive databases on the shared test server: each test drops them before and after.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalog/model.hpp"
#include "pg/cluster.hpp"
#include "pg/connection.hpp"
#include "squash/databases.hpp"
#include "squash/proof.hpp"
#include "squash/report.hpp"
#include "squash/scope.hpp"
#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace schemakit;
using schemakit::testing::read_file;
using schemakit::testing::run_command;
using schemakit::testing::ServerTest;
using schemakit::testing::shell_quote;
using schemakit::testing::source_dir;
using schemakit::testing::TempDir;
using schemakit::testing::test_server;
using schemakit::testing::tool_path;
using schemakit::testing::write_file;

namespace {

const std::vector<std::string> kFixtureRoles = {"ucr_batch", "ucr_ops", "ucr_reader", "ucr_service"};

class SquashCreatedRoles : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    drop_roles();
  }
  void TearDown() override {
    ServerTest::TearDown();  // the test's databases first: they hold grants to the roles
    drop_roles();
    for (const auto& role : extra_roles_) drop_role(role);
  }

  // Roles own nothing once the databases that used them are gone, so DROP ROLE works.
  void drop_roles() {
    for (const auto& role : kFixtureRoles) drop_role(role);
  }
  static void drop_role(const std::string& role) {
    exec_on(test_server().admin_conninfo(), "DROP ROLE IF EXISTS " + role);
  }

  // Squashes the fixture into tmp_/out<n> with `extra` arguments; expects a proved squash.
  fs::path squash_fixture(const std::string& extra = "") {
    const fs::path out = tmp_.path() / ("out" + std::to_string(counter_++));
    std::string output;
    const int code = run_command("cd " + shell_quote(source_dir().string()) + " && " +
                                     shell_quote(tool_path("squash").string()) +
                                     " tests/fixtures/realistic/unreferenced_created_roles --output " +
                                     shell_quote(out.string()) + " --scratch-url " +
                                     shell_quote(test_server().admin_conninfo()) + " " + extra,
                                 &output);
    EXPECT_EQ(code, 0) << output;
    return out;
  }

  std::string role_fact(const std::string& sql) const {
    return scalar_on(test_server().admin_conninfo(), sql).value_or("<null>");
  }

  TempDir tmp_;
  int counter_ = 0;
  std::vector<std::string> extra_roles_;  // dropped after the test
};

std::string created_block(const std::string& role) {
  return "IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '" + role + "') THEN\n    CREATE ROLE " +
         role;
}

}  // namespace

TEST_F(SquashCreatedRoles, UpSqlCreatesEveryRoleTheMigrationsCreatedOnlyWhenMissing) {
  const fs::path out = squash_fixture();
  if (HasFailure()) return;
  const std::string up = read_file(out / "up.sql");
  for (const auto& role : kFixtureRoles) {
    EXPECT_NE(up.find(created_block(role)), std::string::npos) << role << "\n" << up;
  }
  EXPECT_NE(up.find("CREATE ROLE ucr_service NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION "
                    "NOBYPASSRLS CONNECTION LIMIT 7;"),
            std::string::npos)
      << up;
  EXPECT_NE(up.find("CREATE ROLE ucr_ops NOSUPERUSER INHERIT NOCREATEROLE CREATEDB NOLOGIN"), std::string::npos) << up;
  EXPECT_NE(up.find("GRANT ucr_batch TO ucr_service;"), std::string::npos) << up;
  EXPECT_NE(up.find("ALTER ROLE ucr_service SET statement_timeout TO '3s';"), std::string::npos) << up;
  EXPECT_NE(up.find("COMMENT ON ROLE ucr_batch IS 'nightly jobs';"), std::string::npos) << up;
  EXPECT_EQ(read_file(out / "down.sql").find("ROLE"), std::string::npos) << "down.sql never drops roles";

  const auto report = nlohmann::json::parse(read_file(out / "squash.json"));
  EXPECT_EQ(report["created_roles"], nlohmann::json(kFixtureRoles));
  EXPECT_EQ(report["objects"]["roles"], 4) << report.dump(2);

  // On a server without the roles, up.sql makes them as the migrations left them.
  drop_roles();
  exec(up);
  if (HasFailure()) return;
  EXPECT_EQ(role_fact("SELECT rolcanlogin::text || ' ' || rolconnlimit FROM pg_roles WHERE rolname = 'ucr_service'"),
            "true 7");
  EXPECT_EQ(role_fact("SELECT rolcanlogin::text || ' ' || rolcreatedb FROM pg_roles WHERE rolname = 'ucr_ops'"),
            "false true");
  EXPECT_EQ(role_fact("SELECT rolcanlogin::text FROM pg_roles WHERE rolname = 'ucr_batch'"), "false");
  EXPECT_EQ(role_fact("SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting "
                      "WHERE setrole = 'ucr_service'::regrole AND setdatabase = 0"),
            "statement_timeout=3s");
  EXPECT_EQ(role_fact("SELECT count(*) FROM pg_auth_members WHERE roleid = 'ucr_batch'::regrole "
                      "AND member = 'ucr_service'::regrole"),
            "1");
  EXPECT_EQ(role_fact("SELECT shobj_description('ucr_batch'::regrole, 'pg_authid')"), "nightly jobs");

  // Where they exist already, up.sql leaves them alone and applies again.
  exec_on(make_database("roles exist"), up);
}

// verify reads the roles squash.json lists in both databases, used or not. A drifted role shows
// only when up.sql is built on another server (the embedded one): on the live server the role
// up.sql would make is the live one itself.
TEST_F(SquashCreatedRoles, VerifyComparesTheCreatedRoles) {
  const fs::path out = squash_fixture();
  if (HasFailure()) return;
  drop_roles();
  exec(read_file(out / "up.sql"));
  if (HasFailure()) return;
  const std::string verify = shell_quote(tool_path("squash").string()) + " verify --db " + shell_quote(conninfo()) +
                             " " + shell_quote(out.string());
  std::string output;
  EXPECT_EQ(run_command(verify + " --scratch-url " + shell_quote(test_server().admin_conninfo()), &output), 0)
      << output;
  EXPECT_NE(output.find("  roles                      4       4\n"), std::string::npos) << output;
  exec("ALTER ROLE ucr_service CONNECTION LIMIT 9");
  EXPECT_EQ(run_command(verify, &output), 1) << output;
  EXPECT_NE(output.find("ucr_service"), std::string::npos) << output;
  EXPECT_NE(output.find("connection_limit"), std::string::npos) << output;
}

// A role the server had before the replay is not the migrations' (the guarded CREATE ROLE of
// ucr_ops does nothing then): nothing refers to it, so it stays out.
TEST_F(SquashCreatedRoles, RoleThatExistedBeforeTheReplayStaysOut) {
  exec_on(test_server().admin_conninfo(), "CREATE ROLE ucr_ops NOLOGIN");
  const fs::path out = squash_fixture();
  if (HasFailure()) return;
  const std::string up = read_file(out / "up.sql");
  EXPECT_EQ(up.find("ucr_ops"), std::string::npos) << up;
  EXPECT_NE(up.find(created_block("ucr_batch")), std::string::npos) << up;
  const auto report = nlohmann::json::parse(read_file(out / "squash.json"));
  EXPECT_EQ(report["created_roles"], nlohmann::json({"ucr_batch", "ucr_reader", "ucr_service"}));
}

// A --setup script's role that nothing refers to stays out as well.
TEST_F(SquashCreatedRoles, RoleASetupScriptMadeStaysOut) {
  const std::string setup_role = "ucr_setup_" + std::to_string(::getpid());
  extra_roles_.push_back(setup_role);
  write_file(tmp_.path() / "setup.sql", "CREATE ROLE " + setup_role + " LOGIN;\n");
  const fs::path out = squash_fixture("--setup " + shell_quote((tmp_.path() / "setup.sql").string()));
  if (HasFailure()) return;
  const std::string up = read_file(out / "up.sql");
  EXPECT_EQ(up.find(setup_role), std::string::npos) << up;
  for (const auto& role : kFixtureRoles) EXPECT_NE(up.find(created_block(role)), std::string::npos) << role;
  const auto report = nlohmann::json::parse(read_file(out / "squash.json"));
  EXPECT_EQ(report["created_roles"], nlohmann::json(kFixtureRoles));
}

namespace {

// The proof's check "roles" on hand-written up.sql texts: the replay made the role already, so
// only hiding it shows whether up.sql makes it.
class CreatedRolesProof : public ::testing::Test {
 protected:
  void SetUp() override {
    role_ = "ucr_proof_" + std::to_string(::getpid());
    drop_role();
    base_ = std::make_unique<pg::ScratchDatabase>(test_server(), "roles_proof_base");
    base_catalog_ = squash::read_catalog(base_->conninfo(), {});
    replayed_ = std::make_unique<squash::ClonedDatabase>(test_server(), base_->name(), "roles_proof_replayed");
    pg::Session session(replayed_->conninfo(), "roles proof test");
    session.exec("CREATE ROLE " + role_ + " LOGIN CONNECTION LIMIT 3");
    session.exec("CREATE TABLE items (id int)");
    part_ = squash::migrations_part(squash::read_catalog(replayed_->conninfo(), {role_}), base_catalog_, std::nullopt);
  }
  void TearDown() override {
    replayed_.reset();
    base_.reset();
    drop_role();
  }
  void drop_role() const {
    pg::Session(test_server().admin_conninfo(), "roles proof test").exec("DROP ROLE IF EXISTS " + role_);
  }

  squash::ProofResult prove(const std::string& role_options) {
    const std::string make_role =
        role_options.empty() ? ""
                             : "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '" + role_ +
                                   "') THEN CREATE ROLE " + role_ + " " + role_options + "; END IF; END$$;\n";
    squash::ProofSubject subject;
    subject.server = &test_server();
    subject.base_database = base_->name();
    subject.base_catalog = &base_catalog_;
    subject.replayed = &part_;
    subject.replayed_conninfo = replayed_->conninfo();
    subject.created_roles = {role_};
    subject.up_sql = "BEGIN;\n" + make_role + "CREATE TABLE public.items (id integer);\nCOMMIT;\n";
    subject.down_sql = "BEGIN;\nDROP TABLE public.items;\nCOMMIT;\n";
    return squash::prove(subject);
  }

  static const squash::Check* check(const squash::ProofResult& r, const std::string& name) {
    for (const auto& c : r.checks) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }

  std::string role_;
  std::unique_ptr<pg::ScratchDatabase> base_;
  catalog::Catalog base_catalog_;
  std::unique_ptr<squash::ClonedDatabase> replayed_;
  catalog::Catalog part_;
};

}  // namespace

TEST_F(CreatedRolesProof, UpThatMakesTheRolePasses) {
  ASSERT_NE(part_.find({catalog::Kind::role, "", "", role_, ""}), nullptr) << "the replay's read lists the role";
  const squash::ProofResult r = prove("LOGIN CONNECTION LIMIT 3");
  EXPECT_TRUE(r.passed) << r.failures;
  ASSERT_NE(check(r, "roles"), nullptr);
  EXPECT_EQ(check(r, "roles")->result, "passed");
  EXPECT_EQ(check(r, "catalog")->result, "passed") << r.failures;
}

TEST_F(CreatedRolesProof, UpThatLeavesTheRoleOutFailsRoles) {
  const squash::ProofResult r = prove("");
  EXPECT_FALSE(r.passed);
  ASSERT_NE(check(r, "roles"), nullptr);
  EXPECT_EQ(check(r, "roles")->result, "failed");
  EXPECT_NE(r.failures.find("role " + role_ + ": up.sql does not make it where it is missing"), std::string::npos)
      << r.failures;
  // The catalog check cannot see it: the replay's role is on the server either way.
  EXPECT_EQ(check(r, "catalog")->result, "passed") << r.failures;
}

TEST_F(CreatedRolesProof, UpThatMakesTheRoleDifferentlyFailsRoles) {
  const squash::ProofResult r = prove("NOLOGIN CONNECTION LIMIT 3");
  EXPECT_FALSE(r.passed);
  ASSERT_NE(check(r, "roles"), nullptr);
  EXPECT_EQ(check(r, "roles")->result, "failed");
  EXPECT_NE(r.failures.find("replayed:       NOSUPERUSER, INHERIT, NOCREATEROLE, NOCREATEDB, LOGIN,"),
            std::string::npos)
      << r.failures;
  EXPECT_NE(r.failures.find("made by up.sql: NOSUPERUSER, INHERIT, NOCREATEROLE, NOCREATEDB, NOLOGIN,"),
            std::string::npos)
      << r.failures;
}

TEST(CreatedRolesReport, KeptInSquashJsonAndAbsentFromOlderReportsMeansNone) {
  squash::Report report;
  report.created_roles = {"app_login", "Reporting"};
  const std::string text = squash::to_json(report);
  EXPECT_NE(text.find("\"created_roles\": [\n    \"app_login\",\n    \"Reporting\"\n  ]"), std::string::npos) << text;
  EXPECT_EQ(squash::report_from_json(text, "squash.json").created_roles, report.created_roles);

  nlohmann::json older = nlohmann::json::parse(text);
  older.erase("created_roles");
  EXPECT_TRUE(squash::report_from_json(older.dump(), "squash.json").created_roles.empty());
}
