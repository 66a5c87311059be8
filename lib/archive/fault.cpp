#include "archive/fault.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>

#include "common/error.hpp"

namespace schemakit::archive {

void fault_point(std::string_view step) {
  const char* spec = std::getenv(kFailAtVariable);
  if (spec == nullptr || *spec == '\0') return;
  std::string_view wanted(spec);
  unsigned long occurrence = 1;
  if (auto colon = wanted.rfind(':'); colon != std::string_view::npos) {
    occurrence = std::strtoul(std::string(wanted.substr(colon + 1)).c_str(), nullptr, 10);
    wanted = wanted.substr(0, colon);
  }
  if (wanted != step) return;
  // Counts live for the process: each run of the tool is one process.
  static std::map<std::string, unsigned long, std::less<>> reached;
  if (++reached[std::string(step)] != occurrence) return;

  const char* mode = std::getenv(kFailModeVariable);
  if (mode != nullptr && std::string_view(mode) == "disk-full") {
    throw IoError(std::string(step) + ": No space left on device (simulated by " + kFailAtVariable +
                  ")");
  }
  ::kill(::getpid(), SIGKILL);
  ::_exit(137);
}

}  // namespace schemakit::archive
