// COPY ... FROM STDIN with its rows in the file (pg_dump baselines, seed files), as psql and
// Flyway run it; COPY that reaches the server's disk refused; psql meta-commands refused by name.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "common/error.hpp"
#include "migrations/reader.hpp"
#include "migrations/sql_splitter.hpp"
#include "migrations/tx_mode.hpp"
#include "support/error_of.hpp"
#include "support/test_paths.hpp"

using namespace schemakit;
using namespace schemakit::migrations;
using schemakit::testing::TempDir;
using schemakit::testing::write_file;

namespace {

std::string error_of(const std::function<void()>& body) { return schemakit::testing::error_of<InputError>(body); }

}  // namespace

TEST(SqlSplitterCopy, RowsRunUpToTheEndLineAndSqlResumesAfterIt) {
  const std::string sql =
      "CREATE TABLE t (a text, b int);\n"
      "COPY t (a, b) FROM stdin;\n"
      "x\t1\n"
      "y\t2\n"
      "\\.\n"
      "  SELECT 1;\n";
  auto statements = split_statements(sql, "f.sql");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_FALSE(statements[0].copy_data);
  EXPECT_EQ(statements[1].sql, "COPY t (a, b) FROM stdin");
  EXPECT_EQ(statements[1].line, 2);
  ASSERT_TRUE(statements[1].copy_data);
  const CopyData& data = *statements[1].copy_data;
  EXPECT_EQ(data.rows, "x\t1\ny\t2\n");
  EXPECT_EQ(data.offset, sql.find("x\t1"));
  EXPECT_EQ(data.end, sql.find("  SELECT"));
  EXPECT_FALSE(data.csv);
  EXPECT_EQ(statements[2].sql, "SELECT 1");
  EXPECT_EQ(statements[2].line, 6);
  EXPECT_EQ(statements[2].column, 3);
  EXPECT_EQ(statements[2].offset, sql.find("SELECT 1"));
  EXPECT_FALSE(statements[2].copy_data);
}

TEST(SqlSplitterCopy, RowsAreNeverReadAsSql) {
  // An open quote, an open comment and a dollar sign would each swallow the rest as SQL.
  const std::string sql =
      "COPY t FROM stdin;\n"
      "O'Brien\t/* not a comment\n"
      "$$\t-- not either;\n"
      "\\.\n"
      "SELECT 2;\n";
  auto statements = split_statements(sql, "f.sql");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].copy_data->rows, "O'Brien\t/* not a comment\n$$\t-- not either;\n");
  EXPECT_EQ(statements[1].sql, "SELECT 2");
  EXPECT_EQ(statements[1].line, 5);
}

TEST(SqlSplitterCopy, SeveralCopyBlocksKeepExactPositions) {
  const std::string sql =
      "COPY a FROM stdin;\n"
      "1\n"
      "\\.\n"
      "\n"
      "-- between\n"
      "copy b (x) from STDIN;  -- rows follow\n"
      "2\n"
      "3\n"
      "\\.\n"
      "ALTER TABLE a ADD PRIMARY KEY (x);";
  auto statements = split_statements(sql, "f.sql", 10);
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0].copy_data->rows, "1\n");
  EXPECT_EQ(statements[1].sql, "copy b (x) from STDIN");
  EXPECT_EQ(statements[1].line, 15);
  EXPECT_EQ(statements[1].copy_data->rows, "2\n3\n");
  EXPECT_EQ(statements[2].line, 19);
  EXPECT_EQ(statements[2].column, 1);
}

TEST(SqlSplitterCopy, RowsWithoutEndLineRunToTheEndOfTheText) {
  // psql takes the end of the file for the end of the rows.
  auto statements = split_statements("COPY t FROM stdin;\nx\t1\ny\t2", "f.sql");
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0].copy_data->rows, "x\t1\ny\t2");
  statements = split_statements("COPY t FROM stdin;", "f.sql");
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0].copy_data->rows, "");
}

TEST(SqlSplitterCopy, CarriageReturnLineEndsArePassedThrough) {
  auto statements = split_statements("COPY t FROM stdin;\r\nx\t1\r\n\\.\r\nSELECT 1;\r\n", "f.sql");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].copy_data->rows, "x\t1\r\n");
  EXPECT_EQ(statements[1].line, 4);
}

