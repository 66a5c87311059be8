// The embedded cluster and scratch databases: real server, real sockets.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "pg/cluster.hpp"
#include "pg/connection.hpp"
#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace schemakit;
using schemakit::testing::ServerTest;

TEST(EmbeddedCluster, StartsAsPostgresSuperuserOnASocketOnlyAndCleansUp) {
  std::string directory;
  {
    auto cluster = pg::EmbeddedCluster::start({});
    directory = cluster->directory();
    ASSERT_TRUE(fs::exists(directory));
    pg::Session s(cluster->conninfo(), "test");
    auto rows = s.query(
        "SELECT current_user, current_setting('listen_addresses'), current_setting('fsync'), "
        "current_setting('synchronous_commit'), current_setting('full_page_writes'), "
        "pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(*rows[0][0], "postgres");
    EXPECT_EQ(*rows[0][1], "");
    EXPECT_EQ(*rows[0][2], "off");
    EXPECT_EQ(*rows[0][3], "off");
    EXPECT_EQ(*rows[0][4], "off");
    EXPECT_EQ(*rows[0][5], "UTF8");
    EXPECT_LT(cluster->startup_seconds(), 10.0);
  }
  EXPECT_FALSE(fs::exists(directory)) << directory << " was left behind";
}

TEST(EmbeddedCluster, StopIsIdempotentAndRemovesTheDirectory) {
  auto cluster = pg::EmbeddedCluster::start({});
  std::string directory = cluster->directory();
  cluster->stop();
  cluster->stop();
  EXPECT_FALSE(fs::exists(directory));
}

TEST(EmbeddedCluster, MissingBinariesNameThePackage) {
  try {
    pg::find_server_bindir("/nonexistent/bin");
    FAIL() << "expected an error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("postgresql-15"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/nonexistent/bin"), std::string::npos) << e.what();
  }
}

TEST(EmbeddedCluster, KilledOwnerLeavesNoPostmasterAndTheNextRunRemovesItsDirectory) {
  // A child process starts a cluster and is killed with SIGKILL: no destructor runs.
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  pid_t child = fork();
  if (child == 0) {
    close(pipefd[0]);
    auto cluster = pg::EmbeddedCluster::start({});
    std::string dir = cluster->directory() + "\n";
    (void)!write(pipefd[1], dir.data(), dir.size());
    pause();
    _exit(0);
  }
  close(pipefd[1]);
  char buffer[512] = {0};
  ssize_t n = read(pipefd[0], buffer, sizeof buffer - 1);
  close(pipefd[0]);
  ASSERT_GT(n, 0);
  std::string directory(buffer, static_cast<size_t>(n - 1));
  ASSERT_TRUE(fs::exists(directory + "/data/postmaster.pid"));
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  // The postmaster got SIGQUIT from PR_SET_PDEATHSIG; the next start removes the leftovers.
  auto next = pg::EmbeddedCluster::start({});
  EXPECT_FALSE(fs::exists(directory)) << directory << " survived the next start";
}

TEST(EmbeddedCluster, SigtermStopsTheServerAndRemovesTheDirectory) {
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  pid_t child = fork();
  if (child == 0) {
    close(pipefd[0]);
    pg::install_cleanup_signal_handlers();
    auto cluster = pg::EmbeddedCluster::start({});
    std::string dir = cluster->directory() + "\n";
    (void)!write(pipefd[1], dir.data(), dir.size());
    pause();
    _exit(0);
  }
  close(pipefd[1]);
  char buffer[512] = {0};
  ssize_t n = read(pipefd[0], buffer, sizeof buffer - 1);
  close(pipefd[0]);
  ASSERT_GT(n, 0);
  std::string directory(buffer, static_cast<size_t>(n - 1));
  kill(child, SIGTERM);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  EXPECT_FALSE(fs::exists(directory)) << directory << " was left behind after SIGTERM";
}

class ScratchDatabaseTest : public ServerTest {};

TEST_F(ScratchDatabaseTest, EachTestGetsAnEmptyDatabaseOfItsOwn) {
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"), "0");
  exec("CREATE TABLE t (id int)");
  std::string other = make_database("other");
  EXPECT_EQ(scalar_on(other, "SELECT count(*) FROM pg_class WHERE relname = 't'"), "0");
}

TEST_F(ScratchDatabaseTest, ServerErrorsCarrySqlstateAndPosition) {
  pg::Session s(conninfo(), "test");
  try {
    s.exec("SELECT 1;\nSELECT * FROM missing_table");
    FAIL() << "expected an error";
  } catch (const pg::ExecError& e) {
    EXPECT_EQ(e.sqlstate(), "42P01");
    EXPECT_EQ(e.diagnostics().message, "relation \"missing_table\" does not exist");
    EXPECT_EQ(e.diagnostics().position, 25);
  }
}

TEST(Conninfo, PasswordsAreMasked) {
  std::string masked = pg::mask_password("host=db user=app password=s3cret dbname=x");
  EXPECT_EQ(masked.find("s3cret"), std::string::npos);
  EXPECT_NE(masked.find("password=********"), std::string::npos);
  std::string uri = pg::mask_password("postgresql://app:s3cret@db:5433/x");
  EXPECT_EQ(uri.find("s3cret"), std::string::npos);
}

TEST(Conninfo, BareNameIsADatabaseAndLegacyVariablesFillTheGaps) {
  unsetenv("PGHOST");
  setenv("DB_HOST", "legacy-host", 1);
  std::string c = pg::resolve_conninfo("my db");
  EXPECT_NE(c.find("dbname='my db'"), std::string::npos) << c;
  EXPECT_NE(c.find("host='legacy-host'"), std::string::npos) << c;
  setenv("PGHOST", "pg-host", 1);
  EXPECT_EQ(pg::resolve_conninfo("mydb").find("legacy-host"), std::string::npos);
  unsetenv("PGHOST");
  unsetenv("DB_HOST");
}
