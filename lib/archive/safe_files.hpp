#pragma once
// File operations for moving history without losing it: every path below a root is resolved one
// component at a time with O_NOFOLLOW (a symlink can never take a write or a delete outside the
// folder it was meant for), writes are flushed before anything depends on them, and renames
// never replace an existing file.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace schemakit::archive {

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// A directory opened for *at() calls, with the path used in messages.
struct Dir {
  Fd fd;
  std::filesystem::path path;
  explicit operator bool() const { return static_cast<bool>(fd); }
};

// Opens a directory the user named (symlinks in it are the user's choice and are followed).
// Throws IoError when it is missing or not a directory.
Dir open_directory(const std::filesystem::path& path);

// Opens `relative` below `base` without following any symlink. With `create`, missing
// directories are made (and flushed) and their paths relative to base are appended to `created`.
// Throws InputError when a component is a symlink (the path would leave `base`) or not a
// directory; IoError on other failures; with !create, returns an empty Dir when a component is
// missing.
Dir open_beneath(const Dir& base, const std::filesystem::path& relative, bool create,
                 std::vector<std::filesystem::path>* created = nullptr);

enum class EntryKind { missing, file, directory, symlink, other };
struct EntryFacts {
  EntryKind kind = EntryKind::missing;
  std::uint64_t size = 0;
};
// lstat of one name inside a directory.
EntryFacts inspect(const Dir& dir, const std::string& name);

struct Content {
  std::string sha256;
  std::uint64_t size = 0;
};

// Hashes a regular file (never through a symlink).
Content hash_file(const Dir& dir, const std::string& name);

// Copies a regular file to a new name (which must not exist), keeping its mode and times, and
// returns the hash of the bytes written (the caller compares it with what it expects). Does not
// flush: call sync_filesystem after a batch.
Content copy_file(const Dir& from, const std::string& from_name, const Dir& to,
                  const std::string& to_name);

// fsync of one file or directory by name.
void sync_entry(const Dir& dir, const std::string& name);
void sync_directory(const Dir& dir);
// Flushes everything written to the filesystem holding `dir` (one syncfs instead of one fsync
// per file; a batch of 10,000 files costs one flush).
void sync_filesystem(const Dir& dir);
// Drops a file's clean cached pages so that the next read comes from the disk, not from memory.
void drop_cache(const Dir& dir, const std::string& name);

// Writes `content` to `name` atomically: temporary file, fsync, rename, fsync of the directory.
// `fault_step` names the fault point reached between the temporary write and the rename.
void atomic_write(const Dir& dir, const std::string& name, std::string_view content,
                  std::string_view fault_step);

// rename without replacing: throws IoError (errno EEXIST) when `to_name` exists.
void rename_no_replace(const Dir& from, const std::string& from_name, const Dir& to,
                       const std::string& to_name);
// True when `to_name` already existed (nothing renamed then).
bool try_rename_no_replace(const Dir& from, const std::string& from_name, const Dir& to,
                           const std::string& to_name);

// Removes a file (not a directory). Missing is fine (returns false).
bool remove_file(const Dir& dir, const std::string& name);
// Removes an empty directory; returns false when it is missing or not empty.
bool remove_empty_directory(const Dir& dir, const std::string& name);
// Removes a whole tree without following symlinks in it.
void remove_tree(const Dir& dir, const std::string& name);

// The names in one directory (not . and ..), sorted, with their kinds (lstat).
std::vector<std::pair<std::string, EntryKind>> list_directory(const Dir& dir);

struct TreeEntry {
  std::filesystem::path path;  // relative to the walked directory
  EntryKind kind = EntryKind::file;
};
// Every entry below `dir` (recursively, symlinks reported and never followed), sorted by path.
std::vector<TreeEntry> walk_tree(const Dir& dir);

// Reads a small whole file (a manifest, a journal, a report).
std::string read_small_file(const Dir& dir, const std::string& name);

}  // namespace schemakit::archive
