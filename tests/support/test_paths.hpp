#pragma once
// Where the fixtures are, and a temporary directory per test that removes itself.
#include <filesystem>
#include <string>

namespace schemakit::testing {

std::filesystem::path source_dir();
std::filesystem::path binary_dir();
// A tool binary under build/bin, e.g. tool_path("squash").
std::filesystem::path tool_path(const std::string& tool);
// ../shared/corpora/tricky beside the checkout, or empty when absent (tests skip then, saying why).
std::filesystem::path tricky_corpus();
constexpr const char* kNoSharedCorpus =
    "../shared/corpora/tricky is not beside this checkout (it exists on the project's machines "
    "and in CI only)";

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// 'text' for /bin/sh, whatever it holds.
std::string shell_quote(const std::string& text);

// Runs a shell command, returns its exit code; stdout+stderr go to `output`.
int run_command(const std::string& command, std::string* output = nullptr);

// The whole file as a string (binary-safe).
std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

}  // namespace schemakit::testing
