// Reading a catalog on several connections that share one exported snapshot gives the very model a
// single connection gives: the same objects, attributes, dependencies and unsupported entries, the
// same fingerprint, the same number of queries. And the options that change how it is read
// (dependencies off, connections that cannot be opened) change only what they say.
#include <gtest/gtest.h>

#include <atomic>
#include <fmt/format.h>
#include <stdexcept>

#include "catalog/fingerprint.hpp"
#include "catalog_test_helpers.hpp"

namespace schemakit::testing {
namespace {

class IntrospectParallel : public ServerTest {
 protected:
  // Reads this test's database on `jobs` connections.
  catalog::Catalog read(int jobs, introspect::IntrospectStats* stats = nullptr, bool dependencies = true) {
    introspect::IntrospectOptions options;
    options.jobs = jobs;
    options.dependencies = dependencies;
    return introspect::introspect(conninfo(), options, stats);
  }

  // jobs = 1 against 2 and 4: equal in every respect.
  void expect_parallel_reads_equal_the_serial_one() {
    introspect::IntrospectStats serial_stats;
    const catalog::Catalog serial = read(1, &serial_stats);
    ASSERT_GT(serial.objects.size(), 50u);
    EXPECT_EQ(serial_stats.connections, 1);
    for (int jobs : {2, 4}) {
      SCOPED_TRACE(fmt::format("jobs = {}", jobs));
      introspect::IntrospectStats stats;
      const catalog::Catalog parallel = read(jobs, &stats);
      const auto differences = catalog_differences(serial, parallel);
      EXPECT_TRUE(differences.empty()) << fmt::format("{}", fmt::join(differences, "\n"));
      EXPECT_EQ(catalog_text(serial), catalog_text(parallel));
      EXPECT_EQ(catalog::fingerprint(serial), catalog::fingerprint(parallel));
      EXPECT_EQ(serial.unsupported, parallel.unsupported);
      EXPECT_EQ(serial_stats.queries, stats.queries);
      EXPECT_EQ(stats.connections, jobs);
      size_t queries = 0;
      for (size_t n : stats.queries_per_connection) queries += n;
      EXPECT_EQ(queries, stats.queries);
    }
  }
};

TEST_F(IntrospectParallel, TrickyCorpus) {
  const auto corpus = tricky_corpus();
  if (corpus.empty()) GTEST_SKIP() << kNoSharedCorpus;
  apply_golang_migrate(conninfo(), corpus);
  expect_parallel_reads_equal_the_serial_one();
}

// Realistic histories on top of one another: roles and grants, default privileges, database
// settings, partitions, sequences, triggers and views; plus a role's setting in this database,
// whose reader looks for the roles reader's roles (it must see them when reading in parallel).
TEST_F(IntrospectParallel, RealisticHistoriesAndSettings) {
  exec("CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL)");
  apply_golang_migrate(conninfo(), source_dir() / "tests/fixtures/realistic/golang_churn");
  apply_golang_migrate(conninfo(), source_dir() / "tests/fixtures/realistic/default_privileges");
  exec(R"sql(
DO $r$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'parallel_reader') THEN CREATE ROLE parallel_reader; END IF;
  EXECUTE format('ALTER ROLE parallel_reader IN DATABASE %I SET statement_timeout = ''5s''', current_database());
END$r$;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO parallel_reader;
)sql");
  const catalog::Catalog serial = read(1);
  bool role_setting_depends_on_role = false;
  for (const auto& object : serial.objects) {
    if (object.id.kind == catalog::Kind::database_setting && object.id.table == "parallel_reader") {
      for (const auto& dep : object.depends_on) role_setting_depends_on_role |= dep.kind == catalog::Kind::role;
    }
  }
  EXPECT_TRUE(role_setting_depends_on_role) << catalog_text(serial);
  expect_parallel_reads_equal_the_serial_one();
}

TEST_F(IntrospectParallel, WithoutDependenciesOnlyTheEdgesAreMissing) {
  exec(read_file(source_dir() / "tests/fixtures/catalog-core/core_kinds.sql"));
  for (int jobs : {1, 3}) {
    SCOPED_TRACE(fmt::format("jobs = {}", jobs));
    introspect::IntrospectStats with_stats, without_stats;
    catalog::Catalog with = read(jobs, &with_stats, true);
    const catalog::Catalog without = read(jobs, &without_stats, false);
    size_t edges = 0;
    for (auto& object : with.objects) {
      edges += object.depends_on.size();
      object.depends_on.clear();
    }
    EXPECT_GT(edges, 10u);
    EXPECT_EQ(catalog_text(with), catalog_text(without));
    EXPECT_EQ(with_stats.queries, without_stats.queries + 1);  // pg_depend
  }
}

// A connection limit or a pooler that cannot import the snapshot: the read goes on with the
// connections it has.
TEST_F(IntrospectParallel, ConnectionsThatCannotBeOpenedAreDoneWithout) {
  exec(read_file(source_dir() / "tests/fixtures/catalog-core/core_kinds.sql"));
  const catalog::Catalog serial = read(1);
  auto first = pg::connect(conninfo(), "schemakit-test");
  introspect::IntrospectOptions options;
  options.jobs = 4;
  std::atomic<int> calls{0};
  const introspect::Connector only_one_more = [&]() -> std::unique_ptr<pqxx::connection> {
    if (calls++ == 0) return pg::connect(conninfo(), "schemakit-test");
    throw std::runtime_error("too many connections for role");
  };
  introspect::IntrospectStats stats;
  const catalog::Catalog parallel = introspect::introspect(*first, only_one_more, options, &stats);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(stats.connections, 2);
  EXPECT_EQ(catalog_text(serial), catalog_text(parallel));

  const introspect::Connector none = []() -> std::unique_ptr<pqxx::connection> { return nullptr; };
  const catalog::Catalog alone = introspect::introspect(*first, none, options, &stats);
  EXPECT_EQ(stats.connections, 1);
  EXPECT_EQ(catalog_text(serial), catalog_text(alone));
}

// Objects created after the first connection exported its snapshot are seen by none of the
// connections, whichever of them reads which kind: here they are created before each extra
// connection is opened, so a connection that took a snapshot of its own would see them.
TEST_F(IntrospectParallel, EveryConnectionReadsTheFirstOnesSnapshot) {
  exec(read_file(source_dir() / "tests/fixtures/catalog-core/core_kinds.sql"));
  const catalog::Catalog before = read(1);
  int attempt = 0;
  bool extra_connections_read = false;
  while (!extra_connections_read && attempt < 5) {
    ++attempt;
    auto first = pg::connect(conninfo(), "schemakit-test");
    introspect::IntrospectOptions options;
    options.jobs = 4;
    std::atomic<int> made{0};
    const introspect::Connector connect_after_changes = [&] {
      const int n = ++made + attempt * 10;
      exec(fmt::format(
          "CREATE SCHEMA late_{0}; CREATE TYPE late_{0}.mood AS ENUM ('x'); CREATE SEQUENCE late_{0}.s; "
          "CREATE TABLE late_{0}.t (id integer PRIMARY KEY, v text DEFAULT 'v'); CREATE INDEX ON late_{0}.t (v); "
          "CREATE VIEW late_{0}.v AS SELECT id FROM late_{0}.t; "
          "CREATE FUNCTION late_{0}.f() RETURNS integer LANGUAGE sql AS 'SELECT 1'; "
          "COMMENT ON TABLE app.parent IS 'changed {0}'",
          n));
      return pg::connect(conninfo(), "schemakit-test");
    };
    introspect::IntrospectStats stats;
    const catalog::Catalog read_late = introspect::introspect(*first, connect_after_changes, options, &stats);
    EXPECT_EQ(stats.connections, 4);
    for (size_t c = 1; c < stats.queries_per_connection.size(); ++c) {
      extra_connections_read |= stats.queries_per_connection[c] > 0;
    }
    EXPECT_EQ(catalog_text(before), catalog_text(read_late));
  }
  EXPECT_TRUE(extra_connections_read) << "in " << attempt << " attempts the first connection read everything alone";
}

}  // namespace
}  // namespace schemakit::testing
