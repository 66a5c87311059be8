// Objects other than relations, as real migration histories make them (functions and procedures
// with every option, aggregates, enums, domains, composite and range types, views and
// materialized views, triggers, rules, policies, event triggers, publications, statistics,
// extensions, database settings), squashed and checked the way an outside oracle checks a
// squash: the history replayed file by file into one database, up.sql applied to another, the
// same pg_dump --schema-only text. Each fixture is tests/fixtures/realistic/routine_sweep_<name>
// (plain layout). squash proves each one itself too (catalog, rows, sequences, pg_dump, down.sql,
// up.sql again).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/squash_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using schemakit::testing::read_file;
using schemakit::testing::SquashFixtureTest;

namespace {

class SquashRoutineSweep : public SquashFixtureTest {
 protected:
  int squash(const std::string& name, std::string* output) { return run_squash(name, "--format plain", output); }
  void expect_same_as_replay(const std::string& name, std::string* replayed = nullptr) {
    expect_same_dump_as_replay_per_file(name, {}, "--format plain", replayed);
  }
};

}  // namespace

// SECURITY DEFINER with SET search_path, SET of other settings, LEAKPROOF, PARALLEL SAFE, COST,
// ROWS, STRICT, IMMUTABLE, RETURNS TABLE, IN / INOUT / OUT / VARIADIC arguments with defaults,
// BEGIN ATOMIC bodies (which pin their tables), overloads, mutual recursion written with
// check_function_bodies off, dollar-quote tags inside bodies, CREATE OR REPLACE, ALTER FUNCTION
// ... SET / RENAME / SECURITY DEFINER, a window function, aggregates with a final function, an
// ordered-set aggregate, a parallel-safe aggregate with a combine function, comments.
TEST_F(SquashRoutineSweep, FunctionsProceduresAggregates) { expect_same_as_replay("routine_sweep_functions"); }

// Enum values added BEFORE / AFTER and renamed, domains with several checks (renamed, NOT VALID),
// DEFAULT, NOT NULL and COLLATE, a composite type whose attributes are added, dropped, retyped
// and renamed, a range type with subtype_diff and a multirange name, ICU (non-deterministic) and
// libc collations, renamed types, comments on each.
TEST_F(SquashRoutineSweep, TypesDomainsCollations) { expect_same_as_replay("routine_sweep_types"); }

// Views on views, security_barrier / security_invoker / check options, a renamed view column with
// a comment, CREATE OR REPLACE VIEW adding a column, a function returning SETOF a view and a view
// reading it, a recursive view, materialized views WITH NO DATA and populated, with indexes,
// clustering, a statistics target and storage parameters, view column defaults.
TEST_F(SquashRoutineSweep, ViewsAndMaterializedViews) { expect_same_as_replay("routine_sweep_views"); }

// BEFORE / AFTER / INSTEAD OF, FOR EACH STATEMENT with a transition table, WHEN, UPDATE OF,
// a DEFERRABLE constraint trigger, DISABLE / ENABLE ALWAYS / ENABLE REPLICA, triggers on a
// partitioned table (cloned to partitions, one made before a partition and one after), rules
// (DO INSTEAD NOTHING, DO ALSO with WHERE, disabled), policies (permissive, restrictive, role
// lists, USING / WITH CHECK, per command, renamed), event triggers (tags, disabled, replica).
TEST_F(SquashRoutineSweep, TriggersRulesPoliciesEventTriggers) {
  expect_same_as_replay("routine_sweep_triggers_rules_policies");
}

// Publications FOR ALL TABLES, FOR TABLE with column lists and a row filter, FOR TABLES IN
// SCHEMA, with publish and publish_via_partition_root; extended statistics (ndistinct,
// dependencies, mcv, expressions, a statistics target, renamed, commented).
TEST_F(SquashRoutineSweep, PublicationsAndStatistics) { expect_same_as_replay("routine_sweep_publications_statistics"); }

