#pragma once
// The four things archive does with an archive folder: archive (move migrations into a new set),
// restore (move a set back), verify (re-hash sets against their manifests) and list. Every
// operation that changes something holds the folder's lock, first finishes or undoes whatever an
// earlier, interrupted run left in the journal, and never removes a file before its copy is on
// disk, re-read and checked (docs/archive.md, "Recovery").
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "archive/journal.hpp"
#include "archive/manifest.hpp"
#include "archive/selection.hpp"

namespace schemakit::archive {

inline constexpr const char* kDefaultArchiveDir = "archived_migrations";

// What a run found from an earlier, interrupted one, and what it did about it.
struct RecoveryNote {
  Operation operation = Operation::archive;
  std::string set;
  bool finished = false;  // true: completed; false: undone
  std::string detail;     // one sentence
  std::filesystem::path folder;  // the migrations folder (archive) or the target (restore)
  std::string summary() const;
};

// Finishes or undoes an interrupted archive/restore recorded in the folder's journal. Nothing
// when there is none (or the folder does not exist). Throws InputError (keeping the journal) when
// neither is possible without a person deciding, e.g. a complete set that no longer verifies.
std::vector<RecoveryNote> recover(const std::filesystem::path& archive_dir);

struct ArchiveRequest {
  std::filesystem::path archive_dir = kDefaultArchiveDir;
  std::string set_name;  // empty: "<first version>-<last version>"
  bool dry_run = false;
  bool force = false;
};

struct ArchiveOutcome {
  std::string set;
  std::filesystem::path set_dir;
  Manifest manifest;
  bool dry_run = false;
  std::uint64_t bytes = 0;
  std::vector<RecoveryNote> recovered;
  // Originals or folders left in place, with why (a file edited while it was being archived, a
  // migration folder that holds other files).
  std::vector<std::string> kept;
  std::vector<std::string> notes;  // e.g. with dry_run, an interrupted run that a real run repairs
};

// Moves the selected migrations into <archive dir>/<set>/ with a manifest. Refuses (InputError)
// when the selection needs --force and it was not given, when the set exists, or when a file to
// move is a symlink. With an empty selection, returns an outcome with no files.
ArchiveOutcome archive_selection(const Selection& selection, const ArchiveRequest& request);
// The same, reading the selection only after an interrupted run has been repaired (under the
// archive folder's lock): a migration folder half-way through an archive does not read.
ArchiveOutcome archive_migrations(const std::function<Selection()>& read_selection, const ArchiveRequest& request);

struct RestoreRequest {
  std::filesystem::path archive_dir = kDefaultArchiveDir;
  std::string set;
  std::optional<std::filesystem::path> to;  // default: the manifest's source folder
  bool dry_run = false;
};

struct RestoreOutcome {
  std::string set;
  std::filesystem::path target;
  std::vector<std::string> placed;           // restored (or, with dry_run, to restore)
  std::vector<std::string> already_present;  // already there with the right content
  bool dry_run = false;
  std::vector<RecoveryNote> recovered;
  std::vector<std::string> notes;
};

// Puts every file of a set back, byte for byte, then removes the set. Refuses (InputError, no
// change) when the set does not verify, a target exists with other content (all are named), or
// a target path leads through a symlink.
RestoreOutcome restore_set(const RestoreRequest& request);

enum class SetState { intact, tampered, incomplete };
std::string to_string(SetState state);

struct Problem {
  std::string kind;  // missing, extra, changed, renamed, symlink, not-a-file, manifest
  std::string path;  // relative to the set folder; empty for the manifest as a whole
  std::string detail;
};

struct SetReport {
  std::string set;
  SetState state = SetState::intact;
  std::optional<Manifest> manifest;
  std::vector<Problem> problems;
  std::string pending;  // for incomplete sets: what was interrupted
};

// Re-hashes one set (or every set) against its manifest, after recovery. Throws UsageError when a
// named set does not exist, IoError when the archive folder does not.
std::vector<SetReport> verify_sets(const std::filesystem::path& archive_dir, const std::optional<std::string>& set,
                                   std::vector<RecoveryNote>* recovered);

// The sets of an archive folder with their state, read-only (an interrupted run is reported as
// incomplete, not repaired). An absent folder has no sets.
std::vector<SetReport> list_sets(const std::filesystem::path& archive_dir);

// "<first>-<last>" for a selection (the default set name).
std::string default_set_name(const Selection& selection);

}  // namespace schemakit::archive
