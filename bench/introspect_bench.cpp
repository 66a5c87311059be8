// Times the catalog library on a live database: introspection (best of --runs), the script
// writer and the fingerprint; optionally writes the catalog queries it ran (for psql, the floor),
// the script, and the whole model as text (to show that a change to the queries leaves it
// byte-identical: diff two builds' --model-out), and times each catalog query on its own.
// Used by bench/catalog_bench.sh and bench/compare_bench.sh.
//
//   introspect_bench CONNINFO [--runs N] [--jobs N] [--for schema-compare] [--queries-out FILE]
//                    [--script-out FILE] [--model-out FILE] [--query-times N]
//
// --for schema-compare reads as schema-compare does by default (no pg_depend edges, no sequence
// positions), for bench/compare_bench.sh's floor. --query-times N runs each query the
// introspection ran N more times, alone, in one snapshot transaction with the library's settings,
// and prints the best wall time of each, the server backend's CPU time (from /proc, when the
// server runs on this machine) and the rows it returned, the slowest first.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fmt/core.h>
#include <fstream>
#include <iterator>
#include <pqxx/connection>
#include <pqxx/transaction>
#include <string>
#include <unistd.h>
#include <vector>

#include "catalog/fingerprint.hpp"
#include "ddl/script.hpp"
#include "introspect/introspect.hpp"

using namespace schemakit;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Every attribute, edge and unsupported entry of the model, one line each, in the model's order.
void write_model(const catalog::Catalog& catalog, const std::string& path) {
  std::ofstream out(path);
  for (const auto& object : catalog.objects) {
    const auto& id = object.id;
    out << catalog::to_string(id.kind) << '\t' << id.schema << '\t' << id.table << '\t' << id.name << '\t'
        << id.signature << '\n';
    for (const auto& [name, value] : object.attributes) out << "  " << name << " = " << value << '\n';
    for (const auto& to : object.depends_on) {
      out << "  -> " << catalog::to_string(to.kind) << '\t' << to.schema << '\t' << to.table << '\t' << to.name
          << '\t' << to.signature << '\n';
    }
  }
  for (const auto& entry : catalog.unsupported) {
    out << "unsupported\t" << entry.kind << '\t' << entry.identity << '\t' << entry.reason << '\n';
  }
}

// User + system CPU seconds of a process on this machine, or -1 when /proc does not show it.
double process_cpu_seconds(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t end_of_name = content.rfind(')');
  if (end_of_name == std::string::npos) return -1;
  std::vector<std::string> fields;  // from field 3 (state) on
  size_t at = end_of_name + 2;
  while (at < content.size()) {
    const size_t space = content.find(' ', at);
    fields.push_back(content.substr(at, space == std::string::npos ? std::string::npos : space - at));
    if (space == std::string::npos) break;
    at = space + 1;
  }
  if (fields.size() < 13) return -1;
  return (std::stod(fields[11]) + std::stod(fields[12])) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// What a catalog query reads: the table after its first FROM outside parentheses and quotes,
// and the first server deparser it calls, if any ("pg_catalog.pg_index, pg_get_indexdef").
std::string query_label(const std::string& sql) {
  int depth = 0;
  bool quoted = false;
  std::string table;
  for (size_t i = 0; i < sql.size() && table.empty(); ++i) {
    const char c = sql[i];
    if (c == '\'') quoted = !quoted;
    if (quoted) continue;
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && sql.compare(i, 6, " FROM ") == 0) {
      const size_t start = i + 6;
      table = sql.substr(start, sql.find(' ', start) - start);
    }
  }
  const size_t deparser = sql.find("pg_get_");
  if (deparser != std::string::npos) {
    table += ", " + sql.substr(deparser, sql.find('(', deparser) - deparser);
  }
  return table;
}

