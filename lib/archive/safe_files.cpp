#include "archive/safe_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/core.h>

#include "archive/fault.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"

namespace fs = std::filesystem;

namespace schemakit::archive {
namespace {

constexpr std::size_t kBufferSize = 1 << 17;

[[noreturn]] void throw_io(const fs::path& path, const char* action, int error) {
  throw IoError(fmt::format("{}: cannot {}: {}", path.string(), action, std::strerror(error)));
}

fs::path child(const Dir& dir, const std::string& name) { return dir.path / name; }

EntryKind kind_of(mode_t mode) {
  if (S_ISREG(mode)) return EntryKind::file;
  if (S_ISDIR(mode)) return EntryKind::directory;
  if (S_ISLNK(mode)) return EntryKind::symlink;
  return EntryKind::other;
}

Fd open_regular_file(const Dir& dir, const std::string& name, struct stat* facts) {
  int fd = ::openat(dir.fd.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP)
      throw InputError(fmt::format("{} is a symlink; refusing to follow it", child(dir, name).string()));
    throw_io(child(dir, name), "open", errno);
  }
  Fd owned(fd);
  if (::fstat(fd, facts) != 0) throw_io(child(dir, name), "stat", errno);
  if (!S_ISREG(facts->st_mode))
    throw InputError(fmt::format("{} is not a regular file", child(dir, name).string()));
  return owned;
}

// Reads up to size bytes, retrying on EINTR; 0 at end of file.
std::size_t read_some(int fd, char* buffer, std::size_t size, const fs::path& path) {
  for (;;) {
    ssize_t n = ::read(fd, buffer, size);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) throw_io(path, "read", errno);
  }
}

void write_all(int fd, const char* data, std::size_t size, const fs::path& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io(path, "write", errno);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

}  // namespace

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

Dir open_directory(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) throw IoError(fmt::format("{}: no such directory", path.string()));
    if (errno == ENOTDIR) throw IoError(fmt::format("{} is not a directory", path.string()));
    throw_io(path, "open", errno);
  }
  return Dir{Fd(fd), path};
}

Dir open_beneath(const Dir& base, const fs::path& relative, bool create,
                 std::vector<fs::path>* created) {
  int dup_fd = ::fcntl(base.fd.get(), F_DUPFD_CLOEXEC, 0);
  if (dup_fd < 0) throw_io(base.path, "duplicate descriptor of", errno);
  Dir current{Fd(dup_fd), base.path};
  fs::path walked;
  for (const fs::path& part : relative) {
    const std::string component = part.string();
    if (component.empty() || component == ".") continue;
    if (component == ".." || part.is_absolute())
      throw InputError(fmt::format("{}: path {} leaves the folder", base.path.string(), relative.string()));
    walked /= component;
    int fd = ::openat(current.fd.get(), component.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(current.fd.get(), component.c_str(), 0777) == 0) {
        if (created != nullptr) created->push_back(walked);
      } else if (errno != EEXIST) {
        throw_io(base.path / walked, "create directory", errno);
      }
      sync_directory(current);
      fd = ::openat(current.fd.get(), component.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
      int error = errno;
      if (error == ENOENT) return Dir{};
      struct stat facts {};
      if (::fstatat(current.fd.get(), component.c_str(), &facts, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISLNK(facts.st_mode))
          throw InputError(fmt::format("{} is a symlink: {} would leave {} through it; refusing",
                                       (base.path / walked).string(), relative.string(), base.path.string()));
        if (!S_ISDIR(facts.st_mode))
          throw InputError(fmt::format("{} exists and is not a directory", (base.path / walked).string()));
      }
      throw_io(base.path / walked, "open directory", error);
    }
    current = Dir{Fd(fd), base.path / walked};
  }
  return current;
}