// pgcrypto, citext, hstore (at an old version, then ALTER EXTENSION UPDATE), pg_trgm,
// btree_gist, uuid-ossp, unaccent, ltree, some WITH SCHEMA, their types in columns and opclasses
// in indexes, a text search configuration mapping to unaccent.
TEST_F(SquashRoutineSweep, Extensions) { expect_same_as_replay("routine_sweep_extensions"); }

// Domains with checks calling functions and defaults calling nextval, polymorphic and VARIADIC
// arguments, a procedure with an OUT argument, quoted argument names, SET search_path FROM
// CURRENT, a table turned into a view by a "_RETURN" rule, a disabled trigger on a partitioned
// table, a transition-table statement trigger, a constraint trigger FROM another table, a
// replica rule, a table_rewrite event trigger, an extension moved to another schema and its
// opclass used on a materialized view, ALTER FUNCTION ... DEPENDS ON EXTENSION, a publication
// via a partitioned table's root, a view check option set by ALTER VIEW.
TEST_F(SquashRoutineSweep, MiscellaneousShapes) { expect_same_as_replay("routine_sweep_misc"); }

// A function returning SETOF a view (or its row) depends on the view's row type: up.sql created
// the functions first and failed with "type public.priced_item does not exist".
TEST_F(SquashRoutineSweep, FunctionReturningSetOfView) { expect_same_as_replay("routine_sweep_setof_view"); }

// ALTER MATERIALIZED VIEW ... ALTER COLUMN ... SET STATISTICS / SET (n_distinct) / SET STORAGE /
// SET COMPRESSION were not read: pg_dump of the replay had them, up.sql's database not.
TEST_F(SquashRoutineSweep, MaterializedViewColumnSettings) { expect_same_as_replay("routine_sweep_matview_columns"); }

// COMMENT ON COLUMN of a composite type's attribute and COMMENT ON CONSTRAINT ... ON DOMAIN (a
// valid check and a NOT VALID one, which up.sql adds in post-data) were lost.
TEST_F(SquashRoutineSweep, CommentsOnTypeAttributesAndDomainChecks) {
  expect_same_as_replay("routine_sweep_type_part_comments");
}

// ALTER FUNCTION / PROCEDURE / TRIGGER / MATERIALIZED VIEW ... DEPENDS ON EXTENSION were lost.
TEST_F(SquashRoutineSweep, DependsOnExtensionMarks) { expect_same_as_replay("routine_sweep_depends_on_extension"); }

// ALTER INDEX ... DEPENDS ON EXTENSION is not modelled (indexes belong to the core reader): the
// squash refuses, naming it, instead of losing the mark.
TEST_F(SquashRoutineSweep, IndexDependsOnExtensionIsRefusedByName) {
  std::string output;
  EXPECT_EQ(squash("routine_sweep_index_depends_on_extension", &output), 1) << output;
  EXPECT_NE(output.find("extension dependency index public.doc_body_trgm DEPENDS ON EXTENSION pg_trgm"), std::string::npos)
      << output;
  EXPECT_FALSE(fs::exists(out())) << output;
}

// The server keeps a database's (and a role's in it) settings in the order they were first set;
// up.sql set them in name order, so pg_db_role_setting, and what pg_dump --create prints, came
// out in another order.
TEST_F(SquashRoutineSweep, DatabaseSettingsKeepTheirOrder) {
  std::string replayed;
  expect_same_as_replay("routine_sweep_database_setting_order", &replayed);
  if (HasFatalFailure()) return;
  const std::string settings =
      "SELECT string_agg(COALESCE(r.rolname, '-') || ' ' || s.setconfig::text, '; ' ORDER BY r.rolname NULLS FIRST) "
      "FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole "
      "WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())";
  const auto expected = scalar_on(replayed, settings);
  ASSERT_TRUE(expected.has_value());
  EXPECT_EQ(*expected,
            "- {statement_timeout=60s,lock_timeout=5s,\"search_path=app, public\"}; "
            "routine_sweep_web {work_mem=8MB,application_name=web}");
  EXPECT_EQ(scalar(settings), expected);
}