void time_queries(const std::string& conninfo, const std::vector<std::string>& queries, int repeats) {
  pqxx::connection connection(conninfo);
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(connection);
  tx.exec("SET LOCAL search_path = ''");
  tx.exec("SET LOCAL work_mem = '64MB'");
  tx.exec("SET LOCAL jit = off");
  const long backend = tx.exec("SELECT pg_catalog.pg_backend_pid()")[0][0].as<long>();
  struct Timing {
    size_t index = 0;
    double cold_wall = 0, cold_cpu = -1;  // the first run, in a new backend, in the library's order
    double wall = 1e9, cpu = 1e9;         // the best of the runs after it
    size_t rows = 0;
  };
  auto run = [&](const std::string& sql, double& wall, double& cpu, size_t& rows) {
    const double cpu0 = process_cpu_seconds(backend);
    const auto start = std::chrono::steady_clock::now();
    const pqxx::result result = tx.exec(sql);
    wall = seconds_since(start);
    const double cpu1 = process_cpu_seconds(backend);
    cpu = cpu0 >= 0 && cpu1 >= 0 ? cpu1 - cpu0 : -1;
    rows = result.size();
  };
  std::vector<Timing> timings(queries.size());
  for (size_t q = 0; q < queries.size(); ++q) {
    timings[q].index = q;
    run(queries[q], timings[q].cold_wall, timings[q].cold_cpu, timings[q].rows);
  }
  for (int r = 0; r < repeats; ++r) {
    for (size_t q = 0; q < queries.size(); ++q) {
      double wall = 0, cpu = 0;
      run(queries[q], wall, cpu, timings[q].rows);
      timings[q].wall = std::min(timings[q].wall, wall);
      timings[q].cpu = std::min(timings[q].cpu, cpu);
    }
  }
  std::sort(timings.begin(), timings.end(),
            [](const Timing& a, const Timing& b) { return a.cold_cpu != b.cold_cpu ? a.cold_cpu > b.cold_cpu : a.wall > b.wall; });
  fmt::print("per query: first run in a new backend (cold caches), then best of {} (server CPU from /proc/{}/stat)\n",
             repeats, backend);
  double cold_wall = 0, cold_cpu = 0, wall = 0, cpu = 0;
  for (const auto& t : timings) {
    cold_wall += t.cold_wall;
    cold_cpu += std::max(0.0, t.cold_cpu);
    wall += t.wall;
    cpu += std::max(0.0, t.cpu);
    fmt::print("  #{:<2} cold {:6.3f} s (CPU {:5.2f})  warm {:6.3f} s (CPU {:5.2f})  {:6} rows  {}\n", t.index + 1,
               t.cold_wall, t.cold_cpu, t.wall, t.cpu, t.rows, query_label(queries[t.index]));
  }
  fmt::print("  all  cold {:6.3f} s (CPU {:5.2f})  warm {:6.3f} s (CPU {:5.2f})\n", cold_wall, cold_cpu, wall, cpu);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: introspect_bench CONNINFO [--runs N] [--jobs N] [--for schema-compare] [--queries-out FILE] "
                 "[--script-out FILE] [--model-out FILE] [--query-times N]\n");
    return 2;
  }
  const std::string conninfo = argv[1];
  int runs = 3;
  int jobs = 1;  // serial unless asked: the figures of catalog_bench.sh compare against one connection
  int query_time_runs = 0;
  std::string queries_out, script_out, model_out, reading_for;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--runs") runs = std::atoi(argv[i + 1]);
    if (flag == "--jobs") jobs = std::atoi(argv[i + 1]);
    if (flag == "--queries-out") queries_out = argv[i + 1];
    if (flag == "--script-out") script_out = argv[i + 1];
    if (flag == "--model-out") model_out = argv[i + 1];
    if (flag == "--query-times") query_time_runs = std::atoi(argv[i + 1]);
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
    std::vector<std::string> query_texts;
    for (int run = 0; run < runs; ++run) {
      introspect::IntrospectStats stats;
      stats.record_queries = run == 0 && (!queries_out.empty() || query_time_runs > 0);
      catalog = introspect::introspect(conninfo, options, &stats);
      best = std::min(best, stats.seconds);
      queries = stats.queries;
      std::string split;
      for (size_t queries_on_one : stats.queries_per_connection) {
        split += (split.empty() ? "" : " + ") + std::to_string(queries_on_one);
      }
      fmt::print("introspection run {} ({} connection{}, {} queries): {:.3f} s\n", run + 1, stats.connections,
                 stats.connections == 1 ? "" : "s", split, stats.seconds);
      if (stats.record_queries && !queries_out.empty()) {
        std::ofstream out(queries_out);
        for (const auto& sql : stats.query_texts) out << sql << ";\n";
      }
      if (stats.record_queries) query_texts = std::move(stats.query_texts);
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
    if (!model_out.empty()) write_model(catalog, model_out);
    if (query_time_runs > 0) time_queries(conninfo, query_texts, query_time_runs);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "introspect_bench: %s\n", e.what());
    return 2;
  }
  return 0;
}
