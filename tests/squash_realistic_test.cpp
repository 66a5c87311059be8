// Histories shaped like real projects' (tests/fixtures/realistic/<name>, each in its runner's
// layout): squash replays, writes and proves each one (exit 0, the proof's every check passed).
// The proof is what makes these meaningful: up.sql rebuilds the same catalog, rows, sequence
// positions and pg_dump text, and down.sql leaves the start state again.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/server_fixture.hpp"
#include "support/squash_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using schemakit::testing::read_file;
using schemakit::testing::source_dir;
using schemakit::testing::SquashFixtureTest;

namespace {

class SquashRealistic : public SquashFixtureTest {};

}  // namespace

// diesel_initial_setup's diesel_manage_updated_at / diesel_set_updated_at, triggers made by
// calling it, citext added later and a column retyped to it, a reference row.
TEST_F(SquashRealistic, DieselAppWithInitialSetupFunctions) { expect_squash_proves("diesel_app"); }

// golang-migrate 1..12 (9 before 10) with the churn of a long-lived app: extensions (pgcrypto,
// uuid-ossp, pg_trgm with a gin_trgm_ops index, citext), ALTER TABLE churn and a back-fill,
// reference rows, roles with GRANT ... ON ALL TABLES (the tracking table included) and default
// privileges, ALTER DATABASE SET through format(current_database()), a partitioned table whose
// partitions a DO loop makes, setval, identity and generated columns, a COLLATE "C" column,
// a trigger function, a view on a view, a materialized view WITH DATA, comments, and a
// migration that alters schema_migrations itself.
TEST_F(SquashRealistic, GolangMigrateChurn) { expect_squash_proves("golang_churn"); }

// goose: StatementBegin/End plpgsql, NO TRANSACTION with CREATE INDEX CONCURRENTLY, an enum
// value added and used, setval in a DO block, version 10 after 4.
TEST_F(SquashRealistic, GooseApp) { expect_squash_proves("goose_app"); }

// Flyway V1, V1_1, V2, V10 and a repeatable R__ with a view on a view, in a schema of its own.
TEST_F(SquashRealistic, FlywayApp) { expect_squash_proves("flyway_app"); }

// prisma: quoted CamelCase identifiers, an enum and a value added later, "updatedAt", the
// implicit many-to-many table, migration_lock.toml beside the folders.
TEST_F(SquashRealistic, PrismaApp) { expect_squash_proves("prisma_app"); }

// dbmate: -- migrate:up / -- migrate:down, transaction:false with CREATE INDEX CONCURRENTLY.
TEST_F(SquashRealistic, DbmateApp) { expect_squash_proves("dbmate_app"); }

// A Django-like history (plain layout): roles, a schema owned by another role, a domain, a
// composite and a range type, hstore and btree_gist, varchar_pattern_ops indexes, DEFERRABLE
// foreign keys, a foreign key cycle, row level security and a policy, a SECURITY DEFINER function
// with its grants, column grants, an unlogged table, inheritance, a rule, extended statistics, a
// cycling sequence, a materialized view WITH NO DATA, ALTER DATABASE SET via format().
TEST_F(SquashRealistic, DjangoLikePlainHistory) { expect_squash_proves("django_like"); }

// Rows of awkward types (floats, NaN, infinity, bytea, arrays, text with tabs and quotes), an
// enum value added BEFORE another, a dropped column, a generated tsvector, overloaded functions,
// a procedure and an aggregate, multi-level and attached/detached partitions with a trigger on
// the parent, and one sequence OWNED BY one table but used by another's default too (down.sql
// must not drop it with its owner).
TEST_F(SquashRealistic, GolangTypesAndPartitions) { expect_squash_proves("golang_types_partitions"); }

// dbmate, one big migration of table-level settings: reloptions, column storage and statistics,
// replica identity, CLUSTER ON, a disabled trigger, a deferrable constraint trigger, an event
// trigger, an identity added to a table with rows, an identity with its own START/INCREMENT,
// expression index statistics, REVOKE ALL ON SCHEMA FROM PUBLIC (an explicit ACL equal to the
// defaults), default privileges granted and revoked again.
TEST_F(SquashRealistic, DbmateTableOptions) { expect_squash_proves("dbmate_table_options"); }

