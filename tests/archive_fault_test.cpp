// Crash safety: the real binary is killed (SIGKILL, as `kill -9`) or hit by a simulated "disk
// full" at every step of archive and restore (the test hook SCHEMAKIT_ARCHIVE_FAIL_AT, see
// lib/archive/fault.hpp). In every case no byte is lost, and the next run finishes or undoes the
// interrupted one and says so.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include "archive/fault.hpp"
#include "archive_test_helpers.hpp"

namespace schemakit::testing::archive_tests {
namespace {

constexpr int kMigrations = 3;  // hasura folders, two files each
constexpr int kFiles = kMigrations * 2;
const std::string kSet = "s";

bool per_file(const std::string& step) {
  return step == "archive-file-copied" || step == "archive-original-removed" || step == "restore-file-copied" ||
         step == "restore-file-placed" || step == "restore-set-file-removed";
}

// Steps reached before the commit point are undone by the next run; later ones are finished.
bool archive_step_is_before_commit(const std::string& step) {
  for (const char* s : {"journal-temp-written", "archive-journal-written", "archive-file-copied", "archive-copies-synced",
                        "archive-copies-verified", "archive-manifest-temp-written", "archive-manifest-written"})
    if (step == s) return true;
  return false;
}
bool restore_step_is_before_commit(const std::string& step) {
  for (const char* s : {"journal-temp-written", "restore-journal-written", "restore-file-copied", "restore-file-placed",
                        "restore-targets-verified"})
    if (step == s) return true;
  return false;
}

struct Scenario {
  std::string step;
  int occurrence;
  std::string spec() const { return step + ":" + std::to_string(occurrence); }
};

std::vector<Scenario> scenarios(const std::vector<std::string>& steps) {
  std::vector<Scenario> out;
  for (const std::string& step : steps) {
    if (per_file(step))
      for (int n : {1, kFiles}) out.push_back({step, n});  // some done, all done
    else
      out.push_back({step, 1});
  }
  return out;
}

std::vector<std::string> archive_steps() {
  std::vector<std::string> steps{archive::kJournalTempStep};
  for (const char* step : archive::kArchiveSteps) steps.push_back(step);
  return steps;
}
std::vector<std::string> restore_steps() {
  std::vector<std::string> steps{archive::kJournalTempStep};
  for (const char* step : archive::kRestoreSteps) steps.push_back(step);
  return steps;
}

class ArchiveFault : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = temp_.path() / "project";
    write_hasura_history(project_ / "migrations", kMigrations);
    original_ = snapshot(project_ / "migrations");
  }

  std::vector<std::string> archive_args() const {
    return {"archive", "--migrations", "migrations", "--through", hasura_version(kMigrations), "--name", kSet};
  }

  fs::path set_dir() const { return project_ / "archived_migrations" / kSet; }

  // Every original file is in the migrations folder or in the set, byte for byte.
  void expect_nothing_lost(const std::string& context) {
    for (const auto& [path, content] : original_) {
      if (content == "<dir>") continue;
      const fs::path in_place = project_ / "migrations" / path;
      const fs::path archived = set_dir() / path;
      bool safe = (fs::exists(in_place) && read_file(in_place) == content) ||
                  (fs::exists(archived) && read_file(archived) == content);
      EXPECT_TRUE(safe) << context << ": " << path << " is neither in place nor in the set";
    }
  }

  // The archive folder holds no bookkeeping left over from a run.
  void expect_no_leftovers(const std::string& context) {
    for (const std::string& name : keys(snapshot(project_ / "archived_migrations"))) {
      if (name.find('/') != std::string::npos) continue;
      EXPECT_TRUE(name == ".lock" || name == kSet) << context << ": leftover " << name;
    }
  }

  bool set_exists() const { return fs::exists(set_dir()); }

  TempDir temp_;
  fs::path project_;
  Snapshot original_;
};

