#pragma once
// What the three front ends share: the exit-code table, --help/--version handling and the one
// catch that turns any error into a one-line message and an exit code.
#include <functional>
#include <string>

namespace schemakit::cli {

// The exit-code table printed by every tool's --help and copied in docs/usage.md.
extern const char* const kExitCodeTable;

// Runs `body` and maps every exception to "<tool>: error: <message>" on stderr and its exit
// code. Also installs the signal handlers that stop embedded clusters on SIGINT/SIGTERM.
int run(const char* tool, const std::function<int()>& body);

// True when stdout is a terminal and colour was not switched off (NO_COLOR, --no-color).
bool stdout_is_terminal();

}  // namespace schemakit::cli
