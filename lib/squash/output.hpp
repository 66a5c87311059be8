#pragma once
// Writing OUT_DIR so that a failed run leaves it exactly as it was: every file goes to a
// temporary directory beside OUT_DIR first and is renamed into place only after the proof. An
// interrupted run (SIGINT, SIGTERM, SIGHUP) removes that directory too (pg/cluster.hpp's
// handler), so OUT_DIR's parent is left as it was as well.
#include <filesystem>
#include <string>
#include <vector>

namespace schemakit::squash {

class StagedOutput {
 public:
  // Checks that `out_dir` can be an output directory (absent, or a directory) and creates the
  // staging directory in the nearest existing directory on its path, so that the final renames
  // stay on one file system. Throws UsageError / IoError (exit 2).
  explicit StagedOutput(std::filesystem::path out_dir);
  // Removes the staging directory unless commit() ran.
  ~StagedOutput();
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;

  void write(const std::string& name, const std::string& content);
  const std::filesystem::path& staging() const { return staging_; }
  const std::filesystem::path& out_dir() const { return out_dir_; }

  // An absent OUT_DIR becomes the staging directory in one rename; an existing one gets each
  // written file renamed over its old version (other files in it are left alone).
  void commit();

 private:
  std::filesystem::path out_dir_;
  std::filesystem::path staging_;
  std::vector<std::string> names_;
  bool committed_ = false;
  int cleanup_slot_ = -1;  // pg::register_cleanup_directory's, for an interrupt
};

}  // namespace schemakit::squash