TEST_F(ArchiveFault, KilledAtEveryArchiveStepThenRecovered) {
  for (const Scenario& scenario : scenarios(archive_steps())) {
    SCOPED_TRACE(scenario.spec());
    fs::remove_all(project_);
    write_hasura_history(project_ / "migrations", kMigrations);

    ToolRun killed = run_archive(project_, archive_args(), {std::string(archive::kFailAtVariable) + "=" + scenario.spec()});
    ASSERT_EQ(killed.code, 137) << killed.output;
    expect_nothing_lost("after the kill");

    ToolRun recovery = run_archive(project_, {"verify"});
    const bool before_commit = archive_step_is_before_commit(scenario.step);
    if (scenario.step == archive::kJournalTempStep) {
      // Killed before the journal had its name: nothing was acted on, nothing to say.
      EXPECT_EQ(recovery.code, 0) << recovery.output;
    } else if (before_commit) {
      EXPECT_EQ(recovery.code, 0) << recovery.output;
      EXPECT_NE(recovery.output.find("undid an interrupted archive of set s"), std::string::npos) << recovery.output;
    } else {
      EXPECT_EQ(recovery.code, 0) << recovery.output;
      EXPECT_NE(recovery.output.find("finished an interrupted archive of set s"), std::string::npos) << recovery.output;
      EXPECT_NE(recovery.output.find("set s: intact"), std::string::npos) << recovery.output;
    }
    expect_nothing_lost("after recovery");
    expect_no_leftovers("after recovery");
    if (before_commit) {
      EXPECT_FALSE(set_exists());
      EXPECT_EQ(snapshot(project_ / "migrations"), original_);
    } else {
      EXPECT_TRUE(snapshot(project_ / "migrations").empty());
      ToolRun restored = run_archive(project_, {"restore", kSet});
      ASSERT_EQ(restored.code, 0) << restored.output;
      EXPECT_EQ(snapshot(project_ / "migrations"), original_);
    }
  }
}

TEST_F(ArchiveFault, KilledAtEveryRestoreStepThenRecovered) {
  for (const Scenario& scenario : scenarios(restore_steps())) {
    SCOPED_TRACE(scenario.spec());
    fs::remove_all(project_);
    write_hasura_history(project_ / "migrations", kMigrations);
    ASSERT_EQ(run_archive(project_, archive_args()).code, 0);

    ToolRun killed = run_archive(project_, {"restore", kSet}, {std::string(archive::kFailAtVariable) + "=" + scenario.spec()});
    ASSERT_EQ(killed.code, 137) << killed.output;
    expect_nothing_lost("after the kill");

    ToolRun recovery = run_archive(project_, {"verify"});
    EXPECT_EQ(recovery.code, 0) << recovery.output;
    if (scenario.step == archive::kJournalTempStep) {
      // Never started: the set is intact and nothing was placed.
      EXPECT_TRUE(set_exists());
      EXPECT_NE(recovery.output.find("set s: intact"), std::string::npos) << recovery.output;
      ASSERT_EQ(run_archive(project_, {"restore", kSet}).code, 0);
    } else {
      // A restore is finished by the next run (the set is intact, nothing is in the way).
      EXPECT_NE(recovery.output.find("finished an interrupted restore of set s"), std::string::npos) << recovery.output;
      EXPECT_FALSE(set_exists());
    }
    EXPECT_EQ(snapshot(project_ / "migrations"), original_);
    expect_no_leftovers("after recovery");
  }
}

TEST_F(ArchiveFault, DiskFullAtEveryArchiveStep) {
  for (const Scenario& scenario : scenarios(archive_steps())) {
    SCOPED_TRACE(scenario.spec());
    fs::remove_all(project_);
    write_hasura_history(project_ / "migrations", kMigrations);

    ToolRun failed = run_archive(project_, archive_args(),
                                 {std::string(archive::kFailAtVariable) + "=" + scenario.spec(),
                                  std::string(archive::kFailModeVariable) + "=disk-full"});
    EXPECT_EQ(failed.code, 2) << failed.output;
    EXPECT_NE(failed.output.find("No space left on device"), std::string::npos) << failed.output;
    expect_nothing_lost("after the failure");
    if (archive_step_is_before_commit(scenario.step)) {
      // Undone on the spot.
      if (scenario.step != archive::kJournalTempStep) {
        EXPECT_NE(failed.output.find("nothing was moved"), std::string::npos) << failed.output;
      }
      EXPECT_EQ(snapshot(project_ / "migrations"), original_);
      EXPECT_FALSE(set_exists());
      expect_no_leftovers("after the failure");
    } else {
      EXPECT_NE(failed.output.find("the next archive, restore or verify run finishes it"), std::string::npos) << failed.output;
      ToolRun recovery = run_archive(project_, {"verify"});
      EXPECT_EQ(recovery.code, 0) << recovery.output;
      EXPECT_NE(recovery.output.find("finished an interrupted archive of set s"), std::string::npos) << recovery.output;
      EXPECT_TRUE(snapshot(project_ / "migrations").empty());
      expect_no_leftovers("after recovery");
      ASSERT_EQ(run_archive(project_, {"restore", kSet}).code, 0);
      EXPECT_EQ(snapshot(project_ / "migrations"), original_);
    }
  }
}

