#include "archive/manifest.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fmt/core.h>
#include <map>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/sha256.hpp"

extern char** environ;

namespace schemakit::archive {
namespace {

using nlohmann::json;

bool is_sha256_hex(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Typed access with messages that name the field.
class Reader {
 public:
  Reader(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

  const json& field(const char* key) const {
    if (!object_.is_object()) fail("", "must be a JSON object");
    auto it = object_.find(key);
    if (it == object_.end()) fail(key, "is missing");
    return *it;
  }
  std::string string(const char* key) const {
    const json& value = field(key);
    if (!value.is_string()) fail(key, "must be a string");
    return value.get<std::string>();
  }
  std::optional<std::string> optional_string(const char* key) const {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) fail(key, "must be a string or null");
    return it->get<std::string>();
  }
  std::uint64_t unsigned_number(const char* key) const {
    const json& value = field(key);
    if (!value.is_number_unsigned()) fail(key, "must be a non-negative integer");
    return value.get<std::uint64_t>();
  }
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw InputError(fmt::format("{}: {}{}", where_, key.empty() ? "" : "field \"" + key + "\" ", problem));
  }
  const std::string& where() const { return where_; }

 private:
  const json& object_;
  std::string where_;
};

}  // namespace

std::string compute_chain(const Manifest& manifest) {
  json header = json::array({manifest.source, manifest.layout, manifest.first_version, manifest.last_version,
                             manifest.migration_count});
  std::string link = sha256_hex("schemakit-archive-chain/1\n" + header.dump());
  for (const ManifestEntry& entry : manifest.files) {
    json fields = json::array({entry.path, entry.size, entry.sha256, entry.version, entry.name});
    link = sha256_hex(link + "\n" + fields.dump());
  }
  return link;
}

std::string render_manifest(const Manifest& manifest) {
  json files = json::array();
  for (const ManifestEntry& entry : manifest.files) {
    json item = json::object();
    item["path"] = entry.path;
    item["size"] = entry.size;
    item["sha256"] = entry.sha256;
    item["version"] = entry.version;
    item["name"] = entry.name;
    files.push_back(std::move(item));
  }
  json document = json::object();
  document["format"] = kManifestFormat;
  document["format_version"] = kManifestFormatVersion;
  document["tool"] = "archive (schemakit)";
  document["tool_version"] = manifest.tool_version;
  document["created_at"] = manifest.created_at;
  document["source"] = manifest.source;
  document["layout"] = manifest.layout;
  document["versions"] = {{"first", manifest.first_version},
                          {"last", manifest.last_version},
                          {"migrations", manifest.migration_count}};
  document["files"] = std::move(files);
  if (manifest.squash) {
    document["squash"] = {{"report", manifest.squash->report},
                          {"fingerprint", manifest.squash->fingerprint},
                          {"changed_since_squash", manifest.squash->changed_since_squash}};
  } else {
    document["squash"] = nullptr;
  }
  document["git_commit"] = manifest.git_commit ? json(*manifest.git_commit) : json(nullptr);
  document["chain_sha256"] = compute_chain(manifest);
  // nlohmann::json keeps keys sorted, so the text is deterministic.
  return document.dump(2) + "\n";
}

void check_entry_path(const std::string& path, const std::string& where) {
  auto refuse = [&](const std::string& why) {
    throw InputError(fmt::format("{}: unsafe path \"{}\": {}; refusing", where, path, why));
  };
  if (path.empty()) refuse("it is empty");
  if (path.find('\0') != std::string::npos) refuse("it contains a NUL byte");
  if (path.front() == '/') refuse("it is absolute");
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string component = path.substr(start, end - start);
    if (component == "..") refuse("it contains \"..\"");
    if (component == ".") refuse("it contains \".\"");
    if (component.empty()) refuse("it contains an empty component");
    start = end + 1;
  }
  if (path == kManifestName) refuse("it would collide with the set's own manifest.json");
}

void check_set_name(const std::string& name) {
  if (name.empty()) throw UsageError("the set name is empty");
  if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos)
    throw InputError(fmt::format("set name \"{}\" contains a path separator; refusing", name));
  if (name.front() == '.')
    throw InputError(fmt::format("set name \"{}\" starts with a dot (reserved for the tool's own files); refusing",
                                 name));
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f)
      throw InputError(fmt::format("set name \"{}\" contains a control character; refusing", name));
}

