#pragma once
// The scratch server every tool and test replays into: either a throwaway PostgreSQL cluster we
// start ourselves (Unix socket only, fsync off, removed afterwards whatever happens), or an
// existing server given with --scratch-url, where we only create and drop databases.
#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>

namespace schemakit::pg {

struct ClusterOptions {
  std::string bindir;  // --pg-bindir; empty: SCHEMAKIT_PG_BINDIR, pg_config, /usr/lib/postgresql
  bool verbose = false;
};

// Finds the directory that holds initdb and postgres (see docs/usage.md for the search order).
// Throws IoError naming the Debian package when none is found.
std::string find_server_bindir(const std::string& explicit_bindir);

class EmbeddedCluster {
 public:
  static std::unique_ptr<EmbeddedCluster> start(const ClusterOptions& options);
  ~EmbeddedCluster();
  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

  // Stops the server and removes every file it had. Idempotent; never throws.
  void stop() noexcept;

  std::string conninfo(std::string_view dbname = "postgres") const;
  const std::string& bindir() const { return bindir_; }
  const std::string& directory() const { return directory_; }
  double startup_seconds() const { return startup_seconds_; }

 private:
  EmbeddedCluster() = default;
  std::string bindir_;
  std::string directory_;  // holds data/ and the socket; removed on stop
  pid_t postmaster_ = -1;
  int slot_ = -1;  // index in the signal handler's table
  double startup_seconds_ = 0;
};

// Either an embedded cluster or an existing server; hands out uniquely named scratch databases.
class ScratchServer {
 public:
  // Empty `scratch_url`: start an embedded cluster.
  static std::unique_ptr<ScratchServer> open(const std::string& scratch_url,
                                             const ClusterOptions& options);
  ~ScratchServer();

  // A conninfo for `dbname` on this server.
  std::string conninfo(std::string_view dbname) const;
  // The maintenance database we connect to for CREATE/DROP DATABASE.
  std::string admin_conninfo() const { return admin_conninfo_; }
  // Creates an empty UTF8 database from template0, with a unique name that starts with
  // "schemakit_<purpose>"; returns its name.
  std::string create_database(std::string_view purpose);
  void drop_database(const std::string& name);
  // Server binaries (pg_dump, psql) matching this machine; empty when none is installed.
  std::string client_bindir() const { return client_bindir_; }
  bool embedded() const { return cluster_ != nullptr; }

 private:
  ScratchServer() = default;
  std::unique_ptr<EmbeddedCluster> cluster_;
  std::string admin_conninfo_;
  std::string client_bindir_;
};

// A scratch database that is dropped when it goes out of scope.
class ScratchDatabase {
 public:
  ScratchDatabase(ScratchServer& server, std::string_view purpose);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  const std::string& name() const { return name_; }
  std::string conninfo() const { return server_.conninfo(name_); }

 private:
  ScratchServer& server_;
  std::string name_;
};

// SIGINT / SIGTERM / SIGHUP stop every embedded cluster and remove its files, remove every
// directory registered below, then end the process with the same signal. Called by the front
// ends and the test harness.
void install_cleanup_signal_handlers();

// A directory the signal handler above removes (rm -rf) should such a signal arrive before
// unregister_cleanup_directory: work in progress that must not outlive an interrupted run
// (squash's staging directory beside OUT_DIR). Returns the slot to unregister with; -1 when the
// table (8 entries) is full or the path is longer than 4095 bytes, and then nothing is removed.
int register_cleanup_directory(const std::string& directory);
void unregister_cleanup_directory(int slot) noexcept;

}  // namespace schemakit::pg
