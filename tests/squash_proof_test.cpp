// The proof catches what a wrong up.sql / down.sql gets wrong: each check is shown passing on a
// right pair and failing, with the difference named, on a pair broken in its one way.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "catalog/model.hpp"
#include "introspect/introspect.hpp"
#include "squash/databases.hpp"
#include "squash/proof.hpp"
#include "squash/scope.hpp"
#include "support/server_fixture.hpp"

using namespace schemakit;
using schemakit::testing::test_server;

namespace {

const char* kHistory =
    "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);\n"
    "COMMENT ON TABLE items IS 'things';\n"
    "INSERT INTO items (name) VALUES ('a'), ('b');\n";

const char* kUp =
    "BEGIN;\n"
    "CREATE TABLE public.items (id serial PRIMARY KEY, name text NOT NULL);\n"
    "COMMENT ON TABLE public.items IS 'things';\n"
    "INSERT INTO public.items (id, name) VALUES (1, 'a'), (2, 'b');\n"
    "SELECT pg_catalog.setval('public.items_id_seq', 2, true);\n"
    "COMMIT;\n";

const char* kDown = "BEGIN;\nDROP TABLE public.items;\nCOMMIT;\n";

class ProofTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = std::make_unique<pg::ScratchDatabase>(test_server(), "proof_base");
    base_catalog_ = read(base_->conninfo());
    {
      pg::Session session(base_->conninfo(), "proof test");
      base_relations_ = squash::user_relations(session);
    }
    replayed_ = std::make_unique<squash::ClonedDatabase>(test_server(), base_->name(), "proof_replayed");
    pg::Session session(replayed_->conninfo(), "proof test");
    session.exec(kHistory);
    part_ = squash::migrations_part(read(replayed_->conninfo()), base_catalog_, std::nullopt);
    data_ = squash::snapshot_data(session, base_relations_);
  }

  static catalog::Catalog read(const std::string& conninfo) {
    catalog::Catalog c = introspect::introspect(conninfo, introspect::IntrospectOptions{});
    c.sort_by_id();
    return c;
  }

  squash::ProofResult prove(const std::string& up, const std::string& down) {
    squash::ProofSubject subject;
    subject.server = &test_server();
    subject.base_database = base_->name();
    subject.base_catalog = &base_catalog_;
    subject.base_relations = base_relations_;
    subject.replayed = &part_;
    subject.replayed_conninfo = replayed_->conninfo();
    subject.replayed_data = &data_;
    subject.up_sql = up;
    subject.down_sql = down;
    return squash::prove(subject);
  }

  static std::string result_of(const squash::ProofResult& r, const std::string& check) {
    auto it = std::find_if(r.checks.begin(), r.checks.end(),
                           [&](const squash::Check& c) { return c.name == check; });
    return it == r.checks.end() ? "absent" : it->result;
  }

  std::unique_ptr<pg::ScratchDatabase> base_;
  catalog::Catalog base_catalog_;
  std::set<std::string> base_relations_;
  std::unique_ptr<squash::ClonedDatabase> replayed_;
  catalog::Catalog part_;
  squash::DataSnapshot data_;
};

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST_F(ProofTest, RightPairPassesEveryCheck) {
  squash::ProofResult r = prove(kUp, kDown);
  EXPECT_TRUE(r.passed) << r.failures;
  for (const char* check : {"up", "catalog", "rows", "sequences", "down", "up_again"}) {
    EXPECT_EQ(result_of(r, check), "passed") << check;
  }
  EXPECT_NE(result_of(r, "pg_dump"), "failed");
}

TEST_F(ProofTest, UpThatDoesNotApplyIsLocated) {
  squash::ProofResult r = prove(replaced(kUp, "text NOT NULL", "txet NOT NULL"), kDown);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(result_of(r, "up"), "failed");
  EXPECT_NE(r.failures.find("up.sql:2:56: ERROR 42704: type \"txet\" does not exist"), std::string::npos)
      << r.failures;
}

TEST_F(ProofTest, MissingCommentFailsCatalogAndPgDump) {
  squash::ProofResult r = prove(replaced(kUp, "COMMENT ON TABLE public.items IS 'things';\n", ""), kDown);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(result_of(r, "catalog"), "failed");
  EXPECT_NE(r.failures.find("comment"), std::string::npos) << r.failures;
  if (!test_server().client_bindir().empty()) {
    EXPECT_EQ(result_of(r, "pg_dump"), "failed");
    EXPECT_NE(r.failures.find("-COMMENT ON TABLE public.items IS 'things';"), std::string::npos) << r.failures;
  }
  EXPECT_EQ(result_of(r, "rows"), "passed");
}

TEST_F(ProofTest, WrongRowFailsRows) {
  squash::ProofResult r = prove(replaced(kUp, "(2, 'b')", "(2, 'B')"), kDown);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(result_of(r, "rows"), "failed");
  EXPECT_NE(r.failures.find("table public.items: the same number of rows (2) but different values"),
            std::string::npos)
      << r.failures;
  EXPECT_EQ(result_of(r, "catalog"), "passed");
}

TEST_F(ProofTest, WrongSequencePositionFailsSequences) {
  squash::ProofResult r = prove(replaced(kUp, "'public.items_id_seq', 2, true", "'public.items_id_seq', 2, false"), kDown);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(result_of(r, "sequences"), "failed");
  EXPECT_NE(r.failures.find("sequence public.items_id_seq: last_value 2 is_called true in the replayed "
                            "database, last_value 2 is_called false in the rebuilt"),
            std::string::npos)
      << r.failures;
}

TEST_F(ProofTest, DownThatLeavesSomethingFailsDown) {
  squash::ProofResult r = prove(replaced(kUp, "COMMIT;", "CREATE TABLE public.leftover (id int);\nCOMMIT;"), kDown);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(result_of(r, "catalog"), "failed") << "the extra table is a difference too";
  EXPECT_EQ(result_of(r, "down"), "failed");
  EXPECT_NE(r.failures.find("leftover"), std::string::npos) << r.failures;
}

TEST_F(ProofTest, DownThatFailsStopsTheProof) {
  squash::ProofResult r = prove(kUp, "BEGIN;\nDROP TABLE public.nothing;\nCOMMIT;\n");
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(result_of(r, "down"), "failed");
  EXPECT_NE(r.failures.find("down.sql:2:1: ERROR 42P01: table \"nothing\" does not exist"), std::string::npos)
      << r.failures;
  EXPECT_EQ(result_of(r, "up_again"), "absent");
}

TEST_F(ProofTest, UpThatCannotRunTwiceFailsUpAgain) {
  // down.sql leaves a schema behind that up.sql creates unconditionally: caught by `down`, and
  // the second up.sql fails on it too.
  squash::ProofResult r = prove(replaced(kUp, "COMMIT;", "CREATE SCHEMA extra;\nCOMMIT;"), kDown);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(result_of(r, "up_again"), "failed");
  EXPECT_NE(r.failures.find("ERROR 42P06: schema \"extra\" already exists"), std::string::npos) << r.failures;
}

}  // namespace
