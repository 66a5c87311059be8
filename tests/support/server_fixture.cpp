#include "support/server_fixture.hpp"

#include <cstdlib>
#include <mutex>

#include "support/test_paths.hpp"

namespace schemakit::testing {
namespace {

std::unique_ptr<pg::ScratchServer> g_server;
std::once_flag g_server_once;

class ServerEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { g_server.reset(); }
};

// Registered at load time so that the cluster is stopped when the test program ends.
[[maybe_unused]] ::testing::Environment* const g_environment =
    ::testing::AddGlobalTestEnvironment(new ServerEnvironment);

std::string sanitize(const std::string& name) {
  std::string out;
  for (char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += '_';
    }
  }
  return out.substr(0, 24);
}

}  // namespace

pg::ScratchServer& test_server() {
  std::call_once(g_server_once, [] {
    pg::install_cleanup_signal_handlers();
    const char* url = std::getenv("SCHEMAKIT_TEST_SCRATCH_URL");
    g_server = pg::ScratchServer::open(url ? url : "", pg::ClusterOptions{});
  });
  return *g_server;
}

std::string pg_dump_text(const std::string& conninfo, const std::string& arguments) {
  const std::string bindir = test_server().client_bindir();
  if (bindir.empty()) return "";
  std::string output;
  const int status =
      run_command(bindir + "/pg_dump " + arguments + " --dbname=" + shell_quote(conninfo), &output);
  EXPECT_EQ(status, 0) << output;
  std::string kept;
  size_t at = 0;
  while (at < output.size()) {
    size_t end = output.find('\n', at);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(at, end - at);
    if (line.rfind("\\restrict ", 0) != 0 && line.rfind("\\unrestrict ", 0) != 0) kept += line + "\n";
    at = end + 1;
  }
  return kept;
}

void ServerTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  db_ = std::make_unique<pg::ScratchDatabase>(test_server(), sanitize(info->name()));
}

void ServerTest::TearDown() {
  extra_.clear();
  db_.reset();
}

std::string ServerTest::make_database(const std::string& purpose) {
  extra_.push_back(std::make_unique<pg::ScratchDatabase>(test_server(), sanitize(purpose)));
  return extra_.back()->conninfo();
}

void ServerTest::exec_on(const std::string& conninfo, const std::string& sql) {
  pg::Session session(conninfo, "schemakit-test");
  session.exec(sql);
}

std::optional<std::string> ServerTest::scalar_on(const std::string& conninfo, const std::string& sql) {
  pg::Session session(conninfo, "schemakit-test");
  auto rows = session.query(sql);
  if (rows.empty() || rows[0].empty()) return std::nullopt;
  return rows[0][0];
}

}  // namespace schemakit::testing
