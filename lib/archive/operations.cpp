#include "archive/operations.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/core.h>
#include <functional>
#include <map>
#include <set>

#include "archive/fault.hpp"
#include "archive/safe_files.hpp"
#include "common/error.hpp"
#include "common/version.hpp"

namespace fs = std::filesystem;

namespace schemakit::archive {
namespace {

constexpr const char* kLockName = ".lock";

std::string staging_name(const std::string& set) { return "." + set + ".staging"; }
std::string restored_name(const std::string& set) { return "." + set + ".restored"; }
// Restored bytes are written under this name first, so a half-written file never carries the
// final name.
std::string temporary_name(const std::string& leaf) { return "." + leaf + ".schemakit-restore"; }

fs::path parent_of(const std::string& path) { return fs::path(path).parent_path(); }
std::string leaf_of(const std::string& path) { return fs::path(path).filename().string(); }

// Absolute, symlinks resolved where the path exists, no trailing separator.
fs::path resolved(const fs::path& path) {
  fs::path result = fs::weakly_canonical(fs::absolute(path));
  if (!result.has_filename() && result.has_parent_path()) result = result.parent_path();
  return result;
}

bool is_inside(const fs::path& inner, const fs::path& outer) {
  auto [outer_end, inner_it] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return outer_end == outer.end();
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// Every folder that holds an entry, relative, deepest first.
std::vector<std::string> folders_of(const std::vector<ManifestEntry>& files) {
  std::set<std::string> folders;
  for (const ManifestEntry& entry : files)
    for (fs::path folder = parent_of(entry.path); !folder.empty(); folder = folder.parent_path())
      folders.insert(folder.generic_string());
  std::vector<std::string> ordered(folders.begin(), folders.end());
  std::stable_sort(ordered.begin(), ordered.end(), [](const std::string& a, const std::string& b) {
    return std::count(a.begin(), a.end(), '/') > std::count(b.begin(), b.end(), '/');
  });
  return ordered;
}

class FolderLock {
 public:
  explicit FolderLock(const Dir& archive) {
    int fd = ::openat(archive.fd.get(), kLockName, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
      throw IoError(fmt::format("{}: cannot create the lock file: {}", (archive.path / kLockName).string(),
                                std::strerror(errno)));
    fd_ = Fd(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
      throw IoError(fmt::format("{} is in use by another archive run (lock {}); try again when it has finished",
                                archive.path.string(), (archive.path / kLockName).string()));
  }

 private:
  Fd fd_;
};

std::optional<Journal> read_journal(const Dir& archive) {
  if (inspect(archive, kJournalName).kind == EntryKind::missing) return std::nullopt;
  const std::string where = (archive.path / kJournalName).string();
  return parse_journal(read_small_file(archive, kJournalName), where);
}

void write_journal(const Dir& archive, const Journal& journal) {
  atomic_write(archive, kJournalName, render_journal(journal), kJournalTempStep);
}

void remove_journal(const Dir& archive) {
  remove_file(archive, kJournalName);
  sync_directory(archive);
}

bool same_content(const Content& content, const ManifestEntry& entry) {
  return content.sha256 == entry.sha256 && content.size == entry.size;
}

std::string describe_difference(const Content& found, const ManifestEntry& expected) {
  if (found.size != expected.size)
    return fmt::format("{} bytes, sha256 {} (expected {} bytes, sha256 {})", found.size, found.sha256,
                       expected.size, expected.sha256);
  return fmt::format("sha256 {} (expected {})", found.sha256, expected.sha256);
}

// ------------------------------------------------------------------------------------------------
// Verify

SetReport verify_set(const Dir& archive, const std::string& name) {
  SetReport report;
  report.set = name;
  auto problem = [&](std::string kind, std::string path, std::string detail) {
    report.problems.push_back({std::move(kind), std::move(path), std::move(detail)});
  };
  auto finish = [&]() {
    std::sort(report.problems.begin(), report.problems.end(), [](const Problem& a, const Problem& b) {
      return std::tie(a.path, a.kind, a.detail) < std::tie(b.path, b.kind, b.detail);
    });
    report.state = report.problems.empty() ? SetState::intact : SetState::tampered;
    return report;
  };

  EntryKind kind = inspect(archive, name).kind;
  if (kind == EntryKind::symlink) {
    problem("symlink", "", "the set folder is a symlink; refusing to follow it");
    return finish();
  }
  if (kind != EntryKind::directory) {
    problem("not-a-file", "", "not a folder (an archive folder holds only set folders)");
    return finish();
  }
  Dir set_dir = open_beneath(archive, name, false);
  std::vector<TreeEntry> tree = walk_tree(set_dir);

  const EntryKind manifest_kind = inspect(set_dir, kManifestName).kind;
  if (manifest_kind != EntryKind::file) {
    problem("manifest", kManifestName,
            manifest_kind == EntryKind::missing ? "missing: the set has no manifest" : "not a regular file");
    return finish();
  }
  try {
    report.manifest = parse_manifest(read_small_file(set_dir, kManifestName), (set_dir.path / kManifestName).string());
  } catch (const InputError& e) {
    problem("manifest", kManifestName, e.what());
    return finish();
  }
  const Manifest& manifest = *report.manifest;
  if (compute_chain(manifest) != manifest.chain_sha256)
    problem("manifest", kManifestName,
            "the chained digest does not match: entries were edited, added, removed or reordered");

  std::map<std::string, const ManifestEntry*> expected;
  std::set<std::string> expected_folders;
  for (const ManifestEntry& entry : manifest.files) {
    expected[entry.path] = &entry;
    for (fs::path folder = parent_of(entry.path); !folder.empty(); folder = folder.parent_path())
      expected_folders.insert(folder.generic_string());
  }
  std::map<std::string, Content> extra;  // path -> content (for rename detection)
  std::set<std::string> seen;
  for (const TreeEntry& item : tree) {
    const std::string path = item.path.generic_string();
    if (path == kManifestName) continue;
    switch (item.kind) {
      case EntryKind::directory:
        if (!expected_folders.count(path) && !expected.count(path)) {
          bool holds_anything = std::any_of(tree.begin(), tree.end(), [&](const TreeEntry& other) {
            return other.path.generic_string().rfind(path + "/", 0) == 0;
          });
          if (!holds_anything) problem("extra", path + "/", "an empty folder the manifest does not list");
        }
        break;
      case EntryKind::symlink:
        problem("symlink", path, "a symlink inside the set (refusing to follow it)");
        break;
      case EntryKind::file: {
        Dir folder = open_beneath(set_dir, parent_of(path), false);
        Content content = hash_file(folder, leaf_of(path));
        auto it = expected.find(path);
        if (it == expected.end()) {
          extra[path] = content;
        } else {
          seen.insert(path);
          if (!same_content(content, *it->second)) problem("changed", path, describe_difference(content, *it->second));
        }
        break;
      }
      default:
        problem("not-a-file", path, "neither a regular file nor a folder");
    }
  }
  std::vector<std::string> missing;
  for (const auto& [path, entry] : expected)
    if (!seen.count(path)) missing.push_back(path);
  // A missing file whose exact bytes turn up under another name was renamed (or moved).
  for (const std::string& path : missing) {
    const ManifestEntry& entry = *expected[path];
    auto match = std::find_if(extra.begin(), extra.end(), [&](const auto& item) { return same_content(item.second, entry); });
    if (match != extra.end()) {
      problem("renamed", path, fmt::format("now at {}", match->first));
      extra.erase(match);
    } else {
      problem("missing", path, fmt::format("{} bytes, sha256 {}", entry.size, entry.sha256));
    }
  }
  for (const auto& [path, content] : extra)
    problem("extra", path, fmt::format("not in the manifest ({} bytes, sha256 {})", content.size, content.sha256));
  return finish();
}

std::string describe_problems(const SetReport& report) {
  std::vector<std::string> lines;
  for (const Problem& problem : report.problems)
    lines.push_back(fmt::format("{} {}{}{}", problem.kind, problem.path, problem.path.empty() ? "" : ": ", problem.detail));
  return join(lines, "; ");
}

// ------------------------------------------------------------------------------------------------
// Archive: remove the originals once the set is complete

void remove_originals(const Dir& archive, const Journal& journal, std::vector<std::string>& kept) {
  (void)archive;
  std::error_code error;
  if (!fs::is_directory(journal.folder, error)) return;  // the folder is gone, and the originals with it
  Dir root = open_directory(journal.folder);
  std::set<std::string> touched;
  for (const ManifestEntry& entry : journal.files) {
    Dir folder = open_beneath(root, parent_of(entry.path), false);
    if (folder) {
      const std::string leaf = leaf_of(entry.path);
      EntryKind kind = inspect(folder, leaf).kind;
      if (kind == EntryKind::file) {
        // Re-hash just before removing: an edit made while the set was written must survive.
        if (same_content(hash_file(folder, leaf), entry)) {
          remove_file(folder, leaf);
          touched.insert(parent_of(entry.path).generic_string());
        } else {
          kept.push_back(fmt::format("{}: changed after it was copied into the set; left in place",
                                     (journal.folder / entry.path).string()));
        }
      } else if (kind != EntryKind::missing) {
        kept.push_back(fmt::format("{}: no longer a regular file; left in place", (journal.folder / entry.path).string()));
      }
    }
    fault_point("archive-original-removed");
  }
  for (const std::string& folder : touched) {
    Dir dir = open_beneath(root, folder, false);
    if (dir) sync_directory(dir);
  }
  fault_point("archive-originals-removed");
  for (const std::string& folder : journal.folders) {
    Dir parent = open_beneath(root, parent_of(folder), false);
    if (!parent) continue;
    const std::string leaf = leaf_of(folder);
    if (inspect(parent, leaf).kind != EntryKind::directory) continue;
    if (remove_empty_directory(parent, leaf))
      sync_directory(parent);
    else if (std::any_of(journal.files.begin(), journal.files.end(),
                         [&](const ManifestEntry& entry) { return parent_of(entry.path).generic_string() == folder; }))
      kept.push_back(fmt::format("{}/: kept, it holds files that were not archived", (journal.folder / folder).string()));
  }
  fault_point("archive-folders-removed");
}

// ------------------------------------------------------------------------------------------------
// Restore

struct RestorePlan {
  fs::path target;
  std::vector<const ManifestEntry*> to_place;
  std::vector<std::string> already_present;
  std::vector<std::string> missing_folders;  // relative, shallowest first
  std::vector<std::string> missing_roots;    // absolute, shallowest first
  std::vector<std::string> conflicts;
};

RestorePlan plan_restore(const std::vector<ManifestEntry>& files, const fs::path& target) {
  RestorePlan plan;
  plan.target = target;
  std::error_code error;
  fs::file_status status = fs::symlink_status(target, error);
  if (fs::exists(status) && !fs::is_directory(fs::status(target, error)))
    throw InputError(fmt::format("{} exists and is not a folder; cannot restore into it", target.string()));
  if (!fs::exists(status)) {
    for (fs::path p = target; !p.empty() && !fs::exists(fs::symlink_status(p, error)); p = p.parent_path())
      plan.missing_roots.insert(plan.missing_roots.begin(), p.string());
    for (const ManifestEntry& entry : files) plan.to_place.push_back(&entry);
    std::vector<std::string> folders = folders_of(files);
    plan.missing_folders.assign(folders.rbegin(), folders.rend());
    return plan;
  }
  Dir root = open_directory(target);
  std::set<std::string> missing;
  for (const ManifestEntry& entry : files) {
    const fs::path parent = parent_of(entry.path);
    Dir folder = open_beneath(root, parent, false);  // throws on a symlink or a file in the way
    if (!folder) {
      fs::path prefix;
      bool absent = false;
      for (const fs::path& part : parent) {
        prefix /= part;
        if (!absent && !open_beneath(root, prefix, false)) absent = true;
        if (absent) missing.insert(prefix.generic_string());
      }
      plan.to_place.push_back(&entry);
      continue;
    }
    const std::string leaf = leaf_of(entry.path);
    switch (inspect(folder, leaf).kind) {
      case EntryKind::missing:
        plan.to_place.push_back(&entry);
        break;
      case EntryKind::file: {
        Content content = hash_file(folder, leaf);
        if (same_content(content, entry))
          plan.already_present.push_back(entry.path);
        else
          plan.conflicts.push_back(fmt::format("{} exists with other content ({})", (target / entry.path).string(),
                                               describe_difference(content, entry)));
        break;
      }
      case EntryKind::symlink:
        plan.conflicts.push_back(fmt::format("{} is a symlink (refusing to write through it)", (target / entry.path).string()));
        break;
      default:
        plan.conflicts.push_back(fmt::format("{} exists and is not a regular file", (target / entry.path).string()));
    }
  }
  plan.missing_folders.assign(missing.begin(), missing.end());
  std::stable_sort(plan.missing_folders.begin(), plan.missing_folders.end(), [](const std::string& a, const std::string& b) {
    return std::count(a.begin(), a.end(), '/') < std::count(b.begin(), b.end(), '/');
  });
  return plan;
}

void create_roots(const std::vector<std::string>& roots) {
  for (const std::string& root : roots) {
    if (::mkdir(root.c_str(), 0777) != 0 && errno != EEXIST)
      throw IoError(fmt::format("{}: cannot create directory: {}", root, std::strerror(errno)));
    Dir parent = open_directory(fs::path(root).parent_path());
    sync_directory(parent);
  }
}

void place_files(const Dir& set_dir, const fs::path& target, const std::vector<const ManifestEntry*>& to_place) {
  Dir root = open_directory(target);
  for (const ManifestEntry* entry : to_place) {
    const fs::path parent = parent_of(entry->path);
    const std::string leaf = leaf_of(entry->path);
    Dir from = open_beneath(set_dir, parent, false);
    if (!from) throw InputError(fmt::format("{}: missing from the set", (set_dir.path / entry->path).string()));
    Dir to = open_beneath(root, parent, true);
    // A leftover of an interrupted run (checked first: a failed unlink costs as much as a real one).
    if (inspect(to, temporary_name(leaf)).kind != EntryKind::missing) remove_file(to, temporary_name(leaf));
    Content content = copy_file(from, leaf, to, temporary_name(leaf));
    if (!same_content(content, *entry))
      throw InputError(fmt::format("{}: changed while it was being restored ({})", (set_dir.path / entry->path).string(),
                                   describe_difference(content, *entry)));
    fault_point("restore-file-copied");
  }
  sync_filesystem(root);
  std::set<std::string> touched;
  for (const ManifestEntry* entry : to_place) {
    const std::string leaf = leaf_of(entry->path);
    Dir to = open_beneath(root, parent_of(entry->path), false);
    if (try_rename_no_replace(to, temporary_name(leaf), to, leaf)) {
      Content existing = hash_file(to, leaf);
      remove_file(to, temporary_name(leaf));
      if (!same_content(existing, *entry))
        throw InputError(fmt::format("{} appeared during the restore with other content ({}); refusing to replace it",
                                     (target / entry->path).string(), describe_difference(existing, *entry)));
    }
    touched.insert(parent_of(entry->path).generic_string());
    fault_point("restore-file-placed");
  }
  for (const std::string& folder : touched) sync_directory(open_beneath(root, folder, false));
  for (const ManifestEntry* entry : to_place) {
    Dir to = open_beneath(root, parent_of(entry->path), false);
    drop_cache(to, leaf_of(entry->path));
    Content content = hash_file(to, leaf_of(entry->path));
    if (!same_content(content, *entry))
      throw IoError(fmt::format("{}: reads back differently after it was written ({}); disk trouble?",
                                (target / entry->path).string(), describe_difference(content, *entry)));
  }
  fault_point("restore-targets-verified");
}

// Takes back what a restore put in place: only files it placed and that still hold the archived
// bytes, its temporary files, and the folders it made if they are empty. The set is untouched.
void undo_restore(const Journal& journal) {
  std::error_code error;
  if (fs::is_directory(journal.folder, error)) {
    Dir root = open_directory(journal.folder);
    std::set<std::string> preexisting(journal.preexisting.begin(), journal.preexisting.end());
    std::set<std::string> touched;
    for (const ManifestEntry& entry : journal.files) {
      Dir folder = open_beneath(root, parent_of(entry.path), false);
      if (!folder) continue;
      const std::string leaf = leaf_of(entry.path);
      if (remove_file(folder, temporary_name(leaf))) touched.insert(parent_of(entry.path).generic_string());
      if (preexisting.count(entry.path) || inspect(folder, leaf).kind != EntryKind::file) continue;
      if (same_content(hash_file(folder, leaf), entry)) {
        remove_file(folder, leaf);
        touched.insert(parent_of(entry.path).generic_string());
      }
    }
    for (const std::string& folder : touched)
      if (Dir dir = open_beneath(root, folder, false)) sync_directory(dir);
    for (auto it = journal.folders.rbegin(); it != journal.folders.rend(); ++it) {
      Dir parent = open_beneath(root, parent_of(*it), false);
      if (parent && remove_empty_directory(parent, leaf_of(*it))) sync_directory(parent);
    }
  }
  for (auto it = journal.created_roots.rbegin(); it != journal.created_roots.rend(); ++it)
    if (::rmdir(it->c_str()) == 0) sync_directory(open_directory(fs::path(*it).parent_path()));
}

// After the commit rename: the files are all back; remove what is left of the set.
void remove_restored_set(const Dir& archive, const Journal& journal) {
  const std::string aside = restored_name(journal.set);
  if (inspect(archive, aside).kind == EntryKind::directory) {
    Dir set_dir = open_beneath(archive, aside, false);
    for (const ManifestEntry& entry : journal.files) {
      if (Dir folder = open_beneath(set_dir, parent_of(entry.path), false)) remove_file(folder, leaf_of(entry.path));
      fault_point("restore-set-file-removed");
    }
    remove_tree(archive, aside);
  }
  sync_directory(archive);
  fault_point("restore-set-removed");
  remove_journal(archive);
}

// The journal's files that are not in its folder with the journaled bytes.
std::vector<std::string> targets_not_in_place(const Journal& journal) {
  std::vector<std::string> wrong;
  std::error_code error;
  if (!fs::is_directory(journal.folder, error)) {
    for (const ManifestEntry& entry : journal.files) wrong.push_back(entry.path);
    return wrong;
  }
  Dir root = open_directory(journal.folder);
  for (const ManifestEntry& entry : journal.files) {
    Dir folder = open_beneath(root, parent_of(entry.path), false);
    if (!folder || inspect(folder, leaf_of(entry.path)).kind != EntryKind::file ||
        !same_content(hash_file(folder, leaf_of(entry.path)), entry))
      wrong.push_back(entry.path);
  }
  return wrong;
}

// The commit point of a restore: once the set is renamed aside, every file is back in place.
void commit_restore(const Dir& archive, const std::string& set) {
  rename_no_replace(archive, set, archive, restored_name(set));
}

// ------------------------------------------------------------------------------------------------
// Recovery

RecoveryNote recover_archive(const Dir& archive, const Journal& journal) {
  RecoveryNote note{Operation::archive, journal.set, false, "", journal.folder};
  const EntryKind set_kind = inspect(archive, journal.set).kind;
  if (set_kind == EntryKind::missing) {
    // Not committed: the originals were never touched; drop the partial copy. (Unless someone
    // removed a finished set by hand: then originals are gone too, and a person must look.)
    std::vector<std::string> missing;
    for (const std::string& path : targets_not_in_place(journal))
      if (!fs::exists(fs::symlink_status(journal.folder / path))) missing.push_back(path);
    if (!missing.empty())
      throw InputError(fmt::format(
          "{}: an interrupted archive of set {} left neither the set nor all the originals ({} not in {}: {}); "
          "nothing was removed; resolve by hand, then remove the journal",
          (archive.path / kJournalName).string(), journal.set, missing.size(), journal.folder.string(),
          join(missing, ", ")));
    remove_tree(archive, staging_name(journal.set));
    sync_directory(archive);
    remove_journal(archive);
    note.detail = fmt::format("it was interrupted before the set was complete; every original is still in {}, "
                              "and the partial copy was removed", journal.folder.string());
    return note;
  }
  SetReport report = verify_set(archive, journal.set);
  bool same_files = report.manifest && report.manifest->files.size() == journal.files.size() &&
                    std::equal(journal.files.begin(), journal.files.end(), report.manifest->files.begin(),
                               [](const ManifestEntry& a, const ManifestEntry& b) {
                                 return a.path == b.path && a.sha256 == b.sha256 && a.size == b.size;
                               });
  if (report.state != SetState::intact || !same_files)
    throw InputError(fmt::format(
        "{}: an interrupted archive of set {} left a set that does not match its journal ({}); no original was "
        "removed that is not in the set; resolve by hand, then remove the journal",
        (archive.path / kJournalName).string(), journal.set,
        report.problems.empty() ? std::string("different files") : describe_problems(report)));
  std::vector<std::string> kept;
  remove_originals(archive, journal, kept);
  remove_journal(archive);
  note.finished = true;
  note.detail = fmt::format("the set was complete; the originals still in {} were removed{}", journal.folder.string(),
                            kept.empty() ? std::string() : " (kept: " + join(kept, "; ") + ")");
  return note;
}

RecoveryNote recover_restore(const Dir& archive, const Journal& journal) {
  RecoveryNote note{Operation::restore, journal.set, true, "", journal.folder};
  if (inspect(archive, restored_name(journal.set)).kind == EntryKind::directory) {
    std::vector<std::string> wrong = targets_not_in_place(journal);
    remove_restored_set(archive, journal);
    note.detail = fmt::format("every file was already back in {}; the rest of the set was removed{}",
                              journal.folder.string(),
                              wrong.empty() ? std::string()
                                            : " (changed since: " + join(wrong, ", ") + ")");
    return note;
  }
  if (inspect(archive, journal.set).kind != EntryKind::directory) {
    std::vector<std::string> wrong = targets_not_in_place(journal);
    if (!wrong.empty())
      throw InputError(fmt::format("{}: an interrupted restore of set {} left neither the set nor all its files ({} "
                                   "not in place: {}); resolve by hand, then remove the journal",
                                   (archive.path / kJournalName).string(), journal.set, wrong.size(), join(wrong, ", ")));
    remove_journal(archive);
    note.detail = "every file was back in place and the set already removed";
    return note;
  }
  SetReport report = verify_set(archive, journal.set);
  if (report.state != SetState::intact)
    // Undoing would remove restored copies that may now be the only good ones: a person decides.
    throw InputError(fmt::format("{}: an interrupted restore of set {} cannot be finished or undone: the set does not "
                                 "verify ({}); resolve by hand, then remove the journal",
                                 (archive.path / kJournalName).string(), journal.set, describe_problems(report)));
  RestorePlan plan = plan_restore(report.manifest->files, journal.folder);
  if (!plan.conflicts.empty()) {
    undo_restore(journal);
    remove_journal(archive);
    note.finished = false;
    note.detail = fmt::format("it could not be finished ({}); the files it had placed were removed, the set is intact",
                              join(plan.conflicts, "; "));
    return note;
  }
  create_roots(plan.missing_roots);
  Dir set_dir = open_beneath(archive, journal.set, false);
  place_files(set_dir, journal.folder, plan.to_place);
  commit_restore(archive, journal.set);
  sync_directory(archive);
  remove_restored_set(archive, journal);
  note.detail = fmt::format("it was finished: {} remaining file(s) placed in {}, the set removed", plan.to_place.size(),
                            journal.folder.string());
  return note;
}

std::vector<RecoveryNote> recover_locked(const Dir& archive) {
  // A journal that never got its name was never acted on.
  remove_file(archive, std::string(".") + kJournalName + ".tmp");
  std::vector<RecoveryNote> notes;
  std::optional<Journal> journal = read_journal(archive);
  if (!journal) return notes;
  notes.push_back(journal->operation == Operation::archive ? recover_archive(archive, *journal)
                                                           : recover_restore(archive, *journal));
  return notes;
}

std::string pending_description(const Journal& journal) {
  return fmt::format("an interrupted {} of set {} (started {} by process {}); the next archive, restore or verify "
                     "run finishes or undoes it",
                     to_string(journal.operation), journal.set, journal.started_at, journal.pid);
}

// Everything an archive run decides before it changes anything: the set, the manifest, and the
// checks that refuse (needs --force, unsafe or symlinked paths, the archive inside the folder).
ArchiveOutcome plan_archive(const Selection& selection, const ArchiveRequest& request) {
  ArchiveOutcome outcome;
  outcome.dry_run = request.dry_run;
  if (selection.migrations.empty()) return outcome;
  if (selection.needs_force() && !request.force) {
    std::vector<std::string> reasons = selection.changed;
    reasons.insert(reasons.end(), selection.gaps.begin(), selection.gaps.end());
    reasons.insert(reasons.end(), selection.doubts.begin(), selection.doubts.end());
    throw InputError(fmt::format("refusing to archive (use --force to archive anyway): {}", join(reasons, "; ")));
  }
  outcome.set = request.set_name.empty() ? default_set_name(selection) : request.set_name;
  check_set_name(outcome.set);

  const fs::path root = resolved(selection.root);
  const fs::path archive_path = resolved(request.archive_dir);
  if (is_inside(archive_path, root))
    throw UsageError(fmt::format("the archive folder {} is inside the migrations folder {}: the runner would still "
                                 "see the archived files; choose another --archive-dir",
                                 archive_path.string(), root.string()));
  if (is_inside(root, archive_path))
    throw UsageError(fmt::format("the migrations folder {} is inside the archive folder {}", root.string(),
                                 archive_path.string()));
  outcome.set_dir = request.archive_dir / outcome.set;

  Manifest& manifest = outcome.manifest;
  manifest.tool_version = kVersion;
  manifest.created_at = utc_timestamp();
  manifest.source = root.lexically_relative(archive_path.parent_path()).generic_string();
  if (manifest.source.empty()) manifest.source = ".";
  manifest.layout = migrations::to_string(selection.layout);
  manifest.first_version = selection.migrations.front().version;
  manifest.last_version = selection.migrations.back().version;
  manifest.migration_count = selection.migrations.size();
  std::set<std::string> paths;
  for (const PlannedMigration& migration : selection.migrations) {
    for (const migrations::MigrationFile& file : migration.files) {
      ManifestEntry entry{file.path.generic_string(), file.size, file.sha256, migration.version, migration.name};
      check_entry_path(entry.path, root.string());
      if (!paths.insert(entry.path).second)
        throw InputError(fmt::format("{}: {} belongs to more than one migration; refusing", root.string(), entry.path));
      outcome.bytes += entry.size;
      manifest.files.push_back(std::move(entry));
    }
  }
  if (selection.squash) {
    SquashOrigin origin;
    origin.report = resolved(selection.squash->path).lexically_relative(archive_path.parent_path()).generic_string();
    origin.fingerprint = selection.squash->fingerprint;
    origin.changed_since_squash = selection.changed_paths;
    manifest.squash = std::move(origin);
  }
  manifest.git_commit = git_head_commit(root);

  // The originals must be regular files reached without a symlink.
  Dir source = open_directory(root);
  for (const ManifestEntry& entry : manifest.files) {
    Dir folder = open_beneath(source, parent_of(entry.path), false);
    EntryKind kind = folder ? inspect(folder, leaf_of(entry.path)).kind : EntryKind::missing;
    if (kind == EntryKind::symlink)
      throw InputError(fmt::format("{} is a symlink; archive moves regular files only", (root / entry.path).string()));
    if (kind != EntryKind::file)
      throw InputError(fmt::format("{}: {}", (root / entry.path).string(),
                                   kind == EntryKind::missing ? "missing (was it moved since it was read?)"
                                                              : "not a regular file"));
  }

  return outcome;
}

// Moves the planned files: journal, copies, flush, re-read, manifest, commit rename, and only then
// the removal of the originals.
void execute_archive(const Dir& archive, const fs::path& root, ArchiveOutcome& outcome) {
  const Manifest& manifest = outcome.manifest;
  Dir source = open_directory(root);
  Journal journal;
  journal.operation = Operation::archive;
  journal.set = outcome.set;
  journal.folder = root;
  journal.files = manifest.files;
  journal.folders = folders_of(manifest.files);
  journal.started_at = manifest.created_at;
  journal.pid = static_cast<long>(::getpid());
  write_journal(archive, journal);

  const std::string staging = staging_name(outcome.set);
  try {
    fault_point("archive-journal-written");
    remove_tree(archive, staging);
    if (::mkdirat(archive.fd.get(), staging.c_str(), 0777) != 0)
      throw IoError(fmt::format("{}: cannot create directory: {}", (archive.path / staging).string(), std::strerror(errno)));
    Dir staging_dir = open_beneath(archive, staging, false);
    for (const ManifestEntry& entry : manifest.files) {
      Dir from = open_beneath(source, parent_of(entry.path), false);
      Dir to = open_beneath(staging_dir, parent_of(entry.path), true);
      Content content = copy_file(from, leaf_of(entry.path), to, leaf_of(entry.path));
      if (!same_content(content, entry))
        throw InputError(fmt::format("{}: changed since it was read ({}); nothing was archived",
                                     (root / entry.path).string(), describe_difference(content, entry)));
      fault_point("archive-file-copied");
    }
    sync_filesystem(staging_dir);
    for (const std::string& folder : folders_of(manifest.files)) sync_directory(open_beneath(staging_dir, folder, false));
    sync_directory(staging_dir);
    fault_point("archive-copies-synced");
    for (const ManifestEntry& entry : manifest.files) {
      Dir folder = open_beneath(staging_dir, parent_of(entry.path), false);
      drop_cache(folder, leaf_of(entry.path));
      Content content = hash_file(folder, leaf_of(entry.path));
      if (!same_content(content, entry))
        throw IoError(fmt::format("{}: the copy reads back differently ({}); disk trouble?",
                                  (staging_dir.path / entry.path).string(), describe_difference(content, entry)));
    }
    fault_point("archive-copies-verified");
    atomic_write(staging_dir, kManifestName, render_manifest(manifest), "archive-manifest-temp-written");
    fault_point("archive-manifest-written");
    // The commit point, last in this block: once the set has its name, nothing may be undone.
    rename_no_replace(archive, staging, archive, outcome.set);
  } catch (const Error& e) {
    std::string undo;
    try {
      remove_tree(archive, staging);
      sync_directory(archive);
      remove_journal(archive);
      undo = "nothing was moved: every original is in place and the partial copy was removed";
    } catch (const std::exception& again) {
      undo = fmt::format("every original is in place; the partial copy could not be removed ({}), the next run "
                         "removes it",
                         again.what());
    }
    throw Error(e.code(), fmt::format("{}; {}", e.what(), undo));
  }
  try {
    sync_directory(archive);
    fault_point("archive-committed");
    remove_originals(archive, journal, outcome.kept);
    remove_journal(archive);
  } catch (const Error& e) {
    throw Error(e.code(), fmt::format("{}; set {} is complete, but removing the originals stopped: the next archive, "
                                      "restore or verify run finishes it",
                                      e.what(), outcome.set));
  }
}

// True when the set to create already exists because the recovery that this run just did
// finished this very archive (the same files); throws when it exists for any other reason.
bool finished_by_recovery(const Dir& archive, ArchiveOutcome& outcome, const ArchiveRequest& request) {
  const Manifest& manifest = outcome.manifest;
  if (inspect(archive, outcome.set).kind != EntryKind::missing) {
    // Run again after an interruption: the recovery may just have finished this very archive.
    bool finished_just_now = std::any_of(outcome.recovered.begin(), outcome.recovered.end(), [&](const RecoveryNote& note) {
      return note.operation == Operation::archive && note.finished && note.set == outcome.set;
    });
    if (finished_just_now) {
      SetReport report = verify_set(archive, outcome.set);
      if (report.manifest && report.manifest->files.size() == manifest.files.size() &&
          std::equal(manifest.files.begin(), manifest.files.end(), report.manifest->files.begin(),
                     [](const ManifestEntry& a, const ManifestEntry& b) { return a.path == b.path && a.sha256 == b.sha256; })) {
        outcome.manifest = *report.manifest;
        outcome.notes.push_back(fmt::format("set {} was completed by finishing the interrupted run", outcome.set));
        return true;
      }
    }
    throw InputError(fmt::format("archive set {} already exists in {}; choose another --name", outcome.set,
                                 request.archive_dir.string()));
  }

  return false;
}

ArchiveOutcome outcome_of_set(const Dir& archive, const std::string& set, const ArchiveRequest& request) {
  ArchiveOutcome outcome;
  outcome.set = set;
  outcome.set_dir = request.archive_dir / set;
  SetReport report = verify_set(archive, set);
  if (report.manifest) outcome.manifest = *report.manifest;
  for (const ManifestEntry& entry : outcome.manifest.files) outcome.bytes += entry.size;
  return outcome;
}

}  // namespace

// --------------------------------------------------------------------------------------------------
// Public operations

std::string RecoveryNote::summary() const {
  return fmt::format("{} an interrupted {} of set {}: {}", finished ? "finished" : "undid", to_string(operation), set,
                     detail);
}

std::string to_string(SetState state) {
  switch (state) {
    case SetState::intact:
      return "intact";
    case SetState::tampered:
      return "tampered";
    case SetState::incomplete:
      return "incomplete";
  }
  return "?";
}

std::string default_set_name(const Selection& selection) {
  if (selection.migrations.empty()) return {};
  return selection.migrations.front().version + "-" + selection.migrations.back().version;
}

std::vector<RecoveryNote> recover(const fs::path& archive_dir) {
  std::error_code error;
  if (!fs::is_directory(archive_dir, error)) return {};
  Dir archive = open_directory(archive_dir);
  FolderLock lock(archive);
  return recover_locked(archive);
}

ArchiveOutcome archive_migrations(const std::function<Selection()>& read_selection, const ArchiveRequest& request) {
  // An interrupted run is repaired before the folder is read: a half-removed migration would not
  // even read.
  std::error_code error;
  std::optional<Dir> archive;
  std::optional<FolderLock> lock;
  std::vector<RecoveryNote> recovered;
  if (!request.dry_run && fs::is_directory(request.archive_dir, error)) {
    archive.emplace(open_directory(request.archive_dir));
    lock.emplace(*archive);
    recovered = recover_locked(*archive);
  }
  Selection selection;
  try {
    selection = read_selection();
  } catch (const Error& e) {
    for (const RecoveryNote& note : recovered)
      if (note.operation == Operation::archive && note.finished && (request.set_name.empty() || request.set_name == note.set)) {
        ArchiveOutcome outcome = outcome_of_set(*archive, note.set, request);
        outcome.recovered = recovered;
        outcome.notes.push_back(fmt::format("set {} was completed by finishing the interrupted run (the migrations "
                                            "folder now reads: {})",
                                            note.set, e.what()));
        return outcome;
      }
    throw;
  }
  ArchiveOutcome outcome = plan_archive(selection, request);
  outcome.recovered = recovered;
  if (outcome.manifest.files.empty()) return outcome;

  if (request.dry_run) {
    if (fs::is_directory(request.archive_dir, error)) {
      Dir dry_archive = open_directory(request.archive_dir);
      if (std::optional<Journal> journal = read_journal(dry_archive)) outcome.notes.push_back(pending_description(*journal));
      if (inspect(dry_archive, outcome.set).kind != EntryKind::missing)
        throw InputError(fmt::format("archive set {} already exists in {}; choose another --name", outcome.set,
                                     request.archive_dir.string()));
    }
    return outcome;
  }

  if (!archive) {
    fs::create_directories(request.archive_dir);
    // The new folder's own entry must survive a crash as surely as what goes into it.
    sync_directory(open_directory(resolved(request.archive_dir).parent_path()));
    archive.emplace(open_directory(request.archive_dir));
    lock.emplace(*archive);
    std::vector<RecoveryNote> more = recover_locked(*archive);
    outcome.recovered.insert(outcome.recovered.end(), more.begin(), more.end());
  }
  if (finished_by_recovery(*archive, outcome, request)) return outcome;
  execute_archive(*archive, resolved(selection.root), outcome);
  return outcome;
}

ArchiveOutcome archive_selection(const Selection& selection, const ArchiveRequest& request) {
  return archive_migrations([&] { return selection; }, request);
}

RestoreOutcome restore_set(const RestoreRequest& request) {
  RestoreOutcome outcome;
  outcome.set = request.set;
  outcome.dry_run = request.dry_run;
  check_set_name(request.set);
  Dir archive = open_directory(request.archive_dir);
  std::optional<FolderLock> lock;
  if (request.dry_run) {
    if (std::optional<Journal> journal = read_journal(archive)) outcome.notes.push_back(pending_description(*journal));
  } else {
    lock.emplace(archive);
    outcome.recovered = recover_locked(archive);
  }
  if (inspect(archive, request.set).kind == EntryKind::missing) {
    // Run again after an interruption: the recovery may just have finished this very restore.
    for (const RecoveryNote& note : outcome.recovered)
      if (note.operation == Operation::restore && note.finished && note.set == request.set) {
        outcome.target = note.folder;
        outcome.notes.push_back(fmt::format("set {} was restored by finishing the interrupted run", request.set));
        return outcome;
      }
    throw UsageError(fmt::format("no archive set {} in {}", request.set, request.archive_dir.string()));
  }
  SetReport report = verify_set(archive, request.set);
  if (report.state != SetState::intact)
    throw InputError(fmt::format("refusing to restore set {}: it does not verify: {}", request.set,
                                 describe_problems(report)));
  const Manifest& manifest = *report.manifest;
  outcome.target = request.to ? resolved(*request.to)
                              : (resolved(request.archive_dir).parent_path() / manifest.source).lexically_normal();
  if (!outcome.target.has_filename() && outcome.target.has_parent_path()) outcome.target = outcome.target.parent_path();
  if (is_inside(outcome.target, resolved(request.archive_dir)))
    throw InputError(fmt::format("refusing to restore set {} into {}, inside the archive folder", request.set,
                                 outcome.target.string()));

  RestorePlan plan = plan_restore(manifest.files, outcome.target);
  if (!plan.conflicts.empty())
    throw InputError(fmt::format("refusing to restore set {}: {} target file(s) in the way: {}", request.set,
                                 plan.conflicts.size(), join(plan.conflicts, "; ")));
  for (const ManifestEntry* entry : plan.to_place) outcome.placed.push_back(entry->path);
  outcome.already_present = plan.already_present;
  if (request.dry_run) return outcome;

  Journal journal;
  journal.operation = Operation::restore;
  journal.set = request.set;
  journal.folder = outcome.target;
  journal.files = manifest.files;
  journal.folders = plan.missing_folders;
  journal.created_roots = plan.missing_roots;
  journal.preexisting = plan.already_present;
  journal.started_at = utc_timestamp();
  journal.pid = static_cast<long>(::getpid());
  write_journal(archive, journal);
  try {
    fault_point("restore-journal-written");
    create_roots(plan.missing_roots);
    Dir set_dir = open_beneath(archive, request.set, false);
    place_files(set_dir, outcome.target, plan.to_place);
    commit_restore(archive, request.set);  // last in this block: after it, nothing may be undone
  } catch (const Error& e) {
    std::string undo;
    try {
      undo_restore(journal);
      remove_journal(archive);
      undo = "nothing was restored: the files placed so far were removed again and the set is untouched";
    } catch (const std::exception& again) {
      undo = fmt::format("the set is untouched; undoing the files placed so far failed ({}), the next run finishes it",
                         again.what());
    }
    throw Error(e.code(), fmt::format("{}; {}", e.what(), undo));
  }
  try {
    sync_directory(archive);
    fault_point("restore-committed");
    remove_restored_set(archive, journal);
  } catch (const Error& e) {
    throw Error(e.code(), fmt::format("{}; every file of set {} is back in {}, but removing the set stopped: the next "
                                      "archive, restore or verify run finishes it",
                                      e.what(), request.set, outcome.target.string()));
  }
  return outcome;
}

std::vector<SetReport> verify_sets(const fs::path& archive_dir, const std::optional<std::string>& set,
                                   std::vector<RecoveryNote>* recovered) {
  if (set) check_set_name(*set);
  Dir archive = open_directory(archive_dir);
  FolderLock lock(archive);
  std::vector<RecoveryNote> notes = recover_locked(archive);
  if (recovered) *recovered = notes;
  std::vector<SetReport> reports;
  if (set) {
    if (inspect(archive, *set).kind == EntryKind::missing)
      throw UsageError(fmt::format("no archive set {} in {}", *set, archive_dir.string()));
    reports.push_back(verify_set(archive, *set));
    return reports;
  }
  for (const auto& [name, kind] : list_directory(archive))
    if (name.front() != '.') reports.push_back(verify_set(archive, name));
  return reports;
}

std::vector<SetReport> list_sets(const fs::path& archive_dir) {
  std::vector<SetReport> reports;
  std::error_code error;
  if (!fs::is_directory(archive_dir, error)) return reports;
  Dir archive = open_directory(archive_dir);
  std::optional<Journal> journal;
  std::string journal_problem;
  try {
    journal = read_journal(archive);
  } catch (const InputError& e) {
    journal_problem = e.what();
  }
  std::set<std::string> names;
  for (const auto& [name, kind] : list_directory(archive)) {
    if (name.front() != '.') {
      names.insert(name);
      continue;
    }
    // Bookkeeping of an interrupted run: ".<set>.staging" and ".<set>.restored".
    for (const char* suffix : {".staging", ".restored"}) {
      std::string_view view(name);
      std::string_view tail(suffix);
      if (view.size() > tail.size() + 1 && view.substr(view.size() - tail.size()) == tail)
        names.insert(std::string(view.substr(1, view.size() - tail.size() - 1)));
    }
  }
  if (journal) names.insert(journal->set);
  for (const std::string& name : names) {
    bool pending = journal && journal->set == name;
    bool present = inspect(archive, name).kind != EntryKind::missing;
    SetReport report;
    if (present) {
      report = verify_set(archive, name);
    } else {
      report.set = name;
    }
    if (pending || !present) {
      report.state = SetState::incomplete;
      report.pending = pending ? pending_description(*journal)
                               : "leftover of an interrupted run without a journal; remove it by hand";
    }
    reports.push_back(std::move(report));
  }
  if (!journal_problem.empty()) {
    SetReport report;
    report.set = kJournalName;
    report.state = SetState::incomplete;
    report.pending = journal_problem;
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace schemakit::archive