TEST(SqlSplitterCopy, SyntaxErrorAfterTheRowsIsAtItsFileLineColumn) {
  EXPECT_EQ(error_of([] { split_statements("COPY t FROM stdin;\nEUR\tEuro\n\\.\n  SELEC 1;", "V1__b.sql"); }),
            "V1__b.sql:4:3: syntax error at or near \"SELEC\"");
  EXPECT_EQ(error_of([] { split_statements("SELEC 1;\nCOPY t FROM stdin;\nx\n\\.\n", "V1__b.sql"); }),
            "V1__b.sql:1:1: syntax error at or near \"SELEC\"");
}

TEST(SqlSplitterCopy, EndLineInsideAStringBeforeTheCopyIsNotTheEnd) {
  // The `\.` line belongs to a function body: the rows of the COPY below end at the second one.
  const std::string sql =
      "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\n"
      "SELECT '\n"
      "\\.\n"
      "'$$;\n"
      "COPY t FROM stdin;\n"
      "r\n"
      "\\.\n"
      "SELECT 3;\n";
  auto statements = split_statements(sql, "f.sql");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[1].line, 5);
  EXPECT_EQ(statements[1].copy_data->rows, "r\n");
  EXPECT_EQ(statements[2].line, 8);
}

TEST(SqlSplitterCopy, CsvValuesMaySpanLines) {
  const std::string sql =
      "COPY t (a, b) FROM stdin WITH (FORMAT csv);\n"
      "\"two\n"
      "lines\",1\n"
      "\"\\.x\",2\n"
      "\"say \"\"hi\"\"\n"
      "\",3\n"
      "\\.\n"
      "SELECT 4;\n";
  auto statements = split_statements(sql, "f.sql");
  ASSERT_EQ(statements.size(), 2u);
  const CopyData& data = *statements[0].copy_data;
  EXPECT_TRUE(data.csv);
  EXPECT_EQ(data.rows, "\"two\nlines\",1\n\"\\.x\",2\n\"say \"\"hi\"\"\n\",3\n");
  EXPECT_EQ(statements[1].line, 8);
}

// psql (even 17) and Flyway end the rows at any line `\.`, inside a quoted CSV value too (psql
// then sends a cut value and runs the rest as SQL); the server would read on. Neither meaning
// is safe to pick: refused where it happens.
TEST(SqlSplitterCopy, EndLineInsideAQuotedCsvValueIsRefused) {
  EXPECT_EQ(error_of([] {
              split_statements("COPY t FROM stdin CSV;\n\"x\n\\.\ny\",1\n\\.\n", "f.sql");
            }),
            "f.sql:3:1: this \\. line is inside the quoted CSV value opened at line 2: psql and Flyway end the rows "
            "here and cut the value (the server would read on); close the quote before it or write the value "
            "another way");
}

TEST(SqlSplitterCopy, CsvEscapeCharacterKeepsTheQuoteOpen) {
  // With ESCAPE '\', "a\" leaves the value open; with the default escape it closes it.
  const std::string escaped = "COPY t FROM stdin WITH (FORMAT csv, ESCAPE '\\');\n\"a\\\"\n\\.\n\",1\n\\.\n";
  EXPECT_NE(error_of([&] { split_statements(escaped, "f.sql"); }).find("f.sql:3:1: this \\. line is inside"),
            std::string::npos);
  auto statements = split_statements("COPY t FROM stdin WITH (FORMAT csv);\n\"a\\\",1\n\\.\nSELECT 1;", "f.sql");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].copy_data->rows, "\"a\\\",1\n");
  EXPECT_EQ(statements[0].copy_data->escape, '"');
}

TEST(SqlSplitterCopy, EndLineWithBlanksIsRefused) {
  EXPECT_EQ(error_of([] { split_statements("COPY t FROM stdin;\nx\n \\. \nSELECT 1;", "f.sql"); }),
            "f.sql:3:1: \\. with blanks around it: Flyway ends the rows here, psql sends the line as a row; write \\. "
            "alone on its line");
}

TEST(SqlSplitterCopy, SqlAfterTheCopyOnItsLineIsRefused) {
  EXPECT_EQ(error_of([] { split_statements("COPY t FROM stdin; SELECT 1;\nx\n\\.\n", "f.sql"); }),
            "f.sql:1:20: SQL after COPY ... FROM stdin; on the same line: psql runs it after the rows and Flyway "
            "skips it; put it on a line of its own after the \\. line");
}