TEST_F(ArchiveFault, DiskFullAtEveryRestoreStep) {
  for (const Scenario& scenario : scenarios(restore_steps())) {
    SCOPED_TRACE(scenario.spec());
    fs::remove_all(project_);
    write_hasura_history(project_ / "migrations", kMigrations);
    ASSERT_EQ(run_archive(project_, archive_args()).code, 0);
    const Snapshot archived_state = snapshot(project_);

    ToolRun failed = run_archive(project_, {"restore", kSet},
                                 {std::string(archive::kFailAtVariable) + "=" + scenario.spec(),
                                  std::string(archive::kFailModeVariable) + "=disk-full"});
    EXPECT_EQ(failed.code, 2) << failed.output;
    EXPECT_NE(failed.output.find("No space left on device"), std::string::npos) << failed.output;
    expect_nothing_lost("after the failure");
    if (restore_step_is_before_commit(scenario.step)) {
      // Undone on the spot: the folders it made are gone again, the set untouched.
      if (scenario.step != archive::kJournalTempStep) {
        EXPECT_NE(failed.output.find("nothing was restored"), std::string::npos) << failed.output;
      }
      EXPECT_EQ(snapshot(project_), archived_state);
      ASSERT_EQ(run_archive(project_, {"restore", kSet}).code, 0);
    } else {
      EXPECT_NE(failed.output.find("the next archive, restore or verify run finishes it"), std::string::npos) << failed.output;
      ToolRun recovery = run_archive(project_, {"verify"});
      EXPECT_EQ(recovery.code, 0) << recovery.output;
      EXPECT_NE(recovery.output.find("finished an interrupted restore of set s"), std::string::npos) << recovery.output;
    }
    EXPECT_EQ(snapshot(project_ / "migrations"), original_);
    expect_no_leftovers("at the end");
  }
}

TEST_F(ArchiveFault, RerunningTheSameArchiveAfterAKillCompletesIt) {
  ASSERT_EQ(run_archive(project_, archive_args(), {std::string(archive::kFailAtVariable) + "=archive-original-removed:2"}).code, 137);
  ToolRun again = run_archive(project_, archive_args());
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("finished an interrupted archive of set s"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("completed by finishing the interrupted run"), std::string::npos) << again.output;
  EXPECT_TRUE(snapshot(project_ / "migrations").empty());
}

TEST_F(ArchiveFault, RerunningAnArchiveKilledBeforeItsCommitStartsOver) {
  ASSERT_EQ(run_archive(project_, archive_args(), {std::string(archive::kFailAtVariable) + "=archive-file-copied:3"}).code, 137);
  ToolRun again = run_archive(project_, archive_args());
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("undid an interrupted archive of set s"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("archived 3 migrations"), std::string::npos) << again.output;
  EXPECT_TRUE(snapshot(project_ / "migrations").empty());
}

TEST_F(ArchiveFault, RerunningTheSameRestoreAfterAKillCompletesIt) {
  ASSERT_EQ(run_archive(project_, archive_args()).code, 0);
  ASSERT_EQ(run_archive(project_, {"restore", kSet}, {std::string(archive::kFailAtVariable) + "=restore-file-placed:4"}).code, 137);
  ToolRun again = run_archive(project_, {"restore", kSet});
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("finished an interrupted restore of set s"), std::string::npos) << again.output;
  EXPECT_EQ(snapshot(project_ / "migrations"), original_);
}

