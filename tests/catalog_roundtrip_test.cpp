// Round trip of the catalog library: build database A, introspect it, write the script, apply
// `up` to an empty database B, introspect B; the models, the rows, the next value of every
// sequence and pg_dump's output must be equal; `down` must leave B as empty as a new database.
#include <gtest/gtest.h>

#include "catalog_test_helpers.hpp"

namespace schemakit::testing {
namespace {

class CatalogRoundTrip : public ServerTest {};

TEST_F(CatalogRoundTrip, CoreKindsWithHostileNames) {
  exec(read_file(source_dir() / "tests/fixtures/catalog-core/core_kinds.sql"));
  const std::string b = make_database("b"), empty = make_database("empty");
  RoundTripResult result = round_trip(conninfo(), b, empty);
  EXPECT_TRUE(result.a.unsupported.empty()) << catalog_text(result.a);
  // The fixture really has every core kind.
  auto counts = result.a.counts();
  for (catalog::Kind kind : {catalog::Kind::schema, catalog::Kind::extension, catalog::Kind::collation,
                             catalog::Kind::enum_type, catalog::Kind::domain, catalog::Kind::composite_type,
                             catalog::Kind::range_type, catalog::Kind::sequence, catalog::Kind::table,
                             catalog::Kind::column, catalog::Kind::constraint, catalog::Kind::index}) {
    EXPECT_GT(counts[kind], 0u) << catalog::to_string(kind);
  }
}

TEST_F(CatalogRoundTrip, ScriptIsByteIdenticalRunToRun) {
  exec(read_file(source_dir() / "tests/fixtures/catalog-core/core_kinds.sql"));
  introspect::IntrospectOptions options;
  auto first = introspect::introspect(conninfo(), options);
  auto second = introspect::introspect(conninfo(), options);
  auto data = introspect::read_table_data(conninfo(), first);
  auto script_a = ddl::write_script(first, &data, {});
  auto script_b = ddl::write_script(second, &data, {});
  EXPECT_EQ(script_a.up, script_b.up);
  EXPECT_EQ(script_a.down, script_b.down);
}

TEST_F(CatalogRoundTrip, EmptyDatabase) {
  const std::string b = make_database("b"), empty = make_database("empty");
  round_trip(conninfo(), b, empty);
}

TEST_F(CatalogRoundTrip, TrickyCorpus) {
  const auto corpus = tricky_corpus();
  if (corpus.empty()) GTEST_SKIP() << kNoSharedCorpus;
  apply_golang_migrate(conninfo(), corpus);
  const std::string b = make_database("b"), empty = make_database("empty");
  RoundTripResult result = round_trip(conninfo(), b, empty);
  EXPECT_TRUE(result.a.unsupported.empty()) << catalog_text(result.a);
}

}  // namespace
}  // namespace schemakit::testing
