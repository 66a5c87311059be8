#pragma once
// The test harness for everything that needs a real server: one embedded cluster per test binary
// (or the server named by SCHEMAKIT_TEST_SCRATCH_URL), one scratch database per test.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pg/cluster.hpp"
#include "pg/connection.hpp"

namespace schemakit::testing {

// The server shared by all tests of this binary; started on first use, stopped at exit.
pg::ScratchServer& test_server();

// pg_dump (from the test server's binaries) of `conninfo` with `arguments`, without the
// \restrict / \unrestrict lines whose key is random; "" when no pg_dump is installed. A failing
// pg_dump fails the test.
std::string pg_dump_text(const std::string& conninfo, const std::string& arguments);

// Base fixture: a fresh, empty database for each test.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  const std::string& db_name() const { return db_->name(); }
  std::string conninfo() const { return db_->conninfo(); }
  // A second (or third...) fresh database in the same test, dropped with the test.
  std::string make_database(const std::string& purpose);

  // Runs SQL on this test's database and fails the test with the server's message on error.
  void exec(const std::string& sql) { exec_on(conninfo(), sql); }
  static void exec_on(const std::string& conninfo, const std::string& sql);
  // Runs a query, returns the first column of the first row (or nullopt for NULL / no row).
  std::optional<std::string> scalar(const std::string& sql) const { return scalar_on(conninfo(), sql); }
  static std::optional<std::string> scalar_on(const std::string& conninfo, const std::string& sql);

 private:
  std::unique_ptr<pg::ScratchDatabase> db_;
  std::vector<std::unique_ptr<pg::ScratchDatabase>> extra_;
};

}  // namespace schemakit::testing