EntryFacts inspect(const Dir& dir, const std::string& name) {
  struct stat facts {};
  if (::fstatat(dir.fd.get(), name.c_str(), &facts, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return {};
    throw_io(child(dir, name), "stat", errno);
  }
  return {kind_of(facts.st_mode), static_cast<std::uint64_t>(facts.st_size)};
}

Content hash_file(const Dir& dir, const std::string& name) {
  struct stat facts {};
  Fd fd = open_regular_file(dir, name, &facts);
  Sha256 hash;
  std::vector<char> buffer(kBufferSize);
  Content content;
  for (;;) {
    std::size_t n = read_some(fd.get(), buffer.data(), buffer.size(), child(dir, name));
    if (n == 0) break;
    hash.update(buffer.data(), n);
    content.size += n;
  }
  content.sha256 = hash.hex_digest();
  return content;
}

Content copy_file(const Dir& from, const std::string& from_name, const Dir& to, const std::string& to_name) {
  struct stat facts {};
  Fd source = open_regular_file(from, from_name, &facts);
  const fs::path target_path = child(to, to_name);
  int target_fd = ::openat(to.fd.get(), to_name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                           facts.st_mode & 07777);
  if (target_fd < 0) throw_io(target_path, "create", errno);
  Fd target(target_fd);
  try {
    Sha256 hash;
    std::vector<char> buffer(kBufferSize);
    Content content;
    for (;;) {
      std::size_t n = read_some(source.get(), buffer.data(), buffer.size(), child(from, from_name));
      if (n == 0) break;
      hash.update(buffer.data(), n);
      write_all(target.get(), buffer.data(), n, target_path);
      content.size += n;
    }
    // The umask may have narrowed the mode given to openat; times are kept so that tools which
    // look at mtimes see the history as it was.
    if (::fchmod(target.get(), facts.st_mode & 07777) != 0) throw_io(target_path, "set the mode of", errno);
    const struct timespec times[2] = {facts.st_atim, facts.st_mtim};
    if (::futimens(target.get(), times) != 0) throw_io(target_path, "set the times of", errno);
    if (::close(target.release()) != 0) throw_io(target_path, "close", errno);
    content.sha256 = hash.hex_digest();
    return content;
  } catch (...) {
    ::unlinkat(to.fd.get(), to_name.c_str(), 0);
    throw;
  }
}

void sync_entry(const Dir& dir, const std::string& name) {
  int fd = ::openat(dir.fd.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw_io(child(dir, name), "open", errno);
  Fd owned(fd);
  if (::fsync(fd) != 0) throw_io(child(dir, name), "flush", errno);
}

void sync_directory(const Dir& dir) {
  if (::fsync(dir.fd.get()) != 0) throw_io(dir.path, "flush", errno);
}

void sync_filesystem(const Dir& dir) {
  if (::syncfs(dir.fd.get()) != 0) throw_io(dir.path, "flush the filesystem of", errno);
}

void drop_cache(const Dir& dir, const std::string& name) {
  int fd = ::openat(dir.fd.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;  // the re-read that follows reports any problem with the file
  Fd owned(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
}

void atomic_write(const Dir& dir, const std::string& name, std::string_view content, std::string_view fault_step) {
  const std::string temporary = "." + name + ".tmp";
  const fs::path temporary_path = child(dir, temporary);
  if (::unlinkat(dir.fd.get(), temporary.c_str(), 0) != 0 && errno != ENOENT)
    throw_io(temporary_path, "remove", errno);
  int fd = ::openat(dir.fd.get(), temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw_io(temporary_path, "create", errno);
  {
    Fd owned(fd);
    try {
      write_all(fd, content.data(), content.size(), temporary_path);
      if (::fsync(fd) != 0) throw_io(temporary_path, "flush", errno);
    } catch (...) {
      ::unlinkat(dir.fd.get(), temporary.c_str(), 0);
      throw;
    }
  }
  try {
    fault_point(fault_step);
    if (::renameat(dir.fd.get(), temporary.c_str(), dir.fd.get(), name.c_str()) != 0)
      throw_io(child(dir, name), "rename into place", errno);
  } catch (...) {
    ::unlinkat(dir.fd.get(), temporary.c_str(), 0);
    throw;
  }
  sync_directory(dir);
}

bool try_rename_no_replace(const Dir& from, const std::string& from_name, const Dir& to, const std::string& to_name) {
  if (::renameat2(from.fd.get(), from_name.c_str(), to.fd.get(), to_name.c_str(), RENAME_NOREPLACE) == 0)
    return false;
  if (errno == EEXIST) return true;
  if (errno != EINVAL && errno != ENOSYS) throw_io(child(to, to_name), "rename into place", errno);
  // Filesystems without RENAME_NOREPLACE: a hard link refuses to replace too (files only);
  // directories are renamed under the archive folder's lock after an existence check.
  if (inspect(to, to_name).kind != EntryKind::missing) return true;
  if (inspect(from, from_name).kind == EntryKind::directory) {
    if (::renameat(from.fd.get(), from_name.c_str(), to.fd.get(), to_name.c_str()) != 0)
      throw_io(child(to, to_name), "rename into place", errno);
    return false;
  }
  if (::linkat(from.fd.get(), from_name.c_str(), to.fd.get(), to_name.c_str(), 0) != 0) {
    if (errno == EEXIST) return true;
    throw_io(child(to, to_name), "link into place", errno);
  }
  if (::unlinkat(from.fd.get(), from_name.c_str(), 0) != 0) throw_io(child(from, from_name), "remove", errno);
  return false;
}

void rename_no_replace(const Dir& from, const std::string& from_name, const Dir& to, const std::string& to_name) {
  if (try_rename_no_replace(from, from_name, to, to_name))
    throw_io(child(to, to_name), "rename into place", EEXIST);
}

bool remove_file(const Dir& dir, const std::string& name) {
  if (::unlinkat(dir.fd.get(), name.c_str(), 0) == 0) return true;
  if (errno == ENOENT) return false;
  throw_io(child(dir, name), "remove", errno);
}

bool remove_empty_directory(const Dir& dir, const std::string& name) {
  if (::unlinkat(dir.fd.get(), name.c_str(), AT_REMOVEDIR) == 0) return true;
  if (errno == ENOENT || errno == ENOTEMPTY || errno == EEXIST) return false;
  throw_io(child(dir, name), "remove directory", errno);
}

std::vector<std::pair<std::string, EntryKind>> list_directory(const Dir& dir) {
  int fd = ::fcntl(dir.fd.get(), F_DUPFD_CLOEXEC, 0);
  if (fd < 0) throw_io(dir.path, "duplicate descriptor of", errno);
  DIR* stream = ::fdopendir(fd);
  if (stream == nullptr) {
    int error = errno;
    ::close(fd);
    throw_io(dir.path, "list", error);
  }
  ::rewinddir(stream);
  std::vector<std::pair<std::string, EntryKind>> entries;
  errno = 0;
  while (struct dirent* entry = ::readdir(stream)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    entries.emplace_back(name, inspect(dir, name).kind);
    errno = 0;
  }
  int error = errno;
  ::closedir(stream);
  if (error != 0) throw_io(dir.path, "list", error);
  std::sort(entries.begin(), entries.end());
  return entries;
}

namespace {

void walk_into(const Dir& dir, const fs::path& prefix, std::vector<TreeEntry>& out) {
  for (const auto& [name, kind] : list_directory(dir)) {
    out.push_back({prefix / name, kind});
    if (kind == EntryKind::directory) walk_into(open_beneath(dir, name, false), prefix / name, out);
  }
}

}  // namespace

void remove_tree(const Dir& dir, const std::string& name) {
  EntryFacts facts = inspect(dir, name);
  if (facts.kind == EntryKind::missing) return;
  if (facts.kind != EntryKind::directory) {
    remove_file(dir, name);
    return;
  }
  Dir inner = open_beneath(dir, name, false);
  for (const auto& [entry, kind] : list_directory(inner)) {
    if (kind == EntryKind::directory)
      remove_tree(inner, entry);
    else
      remove_file(inner, entry);
  }
  if (::unlinkat(dir.fd.get(), name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
    throw_io(child(dir, name), "remove directory", errno);
}

std::vector<TreeEntry> walk_tree(const Dir& dir) {
  std::vector<TreeEntry> entries;
  walk_into(dir, fs::path(), entries);
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.path.generic_string() < b.path.generic_string(); });
  return entries;
}

std::string read_small_file(const Dir& dir, const std::string& name) {
  struct stat facts {};
  Fd fd = open_regular_file(dir, name, &facts);
  std::string content;
  std::vector<char> buffer(kBufferSize);
  for (;;) {
    std::size_t n = read_some(fd.get(), buffer.data(), buffer.size(), child(dir, name));
    if (n == 0) break;
    content.append(buffer.data(), n);
  }
  return content;
}

}  // namespace schemakit::archive
