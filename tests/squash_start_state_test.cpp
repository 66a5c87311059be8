// What every new database has before the first migration (its start state: the public schema,
// the plpgsql extension and its language) and the members of extensions are changed by real
// histories: public dropped, made again, given away, its grants and comment changed; grants on
// plpgsql and on extension functions, types and foreign-data wrappers. Each history squashes and
// proves (catalog, pg_dump, down.sql back to a new database, up.sql again), and the database
// up.sql builds has what the replayed one has, seen from outside schemakit's model.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using schemakit::testing::pg_dump_text;
using schemakit::testing::read_file;
using schemakit::testing::run_command;
using schemakit::testing::ServerTest;
using schemakit::testing::shell_quote;
using schemakit::testing::TempDir;
using schemakit::testing::test_server;
using schemakit::testing::tool_path;
using schemakit::testing::write_file;

namespace {

constexpr const char* kRoles =
    "DO $$ BEGIN\n"
    "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'start_app') THEN CREATE ROLE start_app; END IF;\n"
    "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'start_reader') THEN CREATE ROLE start_reader; END IF;\n"
    "END $$;\n";

// Owner, privileges (as sets, a NULL ACL as the defaults it stands for: no GRANT or REVOKE can
// make an ACL NULL again) and comment of `public`, and the privileges of every routine, language,
// type and foreign-data wrapper, read with plain catalog queries: what an outside check compares.
constexpr const char* kOutsideView =
    "SELECT string_agg(line, E'\\n' ORDER BY line) FROM ("
    " SELECT 'schema ' || nspname || ' owner ' || nspowner::regrole::text || ' acl ' ||"
    "   (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(COALESCE(nspacl, acldefault('n', nspowner))) a)"
    "   || ' comment ' || COALESCE(obj_description(oid, 'pg_namespace'), '-')"
    "   AS line FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'"
    " UNION ALL SELECT 'function ' || oid::regprocedure::text || ' acl ' ||"
    "   (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(COALESCE(proacl, acldefault('f', proowner))) a)"
    "   FROM pg_proc WHERE pronamespace <> 'pg_catalog'::regnamespace AND pronamespace <> "
    "   'information_schema'::regnamespace"
    " UNION ALL SELECT 'language ' || lanname || ' acl ' ||"
    "   (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(COALESCE(lanacl, acldefault('l', lanowner))) a)"
    "   FROM pg_language"
    " UNION ALL SELECT 'type ' || oid::regtype::text || ' acl ' ||"
    "   (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(typacl) a)"
    "   FROM pg_type WHERE typacl IS NOT NULL"
    " UNION ALL SELECT 'fdw ' || fdwname || ' acl ' ||"
    "   (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(COALESCE(fdwacl, acldefault('F', fdwowner))) a)"
    "   FROM pg_foreign_data_wrapper) lines";

class SquashStartState : public ServerTest {
 protected:
  // Squashes a plain history of `files` (name, SQL) and expects a proved squash; then builds a
  // database from up.sql and compares it with a replay of the files, from outside (kOutsideView)
  // and with pg_dump.
  void expect_proved_and_same(const std::vector<std::pair<std::string, std::string>>& files) {
    const fs::path history = tmp_.path() / "history";
    fs::create_directories(history);
    for (const auto& [name, sql] : files) write_file(history / name, sql);
    std::string output;
    const int code = run_command(shell_quote(tool_path("squash").string()) + " " + shell_quote(history.string()) +
                                     " --format plain --output " + shell_quote(out().string()) + " --scratch-url " +
                                     shell_quote(test_server().admin_conninfo()),
                                 &output);
    ASSERT_EQ(code, 0) << output;
    const std::string report = read_file(out() / "squash.json");
    EXPECT_EQ(report.find("\"failed\""), std::string::npos) << report;

    const std::string replayed = make_database("replayed");
    for (const auto& file : files) exec_on(replayed, file.second);
    exec(up_sql());
    if (HasFatalFailure()) return;
    EXPECT_EQ(scalar(kOutsideView), scalar_on(replayed, kOutsideView));
    const std::string replayed_dump = pg_dump_text(replayed, "--schema-only");
    if (!replayed_dump.empty()) {
      EXPECT_EQ(pg_dump_text(conninfo(), "--schema-only"), replayed_dump);
    }

    // down.sql gives back a new database, seen from outside too.
    const std::string fresh = make_database("fresh");
    exec(read_file(out() / "down.sql"));
    if (HasFatalFailure()) return;
    EXPECT_EQ(scalar(kOutsideView), scalar_on(fresh, kOutsideView));
  }

