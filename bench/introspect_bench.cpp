// Times the catalog library on a live database: introspection (best of --runs), the script
// writer and the fingerprint; optionally writes the catalog queries it ran (for psql, the floor)
// and the script. Used by bench/catalog_bench.sh.
//
//   introspect_bench CONNINFO [--runs N] [--jobs N] [--for schema-compare] [--queries-out FILE]
//                    [--script-out FILE]
//
// --for schema-compare reads as schema-compare does by default (no pg_depend edges, no sequence
// positions), for bench/compare_bench.sh's floor.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fmt/core.h>
#include <fstream>
#include <string>

#include "catalog/fingerprint.hpp"
#include "ddl/script.hpp"
#include "introspect/introspect.hpp"

using namespace schemakit;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: introspect_bench CONNINFO [--runs N] [--jobs N] [--for schema-compare] [--queries-out FILE] "
                 "[--script-out FILE]\n");
    return 2;
  }
  const std::string conninfo = argv[1];
  int runs = 3;
  int jobs = 1;  // serial unless asked: the figures of catalog_bench.sh compare against one connection
  std::string queries_out, script_out, reading_for;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--runs") runs = std::atoi(argv[i + 1]);
    if (flag == "--jobs") jobs = std::atoi(argv[i + 1]);
    if (flag == "--queries-out") queries_out = argv[i + 1];
    if (flag == "--script-out") script_out = argv[i + 1];
    if (flag == "--for") reading_for = argv[i + 1];
  }
  try {
    introspect::IntrospectOptions options;
    options.jobs = jobs;
    if (reading_for == "schema-compare") {
      options.dependencies = false;
      options.sequence_positions = false;
    } else if (!reading_for.empty()) {
      std::fprintf(stderr, "introspect_bench: --for: only schema-compare is known\n");
      return 2;
    }
    catalog::Catalog catalog;
    double best = 1e9;
    size_t queries = 0;
    for (int run = 0; run < runs; ++run) {
      introspect::IntrospectStats stats;
      stats.record_queries = run == 0 && !queries_out.empty();
      catalog = introspect::introspect(conninfo, options, &stats);
      best = std::min(best, stats.seconds);
      queries = stats.queries;
      std::string split;
      for (size_t queries_on_one : stats.queries_per_connection) {
        split += (split.empty() ? "" : " + ") + std::to_string(queries_on_one);
      }
      fmt::print("introspection run {} ({} connection{}, {} queries): {:.3f} s\n", run + 1, stats.connections,
                 stats.connections == 1 ? "" : "s", split, stats.seconds);
      if (stats.record_queries) {
        std::ofstream out(queries_out);
        for (const auto& sql : stats.query_texts) out << sql << ";\n";
      }
    }
    fmt::print("catalog queries: {}\n", queries);
    fmt::print("objects: {}\n", catalog.objects.size());
    for (const auto& [kind, count] : catalog.counts()) fmt::print("  {}: {}\n", catalog::plural_label(kind), count);
    fmt::print("unsupported: {}\n", catalog.unsupported.size());
    fmt::print("introspection best: {:.3f} s\n", best);

    auto start = std::chrono::steady_clock::now();
    ddl::ScriptOptions script_options;
    script_options.with_data = false;
    auto script = ddl::write_script(catalog, nullptr, script_options);
    fmt::print("script writing: {:.3f} s ({} bytes up, {} bytes down)\n", seconds_since(start), script.up.size(),
               script.down.size());
    start = std::chrono::steady_clock::now();
    auto digest = catalog::fingerprint(catalog);
    fmt::print("fingerprint: {:.3f} s ({})\n", seconds_since(start), digest.substr(0, 16));
    if (!script_out.empty()) std::ofstream(script_out) << script.up;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "introspect_bench: %s\n", e.what());
    return 2;
  }
  return 0;
}
