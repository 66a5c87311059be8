#include "squash/console.hpp"

#include <unistd.h>

#include <cstdio>
#include <fmt/core.h>

namespace schemakit::squash {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void Console::step(const std::string& line) {
  if (!verbose_) return;
  clear_progress();
  fmt::print(stderr, "squash: {}\n", line);
}

void Console::progress(const std::string& line) {
  if (!progress_ || verbose_) return;
  // \r and "erase to end of line": the next progress line replaces this one.
  fmt::print(stderr, "\r\033[K{}", line);
  std::fflush(stderr);
  progress_shown_ = true;
}

void Console::clear_progress() {
  if (!progress_shown_) return;
  fmt::print(stderr, "\r\033[K");
  std::fflush(stderr);
  progress_shown_ = false;
}

void Console::problem(const std::string& text) {
  clear_progress();
  fmt::print(stderr, "{}", text);
  if (!text.empty() && text.back() != '\n') fmt::print(stderr, "\n");
}

}  // namespace schemakit::squash
