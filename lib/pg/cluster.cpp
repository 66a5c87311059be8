#include "pg/cluster.hpp"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "pg/connection.hpp"

namespace fs = std::filesystem;

namespace schemakit::pg {
namespace {

constexpr const char* kDirPrefix = "schemakit-pg-";
constexpr const char* kServerPackage = "postgresql-15";

// --- the table the signal handler walks (async-signal-safe: fixed size, plain data) ---------
struct LiveCluster {
  std::atomic<pid_t> postmaster{-1};
  char directory[256] = {0};
};
std::array<LiveCluster, 16> g_live;

// Directories (not clusters) removed the same way: squash's staging directory beside OUT_DIR.
struct LiveDirectory {
  std::atomic<bool> armed{false};
  char path[4096] = {0};
};
std::array<LiveDirectory, 8> g_directories;

void remove_tree_async_safe(const char* directory) {
  pid_t child = fork();
  if (child == 0) {
    execl("/bin/rm", "rm", "-rf", "--", directory, static_cast<char*>(nullptr));
    _exit(127);
  }
  if (child > 0) {
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

void stop_postmaster(pid_t pid) {
  // Immediate shutdown: the data is thrown away, so there is nothing to flush.
  if (kill(pid, SIGQUIT) != 0) return;
  for (int i = 0; i < 500; ++i) {  // up to 5 s
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return;
    usleep(10000);
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

extern "C" void on_fatal_signal(int sig) {
  for (auto& live : g_live) {
    pid_t pid = live.postmaster.exchange(-1);
    if (pid > 0) {
      kill(pid, SIGQUIT);
      int status = 0;
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      remove_tree_async_safe(live.directory);
    }
  }
  for (auto& directory : g_directories) {
    if (directory.armed.exchange(false)) remove_tree_async_safe(directory.path);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

int register_live(pid_t pid, const std::string& directory) {
  for (size_t i = 0; i < g_live.size(); ++i) {
    pid_t expected = -1;
    if (g_live[i].postmaster.load() == -1) {
      std::snprintf(g_live[i].directory, sizeof g_live[i].directory, "%s", directory.c_str());
      if (g_live[i].postmaster.compare_exchange_strong(expected, pid)) return static_cast<int>(i);
    }
  }
  return -1;
}

// --- who runs the server ------------------------------------------------------------------
struct RunAs {
  bool drop = false;  // true when we are root and must switch user
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
};

RunAs server_user() {
  RunAs who;
  if (geteuid() != 0) return who;
  // initdb and postgres refuse to run as root: use the postgres system user, else make one.
  for (const char* name : {"postgres", "schemakit"}) {
    if (passwd* pw = getpwnam(name)) {
      who.drop = true;
      who.uid = pw->pw_uid;
      who.gid = pw->pw_gid;
      who.name = name;
      return who;
    }
  }
  int rc = std::system("useradd --system --no-create-home --shell /usr/sbin/nologin schemakit >/dev/null 2>&1");
  passwd* pw = getpwnam("schemakit");
  if (rc != 0 || pw == nullptr) {
    throw IoError("running as root, and no unprivileged user to run PostgreSQL as: neither "
                  "'postgres' exists nor could 'schemakit' be created with useradd");
  }
  who.drop = true;
  who.uid = pw->pw_uid;
  who.gid = pw->pw_gid;
  who.name = "schemakit";
  return who;
}

// Forks and execs `argv` as `who`, stdout and stderr to `log_path`. With `die_with_parent` the
// child gets SIGQUIT if we die, so a killed tool does not leave a postmaster behind.
pid_t spawn(const std::vector<std::string>& argv, const RunAs& who, const std::string& log_path,
            bool die_with_parent) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) throw IoError(fmt::format("cannot start {}: fork: {}", argv[0], std::strerror(errno)));
  if (child == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    setsid();  // a Ctrl-C at the terminal reaches us, and we stop the server ourselves
    if (who.drop) {
      if (setgroups(0, nullptr) != 0 || setgid(who.gid) != 0 || setuid(who.uid) != 0) _exit(126);
    }
    // After the credential change, which clears it.
    if (die_with_parent) {
      prctl(PR_SET_PDEATHSIG, SIGQUIT);
      if (getppid() != parent) _exit(125);
    }
    execv(args[0], args.data());
    _exit(127);
  }
  return child;
}

std::string read_tail(const std::string& path, size_t max_lines = 8) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  size_t start = lines.size() > max_lines ? lines.size() - max_lines : 0;
  std::string out;
  for (size_t i = start; i < lines.size(); ++i) out += (out.empty() ? "" : " | ") + lines[i];
  return out.empty() ? "(no output)" : out;
}

int wait_exit_status(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool is_executable(const fs::path& p) { return ::access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p); }

bool has_server_binaries(const fs::path& dir) {
  return is_executable(dir / "initdb") && is_executable(dir / "postgres");
}

std::string command_output(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buffer[512];
    while (fgets(buffer, sizeof buffer, p)) out += buffer;
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string temp_root() {
  // The socket lives in this directory and Unix socket paths are short (107 bytes).
  const char* t = std::getenv("TMPDIR");
  if (t != nullptr && *t != '\0' && std::strlen(t) < 60 && fs::is_directory(t)) return t;
  return "/tmp";
}

bool process_alive(pid_t pid) { return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM); }

pid_t read_pid_file(const fs::path& p) {
  std::ifstream in(p);
  long pid = 0;
  if (!(in >> pid)) return -1;
  return static_cast<pid_t>(pid);
}

// A run killed with SIGKILL leaves its directory (its postmaster got SIGQUIT through
// PR_SET_PDEATHSIG). Remove such leftovers whose owner process is gone.
void remove_stale_clusters(const std::string& root) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(kDirPrefix, 0) != 0) continue;
    struct stat st {};
    if (::lstat(entry.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    if (st.st_uid != geteuid() && geteuid() != 0) continue;
    pid_t owner = read_pid_file(entry.path() / "owner.pid");
    if (owner <= 0 || process_alive(owner)) continue;
    pid_t postmaster = read_pid_file(entry.path() / "data" / "postmaster.pid");
    if (process_alive(postmaster)) {
      kill(postmaster, SIGQUIT);
      for (int i = 0; i < 200 && process_alive(postmaster); ++i) usleep(10000);
    }
    fs::remove_all(entry.path(), ec);
  }
}

}  // namespace

std::string find_server_bindir(const std::string& explicit_bindir) {
  auto checked = [](const std::string& dir, const std::string& source) {
    if (!has_server_binaries(dir)) {
      throw IoError(fmt::format("{} {}: no initdb and postgres there (install the {} package)",
                                source, dir, kServerPackage));
    }
    return dir;
  };
  if (!explicit_bindir.empty()) return checked(explicit_bindir, "--pg-bindir");
  if (const char* env = std::getenv("SCHEMAKIT_PG_BINDIR"); env && *env) {
    return checked(env, "SCHEMAKIT_PG_BINDIR");
  }
  std::string from_pg_config = command_output("pg_config --bindir 2>/dev/null");
  if (!from_pg_config.empty() && has_server_binaries(from_pg_config)) return from_pg_config;
  std::vector<std::pair<int, fs::path>> versions;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    std::string v = entry.path().filename().string();
    if (!v.empty() && std::all_of(v.begin(), v.end(), ::isdigit) && has_server_binaries(entry.path() / "bin")) {
      versions.emplace_back(std::stoi(v), entry.path() / "bin");
    }
  }
  std::sort(versions.begin(), versions.end(), [](auto& a, auto& b) { return a.first > b.first; });
  if (!versions.empty()) return versions.front().second.string();
  if (const char* path = std::getenv("PATH")) {
    std::stringstream ss(path);
    for (std::string dir; std::getline(ss, dir, ':');) {
      if (!dir.empty() && has_server_binaries(dir)) return dir;
    }
  }
  throw IoError(fmt::format(
      "PostgreSQL server binaries (initdb, postgres) not found: install them with "
      "'apt-get install {}', or name their directory with --pg-bindir or SCHEMAKIT_PG_BINDIR",
      kServerPackage));
}

std::unique_ptr<EmbeddedCluster> EmbeddedCluster::start(const ClusterOptions& options) {
  auto started_at = std::chrono::steady_clock::now();
  std::unique_ptr<EmbeddedCluster> cluster(new EmbeddedCluster());
  cluster->bindir_ = find_server_bindir(options.bindir);
  RunAs who = server_user();

  std::string root = temp_root();
  remove_stale_clusters(root);
  std::string pattern = fmt::format("{}/{}XXXXXX", root, kDirPrefix);
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    throw IoError(fmt::format("cannot create a directory for the embedded PostgreSQL in {}: {}",
                              root, std::strerror(errno)));
  }
  cluster->directory_ = buffer.data();
  {
    std::ofstream owner(cluster->directory_ + "/owner.pid");
    owner << getpid() << '\n';
  }
  if (who.drop && chown(cluster->directory_.c_str(), who.uid, who.gid) != 0) {
    std::string why = std::strerror(errno);
    cluster->stop();
    throw IoError(fmt::format("cannot hand {} to user {}: {}", cluster->directory_, who.name, why));
  }
  const std::string data = cluster->directory_ + "/data";
  const std::string log = cluster->directory_ + "/server.log";
  {
    // Created before the switch of user so that we can read it afterwards.
    int fd = open(log.c_str(), O_WRONLY | O_CREAT, 0666);
    if (fd >= 0) {
      if (who.drop) (void)!fchown(fd, who.uid, who.gid);
      close(fd);
    }
  }