  std::string up_sql() const { return read_file(out() / "up.sql"); }
  std::string down_sql() const { return read_file(out() / "down.sql"); }
  fs::path out() const { return tmp_.path() / "out"; }

 private:
  TempDir tmp_;
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(SquashStartState, PublicDroppedForGood) {
  expect_proved_and_same({{"0001_own_schema.sql",
                           "DROP SCHEMA public CASCADE;\nCREATE SCHEMA app;\nCREATE TABLE app.t (id int PRIMARY KEY);\n"}});
  EXPECT_TRUE(contains(up_sql(), "DROP SCHEMA public;\n")) << up_sql();
  EXPECT_TRUE(contains(down_sql(), "CREATE SCHEMA public;\n")) << down_sql();
}

TEST_F(SquashStartState, PublicMadeAgainWithoutGrants) {
  expect_proved_and_same({{"0001_clean.sql", "DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\nCREATE TABLE t (id int);\n"}});
  EXPECT_TRUE(contains(up_sql(), "ALTER SCHEMA public OWNER TO CURRENT_USER;\n")) << up_sql();
  EXPECT_TRUE(contains(up_sql(), "COMMENT ON SCHEMA public IS NULL;\n")) << up_sql();
}

TEST_F(SquashStartState, PublicGrantsAndCommentChanged) {
  expect_proved_and_same({{"0001_roles.sql", kRoles},
                          {"0002_lock_down.sql",
                           "REVOKE ALL ON SCHEMA public FROM PUBLIC;\nGRANT USAGE ON SCHEMA public TO start_reader;\n"
                           "COMMENT ON SCHEMA public IS 'application schema';\n"}});
  EXPECT_FALSE(contains(up_sql(), "OWNER TO")) << up_sql();
}

TEST_F(SquashStartState, PublicGivenToAnotherRole) {
  expect_proved_and_same({{"0001_roles.sql", kRoles},
                          {"0002_owner.sql",
                           "ALTER SCHEMA public OWNER TO start_app;\nGRANT CREATE ON SCHEMA public TO start_reader;\n"}});
  EXPECT_TRUE(contains(up_sql(), "ALTER SCHEMA public OWNER TO start_app;\n")) << up_sql();
}

// plpgsql is made by initdb and never dropped: only the grants on its language are written, and
// down.sql puts them back.
TEST_F(SquashStartState, GrantsOnTheBuiltInLanguage) {
  expect_proved_and_same({{"0001_roles.sql", kRoles},
                          {"0002_harden.sql",
                           "REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC;\nGRANT USAGE ON LANGUAGE plpgsql TO start_app;\n"}});
  EXPECT_FALSE(contains(up_sql(), "CREATE EXTENSION")) << up_sql();
  EXPECT_TRUE(contains(up_sql(), "REVOKE ALL ON LANGUAGE plpgsql FROM PUBLIC;\n")) << up_sql();
  EXPECT_TRUE(contains(down_sql(), "GRANT USAGE ON LANGUAGE plpgsql TO PUBLIC;\n")) << down_sql();
}

// Members whose privileges CREATE EXTENSION sets to something else than the default (the
// extension script revokes, pg_init_privs records it): up.sql starts from that, not from the
// default. A type and a foreign-data wrapper are members too.
TEST_F(SquashStartState, GrantsOnMembersOfSeveralKinds) {
  expect_proved_and_same(
      {{"0001_roles.sql", kRoles},
       {"0002_extensions.sql",
        "CREATE EXTENSION pg_stat_statements;\nCREATE EXTENSION citext;\nCREATE EXTENSION postgres_fdw;\n"
        "GRANT EXECUTE ON FUNCTION pg_stat_statements_reset(oid, oid, bigint) TO start_app;\n"
        "REVOKE USAGE ON TYPE citext FROM PUBLIC;\n"
        "GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO start_app WITH GRANT OPTION;\n"}});
  EXPECT_FALSE(contains(up_sql(), "ON FUNCTION public.pg_stat_statements_reset(userid oid, dbid oid, queryid bigint) "
                                  "FROM PUBLIC"))
      << up_sql();
}

}  // namespace
