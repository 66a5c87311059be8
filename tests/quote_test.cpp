// Pure tests of the one quoting function and its friends, and of reading privilege lists.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "ddl/privileges.hpp"
#include "ddl/quote.hpp"

namespace schemakit::ddl {
namespace {

TEST(QuoteIdent, PlainLowercaseNamesStayBare) {
  EXPECT_EQ(quote_ident("users"), "users");
  EXPECT_EQ(quote_ident("_x1"), "_x1");
  EXPECT_EQ(quote_ident("name"), "name");      // unreserved keyword
  EXPECT_EQ(quote_ident("comment"), "comment");  // unreserved keyword
}

TEST(QuoteIdent, EverythingElseIsQuoted) {
  EXPECT_EQ(quote_ident("Email"), "\"Email\"");
  EXPECT_EQ(quote_ident("Audit Log"), "\"Audit Log\"");
  EXPECT_EQ(quote_ident("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(quote_ident("1st"), "\"1st\"");
  EXPECT_EQ(quote_ident("grüße"), "\"grüße\"");
  EXPECT_EQ(quote_ident("Mood ☺"), "\"Mood ☺\"");
  EXPECT_EQ(quote_ident(""), "\"\"");
  EXPECT_EQ(quote_ident("a-b"), "\"a-b\"");
}

TEST(QuoteIdent, ReservedAndColumnNameKeywordsAreQuoted) {
  for (const char* word : {"order", "select", "user", "table", "from", "all", "check", "between", "int", "varchar"}) {
    EXPECT_EQ(quote_ident(word), std::string("\"") + word + "\"") << word;
  }
}

TEST(Qualified, EachPartQuotedOnItsOwn) {
  EXPECT_EQ(qualified("app", "users"), "app.users");
  EXPECT_EQ(qualified("Audit Log", "order"), "\"Audit Log\".\"order\"");
  EXPECT_EQ(qualified("", "t"), "t");
  EXPECT_EQ(qualified("a.b", "c"), "\"a.b\".c");
}

TEST(QuoteLiteral, OnlyQuotesAreDoubled) {
  EXPECT_EQ(quote_literal(""), "''");
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
  EXPECT_EQ(quote_literal("back\\slash"), "'back\\slash'");  // standard_conforming_strings on
  EXPECT_EQ(quote_literal("new\nline"), "'new\nline'");
  EXPECT_EQ(quote_literal("世界"), "'世界'");
}

TEST(DollarQuote, TagNeverOccursInTheBody) {
  EXPECT_EQ(dollar_quote("SELECT 1"), "$$SELECT 1$$");
  EXPECT_EQ(dollar_quote("a $$ b"), "$q$a $$ b$q$");
  EXPECT_EQ(dollar_quote("$$ $q$"), "$q1$$$ $q$$q1$");
}

TEST(ParseAcl, ItemsWithPublicQuotedRolesAndGrantOptions) {
  auto items = parse_acl("{=U/app,\"Bob \"\"B\"\"\"=r*w/app,app=UC/app}");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0], (AclEntry{"", "U", "app"}));
  EXPECT_EQ(items[1], (AclEntry{"Bob \"B\"", "r*w", "app"}));
  EXPECT_EQ(items[2], (AclEntry{"app", "UC", "app"}));
  EXPECT_TRUE(parse_acl("").empty());
  EXPECT_TRUE(parse_acl("{}").empty());
  EXPECT_THROW(parse_acl("U/app"), Error);
}

TEST(PrivilegeStatements, FromTheDefaultsToTheWantedList) {
  // Owner keeps everything, PUBLIC may read, a role may update with grant option.
  EXPECT_EQ(privilege_statements("TABLE app.t", catalog::Kind::table, "app",
                                 "{app=arwdDxt/app,=r/app,\"R 1\"=w*/app}", 150000),
            "GRANT SELECT ON TABLE app.t TO PUBLIC;\n"
            "GRANT UPDATE ON TABLE app.t TO \"R 1\" WITH GRANT OPTION;\n");
  // The owner gave up some rights; PUBLIC lost the default EXECUTE.
  EXPECT_EQ(privilege_statements("FUNCTION app.f()", catalog::Kind::function, "app", "{app=X/app}", 150000),
            "REVOKE ALL ON FUNCTION app.f() FROM PUBLIC;\n");
  // An entry that is not the default's is revoked whole and granted as it is, as pg_dump does.
  EXPECT_EQ(privilege_statements("TABLE app.t", catalog::Kind::table, "app", "{app=r/app}", 150000),
            "REVOKE ALL ON TABLE app.t FROM app;\nGRANT SELECT ON TABLE app.t TO app;\n");
  EXPECT_EQ(privilege_statements("TABLE app.t", catalog::Kind::table, "app", "{}", 150000),
            "REVOKE ALL ON TABLE app.t FROM app;\n");
  // Granted by someone else than the owner: under that role.
  EXPECT_EQ(privilege_statements("SCHEMA s", catalog::Kind::schema, "app", "{app=UC/app,r=U/boss}", 150000),
            "SET ROLE boss;\nGRANT USAGE ON SCHEMA s TO r;\nRESET ROLE;\n");
  // A chain of grant options: the grantor's own grant comes first whatever the list order.
  EXPECT_EQ(privilege_statements("TABLE t", catalog::Kind::table, "o", "{o=arwdDxt/o,=r/b,b=r*/o}", 150000),
            "GRANT SELECT ON TABLE t TO b WITH GRANT OPTION;\n"
            "SET ROLE b;\nGRANT SELECT ON TABLE t TO PUBLIC;\nRESET ROLE;\n");
  // Column privileges have no defaults.
  EXPECT_EQ(privilege_statements("TABLE app.t", catalog::Kind::column, "", "{=r/app,x=aw/app}", 150000, "Col"),
            "GRANT SELECT (\"Col\") ON TABLE app.t TO PUBLIC;\n"
            "GRANT INSERT (\"Col\"), UPDATE (\"Col\") ON TABLE app.t TO x;\n");
  // An explicit list equal to the defaults (REVOKE ALL ON SCHEMA s FROM PUBLIC where PUBLIC had
  // nothing) stays explicit: the owner grants itself what it has.
  EXPECT_EQ(privilege_statements("SCHEMA s", catalog::Kind::schema, "app", "{app=UC/app}", 150000),
            "GRANT USAGE, CREATE ON SCHEMA s TO app;\n");
  // No list read: the defaults; nothing to write.
  EXPECT_EQ(privilege_statements("TABLE app.t", catalog::Kind::table, "app", "", 150000), "");
}

// The server appends a new grantee's entry and changes an existing one in place, and pg_dump
// prints a list in that stored order: the statements rebuild the order as well as the set.
TEST(PrivilegeStatements, RebuildTheListInItsStoredOrder) {
  // Granted to b before a: granted in that order, not by name.
  EXPECT_EQ(privilege_statements("TABLE t", catalog::Kind::table, "o", "{o=arwdDxt/o,b=r/o,a=r/o}", 150000),
            "GRANT SELECT ON TABLE t TO b;\nGRANT SELECT ON TABLE t TO a;\n");
  // The owner revoked its rights and took them back after granting b: its entry now comes after
  // b's, so the default entry is revoked and granted again after b's.
  EXPECT_EQ(privilege_statements("TABLE t", catalog::Kind::table, "o", "{b=r/o,o=arwdDxt/o}", 150000),
            "REVOKE ALL ON TABLE t FROM o;\nGRANT SELECT ON TABLE t TO b;\n"
            "GRANT INSERT, SELECT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE t TO o;\n");
  // A function's defaults are PUBLIC then the owner; the owner first means PUBLIC was revoked
  // and granted again: the owner's entry stays, PUBLIC's is made again after it.
  EXPECT_EQ(privilege_statements("FUNCTION f()", catalog::Kind::function, "o", "{o=X/o,=X/o,b=X/o}", 150000),
            "REVOKE ALL ON FUNCTION f() FROM PUBLIC;\nGRANT EXECUTE ON FUNCTION f() TO PUBLIC;\n"
            "GRANT EXECUTE ON FUNCTION f() TO b;\n");
  // The same defaults in their own order need nothing but the new entry.
  EXPECT_EQ(privilege_statements("FUNCTION f()", catalog::Kind::function, "o", "{=X/o,o=X/o,b=X/o}", 150000),
            "GRANT EXECUTE ON FUNCTION f() TO b;\n");
  // Columns have no defaults: every entry in list order.
  EXPECT_EQ(privilege_statements("TABLE t", catalog::Kind::column, "", "{z=r/o,a=r/o}", 150000, "c"),
            "GRANT SELECT (c) ON TABLE t TO z;\nGRANT SELECT (c) ON TABLE t TO a;\n");
}

TEST(GrantTarget, RelationsAreTablesAndAggregatesFunctions) {
  EXPECT_EQ(grant_target("VIEW app.v"), "TABLE app.v");
  EXPECT_EQ(grant_target("MATERIALIZED VIEW app.m"), "TABLE app.m");
  EXPECT_EQ(grant_target("FOREIGN TABLE app.f"), "TABLE app.f");
  EXPECT_EQ(grant_target("AGGREGATE app.a(integer)"), "FUNCTION app.a(integer)");
  EXPECT_EQ(grant_target("SERVER s"), "FOREIGN SERVER s");
  EXPECT_EQ(grant_target("SEQUENCE app.s"), "SEQUENCE app.s");
}

}  // namespace
}  // namespace schemakit::ddl
