// Bad input for introspection: a connection that fails and a permission denied on a catalog
// read give one clear error (SQLSTATE, what was being read), never a partial model.
#include <gtest/gtest.h>

#include "catalog_test_helpers.hpp"
#include "common/error.hpp"

namespace schemakit::testing {
namespace {

class IntrospectErrors : public ServerTest {};

TEST_F(IntrospectErrors, ConnectionFailureNamesTheTarget) {
  try {
    introspect::introspect("host=/nonexistent-socket-dir port=1 dbname=nowhere password=secret",
                           introspect::IntrospectOptions{});
    FAIL() << "no error";
  } catch (const ServerError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("cannot connect"), std::string::npos) << message;
    EXPECT_EQ(message.find("secret"), std::string::npos) << message;
    EXPECT_EQ(e.code(), ExitCode::trouble);
  }
}

TEST_F(IntrospectErrors, PermissionDeniedSaysWhatWasBeingRead) {
  exec("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'core_nobody') THEN "
       "CREATE ROLE core_nobody LOGIN; END IF; END $$;"
       "CREATE SEQUENCE secret_seq; REVOKE ALL ON SEQUENCE secret_seq FROM PUBLIC;");
  // In a conninfo string the last value of a keyword wins.
  const std::string as_nobody = conninfo() + " user=core_nobody";
  try {
    introspect::introspect(as_nobody, introspect::IntrospectOptions{});
    FAIL() << "no error";
  } catch (const ServerError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.sqlstate(), "42501") << message;
    EXPECT_NE(message.find("reading sequences"), std::string::npos) << message;
    EXPECT_NE(message.find("permission denied"), std::string::npos) << message;
  }
  // Without the positions the same role can read the catalog.
  introspect::IntrospectOptions options;
  options.sequence_positions = false;
  auto catalog = introspect::introspect(as_nobody, options);
  EXPECT_NE(catalog.find({catalog::Kind::sequence, "public", "", "secret_seq", ""}), nullptr);
}

}  // namespace
}  // namespace schemakit::testing