// GRANT ... ON ALL SEQUENCES and ALTER DEFAULT PRIVILEGES ... ON SEQUENCES reach the sequences
// of identity columns too (the catalog reads an identity sequence's ACL and comment as its
// column's); identity and serial sequences of a partitioned table and of a table given to
// another role with ALTER TABLE ... OWNER TO, with grants, revokes (the owner's own included)
// and a comment of their own.
TEST_F(SquashRealistic, IdentitySequenceGrants) { expect_squash_proves("identity_sequence_grants"); }

// Roles made only when missing and then altered (LOGIN, NOINHERIT, CREATEROLE, CREATEDB,
// BYPASSRLS, CONNECTION LIMIT, VALID UNTIL, a PASSWORD), memberships WITH ADMIN OPTION, login
// roles that reach the database only through a group, ALTER ROLE ... SET for every database
// (one set and reset again), a comment. (tests/catalog_roles_test.cpp makes the roles again
// from up.sql after dropping them.)
TEST_F(SquashRealistic, RolesWithAttributesMembershipsAndSettings) { expect_squash_proves("roles"); }

// ALTER ... OWNER TO another role after the fact for every kind that has an owner: schema, enum,
// composite and range types, domain, collation, sequence, table (its serial sequence follows),
// view, materialized view, statistics, function, procedure, aggregate, event trigger,
// publication, foreign server, foreign table; REASSIGN OWNED; an owner changed twice.
TEST_F(SquashRealistic, OwnersGivenAwayWithAlterOwner) { expect_squash_proves("owners"); }

// golang-migrate, a history written for its production database by name: ALTER DATABASE myapp
// SET ..., ALTER ROLE ... IN DATABASE myapp SET ... (quoted and in capitals too). The replay
// points each at the scratch database; up.sql makes them for whatever database runs it.
TEST_F(SquashRealistic, GolangNamedDatabase) { expect_squash_proves("golang_named_database"); }

// golang-migrate, accent-insensitive product search and a money type: text search dictionaries
// (unaccent's template, snowball without stop words) and configurations (COPY = english with
// mappings altered and dropped, one from the bare parser), a generated tsvector column and a GIN
// index over it, casts (WITH FUNCTION AS ASSIGNMENT, WITH INOUT) with a view that uses one,
// operators with a commutator and a negator made as a shell first, a view joining on one and a
// partial index using another.
TEST_F(SquashRealistic, GolangSearchAndMoney) { expect_squash_proves("golang_search_money"); }

namespace {

using schemakit::testing::pg_dump_text;

// `text` with every whole-word `role` (not part of a longer name) replaced by <runner>.
std::string runner_named(const std::string& text, const std::string& role) {
  auto is_name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
  };
  std::string out;
  size_t at = 0;
  while (true) {
    const size_t found = text.find(role, at);
    if (found == std::string::npos) break;
    const size_t end = found + role.size();
    const bool whole = (found == 0 || !is_name_char(text[found - 1])) && (end == text.size() || !is_name_char(text[end]));
    out += text.substr(at, found - at) + (whole ? "<runner>" : role);
    at = end;
  }
  return out + text.substr(at);
}

// `dump` with each run of consecutive GRANT or ALTER DEFAULT PRIVILEGES lines sorted. Where the
// role that made the grants differs (another name, another OID), the server keeps the same
// privilege list in another order; the squash proof itself compares without this (same role).
std::string grant_runs_sorted(const std::string& dump) {
  std::string out;
  std::vector<std::string> run;
  auto flush = [&] {
    std::sort(run.begin(), run.end());
    for (const auto& line : run) out += line + "\n";
    run.clear();
  };
  size_t at = 0;
  while (at < dump.size()) {
    size_t end = dump.find('\n', at);
    if (end == std::string::npos) end = dump.size();
    const std::string line = dump.substr(at, end - at);
    if (line.rfind("GRANT ", 0) == 0 || line.rfind("ALTER DEFAULT PRIVILEGES ", 0) == 0) {
      run.push_back(line);
    } else {
      flush();
      out += line + "\n";
    }
    at = end + 1;
  }
  flush();
  return out;
}