TEST_F(ArchiveFault, ListReportsAnInterruptedRunWithoutRepairingIt) {
  ASSERT_EQ(run_archive(project_, archive_args(), {std::string(archive::kFailAtVariable) + "=archive-original-removed:1"}).code, 137);
  ToolRun listed = run_archive(project_, {"list"});
  EXPECT_EQ(listed.code, 1) << listed.output;
  EXPECT_NE(listed.output.find("s  incomplete: an interrupted archive of set s"), std::string::npos) << listed.output;
  EXPECT_TRUE(fs::exists(project_ / "archived_migrations" / ".journal.json"));
}

TEST_F(ArchiveFault, AFileEditedDuringTheArchiveIsKept) {
  // Killed after the commit, then one original is edited before the next run finishes the
  // archive: the edit is not removed with the others.
  ASSERT_EQ(run_archive(project_, archive_args(), {std::string(archive::kFailAtVariable) + "=archive-committed"}).code, 137);
  const fs::path edited = project_ / "migrations" / (hasura_version(2) + "_step_2") / "up.sql";
  write_file(edited, "-- edited after it was archived\n");
  ToolRun recovery = run_archive(project_, {"verify"});
  EXPECT_EQ(recovery.code, 0) << recovery.output;
  EXPECT_NE(recovery.output.find("changed after it was copied into the set; left in place"), std::string::npos)
      << recovery.output;
  EXPECT_EQ(read_file(edited), "-- edited after it was archived\n");
}

TEST_F(ArchiveFault, ASetRemovedByHandAfterAnInterruptionIsNotMistakenForAnUndo) {
  ASSERT_EQ(run_archive(project_, archive_args(), {std::string(archive::kFailAtVariable) + "=archive-original-removed:2"}).code, 137);
  fs::remove_all(set_dir());
  ToolRun recovery = run_archive(project_, {"verify"});
  EXPECT_EQ(recovery.code, 1) << recovery.output;
  EXPECT_NE(recovery.output.find("left neither the set nor all the originals (2 not in"), std::string::npos)
      << recovery.output;
  EXPECT_TRUE(fs::exists(project_ / "archived_migrations" / ".journal.json"));
}

TEST_F(ArchiveFault, AnInterruptedRestoreOfASetTamperedSinceIsLeftForAPerson) {
  // Undoing would delete restored copies that may be the only good ones left; finishing would
  // restore a tampered file. Neither happens: the journal stays and the run says why.
  ASSERT_EQ(run_archive(project_, archive_args()).code, 0);
  ASSERT_EQ(run_archive(project_, {"restore", kSet}, {std::string(archive::kFailAtVariable) + "=restore-file-placed:2"}).code, 137);
  const Snapshot placed = snapshot(project_ / "migrations");
  const fs::path tampered = set_dir() / (hasura_version(3) + "_step_3") / "up.sql";
  write_file(tampered, "-- tampered\n");
  ToolRun recovery = run_archive(project_, {"verify"});
  EXPECT_EQ(recovery.code, 1) << recovery.output;
  EXPECT_NE(recovery.output.find("cannot be finished or undone: the set does not verify"), std::string::npos)
      << recovery.output;
  EXPECT_EQ(snapshot(project_ / "migrations"), placed);
  EXPECT_TRUE(fs::exists(project_ / "archived_migrations" / ".journal.json"));
}

TEST_F(ArchiveFault, ASecondRunWaitsForTheLock) {
  fs::create_directories(project_ / "archived_migrations");
  int fd = ::open((project_ / "archived_migrations" / ".lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  const Snapshot before = snapshot(project_);
  ToolRun blocked = run_archive(project_, archive_args());
  ::close(fd);
  EXPECT_EQ(blocked.code, 2) << blocked.output;
  EXPECT_NE(blocked.output.find("in use by another archive run"), std::string::npos) << blocked.output;
  EXPECT_EQ(snapshot(project_), before);
}

}  // namespace
}  // namespace schemakit::testing::archive_tests
