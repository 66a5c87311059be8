// Transaction modes: runner markers, statements PostgreSQL refuses in a transaction block (found
// in the parse tree), and files with their own BEGIN/COMMIT.
#include <gtest/gtest.h>

#include "migrations/sql_splitter.hpp"
#include "migrations/tx_mode.hpp"

using namespace schemakit::migrations;

namespace {

TxDecision decide(const std::string& sql, std::optional<std::string> runner = std::nullopt) {
  Script script;
  script.file = "m.sql";
  script.text = sql;
  split_script(script);
  return decide_tx_mode(script, runner);
}

}  // namespace

TEST(TxMode, DefaultsToItsOwnTransaction) {
  TxDecision d = decide("CREATE TABLE t (id int);\nLOCK TABLE t;\nANALYZE t;");
  EXPECT_EQ(d.mode, TxMode::transaction);
  EXPECT_EQ(d.reason, "");
}

TEST(TxMode, CreateIndexConcurrentlyRunsOutside) {
  TxDecision d = decide("CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY i ON t (id);");
  EXPECT_EQ(d.mode, TxMode::none);
  EXPECT_EQ(d.reason, "CREATE INDEX CONCURRENTLY (line 2)");
}

TEST(TxMode, OtherStatementsThatRefuseATransactionBlock) {
  EXPECT_EQ(decide("DROP INDEX CONCURRENTLY i;").reason, "DROP INDEX CONCURRENTLY (line 1)");
  EXPECT_EQ(decide("REINDEX INDEX CONCURRENTLY i;").reason, "REINDEX ... CONCURRENTLY (line 1)");
  EXPECT_EQ(decide("VACUUM t;").reason, "VACUUM (line 1)");
  EXPECT_EQ(decide("ALTER SYSTEM SET work_mem = '8MB';").reason, "ALTER SYSTEM (line 1)");
  EXPECT_EQ(decide("CREATE DATABASE d;").reason, "CREATE DATABASE (line 1)");
  EXPECT_EQ(decide("DROP DATABASE d;").reason, "DROP DATABASE (line 1)");
  EXPECT_EQ(decide("CREATE TABLESPACE s LOCATION '/x';").reason, "CREATE TABLESPACE (line 1)");
  EXPECT_EQ(decide("DROP TABLESPACE s;").reason, "DROP TABLESPACE (line 1)");
}

TEST(TxMode, StatementsThatRunInATransactionStayThere) {
  EXPECT_EQ(decide("ALTER TYPE mood ADD VALUE 'meh';").mode, TxMode::transaction);
  EXPECT_EQ(decide("REINDEX TABLE t;").mode, TxMode::transaction);
  EXPECT_EQ(decide("CREATE INDEX i ON t (id);").mode, TxMode::transaction);
}

TEST(TxMode, WordsInStringsAndBodiesAreNotStatements) {
  EXPECT_EQ(decide("SELECT 'CREATE INDEX CONCURRENTLY i ON t (id)';").mode, TxMode::transaction);
  EXPECT_EQ(decide("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ VACUUM $$;").mode, TxMode::transaction);
}

TEST(TxMode, OwnBeginAndCommitRunAsWritten) {
  TxDecision d = decide("-- header\nBEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON t (id);");
  EXPECT_EQ(d.mode, TxMode::as_written);
  EXPECT_EQ(d.reason, "own BEGIN (line 2) and COMMIT (line 4)");
  EXPECT_EQ(decide("START TRANSACTION;\nSELECT 1;\nEND;").mode, TxMode::as_written);
}

TEST(TxMode, RunnerSettingWins) {
  TxDecision d = decide("CREATE TABLE t (id int);", "metadata.toml: run_in_transaction = false");
  EXPECT_EQ(d.mode, TxMode::none);
  EXPECT_EQ(d.reason, "metadata.toml: run_in_transaction = false");
}

TEST(TxMode, FindsEachRunnersMarker) {
  EXPECT_EQ(find_no_transaction_marker("-- +goose Up\n-- +goose NO TRANSACTION\nSELECT 1;"),
            "-- +goose NO TRANSACTION (line 2)");
  EXPECT_EQ(find_no_transaction_marker("-- atlas:txmode none\nSELECT 1;"), "-- atlas:txmode none (line 1)");
  EXPECT_EQ(find_no_transaction_marker("SELECT 1;\n-- hasura:no-transaction\n"), "-- hasura:no-transaction (line 2)");
  EXPECT_EQ(find_no_transaction_marker("-- no-transaction\r\nSELECT 1;"), "-- no-transaction (line 1)");
}

TEST(TxMode, SqlxMarkerCountsOnlyOnTheFirstLine) {
  EXPECT_EQ(find_no_transaction_marker("SELECT 1;\n-- no-transaction\n"), std::nullopt);
  EXPECT_EQ(find_no_transaction_marker("-- a comment about no-transaction\nSELECT 1;"), std::nullopt);
}
