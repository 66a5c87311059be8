// Traps met when squashing the migration folders of real public projects the way an outside
// check does: replay the history with psql, one session and one transaction per file, in the
// runner's order; build another database from up.sql; compare pg_dump --schema-only of the two.
// Each fixture under tests/fixtures/realistic/<trap> is a small history of our own with the
// shape that broke, in its runner's layout. The tests are DISABLED until squash handles them;
// each says what goes wrong today and where.
#include <gtest/gtest.h>

#include <string>

#include "support/squash_fixture.hpp"
#include "support/test_paths.hpp"

using schemakit::testing::read_file;
using schemakit::testing::SquashFixtureTest;

namespace {

class SquashRealWorldTraps : public SquashFixtureTest {};

}  // namespace

// golang-migrate skips every file whose name it cannot parse (its file and iofs sources
// `continue` on a parse error), so the embed.go that hands the folder to iofs sits beside the
// SQL in most Go services. The reader skips it too and lists it in ignored_files.
TEST_F(SquashRealWorldTraps, GoFileBesideGolangMigrateFiles) {
  expect_squash_proves("go_embed_beside_golang_migrate");
  if (HasFatalFailure()) return;
  EXPECT_NE(read_file(out() / "squash.json").find("embed.go"), std::string::npos)
      << "embed.go belongs in ignored_files";
}

// goose collects *.sql files and only the *.go files whose names start with a version; a
// migrations.go without one (the go:embed holder) is passed over, and so by the reader. A
// versioned .go file stays refused (a Go migration).
TEST_F(SquashRealWorldTraps, GoFileWithoutVersionBesideGooseFiles) {
  expect_squash_proves("go_embed_beside_goose");
}

// psql, and the outside check, run each file in a session of its own: a SET search_path or a
// temporary table made by one migration is gone in the next. squash replays the whole history on
// one session (lib/squash/replay.cpp, replay()), so today the second CREATE TEMP TABLE staged
// fails (42P07), and without the temporary table audit_log would land in schema reporting instead
// of public. Resetting the session after each migration (DISCARD ALL outside a transaction, or a
// new session) matches psql.
TEST_F(SquashRealWorldTraps, SessionStateDoesNotOutliveItsMigration) {
  expect_same_dump_as_replay_per_file("session_state_between_migrations",
                                      {"0001_reporting.sql", "0002_audit_log.sql"});
}

// A pg_dump baseline as the first golang-migrate migration sets search_path to '' for the
// session. Today squash's own bookkeeping then fails ("relation \"schema_migrations\" does not
// exist": the INSERT in replay.cpp names the tracking table without its schema), and the next
// migration's unqualified CREATE TABLE would fail with 3F000 on the shared session (see above).
TEST_F(SquashRealWorldTraps, PgDumpBaselineThatEmptiesSearchPath) {
  expect_same_dump_as_replay_per_file("pg_dump_baseline_empty_search_path",
                                      {"000001_baseline.up.sql", "000002_member_sessions.up.sql"});
}

// Flyway (since 2014) and psql run COPY ... FROM stdin with the data lines that follow, up to
// \. ; pg_dump writes baselines with data that way. The splitter gives the COPY its rows (they
// were once read as SQL: "V1__baseline.sql:10:1: syntax error at or near \"EUR\""), and the
// replay sends them with the copy protocol; the rows land in up.sql's data section.
TEST_F(SquashRealWorldTraps, CopyFromStdinWithInlineRows) {
  expect_squash_proves("copy_from_stdin_seed");
  if (HasFatalFailure()) return;
  EXPECT_NE(read_file(out() / "squash.json").find("\"public.currencies\": 3"), std::string::npos)
      << read_file(out() / "squash.json");
}

