// Roles: what the catalog reads of them (attributes, memberships, settings for every database,
// whether they have a password), what the script writes (only when up.sql creates the role,
// never a password, never the role that runs it), and what the diff reports. On one server two
// databases share their roles, so a role changed "in B only" cannot be set up there: the diff is
// tested on in-memory catalogs, the reading and writing on a real server.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "catalog/model.hpp"
#include "ddl/script.hpp"
#include "diff/diff.hpp"
#include "common/error.hpp"
#include "introspect/introspect.hpp"
#include "pg/connection.hpp"
#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace schemakit;
using catalog::Catalog;
using catalog::Kind;
using catalog::Object;
using schemakit::testing::read_file;
using schemakit::testing::run_command;
using schemakit::testing::ServerTest;
using schemakit::testing::shell_quote;
using schemakit::testing::source_dir;
using schemakit::testing::TempDir;
using schemakit::testing::test_server;
using schemakit::testing::tool_path;

namespace {

Object role(const std::string& name, catalog::Attributes attributes) {
  Object o;
  o.id = {Kind::role, "", "", name, ""};
  o.attributes = {{"superuser", "false"}, {"inherit", "true"},     {"create_role", "false"},
                  {"create_db", "false"}, {"login", "false"},      {"replication", "false"},
                  {"bypass_rls", "false"}, {"connection_limit", "-1"}};
  for (auto& [key, value] : attributes) o.attributes[key] = value;
  return o;
}

Catalog catalog_of(std::vector<Object> objects) {
  Catalog c;
  c.server_version = 150000;
  c.objects = std::move(objects);
  c.sort_by_id();
  return c;
}

// "attribute: a -> b" for each difference of `role_name`.
std::vector<std::string> role_changes(const diff::ChangeSet& changes, const std::string& role_name) {
  std::vector<std::string> out;
  for (const auto& d : changes.differences) {
    if (d.id.kind != Kind::role || d.id.name != role_name) continue;
    out.push_back(d.change == diff::Change::changed ? d.attribute + ": " + d.a + " -> " + d.b
                                                     : diff::to_string(d.change));
  }
  return out;
}

}  // namespace

// ------------------------------------------------------------------------ the diff, in memory

TEST(RoleDiff, EveryAttributeOfARoleIsReported) {
  const Catalog a = catalog_of({role("app", {{"member_of", "readers"}, {"setting.work_mem", "64MB"}}),
                                role("readers", {})});
  const Catalog b = catalog_of({role("app", {{"login", "true"},
                                             {"create_db", "true"},
                                             {"bypass_rls", "true"},
                                             {"connection_limit", "5"},
                                             {"valid_until", "2031-06-30 10:00:00.000000+00"},
                                             {"member_of", "readers WITH ADMIN OPTION"},
                                             {"setting.work_mem", "32MB"},
                                             {"setting.statement_timeout", "5s"},
                                             {"password", "set"}}),
                                role("readers", {{"inherit", "false"}})});
  EXPECT_EQ(role_changes(diff::compare(a, b, {}), "app"),
            (std::vector<std::string>{"bypass_rls: false -> true", "connection_limit: -1 -> 5",
                                      "create_db: false -> true", "login: false -> true",
                                      "member_of: readers -> readers WITH ADMIN OPTION", "password:  -> set",
                                      "setting.statement_timeout:  -> 5s", "setting.work_mem: 64MB -> 32MB",
                                      "valid_until:  -> 2031-06-30 10:00:00.000000+00"}));
  EXPECT_EQ(role_changes(diff::compare(a, b, {}), "readers"), (std::vector<std::string>{"inherit: true -> false"}));
  EXPECT_TRUE(diff::compare(b, b, {}).empty());
}

TEST(RoleDiff, ARoleOnOneSideOnlyIsReported) {
  const Catalog a = catalog_of({role("app", {})});
  const Catalog b = catalog_of({role("app", {}), role("reporting", {{"login", "true"}})});
  EXPECT_EQ(role_changes(diff::compare(a, b, {}), "reporting"), (std::vector<std::string>{"only_in_b"}));
}

// ---------------------------------------------------------------------- the script, in memory

TEST(RoleScript, SettingsMembershipsAndCommentOnlyWhenCreatedAndNeverAPassword) {
  const Catalog c = catalog_of({role("readers", {}),
                                role("api", {{"login", "true"},
                                             {"connection_limit", "20"},
                                             {"member_of", "readers WITH ADMIN OPTION"},
                                             {"setting.search_path", "app, \"$user\", public"},
                                             {"setting.statement_timeout", "5s"},
                                             {"password", "set"},
                                             {"comment", "the API's login"}})});
  ddl::ScriptOptions options;
  options.skip_owner = "runner";
  const ddl::Script script = ddl::write_script(c, nullptr, options);
  EXPECT_NE(script.up.find("-- api has a password where this script was made; passwords are never written, so it is\n"
                           "-- created without one here: set it with ALTER ROLE api PASSWORD ... where needed.\n"
                           "DO $$BEGIN\n"
                           "  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'api') THEN\n"
                           "    CREATE ROLE api NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION "
                           "NOBYPASSRLS CONNECTION LIMIT 20;\n"
                           "    GRANT readers TO api WITH ADMIN OPTION;\n"
                           "    ALTER ROLE api SET search_path TO 'app', '$user', 'public';\n"
                           "    ALTER ROLE api SET statement_timeout TO '5s';\n"
                           "    COMMENT ON ROLE api IS 'the API''s login';\n"
                           "  END IF;\n"
                           "END$$;\n"),
            std::string::npos)
      << script.up;
  EXPECT_EQ(script.up.find("PASSWORD '"), std::string::npos);
  EXPECT_EQ(script.down.find("ROLE"), std::string::npos) << script.down;  // roles are never dropped
}

