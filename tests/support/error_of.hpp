#pragma once
// The message of the schemakit error `body` throws, for tests that assert exact messages.
// Errors of another type than `E` are not caught, so they fail the test loudly.
#include <functional>
#include <string>

#include "common/error.hpp"

namespace schemakit::testing {

template <class E = Error>
std::string error_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const E& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace schemakit::testing