// Replays and squashes a history, applies up.sql as another superuser than the one that
// replayed, and compares the two: what belonged to the replaying role (objects, default
// privileges) must belong to the applying one, everything else be equal.
class SquashAppliedByAnotherRole : public SquashFixtureTest {
 protected:
  // `files`: the fixture's up migrations in order; `in_dump`: text the replay's pg_dump must hold
  // (so that the comparison is known to cover what the test is about).
  void expect_same_as_replay_for_another_runner(const std::string& fixture, const std::vector<std::string>& files,
                                                const std::string& in_dump) {
    expect_squash_proves(fixture);
    if (HasFatalFailure()) return;
    const std::string up = up_sql();
    const std::string runner = *scalar("SELECT current_user");
    EXPECT_EQ(up.find("DEFAULT PRIVILEGES FOR ROLE " + runner + " "), std::string::npos) << up;

    for (const auto& file : files) exec(read_file(source_dir() / "tests/fixtures/realistic" / fixture / file));
    exec("DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sk_other_admin') THEN "
         "CREATE ROLE sk_other_admin SUPERUSER NOLOGIN; END IF; END$$");
    const std::string applied = make_database("applied_by_other");
    exec_on(applied, "SET SESSION AUTHORIZATION sk_other_admin;\n" + up);
    EXPECT_EQ(*scalar_on(applied, "SELECT count(*) FROM pg_catalog.pg_default_acl "
                                  "WHERE defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)"),
              "0")
        << "up.sql gave the replaying role default privileges";

    const std::string replayed_dump = pg_dump_text(conninfo(), "--schema-only");
    const std::string applied_dump = pg_dump_text(applied, "--schema-only");
    EXPECT_EQ(grant_runs_sorted(runner_named(replayed_dump, runner)),
              grant_runs_sorted(runner_named(applied_dump, "sk_other_admin")));
    if (!replayed_dump.empty()) {
      EXPECT_NE(replayed_dump.find(in_dump), std::string::npos) << in_dump;
    }
  }
};

}  // namespace

// Default privileges of the replaying role, for all schemas and IN SCHEMA, revokes of built-in
// defaults (EXECUTE ON FUNCTIONS FROM PUBLIC, USAGE ON TYPES) and of the role's own rights, and
// another role's defaults (FOR ROLE dp_owner, one granting to the replaying role), with objects
// made under them: up.sql writes the replaying role's without FOR ROLE (CURRENT_USER where their
// lists name it), so applied by another superuser it gives that one the same defaults, and the
// pg_dump of both databases is the same once each runner's name is taken out.
TEST_F(SquashAppliedByAnotherRole, DefaultPrivilegesFollowWhoeverApplies) {
  expect_same_as_replay_for_another_runner(
      "default_privileges",
      {"1_roles_and_schema.up.sql", "2_default_privileges.up.sql", "3_objects_under_the_defaults.up.sql"},
      "ALTER DEFAULT PRIVILEGES FOR ROLE dp_owner IN SCHEMA app GRANT SELECT ON TABLES  TO ");
}

// Every owner kind given away, and what stays the replaying role's (the postgres_fdw extension):
// applied by another superuser, what the replaying role owned is that one's, every other owner
// as in the replay.
TEST_F(SquashAppliedByAnotherRole, OwnersOfTheReplayingRoleFollowWhoeverApplies) {
  expect_same_as_replay_for_another_runner("owners", {"1_roles.up.sql", "2_objects.up.sql", "3_owners.up.sql"},
                                           "ALTER EVENT TRIGGER log_ddl OWNER TO own_super;");
}