// DROP SCHEMA public CASCADE; CREATE SCHEMA public: the schema made again belongs to the replaying
// role and carries only the grants made here. public is part of a new database's start state, so
// up.sql writes what the migrations changed on it: ALTER SCHEMA public OWNER TO CURRENT_USER (the
// replaying role's objects get no OWNER TO, but public starts out pg_database_owner's), GRANT /
// REVOKE from the grants a new database's public has, the comment; down.sql puts all of it back.
TEST_F(SquashRealWorldTraps, PublicSchemaDroppedAndMadeAgain) {
  expect_same_dump_as_replay_per_file("public_schema_recreated", {"0001_clean_slate.sql", "0002_more.sql"});
  if (HasFatalFailure()) return;
  EXPECT_NE(read_file(out() / "up.sql").find("ALTER SCHEMA public OWNER TO CURRENT_USER;"), std::string::npos);
}

// ALTER SCHEMA public OWNER TO <the superuser>, as old pg_dump baselines carry: the same start
// state with only the owner changed (the catalog check saw public "only in A" before up.sql
// wrote the owner).
TEST_F(SquashRealWorldTraps, PublicSchemaGivenToTheReplayingRole) {
  expect_same_dump_as_replay_per_file("public_schema_owner_changed", {"0001_baseline.sql"});
}

// GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public after CREATE EXTENSION pgcrypto there reaches the
// extension's functions, and REVOKE ... FROM PUBLIC on one of them changes it. Extension members
// are not objects of the catalog (they come back with CREATE EXTENSION), but their privileges are
// read as pg_dump reads them (against pg_init_privs) into the extension's
// privileges.member:<member> attributes, and up.sql grants and revokes them after CREATE EXTENSION.
TEST_F(SquashRealWorldTraps, GrantsOnExtensionMembers) {
  expect_same_dump_as_replay_per_file("extension_member_grants", {"0001_runtime_role.sql"});
  if (HasFatalFailure()) return;
  EXPECT_NE(read_file(out() / "up.sql").find("REVOKE ALL ON FUNCTION public.gen_salt(text) FROM PUBLIC;"),
            std::string::npos);
}

// pg_dump prints an object's GRANTs in the order of its ACL, the order the migrations granted in
// (an owner that revoked and granted itself its rights again comes after the roles granted
// before). up.sql once granted in name order, so a plain diff of pg_dump text (an outside check
// of raw dumps) differed on every object with grants to two roles made out of name order. The catalog keeps the stored order and up.sql
// rebuilds it (ddl/privileges.hpp); the diff compares the lists as sets.
TEST_F(SquashRealWorldTraps, GrantOrderAsInTheReplayedAcl) {
  expect_same_dump_as_replay_per_file("grant_order_in_pg_dump",
                                      {"0001_roles_and_grants.sql", "0002_refunds.sql", "0003_owner_regrants.sql"});
}

// Plain numbered files named <number>-<name>.sql (supabase/storage's tenant migrations, many
// in-house runners): the plain layout takes <version>-<name>.sql as well as <version>_<name>.sql.
TEST_F(SquashRealWorldTraps, PlainFilesWithDashAfterTheNumber) {
  expect_squash_proves("plain_dash_separator");
  if (HasFatalFailure()) return;
  EXPECT_NE(read_file(out() / "squash.json").find("\"count\": 3"), std::string::npos)
      << read_file(out() / "squash.json");
}

// unaccent() is STABLE, so accent-insensitive indexes go through an IMMUTABLE SQL wrapper whose
// body names unaccent() without a schema. Building the index over existing rows, or planning any
// query on the table, inlines the body with the session's search_path: psql's replay has public
// there. up.sql and the row export run with the search_path a new session of the database gets
// (ddl::session_search_path), not with '' as pg_dump does (whose restores fail the same way).
TEST_F(SquashRealWorldTraps, IndexOnFunctionThatReliesOnSearchPath) {
  expect_squash_proves("search_path_dependent_function_in_index");
}

// Hasura projects that began before config v3 keep metadata steps as migrations: folders with only
// up.yaml / down.yaml (permissions, relationships, tracking; no SQL), and up.yaml beside up.sql.
// They change Hasura's metadata, not the database, so a squash of the database passes over them
// (listed as ignored). An up.yaml with run_sql steps (Hasura 1.0's way of writing SQL) does
// change the database and stays refused (migrations_reader_test).
TEST_F(SquashRealWorldTraps, HasuraMetadataOnlySteps) {
  expect_squash_proves("hasura_metadata_only_steps");
}
