#pragma once
// The manifest of an archive set (<archive dir>/<set>/manifest.json): where the files came from
// and, for every file, its original relative path, size, SHA-256, version and name. A chained
// digest over the header and the ordered entries makes any edit or reordering visible.
// docs/archive.md documents the format.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schemakit::archive {

inline constexpr const char* kManifestFormat = "schemakit-archive-manifest";
inline constexpr int kManifestFormatVersion = 1;
inline constexpr const char* kManifestName = "manifest.json";

struct ManifestEntry {
  std::string path;  // relative to the migrations folder, '/'-separated
  std::uint64_t size = 0;
  std::string sha256;
  std::string version;
  std::string name;
};

struct SquashOrigin {
  std::string report;       // the squash.json used, relative to the archive folder's parent
  std::string fingerprint;  // its "fingerprint"
  // Covered files whose content differed from the squash report and were archived with --force.
  std::vector<std::string> changed_since_squash;
};

struct Manifest {
  std::string tool_version;
  std::string created_at;  // UTC, RFC 3339 ("2024-05-01T12:00:00Z")
  std::string source;      // the migrations folder, relative to the archive folder's parent
  std::string layout;      // as lib/migrations names it ("golang-migrate", ...)
  std::string first_version;
  std::string last_version;
  std::size_t migration_count = 0;
  std::vector<ManifestEntry> files;  // in the runner's order
  std::optional<SquashOrigin> squash;
  std::optional<std::string> git_commit;
  std::string chain_sha256;  // as stored; compute_chain() gives what it should be
};

// The chained digest: link 0 hashes the header (source, layout, version range, count); link i
// hashes link i-1 and entry i. Reordering, adding, removing or editing an entry changes it.
std::string compute_chain(const Manifest& manifest);

// The manifest as written to disk (chain_sha256 recomputed), ending in a newline.
std::string render_manifest(const Manifest& manifest);

// Parses and checks a manifest. Throws InputError, naming `where`, when it does not parse, a
// field is missing or malformed, an entry path is absolute, contains `..`, `.` or an empty
// component, collides with manifest.json, or appears twice (or as both a file and a folder).
// Does not check the chain: compare compute_chain() with chain_sha256.
Manifest parse_manifest(std::string_view text, const std::string& where);

// Throws InputError when `path` is not a safe relative path for an archive entry.
void check_entry_path(const std::string& path, const std::string& where);

// Throws InputError when a set name is empty, has a path separator, starts with a dot (names
// starting with a dot are the tool's own bookkeeping) or contains control characters.
void check_set_name(const std::string& name);

// "2024-05-01T12:00:00Z" for now, or for SOURCE_DATE_EPOCH when set (reproducible outputs).
std::string utc_timestamp();

// `git -C dir rev-parse HEAD`, or nothing when dir is not in a git work tree or git is missing.
std::optional<std::string> git_head_commit(const std::filesystem::path& dir);

}  // namespace schemakit::archive
