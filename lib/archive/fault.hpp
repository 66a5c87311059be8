#pragma once
// Test hook for crash-safety tests. CI runs as root, where chmod does not stop writes, so faults
// are injected here instead:
//
//   SCHEMAKIT_ARCHIVE_FAIL_AT=<step>[:<n>]   at the n-th time (default 1) the run reaches <step>
//   SCHEMAKIT_ARCHIVE_FAIL_MODE=kill          (default) the process kills itself with SIGKILL,
//                                            as `kill -9` would (exit status 137 in a shell)
//   SCHEMAKIT_ARCHIVE_FAIL_MODE=disk-full     an IoError "No space left on device" is thrown
//
// The steps are listed in kArchiveSteps / kRestoreSteps (docs/archive.md explains each one).
// Without the variable fault_point() costs one getenv.
#include <string_view>

namespace schemakit::archive {

inline constexpr const char* kFailAtVariable = "SCHEMAKIT_ARCHIVE_FAIL_AT";
inline constexpr const char* kFailModeVariable = "SCHEMAKIT_ARCHIVE_FAIL_MODE";

// The points where an archive run can be interrupted, in the order it reaches them. Steps marked
// per file are reached once per file (use :<n> to pick one).
inline constexpr const char* kArchiveSteps[] = {
    "archive-journal-written",        // journal on disk, nothing copied yet
    "archive-file-copied",            // per file: one more copy in the staging folder
    "archive-copies-synced",          // every copy written and flushed to disk
    "archive-copies-verified",        // every copy re-read from disk and its hash checked
    "archive-manifest-temp-written",  // manifest written to its temporary name, not renamed yet
    "archive-manifest-written",       // manifest in place inside the staging folder
    "archive-committed",              // staging folder renamed to the set: the set is complete
    "archive-original-removed",       // per file: one more original removed
    "archive-originals-removed",      // every original removed, empty folders not yet
    "archive-folders-removed",        // empty migration folders removed, journal not yet
};

inline constexpr const char* kRestoreSteps[] = {
    "restore-journal-written",    // journal on disk, nothing placed yet
    "restore-file-copied",        // per file: copy written under a temporary name, flushed
    "restore-file-placed",        // per file: renamed to its final name
    "restore-targets-verified",   // every restored file re-read and its hash checked
    "restore-committed",          // set renamed aside: restore complete, set not yet removed
    "restore-set-file-removed",   // per file: one more file of the set removed
    "restore-set-removed",        // set removed, journal not yet
};

// Every journal write goes through this step too (temporary journal written, not renamed).
inline constexpr const char* kJournalTempStep = "journal-temp-written";

void fault_point(std::string_view step);

}  // namespace schemakit::archive
