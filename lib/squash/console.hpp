#pragma once
// What squash tells the person running it while it works: a progress line on a terminal
// ("migration 12 of 300: 0012_add_orders.sql"), rewritten in place and cleared at the end, and
// with --verbose one line per step. Both go to stderr, so stdout carries only the summary; both
// are silent when stderr is not a terminal (progress) or --verbose is off (steps).
#include <string>

namespace schemakit::squash {

class Console {
 public:
  Console(bool verbose, bool progress) : verbose_(verbose), progress_(progress) {}
  ~Console() { clear_progress(); }
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  bool verbose() const { return verbose_; }
  void step(const std::string& line);
  void progress(const std::string& line);
  void clear_progress();
  // Text that must be seen whatever the flags (proof failures): stderr, after clearing progress.
  void problem(const std::string& text);

 private:
  bool verbose_;
  bool progress_;
  bool progress_shown_ = false;
};

// True when stderr is a terminal (where progress lines go).
bool stderr_is_terminal();

}  // namespace schemakit::squash
