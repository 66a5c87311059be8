#include "common/cli.hpp"

#include <unistd.h>

#include <boost/program_options/errors.hpp>
#include <cstdio>
#include <exception>
#include <fmt/core.h>

#include "common/error.hpp"
#include "pg/cluster.hpp"

namespace schemakit::cli {

const char* const kExitCodeTable =
    "Exit codes (the same for every schemakit tool):\n"
    "  0  success (schema-compare: identical; archive verify: intact)\n"
    "  1  the answer is \"no\": differences found, a proof or migration failed,\n"
    "     tampering or a conflict found\n"
    "  2  usage, I/O, connection or server trouble\n";

int run(const char* tool, const std::function<int()>& body) {
  pg::install_cleanup_signal_handlers();
  try {
    return body();
  } catch (const boost::program_options::error& e) {
    fmt::print(stderr, "{}: error: {} (see {} --help)\n", tool, e.what(), tool);
    return static_cast<int>(ExitCode::trouble);
  } catch (const Error& e) {
    fmt::print(stderr, "{}: error: {}\n", tool, e.what());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: internal error: {}\n", tool, e.what());
    return static_cast<int>(ExitCode::trouble);
  }
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

}  // namespace schemakit::cli