Manifest parse_manifest(std::string_view text, const std::string& where) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(fmt::format("{}: does not parse as JSON: {}", where, e.what()));
  }
  Reader top(document, where);
  if (top.string("format") != kManifestFormat)
    top.fail("format", fmt::format("must be \"{}\"", kManifestFormat));
  if (!top.field("format_version").is_number_integer() ||
      top.field("format_version").get<long long>() != kManifestFormatVersion)
    top.fail("format_version", fmt::format("must be {} (written by another version of the tool?)",
                                           kManifestFormatVersion));
  Manifest manifest;
  manifest.tool_version = top.string("tool_version");
  manifest.created_at = top.string("created_at");
  manifest.source = top.string("source");
  if (manifest.source.empty() || manifest.source.front() == '/')
    top.fail("source", "must be a path relative to the archive folder's parent");
  manifest.layout = top.string("layout");
  Reader versions(top.field("versions"), where + ": versions");
  manifest.first_version = versions.string("first");
  manifest.last_version = versions.string("last");
  manifest.migration_count = versions.unsigned_number("migrations");

  const json& files = top.field("files");
  if (!files.is_array()) top.fail("files", "must be an array");
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < files.size(); ++i) {
    Reader item(files[i], fmt::format("{}: files[{}]", where, i));
    ManifestEntry entry;
    entry.path = item.string("path");
    entry.size = item.unsigned_number("size");
    entry.sha256 = item.string("sha256");
    if (!is_sha256_hex(entry.sha256)) item.fail("sha256", "must be 64 lowercase hex digits");
    entry.version = item.string("version");
    entry.name = item.string("name");
    check_entry_path(entry.path, item.where());
    if (auto [it, inserted] = seen.emplace(entry.path, i); !inserted)
      throw InputError(fmt::format("{}: duplicate path \"{}\" (files[{}] and files[{}]); refusing", where,
                                   entry.path, it->second, i));
    manifest.files.push_back(std::move(entry));
  }
  // A path that is also the folder of another ("a" and "a/b") cannot be restored either.
  for (const auto& [path, index] : seen) {
    std::string prefix = path + "/";
    auto next = seen.lower_bound(prefix);
    if (next != seen.end() && next->first.compare(0, prefix.size(), prefix) == 0)
      throw InputError(fmt::format("{}: \"{}\" (files[{}]) is a file and also the folder of \"{}\" (files[{}]); refusing",
                                   where, path, index, next->first, next->second));
  }

  const json& squash = top.field("squash");
  if (!squash.is_null()) {
    Reader origin(squash, where + ": squash");
    SquashOrigin value;
    value.report = origin.string("report");
    value.fingerprint = origin.string("fingerprint");
    const json& changed = origin.field("changed_since_squash");
    if (!changed.is_array()) origin.fail("changed_since_squash", "must be an array");
    for (const json& path : changed) {
      if (!path.is_string()) origin.fail("changed_since_squash", "must hold strings");
      value.changed_since_squash.push_back(path.get<std::string>());
    }
    manifest.squash = std::move(value);
  }
  manifest.git_commit = top.optional_string("git_commit");
  manifest.chain_sha256 = top.string("chain_sha256");
  return manifest;
}

std::string utc_timestamp() {
  std::time_t seconds = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    char* end = nullptr;
    long long value = std::strtoll(epoch, &end, 10);
    if (end != nullptr && *end == '\0' && value >= 0) seconds = static_cast<std::time_t>(value);
  }
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::optional<std::string> git_head_commit(const std::filesystem::path& dir) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::string dir_text = dir.string();
  const char* argv[] = {"git", "-C", dir_text.c_str(), "rev-parse", "--verify", "--quiet", "HEAD", nullptr};
  pid_t pid = -1;
  int spawned = ::posix_spawnp(&pid, "git", &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string output;
  if (spawned == 0) {
    char buffer[256];
    ssize_t n;
    while ((n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
      if (n > 0) output.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  if (spawned != 0) return std::nullopt;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  while (!output.empty() && std::isspace(static_cast<unsigned char>(output.back()))) output.pop_back();
  if (output.size() != 40 && output.size() != 64) return std::nullopt;
  for (char c : output)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  return output;
}

}  // namespace schemakit::archive
