#pragma once
// The journal of an archive or restore in progress: <archive dir>/.journal.json, written (atomically)
// before the first change and removed after the last. Whoever finds it later (the next archive,
// restore or verify run) knows exactly which files were moving where, and finishes or undoes the
// operation (archive/operations.hpp).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "archive/manifest.hpp"

namespace schemakit::archive {

inline constexpr const char* kJournalName = ".journal.json";
inline constexpr const char* kJournalFormat = "schemakit-archive-journal";

enum class Operation { archive, restore };
std::string to_string(Operation operation);

struct Journal {
  Operation operation = Operation::archive;
  std::string set;
  // archive: the migrations folder; restore: the folder the files go back to. Absolute.
  std::filesystem::path folder;
  std::vector<ManifestEntry> files;
  // archive: folders (relative to `folder`) to remove once empty, deepest first.
  // restore: folders below `folder` the restore creates, shallowest first.
  std::vector<std::string> folders;
  // restore: directories made for `folder` itself (absolute, shallowest first).
  std::vector<std::string> created_roots;
  // restore: files that were already in place with the right content (never removed on undo).
  std::vector<std::string> preexisting;
  std::string started_at;
  long pid = 0;
};

std::string render_journal(const Journal& journal);
// Throws InputError naming `where` when the journal does not parse or lacks a field.
Journal parse_journal(std::string_view text, const std::string& where);

}  // namespace schemakit::archive