TEST(RoleScript, ANewRoleIsGrantedToMembersThatExistAlready) {
  const Catalog c = catalog_of({role("group", {}), role("member", {{"member_of", "\"group\" WITH ADMIN OPTION"}}),
                                role("runner", {{"member_of", "\"group\""}})});
  ddl::ScriptOptions options;
  options.skip_owner = "runner";
  const std::string up = ddl::write_script(c, nullptr, options).up;
  EXPECT_NE(up.find("    CREATE ROLE \"group\" NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN NOREPLICATION "
                    "NOBYPASSRLS CONNECTION LIMIT -1;\n"
                    "    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'member') THEN\n"
                    "      GRANT \"group\" TO member WITH ADMIN OPTION;\n"
                    "    END IF;\n"
                    "    GRANT \"group\" TO CURRENT_USER;\n"
                    "  END IF;\n"),
            std::string::npos)
      << up;
  // ... and the member, when the script makes it, in its own block.
  EXPECT_NE(up.find("    GRANT \"group\" TO member WITH ADMIN OPTION;\n  END IF;\nEND$$;"), std::string::npos) << up;
}

TEST(RoleScript, TheRoleThatRunsTheScriptIsNotWritten) {
  const Catalog c = catalog_of({role("runner", {{"superuser", "true"}}), role("app", {})});
  ddl::ScriptOptions options;
  options.skip_owner = "runner";
  const ddl::Script script = ddl::write_script(c, nullptr, options);
  EXPECT_EQ(script.up.find("rolname = 'runner'"), std::string::npos) << script.up;
  EXPECT_NE(script.up.find("rolname = 'app'"), std::string::npos) << script.up;
  options.skip_owner = "";
  EXPECT_NE(ddl::write_script(c, nullptr, options).up.find("rolname = 'runner'"), std::string::npos);
}

// -------------------------------------------------------------------- reading, on a server

class RoleCatalog : public ServerTest {
 protected:
  std::string query_text(const std::string& conninfo, const std::string& sql) const {
    return scalar_on(conninfo, sql).value_or("");
  }
};

TEST_F(RoleCatalog, SettingsPasswordAndTheMembersOfReferencedRolesAreRead) {
  exec("DROP ROLE IF EXISTS rc_member; DROP ROLE IF EXISTS rc_group; DROP ROLE IF EXISTS rc_unrelated");
  exec("CREATE ROLE rc_group NOLOGIN; CREATE ROLE rc_unrelated;"
       "CREATE ROLE rc_member LOGIN PASSWORD 'rc-s3cret' CONNECTION LIMIT 3 IN ROLE rc_group;"
       "ALTER ROLE rc_member SET search_path = app, \"$user\";"
       "ALTER ROLE rc_member SET lock_timeout = '2s';"
       "CREATE TABLE t (id integer); GRANT SELECT ON t TO rc_group");
  introspect::IntrospectOptions options;
  options.jobs = 1;
  const Catalog c = introspect::introspect(conninfo(), options);
  const Object* member = c.find({Kind::role, "", "", "rc_member", ""});
  ASSERT_NE(member, nullptr) << "a member of a role this database grants to is read";
  EXPECT_EQ(member->attr("member_of"), "rc_group");
  EXPECT_EQ(member->attr("login"), "true");
  EXPECT_EQ(member->attr("connection_limit"), "3");
  EXPECT_EQ(member->attr("setting.search_path"), "app, \"$user\"");
  EXPECT_EQ(member->attr("setting.lock_timeout"), "2s");
  EXPECT_EQ(member->attr("password"), "set");
  for (const auto& [name, value] : member->attributes) {
    EXPECT_EQ(value.find("s3cret"), std::string::npos) << name;
  }
  const Object* group = c.find({Kind::role, "", "", "rc_group", ""});
  ASSERT_NE(group, nullptr);
  EXPECT_FALSE(group->has("password"));
  EXPECT_FALSE(group->has("member_of"));
  EXPECT_EQ(c.find({Kind::role, "", "", "rc_unrelated", ""}), nullptr);

  // Without the right to read pg_authid (not a superuser) every other attribute is still read.
  exec("DROP ROLE IF EXISTS rc_reader; CREATE ROLE rc_reader LOGIN; GRANT SELECT ON t TO rc_reader");
  const std::string as_reader = conninfo() + " user=rc_reader";
  try {
    pg::Session probe(as_reader, "schemakit test");
  } catch (const Error& e) {
    GTEST_SKIP() << "this server does not let the test log in as another role: " << e.what();
  }
  const Catalog seen = introspect::introspect(as_reader, options);
  const Object* seen_member = seen.find({Kind::role, "", "", "rc_member", ""});
  ASSERT_NE(seen_member, nullptr);
  EXPECT_FALSE(seen_member->has("password"));
  EXPECT_EQ(seen_member->attr("setting.lock_timeout"), "2s");
}