TEST(SqlSplitterCopy, CopyThatReachesTheServersDiskIsRefused) {
  EXPECT_EQ(error_of([] { split_statements("SELECT 1;\n  COPY t FROM '/tmp/t.csv';", "f.sql"); }),
            "f.sql:2:3: COPY ... FROM a file reads the database server's disk, which a replay into a scratch "
            "database does not have (load the rows with COPY ... FROM stdin and the rows after it, or INSERT)");
  EXPECT_EQ(error_of([] { split_statements("COPY t FROM PROGRAM 'curl x';", "f.sql"); }),
            "f.sql:1:1: COPY ... FROM PROGRAM runs a command on the database server: squash does not run it");
  EXPECT_EQ(error_of([] { split_statements("COPY t TO '/tmp/t.csv';", "f.sql"); }),
            "f.sql:1:1: COPY ... TO a file writes on the database server's disk: squash does not run it");
  EXPECT_EQ(error_of([] { split_statements("COPY (SELECT 1) TO PROGRAM 'cat';", "f.sql"); }),
            "f.sql:1:1: COPY ... TO PROGRAM runs a command on the database server: squash does not run it");
  EXPECT_EQ(error_of([] { split_statements("COPY t FROM stdin WITH (FORMAT binary);\n", "f.sql"); }),
            "f.sql:1:1: COPY ... FROM stdin in binary format cannot take its rows from a SQL file");
}

TEST(SqlSplitterCopy, CopyToStdoutIsAnOrdinaryStatement) {
  auto statements = split_statements("COPY t TO stdout;\nSELECT 1;", "f.sql");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_FALSE(statements[0].copy_data);
  EXPECT_EQ(statements[1].line, 2);
}

TEST(SqlSplitterCopy, RunnersWithoutCopyRowsRefuseIt) {
  SplitOptions options;
  options.copy_data_unsupported_by = "golang-migrate";
  EXPECT_EQ(error_of([&] { split_statements("SELECT 1;\nCOPY t FROM stdin;\nx\n\\.\n", "f.sql", 1, options); }),
            "f.sql:2:1: COPY ... FROM stdin takes its rows from the client: golang-migrate sends the file to the "
            "server as SQL text and has none to give (psql and Flyway read them from the lines that follow)");
}

TEST(SqlSplitterCopy, PsqlMetaCommandsAreRefusedByName) {
  EXPECT_EQ(error_of([] { split_statements("\\set ON_ERROR_STOP on\nSELECT 1;", "f.sql"); }),
            "f.sql:1:1: psql meta-command \\set is not SQL: squash cannot run it");
  EXPECT_EQ(error_of([] { split_statements("SELECT 1;\n-- next\n  \\connect other\n", "f.sql", 7); }),
            "f.sql:9:3: psql meta-command \\connect is not SQL: squash cannot run it");
  EXPECT_EQ(error_of([] { split_statements("COPY t FROM stdin;\nx\n\\.\n\\i more.sql\n", "f.sql"); }),
            "f.sql:4:1: psql meta-command \\i is not SQL: squash cannot run it");
  EXPECT_EQ(error_of([] { split_statements("SELECT 1;\n\\.\n", "f.sql"); }),
            "f.sql:2:1: \\. ends the rows of a COPY ... FROM stdin, but no such statement comes before it");
  // Inside a statement a backslash is an ordinary syntax error.
  EXPECT_EQ(error_of([] { split_statements("SELECT 1 \\g\n", "f.sql"); }), "f.sql:1:10: syntax error at or near \"\\\"");
}

TEST(SqlSplitterCopy, ContextLineOfACopyError) {
  EXPECT_EQ(copy_context_line("COPY currencies, line 3, column minor_units: \"x\""), 3);
  EXPECT_EQ(copy_context_line("COPY t, line 12"), 12);
  EXPECT_EQ(copy_context_line("COPY t, line 2: \"a\tb\""), 2);
  EXPECT_EQ(copy_context_line("PL/pgSQL function check_row() line 3 at RAISE\nCOPY t, line 7"), 7);
  EXPECT_EQ(copy_context_line("SQL statement \"SELECT 1\""), std::nullopt);
  EXPECT_EQ(copy_context_line(""), std::nullopt);
}