// Publishing a table without ONLY adds its inheritance children as members of their own; up.sql
// wrote FOR TABLE parent, child and the server added child twice to a publication made FOR TABLE
// ONLY parent (catalog and pg_dump differed). Every member is now written with ONLY, as pg_dump
// does.
TEST_F(SquashRoutineSweep, PublicationOfInheritanceParent) {
  expect_same_as_replay("routine_sweep_publication_inheritance");
}

// Comments on a sequence, an index of a materialized view, a dictionary, a cast, an operator, a
// foreign server, a foreign table and its column, plpgsql and public; a materialized view over a
// materialized view (refreshed in order), statistics on one, a view on one; a rule on a view;
// SET search_path = '' and a custom setting on functions; a range type with a collation and an
// opclass; an enum with quotes, spaces, non-ASCII and empty labels; a domain over a domain.
TEST_F(SquashRoutineSweep, CommentsAndMaterializedViewChains) {
  expect_same_as_replay("routine_sweep_comments_matviews");
}

// A trigger clone switched off (or to ALWAYS, or back on under a disabled parent) on its own
// partition, at two levels of a partition tree: squash refused it as unsupported; now it is
// written as ALTER TABLE <partition> ... TRIGGER after the parent's trigger, as pg_dump does.
TEST_F(SquashRoutineSweep, PartitionTriggerClonesWithTheirOwnState) {
  expect_same_as_replay("routine_sweep_partition_trigger_states");
}

// contrib extensions as applications use them: moddatetime, tcn and lo_manage triggers,
// earthdistance made WITH CASCADE (cube first), intarray, bloom and btree_gin index methods and
// opclasses, a crosstab view, isn types, a file_fdw server and foreign table.
TEST_F(SquashRoutineSweep, ContribExtensionsInUse) { expect_same_as_replay("routine_sweep_contrib_extensions"); }

// Order across kinds: a function whose argument default calls nextval, BEGIN ATOMIC functions
// reading a view and a materialized view with views over them, a composite type of domains, a
// range over a domain, a domain over a composite type, a column default calling a function that
// returns that domain.
TEST_F(SquashRoutineSweep, DependencyOrderAcrossKinds) { expect_same_as_replay("routine_sweep_dependency_order"); }

// CREATE OR REPLACE LANGUAGE plpgsql; polymorphic, moving-aggregate, SORTOP, agg(*), old-style
// BASETYPE, hypothetical-set and serial/deserial aggregates; a trigger on a partitioned table.
TEST_F(SquashRoutineSweep, AggregateShapes) { expect_same_as_replay("routine_sweep_aggregates"); }

// User mappings (FOR PUBLIC, a role, CURRENT_USER; options changed by ALTER USER MAPPING) were
// refused as unsupported; they are written after their server now.
TEST_F(SquashRoutineSweep, UserMappingsWithoutPasswords) { expect_same_as_replay("routine_sweep_user_mappings"); }

// A user mapping whose options hold a password is refused by name: the password would have to be
// written into up.sql, and never is.
TEST_F(SquashRoutineSweep, UserMappingWithPasswordIsRefusedByName) {
  std::string output;
  EXPECT_EQ(squash("routine_sweep_user_mapping_password", &output), 1) << output;
  EXPECT_NE(output.find("user mapping FOR PUBLIC SERVER remote (its options hold a password"), std::string::npos)
      << output;
  EXPECT_EQ(output.find("hunter2"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(out())) << output;
}

// SET STATISTICS, SET (n_distinct) and SET STORAGE on a foreign table's columns were not read
// (a known limit): the proof failed on pg_dump. They are column_statistics / column_storage /
// column_attribute_options of the foreign table now.
TEST_F(SquashRoutineSweep, ForeignTableColumnSettings) { expect_same_as_replay("routine_sweep_foreign_table_columns"); }