// A history that makes group and login roles with attributes, memberships (WITH ADMIN OPTION),
// settings for every database, a comment and a password: squashed and proved; then the roles are
// dropped and up.sql, applied to a new database, makes them again with everything but the
// password, which it never holds.
TEST_F(RoleCatalog, SquashedRolesAreMadeAgainByUpSql) {
  const std::vector<std::string> roles = {"rl_api", "rl_report", "rl_admins", "rl_writers", "rl_readers"};
  for (const auto& name : roles) exec("DROP ROLE IF EXISTS " + name);

  TempDir tmp;
  const fs::path out = tmp.path() / "out";
  std::string output;
  const int code = run_command("cd " + shell_quote(source_dir().string()) + " && " +
                                   shell_quote(tool_path("squash").string()) + " tests/fixtures/realistic/roles --output " +
                                   shell_quote(out.string()) + " --scratch-url " + shell_quote(test_server().admin_conninfo()),
                               &output);
  ASSERT_EQ(code, 0) << output;
  const std::string up = read_file(out / "up.sql");
  EXPECT_EQ(up.find("rl-api-s3cret"), std::string::npos);
  EXPECT_NE(up.find("-- rl_api has a password where this script was made"), std::string::npos) << up;

  const std::string role_list = "'rl_api', 'rl_report', 'rl_admins', 'rl_writers', 'rl_readers'";
  const std::string roles_sql =
      "SELECT string_agg(format('%s super=%s inherit=%s createrole=%s createdb=%s login=%s bypassrls=%s limit=%s "
      "until=%s', r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, "
      "r.rolbypassrls, r.rolconnlimit, r.rolvaliduntil AT TIME ZONE 'UTC'), E'\\n' ORDER BY r.rolname) "
      "FROM pg_roles r WHERE r.rolname IN (" + role_list + ")";
  const std::string members_sql =
      "SELECT string_agg(line, E'\\n' ORDER BY line) FROM (SELECT format('%s in %s admin=%s', m.member::regrole, "
      "m.roleid::regrole, m.admin_option) AS line FROM pg_auth_members m "
      "WHERE m.member::regrole::text IN (" + role_list + ")) l";
  const std::string settings_sql =
      "SELECT string_agg(line, E'\\n' ORDER BY line) FROM (SELECT format('%s %s %s', s.setrole::regrole, "
      "s.setdatabase, c.setting) AS line FROM pg_db_role_setting s CROSS JOIN LATERAL unnest(s.setconfig) c(setting) "
      "WHERE s.setrole::regrole::text IN (" + role_list + ")) l";
  const std::string comments_sql =
      "SELECT string_agg(format('%s %s', r.rolname, pg_catalog.shobj_description(r.oid, 'pg_authid')), E'\\n' "
      "ORDER BY r.rolname) FROM pg_roles r WHERE r.rolname IN (" + role_list + ")";
  const std::string replayed_roles = query_text(conninfo(), roles_sql);
  const std::string replayed_members = query_text(conninfo(), members_sql);
  const std::string replayed_settings = query_text(conninfo(), settings_sql);
  const std::string replayed_comments = query_text(conninfo(), comments_sql);
  EXPECT_EQ(query_text(conninfo(), "SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = 'rl_api'"), "t");
  EXPECT_NE(replayed_members.find("rl_admins in rl_writers admin=t"), std::string::npos) << replayed_members;
  EXPECT_NE(replayed_settings.find("rl_api 0 statement_timeout=5s"), std::string::npos) << replayed_settings;

  // rl_report stays, as a role made before the script would: up.sql grants it rl_readers when it
  // makes rl_readers.
  for (const auto& name : roles) {
    if (name != "rl_report") exec("DROP ROLE " + name);
  }
  EXPECT_EQ(query_text(conninfo(), "SELECT count(*) FROM pg_auth_members WHERE member = 'rl_report'::regrole"), "0");
  exec(up);
  EXPECT_EQ(query_text(conninfo(), roles_sql), replayed_roles);
  EXPECT_EQ(query_text(conninfo(), members_sql), replayed_members);
  EXPECT_EQ(query_text(conninfo(), settings_sql), replayed_settings);
  EXPECT_EQ(query_text(conninfo(), comments_sql), replayed_comments);
  EXPECT_EQ(query_text(conninfo(), "SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = 'rl_api'"), "t");
}
