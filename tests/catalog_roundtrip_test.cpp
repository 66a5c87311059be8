// Round trip of the catalog library: build database A, introspect it, write the script, apply
// `up` to an empty database B, introspect B; the models, the rows, the next value of every
// sequence and pg_dump's output must be equal; `down` must leave B as empty as a new database.
#include <gtest/gtest.h>

#include "catalog/fingerprint.hpp"
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

namespace schemakit::testing {
namespace {

TEST_F(CatalogRoundTrip, FingerprintIsEqualForEqualSchemasOnly) {
  exec(read_file(source_dir() / "tests/fixtures/catalog-core/core_kinds.sql"));
  const std::string b = make_database("b");
  introspect::IntrospectOptions options;
  auto a_catalog = introspect::introspect(conninfo(), options);
  auto data = introspect::read_table_data(conninfo(), a_catalog);
  run_sql(b, ddl::write_script(a_catalog, &data, {}).up);
  auto b_catalog = introspect::introspect(b, options);
  EXPECT_EQ(catalog::fingerprint(a_catalog), catalog::fingerprint(b_catalog));
  EXPECT_EQ(catalog::fingerprint(a_catalog).size(), 64u);
  // Sequence positions are data: they do not change the fingerprint.
  run_sql(b, "SELECT nextval('app.\"Order Seq\"')");
  EXPECT_EQ(catalog::fingerprint(a_catalog), catalog::fingerprint(introspect::introspect(b, options)));
  // A schema change does.
  run_sql(b, "COMMENT ON COLUMN app.\"order\".qty IS 'how many'");
  EXPECT_NE(catalog::fingerprint(a_catalog), catalog::fingerprint(introspect::introspect(b, options)));
}

}  // namespace
}  // namespace schemakit::testing
