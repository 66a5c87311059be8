// Statement splitting with libpg_query: positions, comments, $$ bodies, goose blocks, errors.
#include <gtest/gtest.h>

#include "support/error_of.hpp"

#include <functional>

#include "common/error.hpp"
#include "migrations/sql_splitter.hpp"

using namespace schemakit;
using namespace schemakit::migrations;

namespace {

std::string error_of(const std::function<void()>& body) { return schemakit::testing::error_of<InputError>(body); }

SplitOptions rooted_at(const std::string& root) {
  SplitOptions options;
  options.root = root;
  return options;
}

SplitOptions goose_rules() {
  SplitOptions options;
  options.goose_statement_blocks = true;
  return options;
}

}  // namespace

TEST(SqlSplitter, GivesEachStatementItsLineAndColumn) {
  auto statements = split_statements("CREATE TABLE a (id int);\n  INSERT INTO a VALUES (1);", "f.sql");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].sql, "CREATE TABLE a (id int)");
  EXPECT_EQ(statements[0].line, 1);
  EXPECT_EQ(statements[0].column, 1);
  EXPECT_EQ(statements[1].sql, "INSERT INTO a VALUES (1)");
  EXPECT_EQ(statements[1].line, 2);
  EXPECT_EQ(statements[1].column, 3);
  EXPECT_EQ(statements[1].offset, 27u);
}

TEST(SqlSplitter, StartsAfterLeadingComments) {
  auto statements = split_statements("SELECT 1;\n-- why\n/* a /* nested */ b */ SELECT 2;", "f.sql");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[1].sql, "SELECT 2");
  EXPECT_EQ(statements[1].line, 3);
  EXPECT_EQ(statements[1].column, 24);
}

TEST(SqlSplitter, DropsTheLastStatementsTrailingComment) {
  auto statements = split_statements("SELECT 1 -- trailing\n", "f.sql");
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0].sql, "SELECT 1");
}

TEST(SqlSplitter, KeepsDashesInsideStringsAndIdentifiers) {
  auto statements = split_statements("SELECT '--x', \"a--b\", E'it\\'s -- no' -- c", "f.sql");
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0].sql, "SELECT '--x', \"a--b\", E'it\\'s -- no'");
}

TEST(SqlSplitter, DoesNotSplitDollarQuotedBodies) {
  std::string sql =
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  PERFORM 1;\n  RETURN 2;\n"
      "END\n$body$;\nSELECT f();";
  auto statements = split_statements(sql, "f.sql");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].sql, sql.substr(0, sql.find(";\nSELECT")));
  EXPECT_EQ(statements[1].sql, "SELECT f()");
  EXPECT_EQ(statements[1].line, 7);
}

TEST(SqlSplitter, CommentsOnlyGiveNoStatements) {
  EXPECT_TRUE(split_statements("-- nothing\n/* here */\n\n", "f.sql").empty());
  EXPECT_TRUE(split_statements("", "f.sql").empty());
}

TEST(SqlSplitter, ReportsSyntaxErrorsAtFileLineColumn) {
  EXPECT_EQ(error_of([] { split_statements("CREATE TABLE a (id int);\nCREAT TABLE b ();", "m/1.sql"); }),
            "m/1.sql:2:1: syntax error at or near \"CREAT\"");
}

TEST(SqlSplitter, CountsColumnsInCharactersNotBytes) {
  EXPECT_EQ(error_of([] { split_statements("SELECT 'é€'; selec", "f.sql"); }),
            "f.sql:1:14: syntax error at or near \"selec\"");
}

TEST(SqlSplitter, ReportsUnterminatedStrings) {
  EXPECT_EQ(error_of([] { split_statements("SELECT 1;\nSELECT 'abc", "f.sql"); }),
            "f.sql:2:8: unterminated quoted string at or near \"'abc\"");
}

TEST(SqlSplitter, SectionLinesAreFileLines) {
  Script script;
  script.file = "1_a.sql";
  script.first_line = 5;
  script.text = "SELECT 1;\nSELECT (;";
  EXPECT_EQ(error_of([&] { split_script(script, rooted_at("migrations")); }),
            "migrations/1_a.sql:6:9: syntax error at or near \";\"");
  script.text = "SELECT 1;\n  SELECT 2;";
  split_script(script);
  ASSERT_EQ(script.statements.size(), 2u);
  EXPECT_EQ(script.statements[1].line, 6);
}

TEST(SqlSplitter, ColumnShiftsGiveFileColumns) {
  Script script;
  script.file = "0001_a.sql";
  script.first_line = 3;
  script.text = "DROP TABLE t;\nDROP TABLE (;";
  script.column_shifts = {3, 3};
  EXPECT_EQ(error_of([&] { split_script(script); }), "0001_a.sql:4:15: syntax error at or near \"(\"");
}

TEST(SqlSplitter, GooseBlockIsOneStatement) {
  std::string sql =
      "-- +goose StatementBegin\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n"
      "-- +goose StatementEnd\nSELECT 1;";
  auto statements = split_statements(sql, "g.sql", 1, goose_rules());
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].sql, "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1)");
  EXPECT_EQ(statements[0].line, 2);
  EXPECT_EQ(statements[1].sql, "SELECT 1");
  EXPECT_EQ(split_statements(sql, "g.sql").size(), 3u);  // without goose's rule
}

TEST(SqlSplitter, GooseBlockWithoutEndIsRefused) {
  EXPECT_EQ(error_of([] { split_statements("SELECT 1;\n-- +goose StatementBegin\nSELECT 2;", "g.sql", 1, goose_rules()); }),
            "g.sql:2:1: -- +goose StatementBegin without a StatementEnd");
}