  pid_t initdb = spawn({cluster->bindir_ + "/initdb", "-D", data, "-U", "postgres", "-A", "trust",
                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"},
                       who, log, true);
  int rc = wait_exit_status(initdb);
  if (rc != 0) {
    std::string tail = read_tail(log);
    cluster->stop();
    throw IoError(fmt::format("embedded PostgreSQL: initdb failed (exit {}): {}", rc, tail));
  }

  pid_t postmaster = spawn({cluster->bindir_ + "/postgres", "-D", data, "-k", cluster->directory_,
                            "-c", "listen_addresses=", "-c", "port=5432",
                            "-c", "unix_socket_permissions=0700", "-c", "fsync=off",
                            "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                            "-c", "max_locks_per_transaction=1024", "-c", "max_connections=40",
                            "-c", "shared_buffers=128MB", "-c", "logging_collector=off",
                            "-c", "log_min_messages=fatal", "-c", "log_min_error_statement=panic",
                            "-c", "dynamic_shared_memory_type=posix"},
                           who, log, true);
  cluster->postmaster_ = postmaster;
  cluster->slot_ = register_live(postmaster, cluster->directory_);

  const std::string conninfo = cluster->conninfo("postgres");
  for (int attempt = 0;; ++attempt) {
    if (PQping(conninfo.c_str()) == PQPING_OK) break;
    int status = 0;
    if (waitpid(postmaster, &status, WNOHANG) == postmaster) {
      cluster->postmaster_ = -1;
      std::string tail = read_tail(log);
      cluster->stop();
      throw IoError(fmt::format("embedded PostgreSQL did not start: {}", tail));
    }
    if (attempt > 3000) {  // 30 s
      std::string tail = read_tail(log);
      cluster->stop();
      throw IoError(fmt::format("embedded PostgreSQL did not accept connections within 30 s: {}", tail));
    }
    usleep(10000);
  }
  cluster->startup_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
  if (options.verbose) {
    fmt::print(stderr, "embedded PostgreSQL ({}) ready in {:.2f} s at {}\n", cluster->bindir_,
               cluster->startup_seconds_, cluster->directory_);
  }
  return cluster;
}

EmbeddedCluster::~EmbeddedCluster() { stop(); }

void EmbeddedCluster::stop() noexcept {
  pid_t pid = postmaster_;
  if (slot_ >= 0) {
    pid = g_live[slot_].postmaster.exchange(-1);
    slot_ = -1;
  }
  postmaster_ = -1;
  if (pid > 0) stop_postmaster(pid);
  if (!directory_.empty()) {
    std::error_code ec;
    fs::remove_all(directory_, ec);
    directory_.clear();
  }
}

std::string EmbeddedCluster::conninfo(std::string_view dbname) const {
  return fmt::format("host={} port=5432 user=postgres dbname={}", quote_conninfo_value(directory_),
                     quote_conninfo_value(dbname));
}

std::unique_ptr<ScratchServer> ScratchServer::open(const std::string& scratch_url,
                                                   const ClusterOptions& options) {
  std::unique_ptr<ScratchServer> server(new ScratchServer());
  if (scratch_url.empty()) {
    server->cluster_ = EmbeddedCluster::start(options);
    server->admin_conninfo_ = server->cluster_->conninfo("postgres");
    server->client_bindir_ = server->cluster_->bindir();
  } else {
    server->admin_conninfo_ = resolve_conninfo(scratch_url);
    Session probe(server->admin_conninfo_, "schemakit");  // fail early, with the reason
    try {
      server->client_bindir_ = find_server_bindir(options.bindir);
    } catch (const IoError&) {
      server->client_bindir_.clear();  // pg_dump checks are then skipped, and said so
    }
  }
  return server;
}

ScratchServer::~ScratchServer() = default;

std::string ScratchServer::conninfo(std::string_view dbname) const {
  return with_dbname(admin_conninfo_, dbname);
}

std::string ScratchServer::create_database(std::string_view purpose) {
  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}() % 100000;
  std::string name = fmt::format("schemakit_{}_{}_{}_{}", purpose, getpid(), salt, counter++);
  Session admin(admin_conninfo_, "schemakit");
  admin.exec(fmt::format("CREATE DATABASE \"{}\" TEMPLATE template0 ENCODING 'UTF8'", name));
  return name;
}

void ScratchServer::drop_database(const std::string& name) {
  Session admin(admin_conninfo_, "schemakit");
  admin.exec(fmt::format("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", name));
}

ScratchDatabase::ScratchDatabase(ScratchServer& server, std::string_view purpose)
    : server_(server), name_(server.create_database(purpose)) {}

ScratchDatabase::~ScratchDatabase() {
  try {
    server_.drop_database(name_);
  } catch (...) {
    // The server may already be gone (embedded cluster stopped first); nothing to undo then.
  }
}

int register_cleanup_directory(const std::string& directory) {
  if (directory.size() >= sizeof g_directories[0].path) return -1;
  static std::mutex mutex;  // registrations from several threads; the handler only reads
  std::lock_guard<std::mutex> lock(mutex);
  for (size_t i = 0; i < g_directories.size(); ++i) {
    if (g_directories[i].armed.load()) continue;
    std::memcpy(g_directories[i].path, directory.c_str(), directory.size() + 1);
    g_directories[i].armed.store(true);
    return static_cast<int>(i);
  }
  return -1;
}

void unregister_cleanup_directory(int slot) noexcept {
  if (slot >= 0 && static_cast<size_t>(slot) < g_directories.size()) g_directories[slot].armed.store(false);
}

void install_cleanup_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_fatal_signal;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &action, nullptr);
}

}  // namespace schemakit::pg
