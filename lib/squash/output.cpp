#include "squash/output.hpp"

#include <stdlib.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fmt/core.h>
#include <fstream>

#include "common/error.hpp"
#include "pg/cluster.hpp"

namespace fs = std::filesystem;

namespace schemakit::squash {
namespace {

fs::path nearest_existing_directory(const fs::path& path) {
  fs::path candidate = path.parent_path();
  while (!candidate.empty()) {
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) return candidate;
    candidate = candidate.parent_path();
  }
  return ".";
}

}  // namespace

StagedOutput::StagedOutput(fs::path out_dir) : out_dir_(std::move(out_dir)) {
  if (out_dir_.empty()) throw UsageError("--output: an output directory is required");
  // "out/" names the directory "out": drop the empty last element.
  if (!out_dir_.has_filename()) out_dir_ = out_dir_.parent_path();
  std::error_code ec;
  fs::file_status status = fs::status(out_dir_, ec);
  if (fs::exists(status) && !fs::is_directory(status)) {
    throw UsageError(fmt::format("--output {}: exists and is not a directory", out_dir_.string()));
  }
  fs::path parent = nearest_existing_directory(fs::absolute(out_dir_));
  std::string pattern =
      (parent / fmt::format(".{}.squash-XXXXXX", out_dir_.filename().string())).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    throw IoError(fmt::format("cannot create a staging directory in {}: {}", parent.string(),
                              std::strerror(errno)));
  }
  staging_ = buffer.data();
  // Ctrl-C (or SIGTERM) skips every destructor: the signal handler removes it then.
  cleanup_slot_ = pg::register_cleanup_directory(fs::absolute(staging_).string());
  // mkdtemp makes it private (0700); when it becomes OUT_DIR it should look like any directory.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(staging_.c_str(), 0777 & ~mask);
}

StagedOutput::~StagedOutput() {
  pg::unregister_cleanup_directory(cleanup_slot_);
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void StagedOutput::write(const std::string& name, const std::string& content) {
  const fs::path file = staging_ / name;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  if (!out) throw IoError(fmt::format("cannot write {}: {}", file.string(), std::strerror(errno)));
  names_.push_back(name);
}

void StagedOutput::commit() {
  std::error_code ec;
  if (!fs::exists(out_dir_, ec)) {
    if (out_dir_.has_parent_path()) {
      fs::create_directories(out_dir_.parent_path(), ec);
      if (ec) {
        throw IoError(fmt::format("cannot create {}: {}", out_dir_.parent_path().string(), ec.message()));
      }
    }
    fs::rename(staging_, out_dir_, ec);
    if (ec) {
      throw IoError(fmt::format("cannot move {} to {}: {}", staging_.string(), out_dir_.string(),
                                ec.message()));
    }
    // Only now: until the rename the staging directory is still ours to remove, and after it
    // its old name names nothing.
    pg::unregister_cleanup_directory(cleanup_slot_);
    cleanup_slot_ = -1;
    committed_ = true;
    return;
  }
  for (const auto& name : names_) {
    fs::rename(staging_ / name, out_dir_ / name, ec);
    if (ec) {
      throw IoError(fmt::format("cannot move {} into {}: {}", name, out_dir_.string(), ec.message()));
    }
  }
  fs::remove_all(staging_, ec);
  committed_ = true;
}

}  // namespace schemakit::squash