TEST(SqlSplitterCopy, ServerLineNumbersMapToDataLines) {
  // Text format: a backslash before a newline continues the row, and the server counts it once
  // (psql 15: "COPY t, line 3" for the fourth physical line here).
  CopyData text;
  text.rows = "a\t1\nb\\\nc\t2\nd\tx\n";
  EXPECT_EQ(copy_data_line_offset(text, 1), 0u);
  EXPECT_EQ(copy_data_line_offset(text, 2), text.rows.find("b\\"));
  EXPECT_EQ(copy_data_line_offset(text, 3), text.rows.find("d\t"));
  EXPECT_EQ(copy_data_line_offset(text, 4), std::nullopt);
  // CSV: the server counts the newlines inside quoted values too (psql 15: "line 4" for d,x and
  // "line 3" for the row on lines 2 and 3), once a first row has shown how lines end.
  CopyData csv;
  csv.csv = true;
  csv.rows = "a,1\n\"b\nc\",2\nd,x\n";
  EXPECT_EQ(copy_data_line_offset(csv, 2), csv.rows.find("\"b"));
  EXPECT_EQ(copy_data_line_offset(csv, 3), csv.rows.find("\"b"));
  EXPECT_EQ(copy_data_line_offset(csv, 4), csv.rows.find("d,"));
  EXPECT_EQ(copy_data_line_offset(csv, 5), std::nullopt);
  EXPECT_EQ(copy_data_line_offset(csv, 0), std::nullopt);
  csv.rows = "1,\"first\nline\"\n2,second\n1,again\n";
  EXPECT_EQ(copy_data_line_offset(csv, 3), csv.rows.find("1,again"));
}

TEST(SqlSplitterCopy, TextWithoutCopyDataKeepsOffsets) {
  Script script;
  script.file = "V1__a.sql";
  script.text = "COPY t FROM stdin;\nx\t1\n\\.\nSELECT 1;\n";
  split_script(script);
  EXPECT_EQ(text_without_copy_data(script), "COPY t FROM stdin;\n   \n  \nSELECT 1;\n");
}

// COPY ... FROM stdin is one more statement of the migration's transaction, like any DML; the
// rows never count as statements (a row reading "BEGIN;" is a row).
TEST(SqlSplitterCopy, TransactionModesSeeOnlyTheStatements) {
  Script script;
  script.file = "V1__a.sql";
  script.text = "COPY t FROM stdin;\nBEGIN;\nVACUUM;\n\\.\nCOMMIT;\n";
  split_script(script);
  TxDecision decision = decide_tx_mode(script, std::nullopt);
  EXPECT_EQ(decision.mode, TxMode::transaction);
  script.text = "COPY t FROM stdin;\nx\n\\.\nCREATE INDEX CONCURRENTLY i ON t (x);\n";
  split_script(script);
  decision = decide_tx_mode(script, std::nullopt);
  EXPECT_EQ(decision.mode, TxMode::none);
  EXPECT_EQ(decision.reason, "CREATE INDEX CONCURRENTLY (line 4)");
}

// psql (plain files) and Flyway read the rows from the file; the other runners send the file as
// SQL text, so a history of theirs with COPY rows never ran: refused, naming the runner.
TEST(SqlSplitterCopy, LayoutsWhoseRunnerCannotSendRowsRefuseThem) {
  const std::string seed = "CREATE TABLE t (x int);\nCOPY t FROM stdin;\n1\n\\.\n";
  {
    TempDir dir;
    write_file(dir.path() / "V1__seed.sql", seed);
    History history = read_history(dir.path());
    ASSERT_EQ(history.layout, Layout::flyway);
    EXPECT_EQ(history.migrations[0].up.statements[1].copy_data->rows, "1\n");
  }
  {
    TempDir dir;
    write_file(dir.path() / "0001_seed.sql", seed);
    History history = read_history(dir.path());
    ASSERT_EQ(history.layout, Layout::plain);
    EXPECT_TRUE(history.migrations[0].up.statements[1].copy_data);
  }
  {
    TempDir dir;
    write_file(dir.path() / "1_seed.up.sql", seed);
    EXPECT_EQ(error_of([&] { read_history(dir.path()); }),
              (dir.path() / "1_seed.up.sql").string() +
                  ":2:1: COPY ... FROM stdin takes its rows from the client: golang-migrate sends the file to the "
                  "server as SQL text and has none to give (psql and Flyway read them from the lines that follow)");
  }
}
