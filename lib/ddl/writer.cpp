#include "ddl/writer.hpp"

#include <fmt/core.h>
#include <map>

#include "common/error.hpp"

namespace schemakit::ddl {

const KindWriter& writer_for(catalog::Kind kind) {
  static const std::map<catalog::Kind, KindWriter> writers = [] {
    std::vector<KindWriter> list;
    register_core_writers(list);
    register_extra_writers(list);
    std::map<catalog::Kind, KindWriter> by_kind;
    for (const auto& w : list) by_kind[w.kind] = w;
    return by_kind;
  }();
  auto it = writers.find(kind);
  if (it == writers.end()) {
    throw Error(ExitCode::trouble,
                fmt::format("no SQL writer for objects of kind {}", catalog::to_string(kind)));
  }
  return it->second;
}

}  // namespace schemakit::ddl
